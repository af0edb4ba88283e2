"""Telltale sequences: UTF-8 read as another encoding, in a shape clean text does not make.

A lead character followed by the continuation characters it needs is what
mojibake is made of, but clean text of some languages makes a few such pairs
by chance: Russian "Пётр" holds "Пё" (bytes CF B8 in Windows-1251), Greek
"νιά»" holds "ά»", French puts a no-break space between "é" and "»". Those
sit between characters that no UTF-8 could have become: "П" follows a
character that would need continuation bytes itself, or "ё" is followed by
one that lacks them ("т" then "р"). A telltale sequence is complete, sits
between characters that UTF-8 read as the same encoding can make, and is not
one of the few shapes clean typography makes: a no-break space opening a
three-byte sequence ("é\\xa0»"), or MacRoman's quotes and no-break space as
lead bytes.

>>> from textmend.step import trigger_regex
>>> check = trigger_regex(TELLTALE_TRIGGERS)
>>> [bool(check.search(t)) for t in ("cafÃ©", "Пётр", "РџС‘С‚СЂ", "ché\\xa0»,")]
[True, False, True, False]
"""

from __future__ import annotations

from collections.abc import Sequence

from textmend._ftfy import CHARMAP_ENCODINGS
from textmend.step import Trigger, bmp_class, char_class

# Lead bytes that clean typography makes in these encodings: MacRoman's
# “ ” ‘ ’ (D2-D5) before accented letters ("l’été"), and its no-break space
# (CA) before "°" or an accented letter.
_TYPOGRAPHIC_LEADS = {"macroman": b"\xca\xd2\xd3\xd4\xd5"}


# A sequence of letters only, inside a word of the script its lead shows, is
# a word of that script ("Úžas" and "vlášť" in Czech, "Ліні" in Ukrainian)
# unless the lead stands for letters of that same script: Latin-1 and Latin
# Extended behind an accented capital, Cyrillic behind "Р" and "С", Greek
# behind "Ξ" and "Ο" (Russian mojibake is full of "Рё", which is "и"). Inside
# a word of another script, it is damage ("fГјr" is "für" through
# Windows-1251). MacRoman's and code page 437's leads show no one script.
_LATIN = ("A-Za-z\\u00aa\\u00b5\\u00ba\\u00c0-\\u024f\\u1e00-\\u1eff", range(0xC2, 0xCC))
_SCRIPTS = {
    "latin-1": _LATIN,
    "sloppy-windows-1252": _LATIN,
    "sloppy-windows-1250": _LATIN,
    "sloppy-windows-1254": _LATIN,
    "sloppy-windows-1257": _LATIN,
    "iso-8859-2": _LATIN,
    "sloppy-windows-1251": ("\\u0400-\\u052f", range(0xD0, 0xD4)),
    "sloppy-windows-1253": ("\\u0370-\\u03ff\\u1f00-\\u1fff", range(0xCE, 0xD0)),
}
_LETTER = "[^\\W\\d_]"


def _chars(encoding: str, data: bytes) -> str:
    return char_class(data.decode(encoding))


def _not_a_word(length: int, script: str) -> str:
    """At the end of a sequence of ``length`` characters: they are not all
    letters with a letter of ``script`` right before or after them."""
    if not script:
        return ""
    letters = _LETTER * length
    return f"(?!(?<={letters})(?:(?<=[{script}]{'.' * length})|(?=[{script}])))"


def _telltale(encoding: str) -> tuple[str, str, str]:
    """One encoding's continuation characters, its lead characters, and what
    must follow a continuation character for it to end a telltale sequence
    (a lookbehind back to the lead, and the rest)."""
    typographic = _TYPOGRAPHIC_LEADS.get(encoding, b"")
    script, same = _SCRIPTS.get(encoding, ("", range(0)))
    cont = _chars(encoding, bytes(range(0x80, 0xC0)))
    # Characters of bytes that need continuation bytes, or are never UTF-8.
    high = _chars(encoding, bytes(range(0xC0, 0x100)))
    lead2 = _chars(encoding, bytes(range(0xC2, 0xE0)))
    lead3 = _chars(encoding, bytes(range(0xE0, 0xF0)))
    lead4 = _chars(encoding, bytes(range(0xF0, 0xF5)))
    own = _chars(encoding, bytes(b for b in range(0xC2, 0xE0) if b in same))
    other = _chars(encoding, bytes(b for b in range(0xC2, 0xE0) if b not in [*same, *typographic]))
    two = f"(?<=[{other}].){_not_a_word(2, script)}"
    if own:
        two = f"(?<=[{own}].)|{two}"
    # The lead is the character before the continuation that leads the check;
    # before it comes the start, ASCII, or the end of another sequence; after
    # the sequence, anything but the start of an incomplete one.
    leads = own + other + lead3 + lead4
    # Tested first, the lead fails fast where it is no lead of this encoding.
    rest = (
        f"(?<=[{leads}].)(?<=[{cont}])(?<=(?<![^\\x00-\\x7f{cont}])..)"
        f"(?:{two}|(?<=[{lead3}][^\\xa0])[{cont}]{_not_a_word(3, script)}"
        f"|(?<=[{lead4}].)[{cont}]{{2}})"
        f"(?:(?![{high}])|(?=[{lead2}][{cont}]|[{lead3}][{cont}]{{2}}|[{lead4}][{cont}]{{3}}))"
    )
    return cont, leads, rest


def telltale(encodings: Sequence[str]) -> Trigger:
    """The telltale sequences of these encodings, as one trigger led by their
    first continuation character.

    Led by the continuation, the check stops less often in clean text, whose
    letters are mostly lead characters; where it stops, one lookbehind for a
    lead character of any encoding passes over most stops (an accented letter
    after a plain one) before any encoding's own test.
    """
    parts = [_telltale(e) for e in encodings]
    conts = bmp_class(*(c for c, _, _ in parts))
    leads = bmp_class(*(lead for _, lead, _ in parts))
    each = "|".join(rest for _, _, rest in parts)
    before = f"(?<![^\\x00-\\x7f{conts}])"
    return Trigger(conts, f"(?<=[{leads}].)(?<=(?:{before})..)(?:{each})")


TELLTALE_TRIGGERS = (telltale(CHARMAP_ENCODINGS),)
