"""Mojibake: ftfy underneath, plus the residue and context ftfy cannot see.

Three steps live here:

- ``lossy_residue``: the remains of a lossy or half-done repair, such as
  ``â€`` whose third byte Windows-1252 dropped, or ``†`` made from ``â€`` and a
  space. Repaired only where the line (quote pairing, word position) or the
  document shows what the character was.
- ``mojibake``: classic mojibake, line by line, through ``ftfy.fix_encoding``.
- the document context of ``mojibake``: when other lines of a document were
  confidently repaired through one encoding, weaker lines are read the same way.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from functools import lru_cache

import ftfy
from ftfy.chardata import CHARMAP_ENCODINGS

from textmend.pipeline import Step, Trigger, trigger_regex

_CACHE = 4096


def _byte_chars(encoding: str, first: int, last: int) -> str:
    """The characters bytes ``first..last`` decode to, as a class body."""
    chars = bytes(range(first, last + 1)).decode(encoding)
    return "".join("\\" + c if c in "\\]^-[" else c for c in sorted(set(chars)))


def _utf8_triggers() -> tuple[Trigger, ...]:
    """Where UTF-8 read as one of ftfy's single-byte encodings can show.

    A lead byte must be followed by enough continuation bytes, where a
    continuation may also be a space (a lost no-break space), ``?`` or ``�``
    (a lost byte): the forms ``ftfy.fix_encoding`` can act on.
    """
    leads2, leads3, leads4, conts = set(), set(), set(), set("?\ufffd\x1a")
    for encoding in CHARMAP_ENCODINGS:
        leads2.update(bytes(range(0xC0, 0xE0)).decode(encoding))
        leads3.update(bytes(range(0xE0, 0xF0)).decode(encoding))
        leads4.update(bytes(range(0xF0, 0xF5)).decode(encoding))
        conts.update(bytes(range(0x80, 0xC0)).decode(encoding))
    cont = "[" + _escape(conts | {" "}) + "]"
    return (
        Trigger(_escape(leads2), cont),
        Trigger(_escape(leads3), cont * 2),
        Trigger(_escape(leads4), cont * 3),
    )


def _escape(chars: set[str]) -> str:
    return "".join("\\" + c if c in "\\]^-[" else c for c in sorted(chars))


_UTF8_TRIGGERS = _utf8_triggers()
_UTF8_CHECK = trigger_regex(_UTF8_TRIGGERS)


@lru_cache(maxsize=_CACHE)
def _fix_line(line: str) -> str:
    return ftfy.fix_encoding(line)


def mojibake(text: str, hint: Hashable = None) -> str:
    """Repair UTF-8 that was decoded as a single-byte encoding, line by line.

    >>> mojibake("The Mona Lisa doesnâ€™t have eyebrows.")
    'The Mona Lisa doesn’t have eyebrows.'
    """
    lines = text.splitlines(keepends=True) if "\n" in text else [text]
    return "".join(_fix_line(line) if _UTF8_CHECK.search(line) else line for line in lines)


def _mojibake_hint(segments: Sequence[str]) -> Hashable:
    return None


MOJIBAKE = Step("mojibake", mojibake, _UTF8_TRIGGERS, _mojibake_hint)
