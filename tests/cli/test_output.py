"""What ``fix`` writes and where: owners, byte-order marks, nested output folders, diffs, jobs."""

from __future__ import annotations

import codecs
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from test_cli import textmend_cli

from textmend.batch.executors import executors, usable_cores
from textmend.profiles import PROFILES

BOM = codecs.BOM_UTF8


def test_jobs_beyond_the_usable_cpus_are_capped_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("caf&eacute;\n" * 3, encoding="utf-8")
    cores = usable_cores()
    done = textmend_cli("fix", "--jobs", str(cores + 7), path)
    assert done.returncode == 0
    assert done.stdout == "café\n".encode() * 3
    assert done.stderr.decode() == (
        f"textmend: --jobs {cores + 7} is more than the {cores} usable CPUs: using {cores}\n"
    )
    assert textmend_cli("fix", "--jobs", str(cores), path).stderr == b""
    with executors(None, 1000, PROFILES["safe"]) as (_, window):
        assert window == 2 * cores  # two chunks in flight per worker: the workers are capped


def test_an_output_folder_inside_the_input_tree_is_not_read(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    (raw / "a.txt").write_text("Ã©tÃ©\n", encoding="utf-8")
    (raw / "sub" / "b.txt").write_text("caf&eacute;\n", encoding="utf-8")
    for _ in range(2):
        done = textmend_cli("fix", "-o", "raw/clean", "raw/", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    written = sorted(str(p.relative_to(raw)) for p in raw.rglob("*.txt"))
    assert written == ["a.txt", "clean/a.txt", "clean/sub/b.txt", "sub/b.txt"]
    # Named another way (through a link), it is still the same folder.
    (tmp_path / "link").symlink_to(raw)
    again = textmend_cli("fix", "-o", tmp_path / "link" / "clean", raw)
    assert again.returncode == 0, again.stderr
    assert sorted(str(p.relative_to(raw)) for p in raw.rglob("*.txt")) == written


@pytest.mark.parametrize(
    ("name", "text", "fixed"),
    [
        ("table.csv", "name,city\r\nJosé,Ã©tÃ©\r\n", "name,city\r\nJosé,été\r\n"),
        ("table.tsv", "name\tcity\nJosé\tcaf&eacute;\n", "name\tcity\nJosé\tcafé\n"),
        ("notes.txt", "Ã©tÃ©\n", "été\n"),
        ("rows.jsonl", '{"t": "caf&eacute;"}\n', '{"t": "café"}\n'),
    ],
)
def test_a_utf8_bom_that_was_there_is_kept(
    tmp_path: Path, name: str, text: str, fixed: str
) -> None:
    path = tmp_path / name
    path.write_bytes(BOM + text.encode("utf-8"))
    out = textmend_cli("fix", path)
    assert out.stdout == BOM + fixed.encode("utf-8")
    done = textmend_cli("fix", "--in-place", path)
    assert done.returncode == 0, done.stderr
    assert path.read_bytes() == BOM + fixed.encode("utf-8")
    # A clean file with a BOM comes back byte for byte.
    copy = textmend_cli("fix", path, "-o", tmp_path / "copy" / name)
    assert (tmp_path / "copy" / name).read_bytes() == path.read_bytes(), copy.stderr
    # No BOM is added where there was none.
    plain = tmp_path / f"plain-{name}"
    plain.write_text(text, encoding="utf-8", newline="")
    assert textmend_cli("fix", plain).stdout == fixed.encode("utf-8")


def test_a_utf16_bom_becomes_the_utf8_bom_of_the_output(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes("name,note\r\nJosé,caf&eacute;\r\n".encode("utf-16"))
    done = textmend_cli("fix", "--in-place", path)
    assert done.returncode == 0, done.stderr
    assert path.read_bytes() == BOM + "name,note\r\nJosé,café\r\n".encode()


def test_a_large_file_read_in_spans_keeps_its_bom(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    lines = ["a clean line\n"] * 200_000 + ["caf&eacute;\n"]  # more than the detection sample
    path.write_bytes(BOM + "".join(lines).encode("utf-8"))
    done = textmend_cli("fix", "--jobs", "2", "--in-place", path)
    assert done.returncode == 0, done.stderr
    assert path.read_bytes() == BOM + "".join([*lines[:-1], "café\n"]).encode("utf-8")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root")
def test_in_place_keeps_owner_group_and_mode(tmp_path: Path) -> None:
    path = tmp_path / "theirs.txt"
    path.write_text("Ã©tÃ©\n", encoding="utf-8")
    os.chown(path, 4321, 8765)
    path.chmod(0o640)
    done = textmend_cli("fix", "--in-place", "--backup", ".orig", path)
    assert done.returncode == 0, done.stderr
    assert path.read_text(encoding="utf-8") == "été\n"
    info = path.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (4321, 8765, 0o640)


def test_in_place_replaces_the_file_so_a_hard_link_keeps_the_original(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Ã©tÃ©\n", encoding="utf-8")
    other = tmp_path / "b.txt"
    os.link(path, other)
    done = textmend_cli("fix", "--in-place", path)
    assert done.returncode == 0
    assert path.read_text(encoding="utf-8") == "été\n"
    assert other.read_text(encoding="utf-8") == "Ã©tÃ©\n"
    help_text = " ".join(textmend_cli("fix", "--help").stdout.decode().split())
    assert "other hard links to it keep the original" in help_text


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs GNU patch")
def test_diff_hunks_keep_their_context_across_chunks(tmp_path: Path) -> None:
    from textmend.batch.runner import CHUNK_BYTES

    line = "a clean line of some length, to fill the chunks faster\n"
    count = 3 * CHUNK_BYTES // len(line)
    lines = [line] * count
    # A change on each side of every chunk boundary, and at the boundary itself.
    boundary = CHUNK_BYTES // len(line)
    for near in (boundary, 2 * boundary):
        for at in range(near - 4, near + 5, 2):
            lines[at] = f"{at}: caf&eacute;\n"
    path = tmp_path / "doc.txt"
    path.write_text("".join(lines), encoding="utf-8")
    done = textmend_cli("fix", "--diff", "doc.txt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    patched = subprocess.run(
        ["patch", "--dry-run", "-p1", "-F0"], input=done.stdout, cwd=tmp_path, capture_output=True
    )
    assert patched.returncode == 0, patched.stdout + patched.stderr
    assert b"fuzz" not in patched.stdout
    applied = subprocess.run(
        ["patch", "-p1", "-F0", "-o", "-"], input=done.stdout, cwd=tmp_path, capture_output=True
    )
    assert applied.stdout == textmend_cli("fix", path).stdout
