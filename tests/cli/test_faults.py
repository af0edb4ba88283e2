"""Fault injection: the command line never harms a file, whatever goes wrong around it.

Full and read-only file systems are real (small tmpfs mounts, so these tests
need root), a run is killed or interrupted at random moments, a file goes
away while it is read. Each run must end with the original intact or the
repair whole, the failure named per file, no traceback and no temporary file.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import ROOT
from test_cli import textmend_cli

ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


@contextlib.contextmanager
def small_fs(size: str, *options: str) -> Iterator[Path]:
    """A fresh tmpfs of ``size`` (e.g. ``64k``), unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    point = Path(tempfile.mkdtemp(prefix="textmend-fs-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join([f"size={size}", *options]), "tmpfs", point],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        point.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", point], check=True)
        point.rmdir()


def damaged(lines: int) -> str:
    return "".join(f"{i}: Ã©tÃ© caf&eacute;\n" for i in range(lines))


def repaired(lines: int) -> str:
    return "".join(f"{i}: été café\n" for i in range(lines))


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


def fill(disk: Path) -> None:
    """Take every free block of ``disk``."""
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"x" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)


# --- full and read-only file systems --------------------------------------------------


def test_a_full_disk_fails_that_file_only_and_leaves_nothing_behind(tmp_path: Path) -> None:
    big, small = tmp_path / "big.txt", tmp_path / "small.txt"
    big.write_text(damaged(10_000), encoding="utf-8")  # about 250 KB: more than the disk
    small.write_text(damaged(3), encoding="utf-8")
    with small_fs("64k") as disk:
        done = textmend_cli("fix", "-o", disk, big, small)
        assert done.returncode == 3
        assert done.stderr.decode() == f"{big}: cannot write: No space left on device\n"
        assert sorted(p.name for p in disk.iterdir()) == ["small.txt"]
        assert (disk / "small.txt").read_text(encoding="utf-8") == repaired(3)
        fill(disk)
        # Now even a small file fails, as it is flushed: the run goes on all the same.
        full = textmend_cli("fix", "-o", disk / "again", small, big)
        assert full.returncode == 3
        assert full.stderr.decode() == "".join(
            f"{name}: cannot write: No space left on device\n" for name in (small, big)
        )
        assert leftovers(disk) == []
        assert not (disk / "again").exists() or list((disk / "again").iterdir()) == []


def test_in_place_on_a_full_disk_keeps_the_original_and_goes_on(tmp_path: Path) -> None:
    with small_fs("64k") as disk:
        big, small = disk / "big.txt", disk / "small.txt"
        big.write_text(damaged(1_500), encoding="utf-8")  # about 40 KB: no room for a copy
        small.write_text(damaged(3), encoding="utf-8")
        original = big.read_bytes()
        for jobs in ("1", "2"):
            done = textmend_cli("fix", "--in-place", "--jobs", jobs, big, small)
            assert done.returncode == 3
            assert done.stderr.decode() == f"{big}: cannot write: No space left on device\n"
            assert big.read_bytes() == original
            assert small.read_text(encoding="utf-8") == repaired(3)
            assert leftovers(disk) == []
            small.write_text(damaged(3), encoding="utf-8")


def test_a_read_only_folder_is_reported_per_file(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text(damaged(3), encoding="utf-8")
    with small_fs("1m") as disk:
        inside = disk / "a.txt"
        inside.write_text(damaged(3), encoding="utf-8")
        subprocess.run(["mount", "-o", "remount,ro", disk], check=True)
        done = textmend_cli("fix", "--in-place", inside, source)
        assert done.returncode == 3
        assert done.stderr.decode() == f"{inside}: cannot write: Read-only file system\n"
        assert inside.read_text(encoding="utf-8") == damaged(3)
        assert source.read_text(encoding="utf-8") == repaired(3)
        out = textmend_cli("fix", "-o", disk / "out", source)
        assert out.returncode == 3
        assert out.stderr.decode() == f"{source}: cannot write: Read-only file system\n"
        assert b"Traceback" not in done.stderr + out.stderr
