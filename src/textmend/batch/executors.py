"""Where chunks run: in this process, in a pool of worker processes, or on a Dask cluster.

>>> usable_cores() >= 1
True
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

from textmend import __version__
from textmend.pipeline import compile_profile
from textmend.profiles import Profile


class InlineExecutor(Executor):
    """Runs each task at once in this process (``--jobs 1``, or a single chunk)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as error:
            future.set_exception(error)
        return future


def usable_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@contextlib.contextmanager
def executors(
    dask: str | None, jobs: int | None, profile: Profile
) -> Iterator[tuple[Callable[[], Executor], int]]:
    """The factory of the run's executor, and how many chunks it keeps in flight."""
    if dask is None:
        # More workers than CPUs only take turns, each with its own memory.
        jobs = min(jobs or usable_cores(), usable_cores())
        yield _executor_factory(jobs, profile), 2 * jobs
        return
    with _dask_client(dask) as client:
        threads = sum(client.nthreads().values())
        yield lambda: _ClusterExecutor(client), 2 * threads


class _ClusterExecutor(Executor):
    """Runs each task on a Dask cluster, as a task of its own (not merged with an equal one).

    Its futures are Dask's: they answer ``result()`` and ``cancel()`` as the
    runner needs. (``Client.get_executor()`` wraps them in futures of
    ``concurrent.futures`` that log an error when a task ends as it is cancelled.)
    """

    def __init__(self, client: Any) -> None:
        self.client = client

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        return self.client.submit(fn, *args, pure=False, **kwargs)


class ClusterError(Exception):
    """``--dask`` cannot be used; the message says why."""


@contextlib.contextmanager
def _dask_client(address: str) -> Iterator[Any]:
    """A client of the Dask scheduler at ``address`` whose workers can run this textmend.

    The connection timeout is Dask's ``distributed.comm.timeouts.connect``.
    """
    import asyncio

    try:
        import dask.config
        from dask.utils import parse_timedelta
        from distributed import Client
    except ImportError:
        raise ClusterError("--dask needs Dask: pip install 'textmend[dask]'") from None
    timeout = parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"), "s")
    try:
        # A Client that fails on anything but a refused connection (a bad
        # address, a server that is not Dask) hangs on exit; a bare comm does not.
        asyncio.run(_probe(address, timeout))
        client = Client(address, timeout=timeout, set_as_default=False)  # type: ignore[no-untyped-call]
    except Exception as error:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address} (timeout {timeout:g} s): {error}"
        ) from None
    with client:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except asyncio.TimeoutError:  # not the built-in TimeoutError before Python 3.11
            raise ClusterError(
                f"the Dask scheduler at {address} has no workers (waited {timeout:g} s)"
            ) from None
        versions = client.run(_version, on_error="return")
        for worker, version in sorted(versions.items()):
            if version != __version__:
                problem = (
                    f"has textmend {version}"
                    if isinstance(version, str)
                    else f"cannot import textmend ({version})"
                )
                raise ClusterError(
                    f"Dask worker {worker} {problem}; the workers need textmend "
                    f"{__version__}: pip install 'textmend=={__version__}'"
                )
        yield client


async def _probe(address: str, timeout: float) -> None:
    from distributed.comm.core import connect
    from distributed.security import Security

    tls = Security().get_connection_args("client")  # type: ignore[no-untyped-call]
    comm = await connect(address, timeout=timeout, **tls)  # type: ignore[no-untyped-call]
    await comm.close()


def _version() -> str:
    """This textmend's version (run on Dask workers, where it may differ)."""
    return __version__


def _executor_factory(jobs: int, profile: Profile) -> Callable[[], Executor]:
    if jobs == 1:
        return InlineExecutor

    def start() -> Executor:
        context = start_method()
        if context.get_start_method() == "fork":
            # Compiled once here, the checks are inherited: workers compiling
            # them side by side take longer, and start their work later.
            compile_profile(profile)
        return _Pool(jobs, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),))

    return start


# How long a stopped pool's manager thread may take to end (it ends at once).
_MANAGER_END_SECONDS = 5.0


