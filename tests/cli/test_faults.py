"""Fault injection: the command line never harms a file, whatever goes wrong around it.

Full and read-only file systems are real (small tmpfs mounts, so these tests
need root), a run is killed or interrupted at random moments, a file goes
away while it is read. Each run must end with the original intact or the
repair whole, the failure named per file, no traceback and no temporary file.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
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


def leftover_bytes(folder: Path) -> int:
    """The size of the temporary files, any of which a run may rename or remove meanwhile."""
    total = 0
    for path in leftovers(folder):
        with contextlib.suppress(FileNotFoundError):
            total += path.stat().st_size
    return total


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


def temp_bytes(folder: Path) -> int:
    """How much the temporary files in ``folder`` hold (one may go as it is measured)."""
    total = 0
    for temp in leftovers(folder):
        with contextlib.suppress(FileNotFoundError):
            total += temp.stat().st_size
    return total


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


# --- workers, Ctrl-C, kill -9 ------------------------------------------------------------

# The command line with a thread started first: workers then start from a fork server.
LAUNCHER = """\
import sys, threading
from textmend.cli import main
if sys.argv[1] == "forkserver":
    threading.Thread(target=threading.Event().wait, daemon=True).start()
sys.exit(main(sys.argv[2:]))
"""

# Generous: it only tells a hang from a slow machine.
HANG = 120


def big_input(path: Path, lines: int = 400_000) -> str:
    """A file of many chunks, damaged here and there; returns its repair."""
    text = "".join(
        f"{i}: Ã©tÃ© caf&eacute;\n" if i % 50 == 0 else f"{i}: a clean line of text\n"
        for i in range(lines)
    )
    path.write_text(text, encoding="utf-8")
    return text.replace("Ã©tÃ© caf&eacute;", "été café")


def descendants(pid: int) -> set[int]:
    """Every process started by ``pid``, and by those, from ``/proc``."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])
    found: set[int] = set()
    new = {pid}
    while new:
        new = {child for child, parent in parents.items() if parent in new} - found
        found |= new
    return found


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie waiting for its parent does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def group_ends(group: int) -> bool:
    """Whether every process of a process group ends (waits up to ``HANG``)."""
    for _ in range(HANG * 10):
        members = []
        for entry in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError):
                fields = entry.read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) == group and fields[0] != "Z":
                    members.append(entry)
        if not members:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
