"""The real command line, run as a subprocess on real files."""

from __future__ import annotations

import bz2
import contextlib
import csv
import gzip
import io
import json
import lzma
import multiprocessing
import os
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
import zstandard
from support import DATA, ROOT, SHARED_SAMPLES

import textmend

CASES = json.loads((DATA / "cli" / "cases.json").read_text(encoding="utf-8"))
PAIRS: list[tuple[str, str]] = [tuple(p) for p in CASES["pairs"]]  # type: ignore[misc]
CLEAN: list[str] = CASES["clean"]


def textmend_cli(
    *args: str | Path, stdin: bytes = b"", cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "textmend", *map(str, args)],
        input=stdin,
        capture_output=True,
        env=env,
        cwd=cwd,
        check=False,
    )


def damaged_text() -> str:
    lines = [d for d, _ in PAIRS] + CLEAN
    return "\n".join(lines)  # no final newline: the CLI must not add one


def clean_text() -> str:
    return "\n".join([c for _, c in PAIRS] + CLEAN)


def compress(data: bytes, suffix: str) -> bytes:
    if suffix == ".gz":
        return gzip.compress(data)
    if suffix == ".zst":
        return zstandard.ZstdCompressor().compress(data)
    return data


def decompress(data: bytes, suffix: str) -> bytes:
    if suffix == ".gz":
        return gzip.decompress(data)
    if suffix == ".zst":
        return zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)).read()
    return data


def jsonl_input() -> str:
    """Records with nested fields and \\u escapes; record 2 is clean."""
    records = [
        '{"id": 1, "title": "\\u00c3\\u00a9t\\u00c3\\u00a9", '
        '"body": {"text": "caf&eacute;", "tags": ["doesn\\u00e2\\u20ac\\u2122t", 7]}, '
        '"n": 1.5}',
        '{"id": 2, "title": "caf\\u00e9 \\u201cok\\u201d", "body": {"text": "fine"}}',
        '{"id":3,"title":"na\u00c3\u00afve","body":null}',
    ]
    return "\n".join(records) + "\n"


def csv_input() -> str:
    return (
        "id,title,body\r\n"
        '1,"Caf&eacute;, bar","two\nlines: Ã©tÃ©"\r\n'
        '2,"Correct “curly”, café","plain"\r\n'
        "3,naÃ¯ve,It&#8217;s fine\r\n"
    )


# --- text ---------------------------------------------------------------------------


