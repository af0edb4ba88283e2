"""``textmend fix --dask``: the real CLI on a real LocalCluster gives what a local run gives."""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import ROOT
from test_cli import stderr_on_terminal

import textmend
from textmend import cli
from textmend.batch.runner import CHUNK_CHARS

CASES = [
    json.loads(line)
    for line in (ROOT / "corpus" / "cases.jsonl").read_text(encoding="utf-8").split("\n")
    if line
]
TEXT_CASES = [case for case in CASES if case["form"] == "text"]
# Seconds after which a hung run fails its test instead of stalling the suite.
HANG = 600


def textmend_cli(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env or {})}
    command = [sys.executable, "-m", "textmend", *map(str, args)]
    return subprocess.run(command, capture_output=True, env=env, cwd=cwd, timeout=HANG)


def _repeated(make: Any, size: int, round_: int = 0) -> str:
    """Pieces ``make(round)``, from round ``round_`` on, joined until they hold ``size`` chars."""
    pieces = []
    total = 0
    while total < size:
        piece = make(round_)
        pieces.append(piece)
        total += len(piece)
        round_ += 1
    return "".join(pieces)


def _texts(round_: int) -> Iterator[tuple[str, str]]:
    """(id, text): every clean corpus text, and another tenth of the damaged ones each round."""
    for number, case in enumerate(TEXT_CASES):
        yield f"{round_}/{case['id']}", case["truth"]
        if number % 10 == round_ % 10:
            # Every line numbered: no damaged line repeats, so none is answered from a cache.
            lines = case["input"].split("\n")
            yield f"{round_}/{case['id']}/damaged", "\n".join(f"{round_}: {x}" for x in lines)


def _articles(round_: int) -> str:
    return "".join(f"{name}: {text}\n" for name, text in _texts(round_))


def _records(round_: int) -> str:
    return "".join(
        json.dumps({"id": name, "body": {"text": text, "n": 1.5}}, ensure_ascii=round_ % 2 == 0)
        + "\n"
        for name, text in _texts(round_)
    )


