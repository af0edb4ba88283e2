"""The pipeline: derived check, fast path, cache, explain records, profiles."""

from __future__ import annotations

import difflib
import inspect
import json
import pickle
import random
import re
import warnings
from collections.abc import Hashable, Sequence

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from support import ROOT, load_cases

import textmend
from textmend import step as step_module
from textmend.explanation import (
    _TOKEN_RE,
    _WHOLE_DIFF_TOKENS,
    Change,
    _changed_runs,
    apply_changes,
)
from textmend.pipeline import _CACHE_ENTRIES, _CACHE_MAX_CHARS, Pipeline, compile_profile
from textmend.step import Step, Trigger, trigger_regex


def _upper_x(text: str) -> str:
    """Make every x upper case."""
    return text.replace("x", "X")


def _drop_bang(text: str) -> str:
    """Remove "!" after a letter."""
    return text.replace("a!", "a")


def test_trigger_regex_matches_only_where_a_trigger_does() -> None:
    check = trigger_regex([Trigger("x"), Trigger("a", "!")])
    assert check.search("plain prose") is None
    assert check.search("wax") is not None
    assert check.search("a?") is None
    assert check.search("ha!") is not None


def test_an_empty_trigger_list_matches_nothing() -> None:
    assert trigger_regex([]).search("anything") is None


def test_fast_path_touches_only_dirty_lines_and_equals_the_plain_path() -> None:
    pipeline = Pipeline(
        (Step("upper_x", _upper_x, (Trigger("x"),)), Step("bang", _drop_bang, (Trigger("a", "!"),)))
    )
    text = "one\nbox a!\nclean\r\nlast x"
    assert pipeline.dirty_lines(text) == [(4, 11), (18, 24)]
    assert pipeline.fix(text) == pipeline.fix_plain(text) == "one\nboX a\nclean\r\nlast X"


def test_clean_text_is_returned_as_the_same_object() -> None:
    text = "Nothing to do here, “really”."
    assert textmend.fix(text) is text


def test_explain_spans_point_into_the_input() -> None:
    text = "A &amp; B\nIt&rsquo;s fine\n"
    changes = textmend.explain(text)
    assert all(text[c.start : c.end] == c.before for c in changes)
    assert apply_changes(text, changes) == textmend.fix(text)
    assert {c.step for c in changes} == {"html_entities"}


def test_explain_names_both_steps_when_they_touch_the_same_characters() -> None:
    changes = textmend.explain("x &acirc;&#128;&#156;quoted")
    assert apply_changes("x &acirc;&#128;&#156;quoted", changes) == "x “quoted"
    assert any("html_entities" in c.step and "mojibake" in c.step for c in changes)


def test_explain_reports_each_deleted_character_on_its_own() -> None:
    """Deleting invisibles joins words: the letters between them did not change."""
    found = [(c.start, c.before, c.after) for c in textmend.explain("in\xadfor\xadma\xadtion")]
    assert found == [(2, "\xad", ""), (6, "\xad", ""), (9, "\xad", "")]
    found = [(c.step, c.before) for c in textmend.explain("a\x00b\x01c \x1b[1mbold\x1b[0m")]
    assert found == [
        ("control_chars", "\x00"),
        ("control_chars", "\x01"),
        ("terminal_escapes", "\x1b[1m"),
        ("terminal_escapes", "\x1b[0m"),
    ]
    # An entity decoded next to a deletion is still one change, not 'amp;' deleted.
    assert [c.before for c in textmend.explain("\x00&amp;")] == ["\x00&amp;"]


def test_a_long_line_is_diffed_in_pieces_with_the_changes_of_a_whole_diff() -> None:
    """Cut where both sides agree, a long line gives what diffing it whole gives."""
    rng = random.Random(3)
    words = ["some", "words", "here", "and", "&amp;", "there", "caf&eacute;", "Ã©t&eacute;"]
    line = " ".join(rng.choice(words) for _ in range(600))
    before, after = _TOKEN_RE.findall(line), _TOKEN_RE.findall(textmend.fix(line))
    assert len(before) + len(after) > _WHOLE_DIFF_TOKENS
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    whole = [(a1, a2, b1, b2) for tag, a1, a2, b1, b2 in matcher.get_opcodes() if tag != "equal"]
    assert list(_changed_runs(before, after)) == whole
    changes = textmend.explain(line)
    assert len(changes) == sum(line.count(w) for w in ("&amp;", "caf&eacute;", "Ã©t&eacute;"))
    assert apply_changes(line, changes) == textmend.fix(line)


