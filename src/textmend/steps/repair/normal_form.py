"""Unicode NFC: one spelling for each accented letter, never NFKC."""

from __future__ import annotations

import unicodedata

from textmend.step import Step, Trigger, char_class

# Planes 3 and up hold no character that NFC can change.
_LAST_CHANGEABLE = 0x30000


def _changeable() -> list[int]:
    """Code points whose presence NFC can change.

    That is: characters that are not NFC on their own, combining marks, and
    the second half of any canonical composition (Hangul jamo included).
    Computed from the running Python's Unicode tables, so the trigger always
    matches the ``unicodedata.normalize`` it guards.
    """
    codes: set[int] = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    # 200,000 code points at every import: the lookups are bound once, and
    # the many with no decomposition are passed over before any split.
    combining, decomposition = unicodedata.combining, unicodedata.decomposition
    for code in range(0xA0, _LAST_CHANGEABLE):
        char = chr(code)
        if combining(char):
            codes.add(code)
            continue
        found = decomposition(char)
        if not found or found[0] == "<":
            continue  # none, or only a compatibility one: NFC leaves it
        parts = found.split()
        if len(parts) == 2:
            codes.add(int(parts[1], 16))
        if not unicodedata.is_normalized("NFC", char):
            codes.add(code)
    return sorted(codes)


def _triggers() -> tuple[Trigger, ...]:
    codes = _changeable()
    bmp = [c for c in codes if c <= 0xFFFF]
    astral = [c for c in codes if c > 0xFFFF]
    # The regex engine tests ranges beyond the BMP one by one: lead with one
    # coarse range and check the exact ones only where it matched.
    return (
        Trigger(char_class(map(chr, bmp))),
        Trigger("\\U00010000-\\U0010ffff", f"(?<=[{char_class(map(chr, astral))}])"),
    )


def nfc(text: str) -> str:
    """Apply Unicode NFC, which changes no meaning (unlike NFKC).

    >>> nfc("cafe\\u0301") == "caf\\u00e9"
    True
    """
    return unicodedata.normalize("NFC", text)


NFC = Step("nfc", nfc, _triggers())
