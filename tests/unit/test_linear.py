"""Lines that once took time super-linear in their length.

Archives hold lines of a megabyte and more; one that is worked on once per
character, or copied once per match, stalls a whole run. Each test counts
the work done (characters copied or scanned, built-in calls made) or shows
the structure that keeps it linear; none times anything.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any, SupportsIndex

import pytest

import textmend
from textmend.io.lines import line_blocks
from textmend.steps.normalise import punctuation, whitespace
from textmend.steps.repair import entities, mojibake, residue


class _Counted(str):
    """A str that counts the characters its slices copy."""

    copied = 0

    def __getitem__(self, key: SupportsIndex | slice) -> str:
        piece = super().__getitem__(key)
        if isinstance(key, slice):
            _Counted.copied += len(piece)
        return piece


def _copied(call: Callable[[_Counted], object], text: str) -> int:
    """How many characters ``call`` copies by slicing ``text``."""
    _Counted.copied = 0
    call(_Counted(text))
    return _Counted.copied


def _c_calls_made_by(function: Callable[..., Any], call: Callable[[], object]) -> int:
    """How many built-in functions ``function`` calls itself while ``call`` runs."""
    code = function.__code__
    count = 0

    def profile(frame: Any, event: str, arg: object) -> None:
        nonlocal count
        if event == "c_call" and frame.f_code is code:
            count += 1

    sys.setprofile(profile)
    try:
        call()
    finally:
        sys.setprofile(None)
    return count


def test_mojibake_hides_the_holes_of_a_line_in_one_pass() -> None:
    # Each "â€?" was replaced by the mask in turn, each replace copying the
    # whole line: quadratic on a line of holes (x3.6 per doubling at 64k).
    def calls(holes: int) -> int:
        line = "a â€?" * holes
        return _c_calls_made_by(mojibake._ftfy_line, lambda: mojibake._ftfy_line(line))

    assert calls(1000) == calls(10)


class _Scanned:
    """A compiled pattern that counts the characters its searches start from."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.scanned = 0

    def search(self, string: str, pos: int = 0) -> re.Match[str] | None:
        self.scanned += len(string) - pos
        return self.pattern.search(string, pos)

    def finditer(self, string: str, pos: int = 0) -> Any:
        self.scanned += len(string) - pos
        return self.pattern.finditer(string, pos)


@pytest.mark.parametrize(
    "piece",
    [
        " â€a",  # dropped: searched the rest of the line for a hole closing it
        " â€?a",  # closes_later: copied the rest of the line
        "â€?",  # from_evidence: copied the line up to the hole
        "xâ€? ",
    ],
)
def test_lossy_residue_looks_at_a_line_of_holes_a_bounded_number_of_times(
    piece: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each hole of a line of 16,000 characters of " â€a" searched the rest of
    # it: 1.2 s, x4 per doubling.
    scanned = _Scanned(residue._DROPPED_HOLE_RE)
    monkeypatch.setattr(residue, "_DROPPED_HOLE_RE", scanned)
    line = piece * 2000
    evidence = residue._Residue(confirmed=True, seen=frozenset("—…•"))
    copied = _copied(lambda text: residue._Line(text, evidence).run().text(), line)
    assert copied + scanned.scanned <= 2 * len(line)


def test_trailing_spaces_are_looked_for_from_the_start_of_a_run_only() -> None:
    # Tried at each space of a run that a word ends, a pattern scans the rest
    # of the run from each: 16,000 spaces before a word took 5.6 s in llm,
    # x4 per doubling, half in the check and half in the step. Started only
    # at a run's first character, each run is scanned once.
    trigger = re.compile(whitespace.TRAILING_SPACES.triggers[0].pattern)
    for pattern in (whitespace._TRAILING, trigger):
        assert pattern.search("a   b\n", 2) is None
        assert pattern.search("a   \n", 2) is None
        assert pattern.search("a   \n").start() == 1  # type: ignore[union-attr]
    assert textmend.fix("a" + " " * 100 + "b  \n", "llm") == "a" + " " * 100 + "b\n"


def test_html_entities_copies_nothing_at_each_amp() -> None:
    # What follows "&amp;" was read from "&" + a copy of the rest of the
    # text: quadratic on a line of "&amp;" (x3.2 per doubling at 128k).
    assert _copied(entities.html_entities, "&amp;" * 2000 + "&amp;eacute;") == 0
    assert entities.html_entities("&amp;" * 3 + "&amp;eacute;") == "&&&é"


class _Piece(bytes):
    """A piece of a byte stream that counts the bytes ``bytes + piece`` copies."""

    copied = 0

    def __radd__(self, other: object) -> bytes:
        if not isinstance(other, bytes):
            return NotImplemented  # a bytearray grows in place
        _Piece.copied += len(other)
        return other + bytes(self)


def test_a_line_that_spans_many_pieces_of_a_stream_is_not_copied_at_each() -> None:
    # The CLI reads a compressed or piped file in pieces of 1 MiB and regroups
    # them into lines: a line kept as bytes was copied whole at each piece,
    # quadratic in its length (a 64 MB line in pieces of 64 KiB took 16 s).
    _Piece.copied = 0
    pieces = [_Piece(b"x" * 1000) for _ in range(100)] + [_Piece(b"\nend")]
    blocks = list(line_blocks(pieces, size=1 << 20))
    assert b"".join(blocks) == b"x" * 100_000 + b"\nend"
    assert _Piece.copied <= 100_000


def test_guillemets_split_the_text_between_two_guillemets_one_way() -> None:
    # A pair of gaps and the text between them could share a run of spaces
    # every way; the pair failing at its end tried them all, a cube of the
    # run's length (400 spaces: 0.2 s; these 3000 would take over a minute).
    spaces = " " * 3000
    assert punctuation.guillemets("« " + spaces + "»x") == "« " + spaces + '"x'
    assert punctuation.guillemets("« " + spaces + "a" + spaces + "» ") == '"a" '
    assert punctuation.guillemets("«\u202f\u00a0»") == '""'


def test_curl_quotes_looks_for_quoted_tokens_from_their_start_only() -> None:
    # Tried at each character of a long token with no quote, \S* scanned
    # the rest of the token from each: 16,000 letters before " '" took 1.2 s.
    assert punctuation._CODE_TOKEN.match("ab'", 1) is None
    assert punctuation._CODE_TOKEN.findall("x a=b' ab\"c") == ["a=b'", 'ab"c']
    assert punctuation.curl_quotes("a" * 20_000 + " 'b'") == "a" * 20_000 + " ‘b’"
