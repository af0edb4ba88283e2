"""Shared test fixtures: where the reference sample and data files live."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_SAMPLES = ROOT.parent / "shared" / "samples"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def aleppo() -> tuple[str, str]:
    """The damaged reference article and its hand-restored truth."""
    damaged = SHARED_SAMPLES / "aleppo-damaged.txt"
    clean = SHARED_SAMPLES / "aleppo-clean.txt"
    if not damaged.exists():
        pytest.skip("../shared/samples is not beside this checkout")
    return damaged.read_text(encoding="utf-8"), clean.read_text(encoding="utf-8")
