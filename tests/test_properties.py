"""Properties of fix and explain on arbitrary and mojibake-prone text."""

from __future__ import annotations

import os
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from repair_data import load_cases

import textmend
from textmend.pipeline import compile_profile

# Pieces that make mojibake, residue, entities and controls likely when joined.
_PIECES = [
    *"ÂÃâ€œ”†™‚¬√РС’“&;#?\ufffd \n",
    *string.digits,
    *string.ascii_letters,
    "â€",
    "â€™",
    "â€œ",
    "â€\x9d",
    "Ã©",
    "Ã ",
    "â‚¬",
    "â‚?",
    "√π",
    "‚Äú",
    "РґР°",
    "&amp;",
    "&lt;",
    "&#8220;",
    "&rsquo;",
    "\x1b[0m",
    "\x93",
    "\x00",
    "\ud83d",
    "\ude00",
    "e\u0301",
]
prone_text = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)
any_text = st.text() | prone_text

_NEGATIVE_LINES = sorted(
    {
        line
        for case in load_cases()
        if case["kind"] == "negative"
        for line in case["expected"].split("\n")
    }
)
clean_text = st.lists(st.sampled_from(_NEGATIVE_LINES), min_size=1, max_size=6).map("\n".join)

_SETTINGS = settings(max_examples=int(os.environ.get("TEXTMEND_EXAMPLES", "500")), deadline=None)


@_SETTINGS
@given(any_text)
def test_fix_never_raises(text: str) -> None:
    assert isinstance(textmend.fix(text), str)


@_SETTINGS
@given(any_text)
def test_fix_is_idempotent(text: str) -> None:
    once = textmend.fix(text)
    assert textmend.fix(once) == once


@_SETTINGS
@given(any_text)
def test_explain_replays_to_fix(text: str) -> None:
    assert textmend.apply_changes(text, textmend.explain(text)) == textmend.fix(text)


@pytest.mark.parametrize("name", sorted(textmend.PROFILES))
@_SETTINGS
@given(text=any_text)
def test_fast_path_equals_plain_path(name: str, text: str) -> None:
    pipeline = compile_profile(textmend.PROFILES[name])
    assert pipeline.fix(text) == pipeline.fix_plain(text)


@_SETTINGS
@given(clean_text)
def test_clean_text_comes_back_unchanged(text: str) -> None:
    assert textmend.fix(text) == text
