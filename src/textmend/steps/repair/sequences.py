"""UTF-8 sequences as other encodings show them.

The character tables and triggers that the two repair steps (``mojibake``
and ``lossy_residue``) share: which characters a lead or a continuation byte
becomes when UTF-8 is read as one of ftfy's single-byte encodings, and the
check for a line that holds such a sequence.

>>> has_sequence("caf√© au lait"), has_sequence("café au lait")
(True, False)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from textmend._ftfy import CHARMAP_ENCODINGS
from textmend.step import Trigger, bmp_class, char_class, trigger_regex


def decoded(encoding: str, first: int, last: int) -> set[str]:
    """The characters that bytes ``first`` to ``last`` decode to."""
    return set(bytes(range(first, last + 1)).decode(encoding))


def classes(encodings: Sequence[str], *ranges: tuple[int, int]) -> list[str]:
    """For each byte range, a class body of what it decodes to in any encoding."""
    return [
        char_class({c for e in encodings for c in decoded(e, first, last)})
        for first, last in ranges
    ]


def _pair(first: str, second: str, rest: str, lead_with_second: bool) -> Trigger:
    """``[first][second]rest``, led by ``second`` if asked: the rarer of the two.

    Which character leads changes the speed of the check, never what it matches.
    """
    if lead_with_second:
        return Trigger(second, f"(?<=[{first}][{second}]){rest}")
    return Trigger(first, f"[{second}]{rest}")


# Lead bytes not read through an encoding: in MacRoman, D2-D5 are “ ” ‘ ’,
# which clean French and English put before accented letters ("l’été"),
# while the text they would decode to (Armenian, rare Cyrillic letters) is
# hardly ever seen through MacRoman.
_UNREPAIRED_LEADS = {"macroman": b"\xd2\xd3\xd4\xd5"}


def utf8_sequences(
    encodings: Sequence[str], lossy: bool = False, lead_with_continuation: bool = False
) -> tuple[Trigger, ...]:
    """Triggers for UTF-8 sequences as they look when read as ``encodings``.

    A lead byte must be followed by enough continuation bytes. With ``lossy``
    the forms ftfy also acts on are included: a space for a lost no-break
    space (ftfy never assumes that of MacRoman), ``?`` or ``�`` for a lost byte.
    With ``lead_with_continuation`` the triggers start, where they can, at
    the continuation byte instead; they match the same lines.
    """
    flip = lead_with_continuation
    lead3, lead4, cont = classes(encodings, (0xE0, 0xEF), (0xF0, 0xF4), (0x80, 0xBF))
    lead2 = char_class(
        {
            bytes([b]).decode(e)
            for e in encodings
            for b in range(0xC0, 0xE0)
            if b not in _UNREPAIRED_LEADS.get(e, b"")
        }
    )
    if not lossy:
        pairs = (
            _pair(lead2, cont, "", flip),
            _pair(lead3, cont, f"[{cont}]", flip),
            _pair(lead4, cont, f"[{cont}]{{2}}", flip),
        )
        return _behind_one_test(pairs, f"{lead2}{lead3}{lead4}") if flip else pairs
    lost = f"{cont}?\ufffd\x1a"
    sequences: tuple[Trigger, ...] = (
        _pair(lead2, f"{cont}\ufffd\x1a", "", flip),
        _pair(lead3, lost, f"[{lost}]", flip),
        _pair(lead4, lost, f"[{lost}]{{2}}", flip),
    )
    others: tuple[Trigger, ...] = (Trigger(classes(encodings, (0xC2, 0xC3))[0], "[?]"),)
    a0 = [e for e in encodings if e != "macroman"]
    a0_lead2 = char_class({bytes([b]).decode(e) for e in a0 for b in b"\xc2\xc3\xc5\xce\xd0\xd9"})
    a0_lead3, a0_lead4, a0_cont = classes(a0, (0xE0, 0xE3), (0xF0, 0xF0), (0x80, 0xBF))
    if a0:
        # ftfy's ALTERED_UTF8_RE: where a space may stand for byte A0.
        others += (Trigger(a0_lead2, " "), Trigger(a0_lead4, f"[{a0_cont} ]{{3}}"))
        if flip:
            sequences += (
                Trigger(a0_cont, f"(?<=[{a0_lead3}] [{a0_cont}])"),
                _pair(a0_lead3, a0_cont, " ", True),
            )
        else:
            sequences += (Trigger(a0_lead3, f" [{a0_cont}]|[{a0_cont}] "),)
    if flip:
        sequences = _behind_one_test(sequences, f"{lead2}{lead3}{lead4}{a0_lead3} ")
    return sequences + others


def _behind_one_test(led: tuple[Trigger, ...], before: str) -> tuple[Trigger, ...]:
    """Continuation-led triggers joined into one, behind one lookbehind.

    Every trigger in ``led`` needs a character of ``before`` right before the
    one it starts at: testing that once makes each stop of the check cheap.
    """
    chars = bmp_class(*(t.chars for t in led))
    follows = "|".join(f"(?:{t.followed_by})" for t in led)
    return (Trigger(chars, f"(?<=[{bmp_class(before)}].)(?:{follows})"),)


# Merged over all of ftfy's encodings: a superset that keeps the fast check
# short. The step itself looks closer before calling ftfy. Lead bytes decode
# to everyday letters (Cyrillic, Greek, accented Latin) or punctuation
# (MacRoman's “”‘’–—), continuation bytes mostly to rarer symbols: a check led
# by the continuation byte stops far less often in clean text.
UTF8_TRIGGERS = utf8_sequences(CHARMAP_ENCODINGS, lossy=True, lead_with_continuation=True)
# Exact per encoding, so with many triggers: compiled without dispatch, in
# 40 ms at import rather than 0.4 s, for a check of lines, not documents.
UTF8_CHECK = trigger_regex(
    [
        t
        for e in CHARMAP_ENCODINGS
        for t in utf8_sequences([e], lossy=True, lead_with_continuation=True)
    ],
    dispatch=False,
)


def reread(text: str, encoding: str) -> str | None:
    """``text`` written in ``encoding`` and read back as UTF-8, if it is UTF-8.

    >>> reread("cafÃ©", "sloppy-windows-1252"), reread("café", "latin-1")
    ('café', None)
    """
    try:
        return text.encode(encoding).decode("utf-8")
    except UnicodeError:
        return None


def rereadings(text: str) -> Iterator[tuple[str, str]]:
    """Each of ftfy's encodings that ``text`` rereads through, with the result."""
    for encoding in CHARMAP_ENCODINGS:
        fixed = reread(text, encoding)
        if fixed is not None:
            yield encoding, fixed


