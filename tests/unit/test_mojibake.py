"""Repairing single-byte mojibake by re-encoding gives what ftfy gives."""

from __future__ import annotations

import json
import os

import ftfy
from ftfy.badness import is_bad
from ftfy.chardata import ALTERED_UTF8_RE, CHARMAP_ENCODINGS, LOSSY_UTF8_RE
from hypothesis import example, given, settings
from hypothesis import strategies as st
from support import ROOT, load_cases
from test_properties import prone_text

from textmend.steps.repair import mojibake

_WORDS = [
    "\ufdd0",
    "â€ ",
    "São",
    "Zürich",
    "naïve",
    "“quoted”",
    "it’s",
    "€5",
    "Ελλάδα",
    "Москва",
    "🎉",
    "—",
    "½",
]


@st.composite
def _misread(draw: st.DrawFn) -> str:
    """Prose written as UTF-8 and read back through one or two of ftfy's encodings."""
    text = " ".join(draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8)))
    for encoding in draw(st.lists(st.sampled_from(CHARMAP_ENCODINGS), min_size=1, max_size=2)):
        text = text.encode("utf-8").decode(encoding, errors="replace")
    return text


# A line that no encoding decodes whole: misread pieces among clean ones.
_mixed = st.lists(_misread() | st.sampled_from(_WORDS), min_size=2, max_size=5).map(" ".join)


def _agrees_with_ftfy(line: str) -> None:
    short = mojibake._ftfy_by_reencoding(line)
    if short is None:
        return  # ftfy decides
    full = ftfy.fix_encoding_and_explain(line)
    assert short.text == full.text
    assert [s for s in short.explanation if s.action != "transcode"] == [
        s for s in full.explanation or [] if s.action != "transcode"
    ]


@settings(max_examples=int(os.environ.get("TEXTMEND_EXAMPLES", "400")))
@given(_misread() | _mixed | prone_text)
# ” is a MacRoman lead byte, which has_sequence passes over: ftfy reads on.
@example("â€\x9dÃ©")
def test_the_short_way_gives_what_ftfy_gives(line: str) -> None:
    _agrees_with_ftfy(line)


def test_the_short_way_and_the_badness_check_agree_with_ftfy_on_every_corpus_line() -> None:
    corpus = (ROOT / "corpus" / "cases.jsonl").read_text(encoding="utf-8").split("\n")
    inputs = [json.loads(c).get("input", "") for c in corpus if c] + [
        c["input"] for c in load_cases()
    ]
    lines = {ln for text in inputs for ln in text.split("\n")}
    for line in sorted(lines):
        _agrees_with_ftfy(line)
        assert mojibake._is_bad(line) == is_bad(line)


_BYTES = list(b" ?\x1a\xc2\xc3\xc5\xe2\xe3\xed\xf0\x80\x85\xa0\xbf")


@settings(max_examples=2000)
@given(st.binary(max_size=12) | st.lists(st.sampled_from(_BYTES), max_size=10).map(bytes))
def test_the_byte_checks_match_ftfys_expressions(data: bytes) -> None:
    ours = mojibake._ALTERED_UTF8_RE.search(data)
    assert (ours is None) == (ALTERED_UTF8_RE.search(data) is None)
    assert mojibake._lossy(data) == (LOSSY_UTF8_RE.search(data) is not None)


@settings(max_examples=1500)
@given(_misread() | prone_text | st.text())
def test_the_quick_badness_check_says_what_ftfys_says(text: str) -> None:
    assert mojibake._is_bad(text) == is_bad(text)
    clean = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    assert mojibake._is_bad(clean) == is_bad(clean)


def test_the_common_blocks_hold_no_rare_letter() -> None:
    chars = "".join(
        chr(code)
        for first, last in mojibake._COMMON_RANGES
        for code in range(first, last + 1)
        if not 0xD800 <= code <= 0xDFFF
    )
    assert mojibake._COMMON_BLOCKS.fullmatch(chars)
    assert mojibake._RARE_LETTER.findall(chars) == []
