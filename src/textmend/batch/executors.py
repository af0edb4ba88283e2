"""Where chunks run: in this process, in a pool of worker processes, or on a Dask cluster.

>>> usable_cores() >= 1
True
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from multiprocessing.context import BaseContext
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
        return ProcessPoolExecutor(jobs, mp_context=context)

    return start


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