class _Pool(ProcessPoolExecutor):
    """Worker processes that leave Ctrl-C to the main process, and can be stopped at once."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        # A worker may start here. Until it ignores SIGINT, a Ctrl-C (sent to
        # the whole process group) would print its traceback: the signal waits,
        # blocked, in the new worker as in this thread. The pool's threads,
        # started here, keep it blocked, so that it comes to this one.
        with _blocked(signal.SIGINT):
            return super().submit(fn, *args, **kwargs)

    def terminate(self) -> None:
        """Kill the workers, mid-chunk, and drop what was queued.

        Waiting for them could hang: a worker can be blocked writing a result
        nobody reads any more.
        """
        for process in list((self._processes or {}).values()):
            process.kill()
        # (typeshed takes this thread for its wake-up pipe)
        manager: threading.Thread | None = getattr(self, "_executor_manager_thread", None)
        # Python 3.11 wakes the pool's manager thread through a pipe that the
        # thread closes as it ends, without a lock: a wake-up at that moment,
        # here or from the interpreter's exit hook, fails on a closed pipe.
        with contextlib.suppress(OSError):
            self.shutdown(wait=False, cancel_futures=True)
        if manager is not None:
            # With its workers killed it ends at once; once it has, the exit
            # hook's wake-up finds the pipe marked closed and writes nothing.
            manager.join(timeout=_MANAGER_END_SECONDS)


def stop(executor: Executor) -> None:
    """Stop an executor whose results are no longer wanted (Ctrl-C, a failed run)."""
    if isinstance(executor, _Pool):
        executor.terminate()
    else:
        executor.shutdown(wait=False, cancel_futures=True)


@contextlib.contextmanager
def _blocked(signum: int) -> Iterator[None]:
    if not hasattr(signal, "pthread_sigmask"):  # Windows
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signum})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signum})


def _start_worker(main: int) -> None:
    """Set up a worker process of the main process ``main``.

    Ctrl-C and SIGTERM are for the main process, which then stops the
    workers; a worker started by a fork has its handlers. And a worker dies
    with the main process, even by ``kill -9``: an orphan would go on
    working, and hold the pipes of the run open.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if sys.platform.startswith("linux"):
        _die_with(main)


# prctl(2): the signal a process gets when its parent dies.
_PR_SET_PDEATHSIG = 1


def _die_with(main: int) -> None:
    """Be killed when the parent dies (Linux).

    The parent is the main process, or the fork server it started, which
    exits when the main process does: when no process holds the other end of
    its pipe. Each child of the server gets a copy (to start processes of its
    own, which a worker does not), so a worker closes it.
    """
    import multiprocessing.forkserver  # POSIX only

    server: Any = multiprocessing.forkserver._forkserver
    if server._forkserver_alive_fd is not None:
        os.close(server._forkserver_alive_fd)
        server._forkserver_alive_fd = None
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return  # not allowed here: an orphan is then possible, as without this
    parent = os.getppid()
    # The parent may have died before prctl: this process is an orphan already.
    if parent != main and _parent_of(parent) != main:
        os._exit(1)


def _parent_of(pid: int) -> int | None:
    """The parent of a process, from ``/proc`` (None if it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # pid (name) state ppid ...: the name may hold spaces and parentheses.
    return int(stat[stat.rindex(")") + 2 :].split()[1])


def start_method() -> BaseContext:
    """How worker processes start: as fast as is safe here.

    A fork of this process costs milliseconds and needs no import, but only
    a process with a single thread forks safely. Otherwise workers start
    clean: from a fork server that has imported textmend once (about 0.25 s,
    where the platform has one), else by spawning.
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        # Output a child would flush again as it exits.
        sys.stdout.flush()
        sys.stderr.flush()
        return multiprocessing.get_context("fork")
    context: BaseContext
    if "forkserver" in methods:
        server = multiprocessing.get_context("forkserver")
        server.set_forkserver_preload(["textmend.batch.chunks"])
        context = server
    else:
        context = multiprocessing.get_context("spawn")
    return context
