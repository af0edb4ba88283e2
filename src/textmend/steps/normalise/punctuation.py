"""Quotes, primes, dashes, ellipses, bullets, guillemets and full-width punctuation.

Curly quotes are correct typography: no preset curls or straightens them
except ``ascii``. ``curl_quotes`` is there to switch on; it acts only where
the reading is unambiguous (see its docstring). Primes (``5′ 11″``) are not
quotes: they are never curled, and ``ascii_primes`` spells them ``'`` and ``"``.
"""

from __future__ import annotations

import re

from textmend.step import Step, Trigger

_STRAIGHT = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'"} | dict.fromkeys("“”„‟", '"'))


def straighten_quotes(text: str) -> str:
    """Turn curly quotes and apostrophes into ASCII ``'`` and ``"``.

    >>> straighten_quotes("“It’s ‘fine’”")
    '"It\\'s \\'fine\\'"'
    """
    return text.translate(_STRAIGHT)


_PRIMES = str.maketrans({"′": "'", "″": '"', "‴": "'''", "⁗": "''''"})


def ascii_primes(text: str) -> str:
    """Spell prime marks (feet and inches, minutes and seconds) as ``'`` and ``"``.

    >>> ascii_primes("5′ 11″")
    '5\\' 11"'
    """
    return text.translate(_PRIMES)


_QUOTES = "'\"‘’“”"
_APOSTROPHE = re.compile(
    r"(?<=[^\W\d_])(?<![\u0590-\u05ff])'(?=[^\W\d_])"  # don't, l'homme; not a Hebrew geresh
    r"|(?<=\d)'(?=s\b)|(?<![\w'])'(?=\d\ds\b)"  # 1990's, '90s
    r"|(?<!\S)'(?=n'(?!\S))|(?<=(?<!\S)'n)'(?!\S)"  # rock 'n' roll
)
_FEET_INCHES = re.compile(r"\d'\s?\d+(?:\.\d+)?\"")
# From a token's start only: tried inside a long token with no quote, \S*
# scanned the rest of it from each character (quadratic).
_CODE_TOKEN = re.compile(r"(?<!\S)\S*['\"]\S*")
_CODE_SIGN = re.compile(r"[=`{}\[\]<>\\|$@#_~^]|\w\(")
_OPENS_AFTER = set(" \t\r\u00a0\u202f([{—–-/")
_CLOSES_BEFORE = set(" \t\r\u00a0\u202f.,;:!?)]}—–-/…")
_LINE = re.compile(r"[^\n]+")


def _neighbours(line: str, pos: int) -> tuple[str, str]:
    """The characters around ``pos``, looking through any quote marks."""
    before = pos - 1
    while before >= 0 and line[before] in _QUOTES:
        before -= 1
    after = pos + 1
    while after < len(line) and line[after] in _QUOTES:
        after += 1
    return (line[before] if before >= 0 else " "), (line[after] if after < len(line) else " ")


def _curl(line: list[str], mark: str, opening: str, closing: str, skip: set[int]) -> None:
    """Curl ``mark`` on the line if every one reads as strictly alternating open, close."""
    text = "".join(line)
    places = [i for i, c in enumerate(line) if c == mark and i not in skip]
    for n, pos in enumerate(places):
        before, after = _neighbours(text, pos)
        opens = before in _OPENS_AFTER and not after.isspace()
        closes = not before.isspace() and after in _CLOSES_BEFORE
        if opens == closes or opens != (n % 2 == 0):
            return
    if len(places) % 2:
        return
    for n, pos in enumerate(places):
        line[pos] = opening if n % 2 == 0 else closing


def _curl_line(match: re.Match[str]) -> str:
    text = match.group()
    if any(_CODE_SIGN.search(token) for token in _CODE_TOKEN.findall(text)):
        return text
    text = _APOSTROPHE.sub("’", text)
    skip = {m.start() + i for m in _FEET_INCHES.finditer(text) for i in range(m.end() - m.start())}
    line = list(text)
    _curl(line, '"', "“", "”", skip)
    _curl(line, "'", "‘", "’", skip)
    return "".join(line)


def curl_quotes(text: str) -> str:
    """Make straight quotes typographic where their reading is unambiguous.

    Apostrophes inside words become ``’``. Quote marks on a line are curled
    only if they all read as strictly alternating openings and closings; a
    line with code (``=``, brackets, backslashes, ``f(``...) next to a quote,
    and prime marks after digits (``5'11"``), are left alone.

    >>> curl_quotes("\\"It's 'here',\\" she said.")
    '“It’s ‘here’,” she said.'
    >>> curl_quotes('print("hi")')
    'print("hi")'
    """
    return _LINE.sub(_curl_line, text)


_HYPHENS = str.maketrans(dict.fromkeys("\u2010\u2011\u2012", "-"))


