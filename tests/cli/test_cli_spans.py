"""Large plain files that workers read in spans of bytes, run as a real subprocess.

The reference is the same input on standard input, which the main process
reads and decodes itself: the output, the report and the problems on stderr
must not depend on who read the bytes, nor on ``--jobs``.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from test_cli import CLEAN, PAIRS, textmend_cli

from textmend.decoding import decode

MIB = 1 << 20


def _jsonl(size: int, newline: str = "\n") -> tuple[list[str], list[str]]:
    """JSONL records of about ``size`` bytes, every 50th damaged, and their repair."""
    records: list[str] = []
    repaired: list[str] = []
    i = total = 0
    while total < size:
        if i % 50 == 0:
            damaged, clean = PAIRS[i // 50 % len(PAIRS)]
            records.append(json.dumps({"i": i, "text": damaged}, ensure_ascii=False) + newline)
            repaired.append(json.dumps({"i": i, "text": clean}, ensure_ascii=False) + newline)
        else:
            record = json.dumps({"i": i, "text": CLEAN[i % len(CLEAN)]}, ensure_ascii=False)
            records.append(record + newline)
            repaired.append(record + newline)
        total += len(records[-1])
        i += 1
    return records, repaired


def _run(path: Path, *args: str | Path) -> dict[str, Any]:
    """``fix`` on a file with --jobs 1 and 2, and on its bytes through standard input.

    Asserts that the three agree; returns the output, stderr (naming the
    file) and report of the file runs, and the exit code.
    """
    runs = []
    for jobs, source in (("1", path), ("2", path), ("2", "-")):
        report = path.with_name(f"report-{jobs}-{source != '-'}.json")
        stdin = path.read_bytes() if source == "-" else b""
        fmt = ("--format", "jsonl" if ".jsonl" in path.name else "text")
        done = textmend_cli(
            "fix", "--jobs", jobs, *fmt, *args, "--report", report, source, stdin=stdin
        )
        summary = json.loads(report.read_text(encoding="utf-8"))["files"][0]
        del summary["path"]
        stderr = done.stderr.replace(b"-:", f"{path}:".encode()) if source == "-" else done.stderr
        runs.append((done.returncode, done.stdout, stderr, summary))
    assert runs[0] == runs[1] == runs[2]
    code, out, stderr, summary = runs[0]
    return {"code": code, "out": out, "stderr": stderr, "report": summary}


def test_a_malformed_line_in_a_later_span_is_reported_at_its_line(tmp_path: Path) -> None:
    records, repaired = _jsonl(4 * MIB)
    bad = len(records) * 3 // 4  # in the fourth mebibyte
    records[bad] = repaired[bad] = '{"i": "cut short\n'
    path = tmp_path / "r.jsonl"
    path.write_text("".join(records), encoding="utf-8")
    assert len("".join(records[:bad]).encode()) > 3 * MIB
    run = _run(path)
    assert run["code"] == 3
    assert run["out"] == "".join(repaired).encode()
    problem = f"{path}:{bad + 1}: malformed JSON"
    assert run["stderr"].decode().startswith(problem)
    assert run["stderr"].count(b"\n") == 1
    assert [p["line"] for p in run["report"]["problems"]] == [bad + 1]
    assert run["report"]["changed"] == sum(a != b for a, b in zip(records, repaired, strict=True))


def test_skipped_records_leave_no_line_behind(tmp_path: Path) -> None:
    records, repaired = _jsonl(3 * MIB)
    for bad in (len(records) // 2, len(records) - 1):
        records[bad] = "not json\n"
        repaired[bad] = ""
    path = tmp_path / "r.jsonl"
    path.write_text("".join(records), encoding="utf-8")
    run = _run(path, "--on-error", "skip")
    assert run["out"] == "".join(repaired).encode()
    assert [p["line"] for p in run["report"]["problems"]] == [len(records) // 2 + 1, len(records)]


def test_a_line_not_in_utf8_after_the_first_mebibyte(tmp_path: Path) -> None:
    """Also in a line longer than the decoder's unit (64 KiB), which is read in pieces."""
    lines = [f"{CLEAN[i % len(CLEAN)]} {i}\n" for i in range(120_000)]
    legacy, long = len(lines) - 1000, len(lines) - 500
    lines[legacy] = "Un café à Noël\n"
    lines[long] = "Le vent a soufflé sur la côte. " * 3000 + "Noël\n"
    path = tmp_path / "t.txt"
    data = b"".join(
        line.encode("cp1252" if n in (legacy, long) else "utf-8") for n, line in enumerate(lines)
    )
    path.write_bytes(data)
    assert data.index(b"caf\xe9") > 2 * MIB
    run = _run(path)
    assert run["code"] == 0
    assert run["out"].decode("utf-8").splitlines(keepends=True) == lines
    assert run["report"]["encodings"] == ["utf-8", "cp1252"]