# The same line is asked about by the evidence, the step and the repair in a
# row; a few answers kept are enough.
@lru_cache(maxsize=64)
def has_sequence(line: str) -> bool:
    """Whether a line holds a UTF-8 sequence as some encoding shows it."""
    return UTF8_CHECK.search(line) is not None


_LINE = re.compile(r"[^\n]*\n|[^\n]+")


def text_lines(text: str) -> Iterator[str]:
    # Lines end at "\n" only, as the pipeline's do: str.splitlines would also
    # cut at "\x85" and "\x1c", which mojibake is full of.
    return iter(_LINE.findall(text)) if "\n" in text[:-1] else iter((text,))


# What Windows-1252 (sloppily, C1 included) makes of continuation bytes.
CONT_1252 = char_class(decoded("sloppy-windows-1252", 0x80, 0xBF))
# After "â€", a continuation in any of ftfy's encodings completes a sequence
# ("â€ś" is “ read as Windows-1250); anything else means a byte is gone.
CONT_ANY = classes(CHARMAP_ENCODINGS, (0x80, 0xBF))[0]
# Characters that may be part of a complete mis-decoded sequence.
HIGH_ANY_SET = {c for e in CHARMAP_ENCODINGS for c in decoded(e, 0x80, 0xFF)}
MARKERS = "?\ufffd"
