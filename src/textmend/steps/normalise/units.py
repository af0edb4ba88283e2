"""Unit symbols, degree signs, number–unit spacing, full-width letters, fractions.

Compatibility characters are replaced by *one* level of their Unicode
decomposition, never by NFKC: ``㎡`` becomes ``m²`` (NFKC would give ``m2``).
Superscripts and subscripts (``m²``, ``H₂O``) are kept by every profile.
"""

from __future__ import annotations

import re
import unicodedata

from textmend.step import Step, Trigger

# CJK squared unit abbreviations; the ranges around them are Japanese words,
# era names and telegraph symbols, which stay.
_SQUARED_UNITS = [*range(0x32CC, 0x32CF), *range(0x3371, 0x337B), *range(0x3380, 0x33E0), 0x33FF]
_LETTERLIKE = [0x00B5, 0x2103, 0x2109, 0x2126, 0x212A, 0x212B]
# Inside a unit the script small l is the litre and the division slash a slash.
_PLAIN = str.maketrans({"ℓ": "l", "∕": "/"})


def _unit_table() -> dict[int, str]:
    table = {}
    for code in _SQUARED_UNITS + _LETTERLIKE:
        parts = unicodedata.decomposition(chr(code)).split()
        table[code] = "".join(chr(int(p, 16)) for p in parts if not p.startswith("<"))
    return {code: s.translate(_PLAIN) for code, s in table.items()}


_UNITS = {code: s for code, s in _unit_table().items() if code != 0x00B5}


def unit_symbols(text: str) -> str:
    """Spell compatibility unit symbols with ordinary letters, keeping superscripts.

    The micro sign becomes μ only as a unit prefix (``10µm``), not inside a
    word, where it is more likely a piece of mojibake (``æµ·``).

    >>> unit_symbols("25\\u2103, 40\\u33a1, 3\\u339e, 10\\u00b5m, 5\\u2126")
    '25°C, 40m², 3km, 10μm, 5Ω'
    """
    return _MICRO.sub("μ", text.translate(_UNITS))


_MICRO = re.compile(r"(?<![^\W\d_])µ(?=[A-Za-z])")


_GAP = "[ \u00a0\u202f]?"
_DEGREE = re.compile(rf"(?<=[0-9])({_GAP})(?:˚|[º∘](?={_GAP}[CF]\b))")


def degree_signs(text: str) -> str:
    """Turn a degree look-alike after a number into ``°``; an ordinal ``1º`` stays.

    The ring above (``˚``) is read as a degree after any number; the ordinal
    indicator (``º``) and the ring operator (``∘``) only before ``C`` or ``F``.

    >>> degree_signs("25º C, 25˚C, 45˚, el 1º puesto")
    '25° C, 25°C, 45°, el 1º puesto'
    """
    return _DEGREE.sub(r"\1°", text)


_UNIT_NAMES = (
    "km|cm|mm|μm|nm|kg|mg|ml|mL|kHz|MHz|GHz|Hz|kWh|kW|MW|kPa|hPa|MPa"
    "|kB|KB|MB|GB|TB|°C|°F|m²|km²|m³|cm³|mAh"
)
_NUMBER_UNIT = re.compile(
    rf"(?<![\w.,/:#@+\-−])([-−+±]?[0-9]+(?:[.,][0-9]+)?)(?=(?:{_UNIT_NAMES})(?!\w))"
)


def unit_spacing(text: str) -> str:
    """Put a space between a number and its unit (SI style), never inside identifiers.

    Only a known unit after a whole number counts: ``B2B``, ``4K``, ``mp3``,
    ``A4``, ``COVID-19``, ``v2.10``, hex and angles (``45°``) stay.

    >>> unit_spacing("10km at 25°C, -5°C, 45°, COVID-19, v2.10GB")
    '10 km at 25 °C, -5 °C, 45°, COVID-19, v2.10GB'
    """
    return _NUMBER_UNIT.sub(r"\1 ", text)


_FULLWIDTH_ALNUM = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF5B) if chr(code).isalnum()}


def fullwidth_alnum(text: str) -> str:
    """Turn full-width Latin letters and digits into ASCII.

    >>> fullwidth_alnum("Ｗｅｂ２０２４年")
    'Web2024年'
    """
    return text.translate(_FULLWIDTH_ALNUM)


def _fraction_table() -> dict[str, str]:
    codes = [0xBC, 0xBD, 0xBE, *range(0x2150, 0x215F), 0x2189]
    table = {}
    for code in codes:
        parts = unicodedata.decomposition(chr(code)).split()[1:]
        table[chr(code)] = "".join(chr(int(p, 16)) for p in parts).replace("⁄", "/")
    return table


_FRACTIONS = _fraction_table()
_FRACTION = re.compile(f"([0-9]?)([{''.join(_FRACTIONS)}])")


def vulgar_fractions(text: str) -> str:
    """Spell vulgar fractions in ASCII, keeping a whole number apart: ``1½`` → ``1 1/2``.

    >>> vulgar_fractions("1½ cups, ¾ full")
    '1 1/2 cups, 3/4 full'
    """
    return _FRACTION.sub(lambda m: (m[1] and m[1] + " ") + _FRACTIONS[m[2]], text)


UNIT_SYMBOLS = Step(
    "unit_symbols",
    unit_symbols,
    (Trigger("".join(chr(c) for c in _UNITS)), Trigger("µ", "[A-Za-z]")),
)
DEGREE_SIGNS = Step("degree_signs", degree_signs, (Trigger("˚º∘"),))
UNIT_SPACING = Step("unit_spacing", unit_spacing, (Trigger("0-9", f"(?:{_UNIT_NAMES})(?!\\w)"),))
FULLWIDTH_ALNUM = Step(
    "fullwidth_alnum", fullwidth_alnum, (Trigger("\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"),)
)
VULGAR_FRACTIONS = Step("vulgar_fractions", vulgar_fractions, (Trigger("".join(_FRACTIONS)),))