def hyphens(text: str) -> str:
    """Turn the Unicode hyphen, no-break hyphen and figure dash into ``-``.

    >>> hyphens("well\\u2010known 555\\u20121234")
    'well-known 555-1234'
    """
    return text.translate(_HYPHENS)


_MINUS_IN_NUMBER = re.compile("\u2212(?=[0-9])")


def minus_sign(text: str) -> str:
    """Turn the minus sign before a digit into ``-``; a minus in ``a − b`` stays.

    >>> minus_sign("\\u22125 °C, a \\u2212 b")
    '-5 °C, a − b'
    """
    return _MINUS_IN_NUMBER.sub("-", text)


_DASHES = str.maketrans({"\u2013": "-", "\u2014": "--", "\u2015": "--", "\u2212": "-"})


def ascii_dashes(text: str) -> str:
    """Spell the en dash and minus as ``-``, the em dash and horizontal bar as ``--``.

    >>> ascii_dashes("1990\\u20132000 \\u2014 yes")
    '1990-2000 -- yes'
    """
    return text.translate(_DASHES)


def ellipsis(text: str) -> str:
    """Spell the ellipsis character as three full stops.

    >>> ellipsis("Wait\\u2026")
    'Wait...'
    """
    return text.replace("\u2026", "...")


_BULLETS = {"•": "*", "‣": "*", "◦": "*", "⁃": "-"}
# Text taken from PDFs typeset with LaTeX spells the degree sign as a white
# bullet (25◦C, 25 ◦C): after a number it is no bullet.
_BULLET = re.compile("[•‣⁃]|(?<![0-9])(?<![0-9] )◦")


def bullets(text: str) -> str:
    """Spell bullet characters as ``*`` (the hyphen bullet as ``-``).

    >>> bullets("\\u2022 one \\u25e6 two, 25\\u25e6C")
    '* one * two, 25◦C'
    """
    return _BULLET.sub(lambda m: _BULLETS[m[0]], text)


_GAP = " \u00a0\u202f\u2009"
# A pair is looked for within one line: steps are line-local, and the fast
# path never shows a step two lines at once. What is between the guillemets
# is taken whole and its gaps stripped after: a run of spaces that two runs
# of gaps and the text between them could share was split every way before
# a pair failed (a cube of its length: 400 spaces took 0.2 s).
_FRENCH_PAIR = re.compile(
    rf"(?<![^\s(\[])([«‹])([{_GAP}][^«»‹›\n]*[{_GAP}])([»›])(?![^\s.,;:!?)\]])"
)
_GUILLEMETS = str.maketrans({"«": '"', "»": '"', "‹": "'", "›": "'"})
# Once French pairs are closed up, a guillemet between spaces quotes nothing:
# it is an arrow or a separator (Home » News, Read more ›).
_QUOTING = re.compile(r"(?<=\S)[«»‹›]|[«»‹›](?=\S)")


def guillemets(text: str) -> str:
    """Turn guillemets into ASCII quotes, dropping the French inner spaces.

    >>> guillemets("Il dit\\u00a0: «\\u202fBonjour\\u202f!\\u202f» puis »so« .")
    'Il dit\\xa0: "Bonjour\\u202f!" puis "so" .'
    >>> guillemets("Home » News")
    'Home » News'
    """
    text = _FRENCH_PAIR.sub(lambda m: m[1] + m[2].strip(_GAP) + m[3], text)
    return _QUOTING.sub(lambda m: m[0].translate(_GUILLEMETS), text)


_FULLWIDTH_PUNCTUATION = {
    code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if not chr(code - 0xFEE0).isalnum()
}


def fullwidth_punctuation(text: str) -> str:
    """Turn full-width ASCII punctuation (``，（）！``) into ASCII.

    >>> fullwidth_punctuation("（はい，そう！）")
    '(はい,そう!)'
    """
    return text.translate(_FULLWIDTH_PUNCTUATION)


STRAIGHTEN_QUOTES = Step("straighten_quotes", straighten_quotes, (Trigger("‘’‚‛“”„‟"),))
ASCII_PRIMES = Step("ascii_primes", ascii_primes, (Trigger("′″‴⁗"),))
CURL_QUOTES = Step("curl_quotes", curl_quotes, (Trigger("'\""),))
HYPHENS = Step("hyphens", hyphens, (Trigger("\u2010-\u2012"),))
MINUS_SIGN = Step("minus_sign", minus_sign, (Trigger("\u2212", "[0-9]"),))
ASCII_DASHES = Step("ascii_dashes", ascii_dashes, (Trigger("\u2013-\u2015\u2212"),))
ELLIPSIS = Step("ellipsis", ellipsis, (Trigger("\u2026"),))
BULLETS = Step("bullets", bullets, (Trigger("•‣◦⁃"),))
GUILLEMETS = Step("guillemets", guillemets, (Trigger("«»‹›"),))
FULLWIDTH_PUNCTUATION = Step(
    "fullwidth_punctuation",
    fullwidth_punctuation,
    (Trigger("\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff5e"),),
)