def test_apply_changes_refuses_changes_from_another_text() -> None:
    with pytest.raises(ValueError, match="does not apply"):
        apply_changes("abc", [Change("html_entities", 0, 1, "z", "y")])


def test_apply_changes_refuses_a_span_that_ends_before_it_starts() -> None:
    # text[2:1] is "", so the "before" check alone let this through as "abybc".
    with pytest.raises(ValueError, match="does not apply"):
        apply_changes("abc", [Change("html_entities", 2, 1, "", "y")])


def test_profiles_are_immutable_hashable_and_picklable() -> None:
    news = textmend.PROFILES["news"]
    assert pickle.loads(pickle.dumps(news)) == news
    assert hash(news.disable("nfc")) == hash(news.disable("nfc"))
    with pytest.raises(AttributeError):
        news.name = "other"  # type: ignore[misc]


def test_steps_switch_on_and_off_by_name() -> None:
    no_entities = textmend.PROFILES["news"].disable("html_entities")
    assert textmend.fix("caf&eacute;", no_entities) == "caf&eacute;"
    assert textmend.fix("caf&eacute;", no_entities.enable("html_entities")) == "café"


def test_unknown_names_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="unknown profile 'fancy'"):
        textmend.fix("text", profile="fancy")
    with pytest.raises(ValueError, match="unknown step"):
        textmend.PROFILES["news"].enable("sparkle")


def test_unknown_steps_are_listed_alike_by_enable_and_disable() -> None:
    news = textmend.PROFILES["news"]
    for switch in (news.enable, news.disable):
        with pytest.raises(ValueError, match=r"unknown step\(s\) 'sparkle'; known steps: .*nfc"):
            switch("sparkle")


