"""ftfy's published test cases: textmend changes none of its negatives, and
every case where it differs from ftfy is listed as better, with the reason.

The cases come from ftfy's source distribution, fetched at test time by
``benchmarks/ftfy_cases.py`` (never committed here); without a registry to
fetch it from, the test skips and says so.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import pytest
from support import ROOT

sys.path.insert(0, str(ROOT))
ftfy_cases = importlib.import_module("benchmarks.ftfy_cases")


@pytest.fixture(scope="module")
def raw() -> list[Any]:
    try:
        cases: list[Any] = ftfy_cases.fetch_cases()
    except ftfy_cases.FetchError as err:
        pytest.skip(f"ftfy's source distribution could not be fetched: {err}")
    return cases


@pytest.fixture(scope="module")
def report(raw: list[Any]) -> Any:
    return ftfy_cases.evaluate(raw, ftfy_cases.load_better())


def test_no_negative_is_changed(report: Any) -> None:
    assert report.negatives > 0
    assert report.negatives_changed == [], report.summary()


def test_every_difference_from_ftfy_is_explained(report: Any) -> None:
    assert report.equal_to_ftfy + len(report.better) + len(report.failures) == report.cases
    assert report.failures == [], report.summary()


def test_every_listed_case_exists_and_has_a_reason(raw: list[Any]) -> None:
    better = ftfy_cases.load_better()
    ids = {case_id for case_id, _, _ in ftfy_cases.case_texts(raw)}
    assert set(better) <= ids
    assert all(isinstance(reason, str) and len(reason) > 20 for reason in better.values())


def test_an_unreadable_archive_is_a_fetch_error_naming_it(tmp_path: Path) -> None:
    archive = tmp_path / "0.0" / "ftfy-0.0.tar.gz"
    archive.parent.mkdir()
    archive.write_bytes(b"not a tar archive")
    with pytest.raises(ftfy_cases.FetchError, match=r"ftfy-0\.0\.tar\.gz"):
        ftfy_cases.fetch_cases(tmp_path, "0.0")
