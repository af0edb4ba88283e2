"""The pipeline: derived check, fast path, cache, explain records, profiles."""

from __future__ import annotations

import pickle

import pytest

import textmend
from textmend.pipeline import Change, Pipeline, Step, Trigger, apply_changes, trigger_regex


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


def test_apply_changes_refuses_changes_from_another_text() -> None:
    with pytest.raises(ValueError, match="does not apply"):
        apply_changes("abc", [Change("html_entities", 0, 1, "z", "y")])


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


def test_fix_refuses_bytes_with_a_pointer_to_fix_bytes() -> None:
    with pytest.raises(TypeError, match="fix_bytes"):
        textmend.fix(b"bytes")  # type: ignore[arg-type]


def test_every_step_has_a_description() -> None:
    for name, step in textmend.STEPS.items():
        assert step.name == name
        assert step.description