@pytest.mark.parametrize("start", ["fork", "forkserver"])
def test_workers_die_with_the_main_process(tmp_path: Path, start: str) -> None:
    big = tmp_path / "big.txt"
    big_input(big, 1_000_000)
    command = [sys.executable, "-c", LAUNCHER, start, "fix", "--jobs", "2", big]
    process = subprocess.Popen(command, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    assert process.stdout.read(1)  # working: its workers have started
    workers = descendants(process.pid)
    assert len(workers) >= 2
    process.kill()
    process.wait()
    # The reader downstream sees the end: no orphan holds the pipe open.
    rest = subprocess.run(["cat"], stdin=process.stdout, capture_output=True, timeout=HANG)
    assert rest.returncode == 0
    process.stdout.close()
    process.stderr.close()  # type: ignore[union-attr]
    survivors = set(workers)
    for _ in range(HANG * 10):
        survivors = {pid for pid in survivors if alive(pid)}
        if not survivors:
            break
        time.sleep(0.1)
    assert not survivors


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_ctrl_c_at_any_moment_ends_the_run_cleanly(tmp_path: Path) -> None:
    """Ctrl-C (SIGINT to the whole process group) at random moments of ``--jobs 2``."""
    big = tmp_path / "big.txt"
    expected = big_input(big).encode()
    out = tmp_path / "out.txt"
    command = [sys.executable, "-m", "textmend", "fix", "--jobs", "2", "-o", out, big]
    chance = random.Random(15)
    outcomes: dict[str, int] = {}
    while outcomes.get("interrupted", 0) < 50 and sum(outcomes.values()) < 100:
        out.unlink(missing_ok=True)
        process = subprocess.Popen(command, env=ENV, stderr=subprocess.PIPE, start_new_session=True)
        # From when its workers start (Python's own start-up is not textmend's
        # to make quiet) to the middle of the work.
        while process.poll() is None and not descendants(process.pid):
            time.sleep(0.01)
        time.sleep(chance.uniform(0, 1.5))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        try:
            _, err = process.communicate(timeout=HANG)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            err = b"hung"
        written = out.read_bytes() if out.exists() else None
        if process.returncode == 130 and err == b"textmend: interrupted\n":
            outcome = "interrupted"
        elif process.returncode == 0 and err == b"":
            outcome = "finished first"
        else:
            outcome = f"exit {process.returncode}: {err[-300:]!r}"
        if written is not None and written != expected:
            outcome += ", output not whole"
        if not group_ends(process.pid):
            outcome += ", workers left"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        # An interrupt as a temporary file is being made may leave it: the
        # next write of the same output removes it (its run is gone).
        assert len(leftovers(tmp_path)) <= 1
    assert set(outcomes) <= {"interrupted", "finished first"}, outcomes
    assert outcomes["interrupted"] >= 50, outcomes
    done = textmend_cli("fix", "-o", out, big)
    assert done.returncode == 0, done.stderr
    assert leftovers(tmp_path) == []


@pytest.mark.slow
def test_kill_9_during_in_place_leaves_the_original_or_the_whole_repair(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    expected = big_input(big).encode()
    original = big.read_bytes()
    command = [sys.executable, "-m", "textmend", "fix", "--in-place", "--jobs", "2", big]
    chance = random.Random(9)
    outcomes: dict[str, int] = {}
    for run in range(21):
        process = subprocess.Popen(command, env=ENV, stderr=subprocess.PIPE, start_new_session=True)
        # Anywhere: starting, working, or about to rename its output.
        if run % 3 == 0:
            time.sleep(chance.uniform(0, 1))
        else:
            nearly = 0.9 * len(expected) if run % 3 == 2 else 1
            while process.poll() is None and leftover_bytes(tmp_path) < nearly:
                time.sleep(0.01)
            time.sleep(chance.uniform(0, 0.3 if run % 3 == 1 else 2))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        now = big.read_bytes()
        outcome = {original: "original", expected: "repaired"}.get(now, "damaged")
        if not group_ends(process.pid):
            outcome += ", workers left"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        big.write_bytes(original)
        # At most the one temporary file of the run just killed: the run
        # before removed what its own killed predecessor left.
        assert len(leftovers(tmp_path)) <= 1
    assert set(outcomes) <= {"original", "repaired"}, outcomes
    done = textmend_cli("fix", "--in-place", big)
    assert done.returncode == 0, done.stderr
    assert big.read_bytes() == expected
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("in_place", [False, True])
def test_a_file_deleted_mid_run_is_named_and_not_written_again(
    tmp_path: Path, in_place: bool
) -> None:
    big = tmp_path / "big.txt"
    expected = big_input(big).encode()
    out = tmp_path / "out" / "big.txt"
    target = ["--in-place"] if in_place else ["-o", out]
    command = [sys.executable, "-m", "textmend", "fix", "--jobs", "2", *target, big]
    process = subprocess.Popen(command, env=ENV, stderr=subprocess.PIPE)
    while process.poll() is None and not leftovers(tmp_path):
        time.sleep(0.01)
    big.unlink()
    _, err = process.communicate(timeout=HANG)
    assert b"Traceback" not in err
    assert leftovers(tmp_path) == []
    if in_place:
        assert process.returncode == 3
        assert not big.exists()  # not brought back
        assert err.startswith(f"{big}: ".encode())
    elif process.returncode == 3:  # a worker found it gone
        assert err == f"{big}: cannot read: No such file or directory: skipped\n".encode()
        assert not out.exists()
    else:  # it was read before it went
        assert (process.returncode, err) == (0, b"")
        assert out.read_bytes() == expected
