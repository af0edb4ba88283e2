"""Shared fixtures (the reference sample, a Dask cluster) and the markers they imply.

Hypothesis runs without its per-example deadline: a test asserts results,
never how long they took, and a loaded machine would fail a correct one.
Every test that starts a cluster is marked ``cluster``, so that
``pytest -m "not slow and not cluster"`` is a fast selection.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import settings
from support import SHARED_SAMPLES

# Fixtures that start a cluster: a test that uses one is marked "cluster".
_CLUSTER_FIXTURES = {"dask_client"}

settings.register_profile("textmend", deadline=None)
settings.load_profile("textmend")


@pytest.fixture
def aleppo() -> tuple[str, str]:
    """The damaged reference article and its hand-restored truth."""
    damaged = SHARED_SAMPLES / "aleppo-damaged.txt"
    clean = SHARED_SAMPLES / "aleppo-clean.txt"
    if not damaged.exists():
        pytest.skip("../shared/samples is not beside this checkout")
    return damaged.read_text(encoding="utf-8"), clean.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def dask_client() -> Iterator[Any]:
    """A real LocalCluster of two worker processes, one thread each, for the whole session.

    Its workers import textmend from the PYTHONPATH they inherit from this process.
    """
    from distributed import Client, LocalCluster

    # Any free port: with None the scheduler still serves HTTP on 8787, and
    # warns where that port is taken (another cluster on the machine).
    with (
        LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _CLUSTER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.cluster)
