"""Properties of fix and explain on arbitrary and mojibake-prone text."""

from __future__ import annotations

import os
import string

import pytest
from ftfy.chardata import CHARMAP_ENCODINGS
from hypothesis import given, settings
from hypothesis import strategies as st
from support import load_cases
from test_pipeline import plain_union

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
    "\x85",
    "Ã\x85",
    "Ñ\x81",
    "Ï†",
    "Î±",
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
# Clean lines, some of them run through a real codec round trip.
damaged_line = st.builds(
    lambda line, encoding: line.encode("utf-8").decode(encoding),
    st.sampled_from(_NEGATIVE_LINES),
    st.sampled_from(CHARMAP_ENCODINGS),
)
damaged_text = st.lists(
    st.sampled_from(_NEGATIVE_LINES) | damaged_line | prone_text, min_size=1, max_size=6
).map("\n".join)
# Around the two-level check (see Trigger.gated): forms that clean text makes
# and that count only in a document that shows damage (a lead letter and a
# space, a lead letter alone, "”" and a space, sequences between letters of
# their own script, lost-byte markers), and a line of telltale damage or not.
_GATED_PIECES = [
    *"В Ã Ñ Å ” † ? \ufffd a \u00a0 » ё і",
    "Пётр",
    "Ліні",
    "Úžas",
    "vlášť",
    "ché\u00a0»",
    "39\u00a0°C",
    "ESPAÑA",
    "â€",
    "Ã©",
    "Рё",
    "fГјr",
    "\n",
]
_TELLTALE_LINES = ["cafÃ©", "РџСЂРёРІРµС‚", "doesnâ€™t", "l&eacute;", "SÃ£o Paulo"]
gated_forms = st.lists(st.sampled_from(_GATED_PIECES), max_size=30).map("".join)
two_level_text = st.builds(
    lambda before, damage, after: "\n".join(filter(None, (before, damage, after))),
    gated_forms,
    st.sampled_from(["", *_TELLTALE_LINES]),
    gated_forms,
)
ascii_text = st.text(st.characters(max_codepoint=127)) | st.lists(
    st.sampled_from([p for p in _PIECES if p.isascii()]), max_size=40
).map("".join)

_SETTINGS = settings(max_examples=int(os.environ.get("TEXTMEND_EXAMPLES", "500")))


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
@pytest.mark.parametrize("texts", [any_text, damaged_text], ids=["any", "damaged"])
@_SETTINGS
@given(data=st.data())
def test_fast_path_equals_plain_path(
    name: str, texts: st.SearchStrategy[str], data: st.DataObject
) -> None:
    text = data.draw(texts)
    pipeline = compile_profile(textmend.PROFILES[name])
    assert pipeline.fix(text) == pipeline.fix_plain(text)


@pytest.mark.parametrize("name", sorted(textmend.PROFILES))
@_SETTINGS
@given(text=damaged_text)
def test_line_edits_replay_to_fix(name: str, text: str) -> None:
    pipeline = compile_profile(textmend.PROFILES[name])
    out, pos = [], 0
    for start, end, fixed in pipeline.line_edits(text):
        out += (text[pos:start], fixed)
        pos = end
    assert "".join(out) + text[pos:] == pipeline.fix(text)


@pytest.mark.parametrize("name", sorted(textmend.PROFILES))
@_SETTINGS
@given(text=ascii_text)
def test_ascii_check_finds_the_lines_the_full_check_finds(name: str, text: str) -> None:
    pipeline = compile_profile(textmend.PROFILES[name])
    full = [line for line in text.split("\n") if pipeline.check.search(line)]
    assert [line for line in text.split("\n") if pipeline.ascii_check.search(line)] == full
    # dirty_lines narrows the check further, to the lead characters that occur.
    assert [text[s:e].removesuffix("\n") for s, e in pipeline.dirty_lines(text)] == full


@pytest.mark.parametrize("name", sorted(textmend.PROFILES))
@_SETTINGS
@given(text=any_text | damaged_text | two_level_text)
def test_dirty_lines_are_the_lines_the_plain_union_of_triggers_finds(name: str, text: str) -> None:
    pipeline = compile_profile(textmend.PROFILES[name])
    plain = plain_union(pipeline)
    expected = [line for line in text.split("\n") if plain.search(line)]
    assert [line for line in text.split("\n") if pipeline.check.search(line)] == expected
    # In a document that shows no damage, no line is dirty (see Trigger.gated).
    shows_damage = plain_union(pipeline, gated=False).search(text) is not None
    assert pipeline.shows_damage(text) == shows_damage
    dirty = [text[s:e].removesuffix("\n") for s, e in pipeline.dirty_lines(text)]
    assert dirty == (expected if shows_damage else [])


@_SETTINGS
@given(clean_text)
def test_clean_text_comes_back_unchanged(text: str) -> None:
    assert textmend.fix(text) == text


@pytest.mark.parametrize("name", sorted(textmend.PROFILES))
@_SETTINGS
@given(text=two_level_text)
def test_fast_path_equals_plain_path_around_the_two_level_check(name: str, text: str) -> None:
    pipeline = compile_profile(textmend.PROFILES[name])
    fixed = pipeline.fix(text)
    assert fixed == pipeline.fix_plain(text)
    assert pipeline.fix(fixed) == fixed
    if not pipeline.shows_damage(text):
        assert pipeline.dirty_lines(text) == [] and fixed == text