def test_fix_file_to_stdout_is_exactly_fix(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(damaged_text().encode())
    done = textmend_cli("fix", "--jobs", "1", path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode() == clean_text()
    assert done.stdout == textmend.fix(damaged_text()).encode()
    assert done.stderr == b""


def test_aleppo_sample_is_printed_restored() -> None:
    damaged = SHARED_SAMPLES / "aleppo-damaged.txt"
    if not damaged.exists():
        pytest.skip("../shared/samples is not beside this checkout")
    done = textmend_cli("fix", damaged)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (SHARED_SAMPLES / "aleppo-clean.txt").read_bytes()


def test_readme_demo_command_prints_the_clean_article() -> None:
    demo = ROOT / "corpus" / "demo"
    done = textmend_cli("fix", demo / "news-damaged.txt")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (demo / "news-clean.txt").read_bytes()


def test_stdin_to_stdout_keeps_line_endings() -> None:
    data = "a &amp; b\r\nÃ©tÃ©\n\nlast"
    for args in (("fix",), ("fix", "-")):
        done = textmend_cli(*args, "--jobs", "1", stdin=data.encode())
        assert done.returncode == 0, done.stderr
        assert done.stdout == "a & b\r\nété\n\nlast".encode()


def test_a_utf8_file_with_one_legacy_line_stays_utf8(tmp_path: Path) -> None:
    # Read whole in a legacy encoding, these show no mojibake that ftfy
    # measures: "f羹r" (Big5-HKSCS), "cﾃ｢mara" (Shift_JIS); the UTF-8
    # outweighs the few invalid bytes.
    de = (
        "Der Gemeinderat hat den Haushalt für das nächste Jahr beschlossen. Die Sitzung "
        "dauerte drei Stunden, und die Mitglieder stritten über die Ausgaben für Schulen.\n"
    )
    pt = (
        "A câmara municipal aprovou o orçamento do próximo ano. A sessão durou três horas "
        "e os vereadores discutiram as despesas previstas para as escolas.\n"
    )
    for line, copies in ((de, 1), (pt, 30)):
        path = tmp_path / "notes.txt"
        path.write_bytes(line.encode() * copies + line.encode("cp1252"))
        done = textmend_cli("fix", "--profile", "safe", path)
        assert done.returncode == 0, done.stderr
        assert done.stdout.decode() == line * (copies + 1)


def test_the_euro_sign_of_latin_9_is_not_read_as_the_currency_sign(tmp_path: Path) -> None:
    # ISO-8859-15 has € where Windows-1252 has the currency sign ¤, which
    # text hardly ever uses; the letters fit both alike.
    text = "Der Eintritt kostet 12 € für Erwachsene und 6 € für Kinder. Öffnungszeiten: täglich.\n"
    path = tmp_path / "preise.txt"
    path.write_bytes(text.encode("iso8859-15"))
    done = textmend_cli("fix", "--profile", "safe", path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode() == text
    detected = textmend_cli("detect", path)
    assert detected.stdout.decode().startswith(f"{path}: iso8859-15,")


def test_utf16_without_bom_is_text_wherever_its_sample_ends(tmp_path: Path) -> None:
    # Detection looks at the first MiB: here it ends inside the surrogate
    # pair of the emoji, which is no sign of binary data.
    size = textmend.StreamDecoder().sample_size
    head = ("a" * 40 + "\n") * (size // 82)
    head += "b" * ((size - 2) // 2 - len(head))
    text = head + "🙂 and the rest\n"
    path = tmp_path / "export.txt"
    path.write_bytes(text.encode("utf-16-le"))
    assert path.read_bytes()[size - 2 : size + 2] == "🙂".encode("utf-16-le")
    done = textmend_cli("fix", "--profile", "safe", path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode() == text


def test_named_encoding_is_decoded_and_written_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes("café &amp; “quotes”\n".encode("cp1252"))
    done = textmend_cli("fix", "--encoding", "cp1252", path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8") == "café & “quotes”\n"


def test_bytes_that_do_not_fit_the_named_encoding_are_reported_where_they_are(
    tmp_path: Path,
) -> None:
    path = tmp_path / "notes.txt"
    data = "Première ligne\nDeuxième ligne\n".encode() + "Troisième\n".encode("cp1252")
    path.write_bytes(data)
    done = textmend_cli("fix", "--encoding", "utf-8", path)
    assert done.returncode == 3
    position = data.index(b"\xe8")
    assert f"{path}: bytes do not fit 'utf-8': e8 at byte {position} (line 3)" in (
        done.stderr.decode()
    )


def test_a_codec_that_is_not_a_text_encoding_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"hello\n")
    for name in ("rot13", "base64", "hex"):
        done = textmend_cli("fix", "--encoding", name, path)
        assert done.returncode == 2, done.stderr
        assert f"'{name}' is not a text encoding" in done.stderr.decode()


def test_profile_and_disable_choose_the_steps(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_text("caf&eacute; Ã©tÃ©\n", encoding="utf-8")
    done = textmend_cli("fix", "--profile", "safe", "--disable", "html_entities", path)
    assert done.stdout.decode() == "caf&eacute; été\n"
    bad = textmend_cli("fix", "--disable", "no_such_step", path)
    assert bad.returncode == 2
    assert b"no_such_step" in bad.stderr


# --- JSONL ---------------------------------------------------------------------------


def test_jsonl_repairs_every_string_and_keeps_clean_records_byte_for_byte(
    tmp_path: Path,
) -> None:
    path = tmp_path / "news.jsonl"
    path.write_text(jsonl_input(), encoding="utf-8")
    done = textmend_cli("fix", "--jobs", "1", path)
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode("utf-8").split("\n")
    source = jsonl_input().split("\n")
    first = json.loads(out[0])
    assert list(first) == ["id", "title", "body", "n"]
    assert first == {
        "id": 1,
        "title": "été",
        "body": {"text": "café", "tags": ["doesn’t", 7]},
        "n": 1.5,
    }
    assert "été" in out[0]  # written as UTF-8, not as \\u escapes
    assert out[1] == source[1]  # unchanged: its \\u escapes are kept
    assert out[2] == '{"id":3,"title":"naïve","body":null}'  # compact stays compact
    assert out[3] == ""


def test_jsonl_field_paths_limit_the_repair(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    path.write_text(jsonl_input(), encoding="utf-8")
    done = textmend_cli("fix", "--field", "body.tags", "--field", "missing.path", path)
    first = json.loads(done.stdout.decode().split("\n")[0])
    assert first["body"]["tags"] == ["doesn’t", 7]
    assert first["body"]["text"] == "caf&eacute;"
    assert first["title"] == "\u00c3\u00a9t\u00c3\u00a9"


def test_jsonl_changes_only_the_repaired_strings(tmp_path: Path) -> None:
    # Numbers as spelt, escapes and spacing elsewhere, both duplicate keys:
    # a repaired record differs from its input in the repaired strings only.
    records = [
        '{"n": 1E+05, "p": 0.1000, "big": 1e400, "t": "caf&eacute;"}',
        '{"s": "\\u00e9\\/x \\ud83d\\ude00", "t": "caf&eacute;"}',
        '{ "t" : "caf&eacute;",\t"o":{"a": []} }',
        '{"t": "caf&eacute;", "t": "caf&eacute;"}',
        '  "caf&eacute;"  ',
    ]
    path = tmp_path / "r.jsonl"
    path.write_text("\r\n".join(records), encoding="utf-8")
    done = textmend_cli("fix", "--jobs", "1", path)
    assert done.returncode == 0, done.stderr
    expected = "\r\n".join(r.replace("caf&eacute;", "café") for r in records)
    assert done.stdout.decode("utf-8") == expected


def test_trailing_spaces_of_a_value_go_whatever_else_the_record_holds(tmp_path: Path) -> None:
    # The check saw no line end after the spaces, so a record with nothing
    # else to repair kept them, and the same value lost them in a record that
    # had something else.
    jsonl = tmp_path / "r.jsonl"
    jsonl.write_text('{"a": "x  "}\n{"a": "x  ", "b": "caf&eacute;"}\n', encoding="utf-8")
    done = textmend_cli("fix", "--profile", "llm", jsonl)
    assert done.stdout.decode() == '{"a": "x"}\n{"a": "x", "b": "café"}\n'
    table = tmp_path / "t.csv"
    table.write_text('a,b\nx  ,"y\t"\n', encoding="utf-8")
    done = textmend_cli("fix", "--profile", "llm", table)
    assert done.stdout.decode() == 'a,b\nx,"y"\n'


def test_jsonl_repaired_string_keeps_a_lone_surrogate_escaped(tmp_path: Path) -> None:
    # "\ud800" has no UTF-8: written as itself, it failed the whole run.
    path = tmp_path / "r.jsonl"
    path.write_text('{"t": "\\ud800 caf&eacute;"}\n{"t": "caf&eacute;"}\n', encoding="utf-8")
    done = textmend_cli("fix", "--disable", "surrogates", path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8") == '{"t": "\\ud800 café"}\n{"t": "café"}\n'


def test_jsonl_line_nested_too_deeply_is_reported_and_kept(tmp_path: Path) -> None:
    # The parser's RecursionError failed the whole file as an internal error.
    deep = "[" * 100_000 + "]" * 100_000
    path = tmp_path / "deep.jsonl"
    path.write_text(f'{{"a": "caf&eacute;"}}\n{deep}\n{{"a": "Ã©"}}\n', encoding="utf-8")
    done = textmend_cli("fix", path)
    assert done.returncode == 3
    assert f"{path}:2: JSON nested too deeply to read".encode() in done.stderr
    assert done.stdout.decode() == f'{{"a": "café"}}\n{deep}\n{{"a": "é"}}\n'


@pytest.mark.parametrize(
    ("mode", "code", "kept"), [("keep", 3, True), ("skip", 3, False), ("fail", 3, None)]
)
def test_malformed_jsonl_line_per_on_error(
    tmp_path: Path, mode: str, code: int, kept: bool | None
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"a": "Ã©"}\n{"a": broken\n{"a": "ok"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    done = textmend_cli("fix", "--on-error", mode, path, "-o", out)
    assert done.returncode == code
    assert f"{path}:2: malformed JSON".encode() in done.stderr
    if kept is None:
        assert not out.exists()
        assert list(tmp_path.iterdir()) == [path]  # no temporary file left either
        return
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[0] == '{"a": "é"}'
    assert ('{"a": broken' in lines) is kept
    assert lines[-2] == '{"a": "ok"}'


def test_on_error_fail_stops_the_run_before_later_files(tmp_path: Path) -> None:
    tree = tmp_path / "in"
    tree.mkdir()
    (tree / "a.jsonl").write_text('{"a": 1\n', encoding="utf-8")
    (tree / "b.txt").write_text("Ã©\n", encoding="utf-8")
    done = textmend_cli("fix", "--on-error", "fail", tree, "-o", tmp_path / "out")
    assert done.returncode == 3
    assert not (tmp_path / "out" / "a.jsonl").exists()
    assert not (tmp_path / "out" / "b.txt").exists()


# --- CSV / TSV ---------------------------------------------------------------------


def test_csv_quoted_fields_with_newlines_and_untouched_rows(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_bytes(csv_input().encode("utf-8"))
    done = textmend_cli("fix", path)
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [
        ["id", "title", "body"],
        ["1", "Café, bar", "two\nlines: été"],
        ["2", "Correct “curly”, café", "plain"],
        ["3", "naïve", "It’s fine"],
    ]
    records = text.split("\r\n")
    assert records[0] == "id,title,body"
    assert records[2] == '2,"Correct “curly”, café","plain"'  # unchanged: quoting kept


def test_csv_columns_by_name_and_number(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_bytes(csv_input().encode("utf-8"))
    done = textmend_cli("fix", "--column", "body", path)
    rows = list(csv.reader(io.StringIO(done.stdout.decode(), newline="")))
    assert rows[1] == ["1", "Caf&eacute;, bar", "two\nlines: été"]
    done = textmend_cli("fix", "--column", "2", path)
    rows = list(csv.reader(io.StringIO(done.stdout.decode(), newline="")))
    assert rows[3] == ["3", "naïve", "It&#8217;s fine"]
    missing = textmend_cli("fix", "--column", "nope", path)
    assert missing.returncode == 3
    assert b"no column 'nope'" in missing.stderr


def test_tsv_and_sniffed_semicolons_keep_their_dialect(tmp_path: Path) -> None:
    tsv = tmp_path / "t.tsv"
    tsv.write_text("a\tb\nÃ©\tcaf&eacute;, yes\n", encoding="utf-8")
    assert textmend_cli("fix", tsv).stdout.decode() == "a\tb\né\tcafé, yes\n"
    semi = tmp_path / "s.csv"
    semi.write_text('x;y\n"Ã©;1";2\nclean;3\n', encoding="utf-8")
    assert textmend_cli("fix", semi).stdout.decode() == 'x;y\n"é;1";2\nclean;3\n'


def test_csv_changes_only_the_repaired_fields(tmp_path: Path) -> None:
    # Fields quoted where they need not be, a quoted empty field, a quote
    # inside an unquoted field: each stays as written; a repaired field keeps
    # its own quoting, and gets quotes only if its new text needs them.
    path = tmp_path / "t.csv"
    path.write_text(
        'id,"title",body\r\n1,"plain",caf&eacute;\r\n2,"",say "caf&eacute;",\r\n'
        '3,"caf&eacute;",a&#44;b\r\n',
        encoding="utf-8",
    )
    done = textmend_cli("fix", path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8") == (
        'id,"title",body\r\n1,"plain",café\r\n2,"",say "café",\r\n3,"café","a,b"\r\n'
    )


def test_excel_sep_line_names_the_delimiter_and_precedes_the_header(tmp_path: Path) -> None:
    # The header was taken to be "sep=;", so --column by name failed the file.
    path = tmp_path / "excel.csv"
    path.write_text('sep=;\r\nid;text\r\n1;"Ã©, oui"\r\n2;naÃ¯ve\r\n', encoding="utf-8")
    done = textmend_cli("fix", "--column", "text", path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode() == 'sep=;\r\nid;text\r\n1;"é, oui"\r\n2;naïve\r\n'


def test_dialect_is_not_sniffed_from_inside_a_long_quoted_field(tmp_path: Path) -> None:
    # The sample the dialect is guessed from ends inside the first record's
    # body: its lines, each with one ';' of an entity, looked like the delimiter.
    body = "\n".join(f"Line {n} caf&eacute; here" for n in range(5000))
    path = tmp_path / "long.csv"
    path.write_text(f'id,body\n1,"{body}"\n2,"short &amp; sweet"\n', encoding="utf-8")
    done = textmend_cli("fix", path)
    assert done.returncode == 0, done.stderr
    expected = f'id,body\n1,"{body.replace("&eacute;", "é")}"\n2,"short & sweet"\n'
    assert done.stdout.decode() == expected


@pytest.mark.parametrize("mode", ["keep", "skip"])
def test_malformed_csv_record_is_reported_with_its_line(tmp_path: Path, mode: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text('a,b\n"multi\nline",Ã©\n"bad"x,1\nok,caf&eacute;\n', encoding="utf-8")
    done = textmend_cli("fix", "--on-error", mode, path)
    assert done.returncode == 3
    assert done.stderr.decode().startswith(f"{path}:4: malformed CSV record")
    out = done.stdout.decode()
    assert ('"bad"x,1\n' in out) is (mode == "keep")
    assert out.endswith("ok,café\n")


# --- compression -------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".gz", ".zst"])
@pytest.mark.parametrize(
    ("name", "make"), [("t.txt", damaged_text), ("n.jsonl", jsonl_input), ("c.csv", csv_input)]
)
def test_compressed_in_and_out(tmp_path: Path, suffix: str, name: str, make: object) -> None:
    plain = tmp_path / name
    plain.write_bytes(make().encode("utf-8"))  # type: ignore[operator]
    packed = tmp_path / (name + suffix)
    packed.write_bytes(compress(plain.read_bytes(), suffix))
    expected = textmend_cli("fix", plain).stdout
    out = tmp_path / "out" / (name + suffix)
    done = textmend_cli("fix", packed, "-o", out)
    assert done.returncode == 0, done.stderr
    assert decompress(out.read_bytes(), suffix) == expected
    assert expected != plain.read_bytes()
    # Decompressing on the way out too:
    assert textmend_cli("fix", packed).stdout == expected


def test_output_dash_is_standard_output(tmp_path: Path) -> None:
    done = textmend_cli("fix", "-o", "-", stdin=b"caf&eacute;\n", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "café\n".encode()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".gz", ".zst"])
def test_truncated_compressed_file_is_reported_and_skipped(tmp_path: Path, suffix: str) -> None:
    bad = tmp_path / f"bad.txt{suffix}"
    text = "".join(f"Ã©tÃ© {n}\n" for n in range(20_000))
    bad.write_bytes(compress(text.encode(), suffix)[:-30])
    good = tmp_path / "good.txt"
    good.write_text("Ã©\n", encoding="utf-8")
    done = textmend_cli("fix", bad, good, "-o", tmp_path / "out")
    assert done.returncode == 3
    assert str(bad).encode() in done.stderr
    assert not (tmp_path / "out" / bad.name).exists()
    assert (tmp_path / "out" / "good.txt").read_text(encoding="utf-8") == "é\n"


@pytest.mark.parametrize("suffix", [".gz", ".bz2", ".xz", ".zst"])
def test_empty_compressed_file_is_reported_and_skipped(tmp_path: Path, suffix: str) -> None:
    # As gzip -t and zstd -t say: an empty file is a file cut at its start.
    empty = tmp_path / f"empty.txt{suffix}"
    empty.write_bytes(b"")
    done = textmend_cli("fix", empty, "-o", tmp_path / "out.txt")
    assert done.returncode == 3
    assert done.stderr.decode().startswith(f"{empty}: ")
    assert "(it is empty)" in done.stderr.decode()
    assert not (tmp_path / "out.txt").exists()


@pytest.mark.parametrize("suffix", [".bz2", ".xz"])
@pytest.mark.parametrize("damage", ["corrupt", "garbage"])
def test_a_damaged_later_stream_is_reported_not_dropped(
    tmp_path: Path, suffix: str, damage: str
) -> None:
    # pbzip2 and pixz write many streams; Python's readers end the file
    # without a word at a later one that does not decompress.
    module = bz2 if suffix == ".bz2" else lzma
    first = module.compress("Ã©tÃ© 1\n".encode())
    second = bytearray(module.compress("Ã©tÃ© 2\n".encode()))
    if damage == "corrupt":
        second[len(second) // 2] ^= 0xFF
    else:
        second[:] = b"not a stream"
    bad = tmp_path / f"bad.txt{suffix}"
    bad.write_bytes(first + second)
    done = textmend_cli("fix", bad, "-o", tmp_path / "out.txt")
    assert done.returncode == 3, done.stderr
    assert str(bad).encode() in done.stderr
    assert not (tmp_path / "out.txt").exists()


def test_every_bz2_and_xz_stream_is_read(tmp_path: Path) -> None:
    for suffix, module in ((".bz2", bz2), (".xz", lzma)):
        packed = tmp_path / f"many.txt{suffix}"
        packed.write_bytes(b"".join(module.compress(f"Ã©tÃ© {n}\n".encode()) for n in range(3)))
        done = textmend_cli("fix", packed)
        assert done.returncode == 0, done.stderr
        assert done.stdout == "".join(f"été {n}\n" for n in range(3)).encode()


# --- trees, in place, interrupted writes ------------------------------------------------


def make_tree(root: Path) -> None:
    (root / "a" / "b").mkdir(parents=True)
    (root / "top.txt").write_text("Ã©tÃ©\n", encoding="utf-8")
    (root / "a" / "n.jsonl").write_text(jsonl_input(), encoding="utf-8")
    (root / "a" / "b" / "deep.txt.gz").write_bytes(gzip.compress(b"caf&eacute;\n"))
    (root / "a" / "b" / "clean.txt").write_text("nothing to do\n", encoding="utf-8")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "x.txt").write_text("Ã©\n", encoding="utf-8")


def test_output_dir_mirrors_the_tree(tmp_path: Path) -> None:
    make_tree(tmp_path / "in")
    done = textmend_cli("fix", tmp_path / "in", "-o", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out"
    found = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert found == ["a/b/clean.txt", "a/b/deep.txt.gz", "a/n.jsonl", "top.txt"]
    assert (out / "top.txt").read_text(encoding="utf-8") == "été\n"
    assert gzip.decompress((out / "a" / "b" / "deep.txt.gz").read_bytes()) == "café\n".encode()
    glob = textmend_cli("fix", tmp_path / "in", "--glob", "*.txt", "-o", tmp_path / "only")
    found = sorted(str(p.relative_to(tmp_path / "only")) for p in (tmp_path / "only").rglob("*.*"))
    assert glob.returncode == 0
    assert found == ["a/b/clean.txt", "top.txt"]


def test_inputs_that_would_share_an_output_are_refused(tmp_path: Path) -> None:
    for name in ("one", "two"):
        (tmp_path / name / "x").mkdir(parents=True)
        (tmp_path / name / "x" / "a.txt").write_text(f"{name} caf&eacute;\n", encoding="utf-8")
    one, two = tmp_path / "one", tmp_path / "two"
    for inputs in ([one / "x" / "a.txt", two / "x" / "a.txt"], [one, two]):
        done = textmend_cli("fix", *inputs, "-o", tmp_path / "out")
        assert done.returncode == 2
        assert b"both be written to" in done.stderr
        assert not (tmp_path / "out").exists()
    # A symlink loop in a tree is an input that cannot be read, not a crash.
    (one / "loop.txt").symlink_to("loop.txt")
    looped = textmend_cli("fix", one, "-o", tmp_path / "looped")
    assert looped.returncode == 3
    assert b"loop.txt: cannot read" in looped.stderr
    assert b"Traceback" not in looped.stderr
    (one / "loop.txt").unlink()
    # The same file named twice writes the same output: nothing is lost.
    same = textmend_cli("fix", one, one / ".." / "one", "-o", tmp_path / "out")
    assert same.returncode == 0, same.stderr
    assert (tmp_path / "out" / "x" / "a.txt").read_text(encoding="utf-8") == "one café\n"


def test_in_place_with_backup(tmp_path: Path) -> None:
    make_tree(tmp_path)
    clean = tmp_path / "a" / "b" / "clean.txt"
    clean_stat = clean.stat()
    done = textmend_cli("fix", "--in-place", "--backup", ".orig", tmp_path / "top.txt", clean)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "top.txt").read_text(encoding="utf-8") == "été\n"
    assert (tmp_path / "top.txt.orig").read_text(encoding="utf-8") == "Ã©tÃ©\n"
    assert clean.stat().st_mtime_ns == clean_stat.st_mtime_ns  # untouched: not rewritten
    assert not (clean.parent / "clean.txt.orig").exists()
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    again = textmend_cli("fix", "--in-place", "--backup", ".orig", tmp_path)
    assert again.returncode == 0, again.stderr
    assert not (tmp_path / "top.txt.orig.orig").exists()
    assert (tmp_path / "top.txt.orig").read_text(encoding="utf-8") == "Ã©tÃ©\n"


def test_a_tree_walk_reads_links_to_files_and_does_not_follow_links_to_directories(
    tmp_path: Path,
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "far.txt").write_text("caf&eacute;\n", encoding="utf-8")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "own.txt").write_text("Ã©\n", encoding="utf-8")
    (tree / "linked").symlink_to(elsewhere, target_is_directory=True)
    (tree / "near.txt").symlink_to(elsewhere / "far.txt")
    done = textmend_cli("fix", tree, "-o", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    written = sorted(p.relative_to(tmp_path / "out") for p in (tmp_path / "out").rglob("*"))
    assert written == [Path("near.txt"), Path("own.txt")]
    assert (tmp_path / "out" / "near.txt").read_text(encoding="utf-8") == "café\n"


def test_in_place_through_a_symlink_repairs_the_file_it_points_to(tmp_path: Path) -> None:
    real = tmp_path / "v2.txt"
    real.write_text("Ã©tÃ©\n", encoding="utf-8")
    link = tmp_path / "latest.txt"
    link.symlink_to(real.name)
    done = textmend_cli("fix", "--in-place", "--backup", ".orig", link)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "été\n"
    assert (tmp_path / "v2.txt.orig").read_text(encoding="utf-8") == "Ã©tÃ©\n"


@pytest.mark.parametrize(
    ("in_place", "sig"),
    [(False, signal.SIGKILL), (True, signal.SIGKILL), (True, signal.SIGTERM)],
)
def test_killed_mid_file_leaves_original_and_no_partial_output(
    tmp_path: Path, in_place: bool, sig: int
) -> None:
    big = tmp_path / "big.txt"
    lines = [
        f"{i}: Ã©tÃ© numéro {i} caf&eacute;\n" if i % 500 == 0 else f"{i}: a clean line\n"
        for i in range(600_000)
    ]
    big.write_text("".join(lines), encoding="utf-8")
    original = big.read_bytes()
    out = tmp_path / "out.txt"
    args = ["--in-place"] if in_place else ["-o", str(out)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "textmend", "fix", "--jobs", "1", *args, str(big)]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
    temp = None
    while process.poll() is None and temp is None:
        temps = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp") and p.stat().st_size]
        temp = temps[0] if temps else None
        time.sleep(0.01)
    process.send_signal(sig)
    process.wait()
    process.stderr.close()  # type: ignore[union-attr]
    assert temp is not None
    if sig == signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL, "the run ended before it was killed"
    else:
        assert process.returncode == 130, "the run ended before it was stopped"
        assert not temp.exists()  # a stopped run cleans up after itself
    assert big.read_bytes() == original
    assert not out.exists()


# --- errors, binary files ----------------------------------------------------------------


def test_binary_file_in_tree_is_reported_and_skipped(tmp_path: Path) -> None:
    make_tree(tmp_path / "in")
    image = tmp_path / "in" / "a" / "picture.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    done = textmend_cli("fix", tmp_path / "in", "-o", tmp_path / "out")
    assert done.returncode == 3
    errors = done.stderr.decode().splitlines()
    assert len(errors) == 1
    assert errors[0].startswith(f"{image}: ")
    assert not (tmp_path / "out" / "a" / "picture.png").exists()
    assert (tmp_path / "out" / "top.txt").read_text(encoding="utf-8") == "été\n"
    assert (tmp_path / "out" / "a" / "n.jsonl").exists()


def test_missing_file_is_reported_and_others_done(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Ã©\n", encoding="utf-8")
    done = textmend_cli("fix", tmp_path / "missing.txt", good)
    assert done.returncode == 3
    assert b"missing.txt: cannot read" in done.stderr
    assert done.stdout.decode() == "é\n"


def test_reader_going_away_stops_quietly(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Ã©tÃ© and more words\n" * 200_000, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "textmend", "fix", "--jobs", "1", str(path)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(5) == "été".encode()
    process.stdout.close()  # as `| head` does
    err = process.stderr.read()
    process.stderr.close()
    assert process.wait() == 141
    assert err == b""


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert textmend_cli("fix", "--in-place").returncode == 2
    assert textmend_cli("fix", "--backup", ".b", "x.txt").returncode == 2
    assert textmend_cli("fix", "--diff", "-o", "out", "x.txt").returncode == 2
    assert textmend_cli("fix", "--jobs", "0").returncode == 2
    assert textmend_cli("fix", "--encoding", "no-such-codec").returncode == 2
    assert textmend_cli("frobnicate").returncode == 2


# --- check, diff, report, jobs -----------------------------------------------------------


def test_check_lists_changes_and_exit_codes(tmp_path: Path) -> None:
    dirty = tmp_path / "dirty.txt"
    dirty.write_text("fine\nsays Ã©tÃ©\n", encoding="utf-8")
    clean = tmp_path / "clean.txt"
    clean.write_text("\n".join(CLEAN) + "\n", encoding="utf-8")
    found = textmend_cli("check", dirty, clean)
    assert found.returncode == 1
    expected = [
        f"{dirty}:2: {c.step}: {c.before!r} -> {c.after!r}"
        for c in textmend.explain("says Ã©tÃ©\n")
    ]
    assert expected
    assert found.stdout.decode().splitlines() == expected
    assert dirty.read_text(encoding="utf-8") == "fine\nsays Ã©tÃ©\n"
    quiet = textmend_cli("check", clean)
    assert (quiet.returncode, quiet.stdout) == (0, b"")
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"a": \n', encoding="utf-8")
    assert textmend_cli("check", clean, broken).returncode == 3


def test_diff_applies_with_patch_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    lines = [f"clean line {i}\n" for i in range(40)]
    lines[3] = "caf&eacute;\n"
    lines[30] = "Ã©tÃ©\n"
    path.write_text("".join(lines) + "no newline Ã©", encoding="utf-8")
    before = path.read_bytes()
    done = textmend_cli("fix", "--diff", "doc.txt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert path.read_bytes() == before
    assert done.stdout.startswith(b"--- a/doc.txt\n+++ b/doc.txt\n@@ -1,7 +1,7 @@\n")
    patched = subprocess.run(
        ["patch", "-p1", "-o", "-"], input=done.stdout, cwd=tmp_path, capture_output=True
    )
    assert patched.returncode == 0, patched.stderr
    assert patched.stdout == textmend_cli("fix", path).stdout


def test_report_counts(tmp_path: Path) -> None:
    tree = tmp_path / "in"
    tree.mkdir()
    text = "Ã©tÃ©\nclean\ncaf&eacute; doesnâ€™t\n"
    (tree / "a.txt").write_text(text, encoding="utf-8")
    steps: dict[str, int] = {}
    for change in textmend.explain(text):
        steps[change.step] = steps.get(change.step, 0) + 1
    assert set(steps) == {"html_entities", "mojibake"}
    (tree / "b.jsonl").write_text('{"t": "x"}\nbroken\n', encoding="utf-8")
    report = tmp_path / "report.json"
    done = textmend_cli("fix", tree, "-o", tmp_path / "out", "--report", report)
    assert done.returncode == 3
    data = json.loads(report.read_text(encoding="utf-8"))
    a, b = data["files"]
    assert a["path"].endswith("a.txt")
    assert (a["records"], a["changed"], a["errors"]) == (3, 2, 0)
    assert a["steps"] == steps
    assert (b["records"], b["changed"], b["errors"]) == (2, 0, 1)
    assert b["problems"][0]["line"] == 2
    total = data["total"]
    assert (total["files"], total["records"], total["changed"], total["errors"]) == (2, 5, 2, 1)
    assert total["steps"] == steps
    nowhere = textmend_cli("fix", tree / "a.txt", "--report", tmp_path / "no" / "r.json")
    assert nowhere.returncode == 3
    assert b"cannot write the report" in nowhere.stderr
    # The file asked for is named, not the temporary file beside it.
    assert str(tmp_path / "no" / "r.json").encode() in nowhere.stderr.splitlines()[-1]
    assert b".tmp" not in nowhere.stderr


def test_report_counts_only_the_lines_that_changed_when_a_step_adds_line_breaks(
    tmp_path: Path,
) -> None:
    """llm's line_breaks turns a lone CR into LF: the lines after it did not change."""
    path = tmp_path / "cr.txt"
    path.write_bytes(b"a\rb\nclean\nclean\nmore clean\n")
    report = tmp_path / "report.json"
    done = textmend_cli("fix", "--profile", "llm", path, "--report", report)
    assert (done.returncode, done.stdout) == (0, b"a\nb\nclean\nclean\nmore clean\n")
    counts = json.loads(report.read_text(encoding="utf-8"))["total"]
    assert (counts["records"], counts["changed"], counts["steps"]) == (4, 1, {"line_breaks": 1})


def test_a_file_name_that_is_not_utf8_is_listed_diffed_and_reported(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_text("caf&eacute;\n", encoding="utf-8")
    found = textmend_cli("check", name, cwd=tmp_path)
    assert (found.returncode, found.stdout) == (
        1,
        b"caf\xe9.txt:1: html_entities: '&eacute;' -> '\xc3\xa9'\n",
    )
    diff = textmend_cli("fix", "--diff", name, cwd=tmp_path)
    assert diff.returncode == 0, diff.stderr
    assert diff.stdout.startswith(b"--- a/caf\xe9.txt\n+++ b/caf\xe9.txt\n")
    done = textmend_cli("fix", name, "--report", "report.json", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "café\n".encode())
    report = json.loads((tmp_path / "report.json").read_bytes().decode("utf-8"))
    assert report["files"][0]["path"] == name


def test_jobs_2_gives_the_output_of_jobs_1(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    records = []
    for i in range(60_000):  # three chunks
        damaged, _ = PAIRS[i % len(PAIRS)]
        text = damaged if i % 50 == 0 else CLEAN[i % len(CLEAN)]
        records.append(json.dumps({"i": i, "text": f"{text} {i}"}) + "\n")
    path.write_text("".join(records), encoding="utf-8")
    one = textmend_cli("fix", "--jobs", "1", path, "--report", tmp_path / "r1.json")
    two = textmend_cli("fix", "--jobs", "2", path, "--report", tmp_path / "r2.json")
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout
    assert one.stdout.count(b"\n") == 60_000
    r1 = json.loads((tmp_path / "r1.json").read_text(encoding="utf-8"))
    r2 = json.loads((tmp_path / "r2.json").read_text(encoding="utf-8"))
    assert r1["total"] == r2["total"]
    assert r1["total"]["changed"] == 1200


def stderr_on_terminal(*args: str | Path) -> tuple[bytes, bytes]:
    """The stdout and stderr of ``textmend fix ARGS`` whose stderr is a terminal."""
    pty = pytest.importorskip("pty")
    fcntl = pytest.importorskip("fcntl")
    termios = pytest.importorskip("termios")
    master, slave = pty.openpty()
    # A terminal 100 columns wide, as a real one has a size.
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "textmend", "fix", *map(str, args)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    out = process.stdout.read()  # type: ignore[union-attr]
    process.wait()
    process.stdout.close()  # type: ignore[union-attr]
    err = b""
    with contextlib.suppress(OSError):  # EIO once the terminal's other end is closed
        while chunk := os.read(master, 4096):
            err += chunk
    os.close(master)
    return out, err


def test_progress_and_summary_only_on_a_terminal(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("Ã©tÃ©\nclean\n", encoding="utf-8")
    out, err = stderr_on_terminal(path)
    assert out == "été\nclean\n".encode()
    assert b"records/s" in err
    assert b"textmend: 1 files, 2 records, 1 changed, 0 errors" in err
    out, err = stderr_on_terminal("--quiet", path)
    assert out == "été\nclean\n".encode()
    assert err == b""


# --- explain, detect, help -------------------------------------------------------------


def test_explain_shows_each_change() -> None:
    text = "x caf&eacute;\nÃ©tÃ©"
    done = textmend_cli("explain", text)
    assert done.returncode == 0
    lines = done.stdout.decode().splitlines()
    assert lines[0] == "1:6: html_entities: '&eacute;' -> 'é'"
    changes = textmend.explain(text)
    assert len(lines) == len(changes) > 1
    assert lines[1] == f"2:1: {changes[1].step}: {changes[1].before!r} -> {changes[1].after!r}"
    piped = textmend_cli("explain", "--json", "-", stdin=b"caf&eacute;")
    assert json.loads(piped.stdout)["after"] == "é"
    assert textmend_cli("explain", "all clean").stdout == b"nothing to change\n"


def test_explain_columns_count_characters_and_lines_end_at_lf() -> None:
    done = textmend_cli("explain", "--json", "\U0001f600\tcaf&eacute;\r\na\rb\u2028c &amp;")
    found = [
        (c["line"], c["column"], c["start"], c["before"])
        for c in map(json.loads, done.stdout.splitlines())
    ]
    assert found == [(1, 6, 5, "&eacute;"), (2, 7, 21, "&amp;")]


def test_explain_writes_utf8_whatever_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONIOENCODING", "ascii")
    done = textmend_cli("explain", "doesnâ€™t")
    assert (done.returncode, done.stdout) == (0, "1:6: mojibake: 'â€™' -> '’'\n".encode())
    # Bytes of an argument that are not UTF-8 come as lone surrogates: still valid JSON.
    done = textmend_cli("explain", "--json", os.fsdecode(b"caf\xe9 &amp;"))
    assert done.returncode == 0, done.stderr
    changes = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [c["before"] for c in changes] == ["\udce9", "&amp;"]


def test_detect_reports_encoding_and_mojibake(tmp_path: Path) -> None:
    dirty = tmp_path / "dirty.txt"
    dirty.write_text("Ã©tÃ©\n", encoding="utf-8")
    clean = tmp_path / "clean.txt.gz"
    clean.write_bytes(gzip.compress("“fine”\n".encode()))
    done = textmend_cli("detect", "--json", dirty, clean)
    assert done.returncode == 0, done.stderr
    found = [json.loads(line) for line in done.stdout.splitlines()]
    assert [f["mojibake"] for f in found] == [True, False]
    assert found[0]["encodings"] == ["utf-8"]
    assert not found[0]["mixed"]
    plain = textmend_cli("detect", dirty).stdout.decode()
    assert plain.startswith(f"{dirty}: utf-8, confidence ") and "mojibake" in plain


def test_detect_writes_utf8_whatever_the_locale_and_names_a_missing_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONIOENCODING", "ascii")
    name = tmp_path / os.fsdecode(b"caf\xe9.txt")  # a name that is not UTF-8
    name.write_bytes("Ã©tÃ©\n".encode())
    done = textmend_cli("detect", "--json", name)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.decode("utf-8"))["path"] == str(name)
    # In plain text the name is written as its own bytes, as check writes it.
    plain = textmend_cli("detect", name)
    assert plain.stdout.startswith(os.fsencode(name) + b": utf-8")
    missing = tmp_path / "missing.txt"
    done = textmend_cli("detect", missing)
    assert done.returncode == 3
    assert done.stderr.count(str(missing).encode()) == 1
    assert b"cannot read: No such file or directory" in done.stderr


def test_disable_comes_before_enable_so_a_profile_can_trade_a_step_for_its_opposite() -> None:
    done = textmend_cli(
        "fix",
        "--profile",
        "ascii",
        "--disable",
        "straighten_quotes",
        "--enable",
        "curl_quotes",
        stdin=b'He said "hi" \xe2\x80\x94 twice.\n',
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "He said “hi” -- twice.\n".encode()
    both = textmend_cli("fix", "--enable", "nfc", "--disable", "nfc", stdin=b"x\n")
    assert both.returncode == 2
    assert b"--enable and --disable both name nfc" in both.stderr


def test_version_and_help_for_every_command() -> None:
    assert textmend_cli("--version").stdout.decode().strip() == f"textmend {textmend.__version__}"
    top = textmend_cli("--help")
    assert top.returncode == 0
    assert b"exit codes:" in top.stdout
    for command in ("fix", "check", "explain", "detect"):
        done = textmend_cli(command, "--help")
        assert done.returncode == 0
        assert b"examples:" in done.stdout
        assert f"textmend {command}".encode() in done.stdout


@pytest.mark.skipif(
    not {"fork", "forkserver"} <= set(multiprocessing.get_all_start_methods()),
    reason="fork and a fork server are POSIX start methods",
)
def test_workers_fork_from_a_single_thread_else_from_a_server() -> None:
    """The progress bar starts no thread, so a run on a terminal forks too."""
    script = (
        "import threading\n"
        "from textmend.batch import executors\n"
        "from textmend.batch.runner import Progress\n"
        "bar = Progress(100, enabled=True)\n"
        "print(executors.start_method().get_start_method())\n"
        "threading.Thread(target=threading.Event().wait, daemon=True).start()\n"
        "print(executors.start_method().get_start_method())\n"
        "bar.close()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, env=env, check=True)
    assert done.stdout.split() == [b"fork", b"forkserver"]
