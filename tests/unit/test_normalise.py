"""Normalisation steps and presets: the cases in normalise_cases.json, the docs
table built from them, and the step rules checked as properties."""

from __future__ import annotations

import json
import re
import sys
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from support import DATA, ROOT

from textmend import PROFILES, STEPS, Profile, explain, fix
from textmend.pipeline import compile_profile
from textmend.step import trigger_regex
from textmend.steps import REPAIR_STEPS

CASES = json.loads((DATA / "normalise_cases.json").read_text(encoding="utf-8"))
PRESETS = ("safe", "news", "ascii", "llm")
NORMALISE_STEPS = [name for name in STEPS if name not in REPAIR_STEPS]
DOC = ROOT / "docs" / "profiles.md"


def _profile(spec: str) -> Profile:
    """``"news+curl_quotes"``: a preset with more steps switched on."""
    name, *extra = spec.split("+")
    return PROFILES[name].enable(*extra)


@pytest.mark.parametrize("profile", PRESETS)
@pytest.mark.parametrize("case", CASES["presets"], ids=lambda c: c["rule"])
def test_preset(case: dict[str, object], profile: str) -> None:
    text = case["input"]
    expected = case["expected"][profile]  # type: ignore[index]
    assert fix(text, profile) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("case", CASES["opt_in"], ids=lambda c: c["rule"])
def test_opt_in(case: dict[str, str]) -> None:
    assert fix(case["input"], _profile(case["profile"])) == case["expected"]


@pytest.mark.parametrize("case", CASES["presets"], ids=lambda c: c["rule"])
def test_explain_names_the_step(case: dict[str, object]) -> None:
    """explain reports a case's changes, under the rule's step where it runs."""
    for profile in PRESETS:
        changes = explain(case["input"], profile)  # type: ignore[arg-type]
        if case["expected"][profile] == case["input"]:  # type: ignore[index]
            assert changes == []
        elif case["step"] in PROFILES[profile].steps:
            steps = {name for c in changes for name in c.step.split("+")}
            assert case["step"] in steps, (profile, changes)


def test_every_step_has_cases() -> None:
    named = {c["step"] for c in CASES["presets"]}
    named |= {s for c in CASES["opt_in"] for s in c["profile"].split("+")[1:]}
    assert set(NORMALISE_STEPS) <= named


def test_presets() -> None:
    assert PROFILES["safe"].steps == REPAIR_STEPS
    assert set(REPAIR_STEPS) < set(PROFILES["news"].steps)
    assert "line_breaks" not in PROFILES["news"].steps
    assert fix("one\r\ntwo\r\n") == "one\r\ntwo\r\n"


def test_opposite_steps_are_refused() -> None:
    with pytest.raises(ValueError, match="undo each other"):
        PROFILES["ascii"].enable("curl_quotes")


# Characters a reader cannot tell apart from others are shown as escapes.
_HIDDEN = re.compile(
    "[\t\r\n\x85\u00a0\u00ad\u00b5\u2000-\u200f\u2028-\u202f\u205f\u2066-\u2069"
    "\u2126\u212a\u212b\u3000\ufeff]"
)
_NAMED = {"\t": "\\t", "\r": "\\r", "\n": "\\n"}


def _cell(text: str) -> str:
    """A string as a markdown table cell (the site's Markdown keeps a | inside code)."""
    shown = _HIDDEN.sub(lambda m: _NAMED.get(m[0], f"\\u{ord(m[0]):04x}"), text)
    return "`` " + shown + " ``"