def test_step_names_of_the_wrong_type_are_clear_errors() -> None:
    news = textmend.PROFILES["news"]
    with pytest.raises(TypeError, match=r"step names as separate arguments.*not list"):
        news.enable(["curl_quotes"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"step names as separate arguments.*not list"):
        news.disable(["nfc"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"steps must be a tuple of step names, not a str"):
        textmend.Profile("x", "nfc")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"step names are str, not NoneType"):
        textmend.Profile("x", ("nfc", None))  # type: ignore[arg-type]
    # A name that is not a str failed only later, in enable, at a '+'.
    with pytest.raises(TypeError, match=r"a profile's name is a str, not NoneType"):
        textmend.Profile(None, ("nfc",))  # type: ignore[arg-type]


def test_steps_given_as_any_iterable_are_kept() -> None:
    # A generator was consumed by the name check, leaving a profile of no steps.
    steps = (name for name in ["nfc", "mojibake"])
    assert textmend.Profile("x", steps).steps == ("mojibake", "nfc")  # type: ignore[arg-type]


def test_a_step_named_twice_is_named_once_in_the_label() -> None:
    news = textmend.PROFILES["news"]
    assert news.enable("curl_quotes", "curl_quotes").name == "news+curl_quotes"
    assert news.disable("nfc", "nfc").name == "news-nfc"


def test_fix_refuses_bytes_with_a_pointer_to_fix_bytes() -> None:
    with pytest.raises(TypeError, match="fix_bytes"):
        textmend.fix(b"bytes")  # type: ignore[arg-type]


def test_explain_names_itself_in_type_errors() -> None:
    with pytest.raises(TypeError, match=r"^explain\(\) takes str, not NoneType"):
        textmend.explain(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^explain\(\) takes str; use textmend.fix_bytes"):
        textmend.explain(b"bytes")  # type: ignore[arg-type]


def test_every_public_name_is_exported_and_documented_with_an_example() -> None:
    public = {n for n, v in vars(textmend).items() if not n.startswith("_")}
    modules = {n for n in public if inspect.ismodule(getattr(textmend, n))}
    assert set(textmend.__all__) - {"__version__"} == public - modules
    for name in textmend.__all__:
        value = getattr(textmend, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert ">>>" in (inspect.getdoc(value) or ""), f"{name} has no example"


def test_every_step_has_a_description() -> None:
    for name, step in textmend.STEPS.items():
        assert step.name == name
        assert step.description


def _star(text: str) -> str:
    """Replace "★" with "*"."""
    return text.replace("★", "*")


def test_the_check_is_derived_from_the_steps_it_runs() -> None:
    steps = compile_profile(textmend.PROFILES["news"]).steps
    before = Pipeline(steps)
    after = Pipeline((*steps, Step("star", _star, (Trigger("★"),))))
    for text in ("a ★ b", "only ascii ★"):
        assert before.dirty_lines(text) == []
        assert after.dirty_lines(text) == [(0, len(text))]
        assert after.fix(text) == after.fix_plain(text) == text.replace("★", "*")
    ascii_step = Step("bang", _drop_bang, (Trigger("a", "!"),))
    assert Pipeline((*steps, ascii_step)).dirty_lines("plain ASCII a!") == [(0, 14)]
    assert before.dirty_lines("plain ASCII a!") == []


def test_an_empty_class_matches_nothing_beside_other_triggers() -> None:
    check = trigger_regex([Trigger("", " []|[] "), Trigger("x")])
    assert check.search("a [] b") is None
    assert check.search("x") is not None


def test_a_lead_character_is_tested_against_each_trigger_it_leads() -> None:
    check = trigger_regex([Trigger("ab", "1"), Trigger("b", "2"), Trigger("c")])
    assert [bool(check.search(s)) for s in ("a1", "b1", "b2", "a2", "c", "ba")] == [
        True,
        True,
        True,
        False,
        True,
        False,
    ]


def test_lead_characters_beyond_the_bmp_are_tested_too() -> None:
    check = trigger_regex([Trigger("\U0001f600-\U0001f64f", "!"), Trigger("x")])
    assert check.search("wow \U0001f600!") is not None
    assert check.search("wow \U0001f600?") is None
    assert check.search("\U0001f300!") is None
    assert check.search("\U0001f300x") is not None
    # Written as the character itself, not as an escape.
    literal = trigger_regex([Trigger("😀", "!"), Trigger("x")])
    assert literal.search("😀!") is not None
    assert literal.search("😀?") is None


def test_a_trigger_that_captures_a_group_is_refused() -> None:
    for dispatch in (True, False):
        with pytest.raises(ValueError, match=r"Trigger\(chars='a', followed_by='\(b\)'\) captures"):
            trigger_regex([Trigger("x", "y"), Trigger("a", "(b)")], dispatch=dispatch)


def plain_union(pipeline: Pipeline, gated: bool = True) -> re.Pattern[str]:
    """The check as it is defined: any one trigger of any step (without
    ``gated``, the triggers that show damage: the gate)."""
    triggers = [t for s in pipeline.steps for t in s.triggers if gated or not t.gated]
    return re.compile("|".join(t.pattern for t in triggers) or "(?!)")


@pytest.mark.parametrize("name", sorted(textmend.PROFILES))
def test_the_check_finds_the_lines_the_plain_union_of_triggers_finds(name: str) -> None:
    pipeline = compile_profile(textmend.PROFILES[name])
    plain = plain_union(pipeline)
    # Characters beyond the BMP take another check than text without them.
    document = "\n".join([*_corpus_inputs(), "NFC \U0001d15e\U0001d165 \U0001f600 done"])
    lines = document.split("\n")
    expected = [line for line in lines if plain.search(line)]
    assert [line for line in lines if pipeline.check.search(line)] == expected
    for text in (document, re.sub("[\U00010000-\U0010ffff]", "", document)):
        found = [text[s:e].removesuffix("\n") for s, e in pipeline.dirty_lines(text)]
        assert found == [line for line in text.split("\n") if plain.search(line)]


def test_evidence_is_read_from_exactly_the_dirty_lines() -> None:
    seen: list[list[str]] = []

    def record(segments: Sequence[str]) -> Hashable:
        seen.append(list(segments))
        return len(segments)

    pipeline = Pipeline(
        (Step("upper_x", lambda t, evidence: _upper_x(t), (Trigger("x"),), record),)
    )
    assert pipeline.fix("ab\nax\nc\nxx") == "ab\naX\nc\nXX"
    # Once on the dirty lines; then on the dirty lines of the result (none
    # are left), as fixing the result would read them: the evidence changed, so
    # once more to see that it holds still.
    assert seen == [["ax\n", "xx"], [], []]


def test_fix_runs_again_when_the_repair_changes_the_evidence() -> None:
    def read_evidence(segments: Sequence[str]) -> Hashable:
        return any("y" in line for line in segments)

    def step(text: str, seen_y: Hashable) -> str:
        """x becomes y; z becomes w once the document shows a y."""
        text = text.replace("x", "y")
        return text.replace("z", "w") if seen_y else text

    pipeline = Pipeline((Step("xy", step, (Trigger("xz"),), read_evidence),))
    assert pipeline.fix("x z") == pipeline.fix_plain("x z") == "y w"
    assert pipeline.fix("y w") == "y w"


def _corpus_inputs() -> list[str]:
    """Every text input and truth of the repair cases and of the corpus, if present."""
    cases = load_cases()
    corpus = ROOT / "corpus" / "cases.jsonl"
    if corpus.exists():
        with corpus.open(encoding="utf-8") as lines:
            cases += [json.loads(line) for line in lines if line.strip()]
    # Byte inputs (input_base64) are for decoding; their truth is text.
    return [c[key] for c in cases for key in ("input", "expected", "truth") if key in c]


@pytest.mark.parametrize("name", sorted(textmend.PROFILES))
def test_fast_path_equals_plain_path_on_every_case_and_on_all_of_them_at_once(name: str) -> None:
    pipeline = compile_profile(textmend.PROFILES[name])
    inputs = _corpus_inputs()
    differing = [text for text in inputs if pipeline.fix(text) != pipeline.fix_plain(text)]
    assert differing == []
    # Hints come from the whole document: one text holding every case.
    document = "\n".join(inputs)
    assert pipeline.fix(document) == pipeline.fix_plain(document)


def _counting_upper_x() -> tuple[Pipeline, list[str]]:
    """A pipeline that makes every x upper case, and the texts its step was given."""
    calls: list[str] = []

    def counted(text: str) -> str:
        calls.append(text)
        return _upper_x(text)

    return Pipeline((Step("upper_x", counted, (Trigger("x"),)),)), calls


def test_a_repeated_line_is_worked_on_twice_then_cached_and_the_cache_is_bounded() -> None:
    pipeline, calls = _counting_upper_x()
    assert pipeline.fix("ax\n" * 5) == "aX\n" * 5
    # Worked on at its first and second sighting (cached then), then read
    # from the cache; "aX" no longer triggers the step in the second round.
    assert calls == ["ax\n", "ax\n"]
    pipeline.fix("".join(f"x{n}\n" for n in range(_CACHE_ENTRIES + 10)))
    assert len(pipeline._repeated_lines._seen) <= _CACHE_ENTRIES


def test_a_repeated_short_text_is_answered_whole_from_its_third_sighting() -> None:
    pipeline, calls = _counting_upper_x()
    # Two lines, each seen once per text: only a cache of whole texts helps.
    text = "ax\nbx"
    assert [pipeline.fix(text) for _ in range(4)] == ["aX\nbX"] * 4
    assert calls == ["bx", "ax\n"] * 2
    long = "x" * (_CACHE_MAX_CHARS + 1)
    for _ in range(3):
        pipeline.fix(long)
    assert calls[4:] == [long] * 3
    for n in range(_CACHE_ENTRIES + 10):
        pipeline.fix(f"x{n}")
    assert len(pipeline._repeated_texts._seen) <= _CACHE_ENTRIES


_CLASS_PIECES = st.sampled_from(
    ["-", "\\-", "\\\\", "\\]", "\\^", "\\[", "^", "a-c", "é-ü", "\U0001f600"]
)


@settings(max_examples=500)
@given(st.lists(_CLASS_PIECES | st.characters(exclude_characters="\\[]"), max_size=8).map("".join))
def test_class_members_read_directly_are_those_the_regex_engine_finds(body: str) -> None:
    assume(step_module._LITERAL_CLASS.fullmatch(body) is not None)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # "possible set difference"
            pattern = re.compile(f"[{body}]")
    except re.error:
        assume(False)
    assert step_module._members(body) == pattern.findall(step_module._BMP)