@pytest.mark.parametrize(
    ("newline", "bom", "last"),
    [("\r\n", b"", "\r\n"), ("\n", b"\xef\xbb\xbf", ""), ("\r\n", b"\xef\xbb\xbf", "")],
)
def test_line_ends_byte_order_mark_and_last_line(
    tmp_path: Path, newline: str, bom: bytes, last: str
) -> None:
    records, repaired = _jsonl(3 * MIB, newline)
    records[-1] = records[-1].removesuffix(newline) + last
    repaired[-1] = repaired[-1].removesuffix(newline) + last
    path = tmp_path / "r.jsonl"
    path.write_bytes(bom + "".join(records).encode())
    run = _run(path)
    assert run["code"] == 0
    assert run["out"] == bom + "".join(repaired).encode()  # a BOM is kept
    assert run["report"]["records"] == len(records)


def test_a_file_that_ends_inside_a_utf8_sequence(tmp_path: Path) -> None:
    """Its last bytes read as they do after the lines before them (here: a
    legacy line earlier makes a lone lead byte legacy text), as the main
    process reads it."""
    lines = [f"{CLEAN[i % len(CLEAN)]} {i}\n" for i in range(120_000)]
    lines[60_000] = "Noël\n"
    data = "".join(lines).encode().replace("Noël".encode(), "Noël".encode("cp1252"))
    data += b"fin \xc3"
    path = tmp_path / "t.txt"
    path.write_bytes(data)
    run = _run(path)
    assert decode(data).text.endswith("\nfin Ã")
    assert run["out"].decode("utf-8").endswith("\nfin Ã")
    assert run["report"]["encodings"] == ["utf-8", "cp1252"]


def test_check_names_the_lines_of_later_spans(tmp_path: Path) -> None:
    records, repaired = _jsonl(3 * MIB)
    path = tmp_path / "r.jsonl"
    path.write_text("".join(records), encoding="utf-8")
    changed = [n + 1 for n, (a, b) in enumerate(zip(records, repaired, strict=True)) if a != b]
    outputs = []
    for jobs in ("1", "2"):
        done = textmend_cli("check", "--jobs", jobs, path)
        assert done.returncode == 1
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    lines = outputs[0].decode("utf-8").splitlines()
    assert sorted({int(line.split(":")[1]) for line in lines}) == changed


def test_in_place_into_a_directory_and_compressed(tmp_path: Path) -> None:
    records, repaired = _jsonl(3 * MIB)
    raw = "".join(records).encode()
    tree = tmp_path / "in"
    (tree / "sub").mkdir(parents=True)
    (tree / "sub" / "r.jsonl").write_bytes(raw)
    (tree / "r.jsonl.gz").write_bytes(gzip.compress(raw))
    done = textmend_cli("fix", "--jobs", "2", tree, "-o", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    expected = "".join(repaired).encode()
    assert (tmp_path / "out" / "sub" / "r.jsonl").read_bytes() == expected
    assert gzip.decompress((tmp_path / "out" / "r.jsonl.gz").read_bytes()) == expected

    shutil.copy(tree / "sub" / "r.jsonl", tmp_path / "here.jsonl")
    done = textmend_cli(
        "fix", "--jobs", "2", "--in-place", "--backup", ".orig", tmp_path / "here.jsonl"
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "here.jsonl").read_bytes() == expected
    assert (tmp_path / "here.jsonl.orig").read_bytes() == raw
