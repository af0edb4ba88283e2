"""Unicode NFC: one spelling for each accented letter, never NFKC."""

from __future__ import annotations

import unicodedata

from textmend.step import Step, Trigger, char_class

# Planes 3 and up hold no character that NFC can change.
_LAST_CHANGEABLE = 0x30000


def _changeable() -> tuple[list[int], list[int], list[int], dict[int, int]]:
    """What NFC can change: characters alone, characters after others, marks in order.

    Alone: characters that are not NFC on their own, Hangul jamo, and
    combining marks and second halves of a composition beyond the BMP.
    After others: the second half of a composition NFC makes, which can join
    only a character right before it that is a first half or decomposes, or,
    if it is a mark, one across other marks (a Bengali vowel sign after a
    consonant or a nukta is just that). The
    marks left map to their combining class: NFC reorders a mark after one of
    a higher class, and does nothing else to it (clean Arabic puts several
    in a row, in order); after a letter whose decomposition ends in a higher
    class it comes back the same, as only a second half could join the base
    instead. Computed from the running Python's Unicode tables, so the
    triggers always match the ``unicodedata.normalize`` they guard.
    """
    alone: set[int] = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    seconds: set[int] = set()
    before: set[int] = set()
    marks: dict[int, int] = {}
    # 200,000 code points at every import: the lookups are bound once, and
    # the many with no decomposition are passed over before any split.
    combining, decomposition = unicodedata.combining, unicodedata.decomposition
    for code in range(0xA0, _LAST_CHANGEABLE):
        char = chr(code)
        found = decomposition(char)
        if found and found[0] != "<":  # a canonical decomposition
            before.add(code)
            parts = found.split()
            if not unicodedata.is_normalized("NFC", char):
                alone.add(code)
            elif len(parts) == 2:  # a composition NFC makes
                before.add(int(parts[0], 16))
                seconds.add(int(parts[1], 16))
        mark = combining(char)
        if mark and code > 0xFFFF:
            alone.add(code)
        elif mark:
            marks[code] = mark
    alone.update(c for c in seconds if c > 0xFFFF)
    seconds = {c for c in seconds if c not in alone}
    return sorted(alone), sorted(seconds), sorted(before), marks


def _triggers() -> tuple[Trigger, ...]:
    alone, seconds, before, marks = _changeable()
    bmp = [c for c in alone if c <= 0xFFFF]
    astral = [c for c in alone if c > 0xFFFF]
    # Marks that are second halves have a trigger of their own.
    lower = {c: k for c, k in marks.items() if c not in alone and c not in seconds}
    # At a mark of class k, a mark of a higher class right before it.
    out_of_order = "|".join(
        f"(?<=[{char_class(chr(c) for c, above in marks.items() if above > k)}]"
        f"[{char_class(chr(c) for c, own in lower.items() if own == k)}])"
        for k in sorted(set(lower.values()))
        if k < max(marks.values())
    )
    # The regex engine tests ranges beyond the BMP one by one: lead with one
    # coarse range and check the exact ones only where it matched.
    return (
        Trigger(char_class(map(chr, bmp))),
        # A second half that is a mark may join a first half across marks
        # of a lower class; one that is not joins only the character before.
        Trigger(
            char_class(chr(c) for c in seconds if c in marks),
            f"(?<=[{char_class(map(chr, [*before, *marks]))}].)",
        ),
        Trigger(
            char_class(chr(c) for c in seconds if c not in marks),
            f"(?<=[{char_class(map(chr, before))}].)",
        ),
        Trigger(
            char_class(map(chr, lower)), f"(?<=[{char_class(map(chr, marks))}].)(?:{out_of_order})"
        ),
        Trigger("\\U00010000-\\U0010ffff", f"(?<=[{char_class(map(chr, astral))}])"),
    )


def nfc(text: str) -> str:
    """Apply Unicode NFC, which changes no meaning (unlike NFKC).

    >>> nfc("cafe\\u0301") == "caf\\u00e9"
    True
    """
    return unicodedata.normalize("NFC", text)


NFC = Step("nfc", nfc, _triggers())