def table() -> str:
    """The rules tables of docs/profiles.md, built from the cases."""
    lines = [
        "| rule | step | before | safe | news | ascii | llm |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for case in CASES["presets"]:
        after = [
            "=" if case["expected"][p] == case["input"] else _cell(case["expected"][p])
            for p in PRESETS
        ]
        step = f"`{case['step']}`" if case["step"] else ""
        lines.append(f"| {case['rule']} | {step} | {_cell(case['input'])} | {' | '.join(after)} |")
    lines += ["", "| opt-in rule | profile | before | after |", "| --- | --- | --- | --- |"]
    for case in CASES["opt_in"]:
        cells = [
            case["rule"],
            f"`{case['profile']}`",
            _cell(case["input"]),
            _cell(case["expected"]),
        ]
        lines.append(f"| {' | '.join(cells)} |")
    return "\n".join(lines) + "\n"


def test_docs_table_matches_cases() -> None:
    assert table() in DOC.read_text(encoding="utf-8"), (
        "The rules table in docs/profiles.md is out of date: paste the output of "
        "`PYTHONPATH=src:tests:tests/unit python -c 'import test_normalise as t; print(t.table())'`"
    )


# Properties. The text mixes every character a normalisation step targets
# with the letters, digits, spaces and line breaks around which they act.
# Written out rather than taken from the triggers, so a trigger that misses a
# character its step changes is caught.
_TARGETS = (
    "'\"‘’‚‛“”„‟′″‴⁗«»‹›\u2010\u2011\u2012\u2013\u2014\u2015\u2212…•‣◦⁃"
    "\u00a0\u2000\u2002\u2003\u2009\u200a\u202f\u205f\u3000"
    "\u00ad\ufeff\u200b\u200c\u200d\u200e\u200f\u202a\u202c\u202e\u2066\u2067\u2069"
    "\r\u2028\u2029\x85℃℉㎞㎏㎡㎥㎖㎐㎕㏀㎧\u00b5\u2126\u212a\u212bºª˚∘°²³₂½¼⅓↉"
    "ＡＺａｚ０９，（）！：；＂＇。、「」"
)
_CONTEXT = "aeCFkmsgzAZ019 \n\t\r«»‹›()=\\-_.,:;!?ภไمی\U0001f469\U0001f4bb"
_TEXT = st.text(st.sampled_from(_TARGETS + _CONTEXT * 8), max_size=40)
_EVERYTHING = (
    PROFILES["ascii"]
    .disable("straighten_quotes")
    .enable("curl_quotes", "unit_spacing", "space_runs", "line_breaks", "trailing_spaces")
)
_ALL_PROFILES = [*(PROFILES[p] for p in PRESETS), _EVERYTHING]


@pytest.mark.parametrize("profile", _ALL_PROFILES, ids=lambda p: p.name)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXT)
def test_profile_is_idempotent_and_fast_path_is_plain(profile: Profile, text: str) -> None:
    pipeline = compile_profile(profile)
    fixed = pipeline.fix(text)
    assert fixed == pipeline.fix_plain(text)
    assert pipeline.fix(fixed) == fixed


@pytest.mark.parametrize("name", NORMALISE_STEPS)
@settings(max_examples=300)
@given(a=_TEXT, b=_TEXT)
@example(a="« x", b="y »")  # a French pair whose spaces are on two lines
def test_step_rules(name: str, a: str, b: str) -> None:
    """Each step is idempotent, line-local, and idle where no trigger matches."""
    step = STEPS[name]
    once = step.func(b)
    assert step.func(once) == once
    line = a + "\n"
    assert step.func(line + b) == step.func(line) + once
    if trigger_regex(step.triggers).search(b) is None:
        assert once == b


_KEPT = "“”‘’–—…«»•，。（）、「」\u00a0\u202f\u2009\u3000½²₂′″\u200d\u200c\u200e"
_NEWS = compile_profile(PROFILES["news"])


@settings(max_examples=500)
@given(text=st.text(st.one_of(st.sampled_from(_KEPT + _CONTEXT), st.characters(codec="utf-8"))))
def test_news_keeps_text_without_targets(text: str) -> None:
    assume(_NEWS.check.search(text) is None)
    assert _NEWS.fix_plain(text) == text


# What NFC treats specially: marks, second and first halves of compositions,
# letters that decompose; and letters it leaves alone.
_NFC_PIECES = sorted(
    {
        char
        for code in range(0xA0, 0x30000)
        if unicodedata.combining(char := chr(code))
        or (unicodedata.decomposition(char)[:1] not in ("", "<"))
    }
    | {
        chr(int(p, 16))
        for p in " ".join(unicodedata.decomposition(chr(c)) for c in range(0x30000)).split()
        if not p.startswith("<")
    }
    | set("aeAEকাএ\u0627\u05d0\u1100\uac00")
)


def test_nfc_trigger_finds_every_character_nfc_changes() -> None:
    """Over every code point: NFC changes it alone only where the trigger matches."""
    trigger = trigger_regex(STEPS["nfc"].triggers)
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.normalize("NFC", char) != char:
            assert trigger.search(char), hex(code)


@settings(max_examples=3000)
@given(text=st.lists(st.sampled_from(_NFC_PIECES), min_size=2, max_size=4).map("".join))
def test_nfc_trigger_finds_every_text_nfc_changes(text: str) -> None:
    """Marks in a row, second halves after first ones: where NFC changes the
    text, the trigger matches (it passes over marks in order and second
    halves after what they cannot join)."""
    if unicodedata.normalize("NFC", text) != text:
        assert trigger_regex(STEPS["nfc"].triggers).search(text), [hex(ord(c)) for c in text]
