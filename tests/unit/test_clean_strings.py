"""Clean strings nobody here wrote come back unchanged from the ``safe`` profile.

Over 50,000 strings of over 100 locales, taken at test time from CLDR
(through babel) and Faker's locale providers by ``benchmarks/clean_strings.py``:
each alone, and within documents of many lines, where document context
(a signature read from other lines) must not misfire.
"""

from __future__ import annotations

import importlib
import sys

import pytest
from support import ROOT

sys.path.insert(0, str(ROOT))
clean_strings = importlib.import_module("benchmarks.clean_strings")

_SHOWN = 40


@pytest.fixture(scope="module")
def strings() -> list[clean_strings.Clean]:
    return clean_strings.collect()


def test_enough_strings_from_enough_locales(strings: list[clean_strings.Clean]) -> None:
    assert len(strings) >= 50_000
    assert len({c.locale for c in strings}) >= 100
    # Not one alphabet: the strings span many scripts.
    scripts = {ord(ch) >> 8 for c in strings for ch in c.text if ch.isalpha()}
    assert len(scripts) >= 30


def test_safe_changes_no_string_alone(strings: list[clean_strings.Clean]) -> None:
    changed = clean_strings.changed_lines(strings, "safe")
    shown = "\n".join(clean_strings.describe(c, f) for c, f in changed[:_SHOWN])
    assert not changed, f"{len(changed)} clean strings changed:\n{shown}"


def test_safe_changes_no_line_within_documents(strings: list[clean_strings.Clean]) -> None:
    changed = clean_strings.changed_in_documents(strings, "safe")
    shown = "\n".join(f"in {d}: {clean_strings.describe(c, f)}" for d, c, f in changed[:_SHOWN])
    assert not changed, f"{len(changed)} clean lines changed within documents:\n{shown}"
