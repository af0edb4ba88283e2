"""The mojibake triggers: led from either side, they match the same lines."""

from __future__ import annotations

import pytest
from ftfy.chardata import CHARMAP_ENCODINGS
from hypothesis import given, settings
from hypothesis import strategies as st

from textmend.step import trigger_regex
from textmend.steps.repair import mojibake, sequences

_SAMPLE = "Le café “déjà” vu — Город «Москва» Αθήνα 東京 ?\ufffd\x1a \xa0"
_PIECES = st.sampled_from(["\n", " ", "?", *_SAMPLE])


def _mojibake_of(text: str, encoding: str) -> str:
    return text.encode("utf-8").decode(encoding)


line_parts = st.lists(
    _PIECES
    | st.builds(_mojibake_of, st.text(_SAMPLE, max_size=3), st.sampled_from(CHARMAP_ENCODINGS)),
    max_size=20,
).map("".join)


@pytest.mark.parametrize("encoding", CHARMAP_ENCODINGS)
@pytest.mark.parametrize("lossy", [False, True])
@settings(max_examples=300)
@given(text=line_parts)
def test_led_by_continuation_bytes_the_triggers_match_the_same_lines(
    encoding: str, lossy: bool, text: str
) -> None:
    natural = trigger_regex(sequences.utf8_sequences([encoding], lossy))
    flipped = trigger_regex(
        sequences.utf8_sequences([encoding], lossy, lead_with_continuation=True)
    )
    for line in text.split("\n"):
        assert bool(natural.search(line)) == bool(flipped.search(line)), line


@settings(max_examples=500)
@given(text=line_parts)
def test_the_declared_triggers_cover_every_line_the_step_repairs(text: str) -> None:
    declared = trigger_regex(mojibake.MOJIBAKE.triggers)
    for line in text.split("\n"):
        if sequences.UTF8_CHECK.search(line):
            assert declared.search(line), line


def test_repair_lines_end_at_line_feeds_only() -> None:
    text = "Ã\x85a\nb\x1cc\u2028d\n"
    assert list(sequences.text_lines(text)) == ["Ã\x85a\n", "b\x1cc\u2028d\n"]
