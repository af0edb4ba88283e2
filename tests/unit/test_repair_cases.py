"""The repair cases in tests/data/repair_cases.json, run through textmend.fix.

The data file is built by tests/data/make_repair_cases.py from clean
sentences; ``expected`` is always the true clean text, never a tool's output.
"""

from __future__ import annotations

import runpy
from collections import Counter
from typing import Any

import ftfy
import pytest
from support import CASES_FILE, DATA, load_cases

import textmend

CASES = load_cases()
IDS = [case["id"] for case in CASES]

# The kinds and minimum counts the suite must keep (issue 2).
MINIMUM_PER_KIND = {
    "mojibake-windows-1252": 10,
    "mojibake-latin-1": 5,
    "mojibake-macroman": 5,
    "mojibake-windows-1250": 4,
    "mojibake-windows-1251": 4,
    "mojibake-windows-1253": 4,
    "mojibake-windows-1254": 4,
    "mojibake-cp437": 3,
    "double-mojibake": 5,
    "partial-mojibake": 6,
    "lossy-residue": 20,
    "negative": 35,
    "html-entities": 6,
    "controls": 4,
    "document-context": 4,
}

# Cases where ftfy's own encoding repair already finds the truth.
FTFY_RIGHT = [case for case in CASES if ftfy.fix_encoding(case["input"]) == case["expected"]]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_fix_restores_the_truth(case: dict[str, Any]) -> None:
    assert textmend.fix(case["input"]) == case["expected"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_truth_is_a_fixed_point(case: dict[str, Any]) -> None:
    assert textmend.fix(case["expected"]) == case["expected"]


@pytest.mark.parametrize("case", FTFY_RIGHT, ids=[case["id"] for case in FTFY_RIGHT])
def test_never_worse_than_ftfy(case: dict[str, Any]) -> None:
    assert textmend.fix(case["input"]) == case["expected"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_explain_replays_to_fix(case: dict[str, Any]) -> None:
    text = case["input"]
    assert textmend.apply_changes(text, textmend.explain(text)) == textmend.fix(text)


def test_enough_cases_negatives_and_languages() -> None:
    negatives = [case for case in CASES if case["kind"] == "negative"]
    assert len(CASES) >= 80
    assert len(negatives) >= 30
    assert len({case["lang"] for case in negatives}) >= 15


def test_every_kind_has_its_minimum() -> None:
    counts = Counter(case["kind"] for case in CASES)
    short = {k: counts[k] for k, n in MINIMUM_PER_KIND.items() if counts[k] < n}
    assert not short, f"kinds below their minimum: {short}"
    assert set(counts) == set(MINIMUM_PER_KIND)


def test_cases_are_well_formed() -> None:
    assert len(set(IDS)) == len(IDS), "duplicate ids"
    for case in CASES:
        assert {"id", "kind", "input", "expected", "note"} <= set(case), case["id"]
        assert case["id"].startswith(case["kind"] + "."), case["id"]
        if case["kind"] == "negative":
            assert case["input"] == case["expected"], case["id"]
        else:
            assert case["input"] != case["expected"], f"{case['id']} is not damaged"


def test_data_file_is_what_the_generator_builds() -> None:
    generator = runpy.run_path(str(DATA / "make_repair_cases.py"))
    rendered = generator["render"](generator["CASES"])
    assert CASES_FILE.read_text(encoding="utf-8") == rendered, (
        "repair_cases.json is stale: run tests/data/make_repair_cases.py"
    )