def _table(round_: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if round_ == 0:
        writer.writerow(["id", "text"])
    writer.writerows(_texts(round_))
    return out.getvalue()


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Inputs of several chunks each (text, JSONL, CSV with multi-line fields), and a small one.

    Returns the directory that holds ``in/`` and, run with ``--jobs 1``, ``local/``
    and ``local.json``; and ``kill.txt``, like ``in/articles.txt`` but with other
    lines (none the workers have seen), and its repair ``kill-local.txt``.
    """
    root = tmp_path_factory.mktemp("dask")
    inputs = root / "in"
    (inputs / "sub").mkdir(parents=True)
    (inputs / "articles.txt").write_text(_repeated(_articles, 3 * CHUNK_CHARS), encoding="utf-8")
    (inputs / "sub" / "records.jsonl").write_text(
        _repeated(_records, 2 * CHUNK_CHARS), encoding="utf-8"
    )
    (inputs / "sub" / "table.csv").write_text(
        _repeated(_table, 2 * CHUNK_CHARS), encoding="utf-8", newline=""
    )
    small = "".join(f"{case['input']}\n" for case in TEXT_CASES[:20])
    (inputs / "small.txt.gz").write_bytes(gzip.compress(small.encode("utf-8")))
    (root / "kill.txt").write_text(_repeated(_articles, 5 * CHUNK_CHARS, 1000), encoding="utf-8")
    for args in (
        ["in", "-o", "local", "--report", "local.json"],
        ["kill.txt", "-o", "kill-local.txt"],
    ):
        done = textmend_cli("fix", "--jobs", "1", *args, cwd=root)
        assert done.returncode == 0, done.stderr
    return root


def _files(directory: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def test_the_inputs_need_several_tasks(tree: Path) -> None:
    for name in ("in/articles.txt", "in/sub/records.jsonl", "in/sub/table.csv", "kill.txt"):
        assert len((tree / name).read_text(encoding="utf-8")) > 2 * CHUNK_CHARS
    assert (tree / "local" / "articles.txt").read_bytes() != (tree / "in/articles.txt").read_bytes()
    assert (tree / "kill-local.txt").read_bytes() != (tree / "kill.txt").read_bytes()


def test_fix_on_the_cluster_writes_what_a_local_run_writes(tree: Path, dask_client: Any) -> None:
    address = dask_client.scheduler.address
    done = textmend_cli(
        "fix", "--dask", address, "in", "-o", "remote", "--report", "remote.json", cwd=tree
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    local, remote = _files(tree / "local"), _files(tree / "remote")
    assert sorted(remote) == ["articles.txt", "small.txt.gz", "sub/records.jsonl", "sub/table.csv"]
    for name in local:
        assert remote[name] == local[name], name
    assert (tree / "remote.json").read_bytes() == (tree / "local.json").read_bytes()
    report = json.loads((tree / "remote.json").read_bytes())
    assert report["total"]["changed"] > 0


def test_check_on_the_cluster_lists_what_a_local_run_lists(tree: Path, dask_client: Any) -> None:
    local = textmend_cli("check", "--jobs", "1", "in/sub/records.jsonl", cwd=tree)
    remote = textmend_cli(
        "check", "--dask", dask_client.scheduler.address, "in/sub/records.jsonl", cwd=tree
    )
    assert local.returncode == remote.returncode == 1
    assert local.stdout.count(b"\n") > 100
    assert remote.stdout == local.stdout
    assert remote.stderr == local.stderr == b""


def test_progress_on_a_terminal_is_the_local_one(tree: Path, dask_client: Any) -> None:
    records = tree / "in" / "sub" / "records.jsonl"
    out, err = stderr_on_terminal("--dask", dask_client.scheduler.address, records)
    local_out, local_err = stderr_on_terminal("--jobs", "1", records)
    assert out == local_out
    assert b"records/s" in err
    summary = local_err[local_err.rindex(b"textmend: ") : local_err.rindex(b" errors in ")]
    assert summary.startswith(b"textmend: 1 files, ")
    assert summary in err


def test_a_worker_killed_mid_run_loses_and_repeats_nothing(tree: Path, dask_client: Any) -> None:
    out = tree / "killed"
    out.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "textmend", "fix", "--dask", dask_client.scheduler.address]
    command += [str(tree / "kill.txt"), "-o", str(out / "kill.txt")]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
    # Wait for the first chunk to be written, then kill a worker that is working.
    busy: list[str] = []
    while process.poll() is None and not busy:
        if _written(out):
            busy = [worker for worker, keys in dask_client.processing().items() if keys]
        time.sleep(0.01)
    assert busy, "the run ended before a worker could be killed"
    pid = dask_client.run(os.getpid, workers=busy[:1])[busy[0]]
    os.kill(pid, signal.SIGKILL)
    _, stderr = process.communicate(timeout=HANG)
    assert process.returncode == 0, stderr
    fixed = (out / "kill.txt").read_text(encoding="utf-8").split("\n")
    expected = (tree / "kill-local.txt").read_text(encoding="utf-8").split("\n")
    assert len(fixed) == len(expected)
    for number, (line, want) in enumerate(zip(fixed, expected, strict=True), 1):
        assert line == want, f"line {number}"
    assert busy[0] not in dask_client.scheduler_info()["workers"]
    dask_client.wait_for_workers(2, timeout=HANG)  # the nanny's new worker, for later tests


def test_a_stopped_run_leaves_no_output(tmp_path: Path, dask_client: Any) -> None:
    # Lines no worker has seen, so the run is still going when it is stopped.
    big = tmp_path / "big.txt"
    big.write_text(_repeated(_articles, 5 * CHUNK_CHARS, 2000), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "textmend", "fix", "--dask", dask_client.scheduler.address]
    command += [str(big), "-o", str(tmp_path / "out.txt")]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
    while process.poll() is None and not _written(tmp_path):
        time.sleep(0.01)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=HANG)
    assert process.returncode == 130, f"the run ended before it was stopped: {stderr!r}"
    assert stderr == b"textmend: interrupted\n", stderr.decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt"]


def test_an_interrupt_dropped_in_a_finaliser_is_raised_again() -> None:
    """Dask's futures have finalisers; a signal that lands in one must still stop the run."""

    class Finalised:
        def __del__(self) -> None:
            raise KeyboardInterrupt  # as the SIGTERM handler does when the signal lands here

    woken = threading.Event()
    # Ends the wait below if the interrupt does not, so that the test fails, not hangs.
    backup = threading.Timer(HANG / 10, woken.set)
    backup.start()
    with pytest.raises(KeyboardInterrupt), cli._terminate_cleanly():
        Finalised()
        woken.wait()  # the interrupt, raised again in a moment, must break this wait
    backup.cancel()
    assert not woken.is_set()


def _written(directory: Path) -> bool:
    """Whether output is written in ``directory``, to a temporary file not yet renamed."""
    for path in directory.glob(".*.tmp"):
        with contextlib.suppress(FileNotFoundError):  # renamed meanwhile: the run is over
            if path.stat().st_size:
                return True
    return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.parametrize("kind", ["closed port", "no port"])
def test_an_unreachable_scheduler_is_a_usage_error(tmp_path: Path, kind: str) -> None:
    address = f"tcp://127.0.0.1:{_free_port()}" if kind == "closed port" else "scheduler-host"
    (tmp_path / "a.txt").write_text("caf&eacute;\n", encoding="utf-8")
    timeout = {"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}
    done = textmend_cli("fix", "--dask", address, tmp_path / "a.txt", env=timeout)
    assert done.returncode == 2
    assert done.stdout == b""
    message = done.stderr.decode()
    assert message.startswith(
        f"textmend: cannot reach the Dask scheduler at {address} (timeout 1 s): "
    )
    assert message.count("\n") == 1


def test_without_distributed_the_advice_is_to_install_the_extra(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("caf&eacute;\n", encoding="utf-8")
    # None in sys.modules makes every import of distributed fail, as if it were not installed.
    code = "import sys; sys.modules['distributed'] = None; from textmend.cli import main; "
    code += "sys.exit(main(sys.argv[1:]))"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-c", code, "fix", "--dask", "tcp://127.0.0.1:8786"]
    done = subprocess.run(
        [*command, str(tmp_path / "a.txt")], capture_output=True, env=env, timeout=HANG
    )
    assert done.returncode == 2
    assert done.stderr == b"textmend: --dask needs Dask: pip install 'textmend[dask]'\n"


def test_jobs_and_dask_together_are_refused(tmp_path: Path) -> None:
    done = textmend_cli("fix", "--jobs", "2", "--dask", "tcp://127.0.0.1:8786", tmp_path)
    assert done.returncode == 2
    assert b"--jobs and --dask do not go together" in done.stderr


_CLUSTER = """\
import sys

# The worker processes run this file again (spawn). There textmend is made
# unimportable, as on a machine where it is not installed, whatever this
# environment has installed.
sys.modules["textmend"] = None

from distributed import LocalCluster

if __name__ == "__main__":
    with LocalCluster(
        n_workers=int(sys.argv[1]), processes=True, threads_per_worker=1, dashboard_address=":0"
    ) as cluster:
        print(cluster.scheduler_address, flush=True)
        sys.stdin.read()  # until the test closes it
"""


@pytest.mark.parametrize("workers", [0, 1])
@pytest.mark.cluster
def test_a_cluster_that_cannot_run_textmend_is_a_usage_error(tmp_path: Path, workers: int) -> None:
    """A scheduler without workers, or with a worker that lacks textmend."""
    script = tmp_path / "cluster.py"
    script.write_text(_CLUSTER, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    cluster = subprocess.Popen(
        [sys.executable, str(script), str(workers)],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        address = cluster.stdout.readline().decode().strip()  # type: ignore[union-attr]
        (tmp_path / "a.txt").write_text("caf&eacute;\n", encoding="utf-8")
        timeout = {"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}
        done = textmend_cli("fix", "--dask", address, tmp_path / "a.txt", env=timeout)
    finally:
        cluster.communicate(timeout=HANG)
    assert address.startswith("tcp://")
    assert done.returncode == 2
    assert done.stdout == b""
    message = done.stderr.decode()
    if workers == 0:
        assert message == f"textmend: the Dask scheduler at {address} has no workers (waited 1 s)\n"
        return
    assert message.startswith("textmend: Dask worker tcp://"), message
    assert "cannot import textmend (ModuleNotFoundError" in message
    version = textmend.__version__
    assert message.endswith(
        f"the workers need textmend {version}: pip install 'textmend=={version}'\n"
    )
