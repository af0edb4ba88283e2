"""East Asian mojibake: Shift_JIS, GBK, Big5 or EUC-KR text read as Windows-1252.

Each byte of a double-byte encoding became one Latin-1 or Windows-1252
character, so ``哈尔滨县`` (GBK) reads ``¹þ¶û±õÏØ``. The characters are
turned back into bytes, cut into runs of double-byte sequences of each
encoding, and re-decoded. A reading is taken only on strong evidence:

- every character it makes is common in its language (priors taken from
  the encodings themselves: the first levels of GB 2312, Big5 and JIS X
  0208, kana, the Hangul syllables of KS X 1001 weighted by how common
  their letters are, everyday CJK punctuation);
- the line has a run of at least two such characters, and the reading
  explains it better than any other encoding does;
- the run is not a word of a language written with Latin letters: an
  accented letter inside an ASCII word (``AÇÃO``, ``Ärger``) is left alone.

A run whose bytes are UTF-8 is the ``mojibake`` step's, not this one's.
"""

from __future__ import annotations

import codecs
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)

from textmend.step import Step, Trigger, char_class
from textmend.steps.repair.sequences import text_lines

# Windows-1252 with the C1 controls for the bytes it leaves undefined (81
# 8D 8F 90 9D), as browsers read them; as a table that encodes in C (ftfy's
# codec of that name encodes through a dict).
_WINDOWS_1252 = bytes(range(256)).decode("sloppy-windows-1252")
_SLOPPY_1252 = codecs.charmap_build(_WINDOWS_1252)
# Every character a byte 80-FF may have become, read as Windows-1252 or Latin-1.
_HIGH_SET = {*_WINDOWS_1252[0x80:], *map(chr, range(0x80, 0x100))}
_HIGH = char_class(_HIGH_SET)
# The symbols bytes 80-BF became, but for the punctuation that Western
# text puts next to accented letters (l’été, « Été », 20 °C, ¿Qué?), and
# for the letters among them, which Czech, Slovak, Estonian or French words
# hold beside other accented letters (Knížka, œuvre).
_SYMBOLS = char_class(
    {c for c in _HIGH_SET if c.encode("latin-1", "ignore") < b"\xc0" and not c.isalpha()}
    - set("\xa0’‘“”«»–—…•€£°·§©®™¡¿´")
)
# Where the step may act: three characters of bytes 80-FF in a row, or one
# of those symbols next to another (or one byte away: a second byte 40-7E).
# It is led by the symbols and the capitals: nearly every run of East Asian
# mojibake holds one of them in such a window (the first bytes of the
# common characters of GB 2312, KS X 1001 and Big5 are B0-D7 and A4-C6, of
# Shift_JIS kana 82 and 83). Clean Western text hardly ever does, and its
# most frequent characters beyond ASCII (é ü ’ “) are no stops of the check.
# A line without such a window is left alone.
_TRIGGER = Trigger(
    f"{_SYMBOLS}À-Þ",
    f"(?:[{_HIGH}]{{2}}|(?<=[{_HIGH}]{{2}})[{_HIGH}]|(?<=[{_HIGH}]{{3}})"
    f"|(?<=[{_SYMBOLS}])[\x40-\x7e]?[{_HIGH}]"
    f"|(?<=[{_HIGH}][{_SYMBOLS}])|(?<=[{_HIGH}][\x40-\x7e][{_SYMBOLS}]))",
)
_EVIDENCE_RE = re.compile(_TRIGGER.pattern)
# A character that no byte of these readings gives, nor East Asian text.
_FOREIGN_RE = re.compile(f"[^\x00-\x7f{_HIGH}\u3000-\u9fff\uac00-\ud7a3\uff00-\uffef]")

# How much a character must be more likely as the decoded text than as
# the characters it was read as (natural log per character).
_GAIN = 10.0
# A reading whose best run gains less than this is not taken.
_STRONG = 2.0
# What a character the priors do not know scores: a run holding one is no reading.
_UNKNOWN = -16.0

# Punctuation every CJK text uses, and the full-width ASCII forms.
_PUNCTUATION = frozenset(
    "、。，．：；？！（）《》「」『』【】〈〉〔〕…—～·“”‘’・ー　々〃"
    + "".join(map(chr, range(0xFF01, 0xFF5F)))
)


def _code(char: str, encoding: str) -> int:
    """The character's two bytes in ``encoding`` as a number, or 0."""
    try:
        data = char.encode(encoding)
    except UnicodeEncodeError:
        return 0
    return int.from_bytes(data, "big") if len(data) == 2 else 0


def _level(share: float, size: int) -> float:
    """The log-probability of each of ``size`` characters that share ``share`` of text."""
    return math.log(share / size)


# The levels of each standard: where their characters are in it, how many
# there are (its tables say), and what share of text they make.
_JIS_1, _JIS_2 = _level(0.45, 2965), _level(0.01, 3390)
_HIRAGANA, _KATAKANA = _level(0.4, 83), _level(0.12, 86)
_GB_1, _GB_2 = _level(0.9, 3755), _level(0.005, 3008)
_BIG5_1, _BIG5_2 = _level(0.9, 5401), _level(0.01, 7652)


def _japanese(char: str) -> float:
    if "\u3041" <= char <= "\u3093":
        return _HIRAGANA
    if "\u30a1" <= char <= "\u30f6":
        return _KATAKANA
    code = _code(char, "cp932")
    if 0x889F <= code <= 0x9872:
        return _JIS_1
    return _JIS_2 if 0x989F <= code <= 0xEAA4 else _UNKNOWN


def _simplified_chinese(char: str) -> float:
    lead = _code(char, "gb2312") >> 8
    if 0xB0 <= lead <= 0xD7:
        return _GB_1
    return _GB_2 if 0xD8 <= lead <= 0xF7 else _UNKNOWN


def _traditional_chinese(char: str) -> float:
    code = _code(char, "cp950")
    if 0xA440 <= code <= 0xC67E:
        return _BIG5_1
    return _BIG5_2 if 0xC940 <= code <= 0xF9D5 else _UNKNOWN


# How common each letter of a Hangul syllable is, roughly: the initial, the
# vowel and the final (the first of them none). Syllables made of common
# letters are common; Chinese read as EUC-KR gives rare ones (꺾, 뗌).
_INITIALS = (12, 1, 6, 9, 1, 6, 5, 5, 0.2, 9, 0.5, 20, 8, 0.3, 3, 1, 2, 2, 7)
_VOWELS = (22, 4, 1, 0.1, 10, 3, 5, 0.5, 10, 2, 0.2, 1, 1, 7, 1, 0.1, 0.5, 1, 10, 3, 14)
# Each in Unicode's order; the finals: none, ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ... ㅎ.
# fmt: off
_FINALS = (55, 5, 0.3, 0.1, 12, 0.1, 0.2, 0.5, 8, 0.3, 0.3, 0.1, 0.1, 0.1,
           0.1, 0.1, 4, 2, 0.1, 2, 2, 7, 0.5, 0.5, 0.3, 0.3, 0.3, 0.5)
# fmt: on
_LETTER_TOTAL = sum(_INITIALS) * sum(_VOWELS) * sum(_FINALS)
# Korean text is Hangul for about this share of its characters: spaces,
# digits and punctuation are the rest.
_HANGUL_SHARE = 0.6


def _korean(char: str) -> float:
    """A syllable of KS X 1001 (bytes B0A1-C8FE) is as likely as its letters."""
    if not 0xB0A1 <= _code(char, "euc_kr") <= 0xC8FE:
        return _UNKNOWN
    index = ord(char) - 0xAC00
    initial, vowel, final = index // 588, index // 28 % 21, index % 28
    letters = _INITIALS[initial] * _VOWELS[vowel] * _FINALS[final] / _LETTER_TOTAL
    return math.log(_HANGUL_SHARE * letters)


# Each encoding, and how likely a character it decodes to is in its language.
_PRIORS: dict[str, Callable[[str], float]] = {
    "cp932": _japanese,
    "gbk": _simplified_chinese,
    "cp950": _traditional_chinese,
    "cp949": _korean,
}


@lru_cache(maxsize=8192)
def _log_p(encoding: str, char: str) -> float:
    return -5.0 if char in _PUNCTUATION else _PRIORS[encoding](char)


@dataclass(frozen=True)
class _Run:
    """One run of the line read through one encoding."""

    start: int
    end: int
    text: str
    gain: float
    unknown: bool  # it holds a character the priors do not know


def _sequences(line: str) -> list[tuple[int, bytes]]:
    """Where each run of double-byte sequences starts, and its bytes.

    A sequence starts at a byte 80-FF and takes the next byte, if it may be
    a second one; the run goes on while another starts. UTF-8 read as a
    single-byte encoding is the ``mojibake`` step's.
    """
    data = _as_bytes(line)
    if data is None or _is_utf8(data):
        return []
    return [
        (match.start(), match.group())
        for match in _SEQUENCES_RE.finditer(data)
        if not _is_utf8(match.group())
    ]


def _as_bytes(line: str) -> bytes | None:
    """One byte per character; a character no byte became ends a run as "?" does.

    None if the line holds a character that neither these readings nor
    East Asian text make: it is no Windows-1252 reading (MacRoman's "Œ≥" is
    Greek UTF-8).
    """
    try:
        return codecs.charmap_encode(line, "strict", _SLOPPY_1252)[0]  # the common case
    except UnicodeEncodeError:
        if _FOREIGN_RE.search(line):
            return None
        # Read as Latin-1: every byte 80-9F is a C1 control.
        return line.encode("latin-1", errors="replace")


_SEQUENCES_RE = re.compile(b"(?:[\x80-\xff][\x40-\x7e\x80-\xff])+")


def _run(data: bytes, start: int, encoding: str) -> _Run | None:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    if len(text) * 2 != len(data):
        return None  # single-byte characters (half-width kana) among them
    weights = [_log_p(encoding, c) for c in text]
    gain = sum(w + _GAIN for w in weights)
    return _Run(start, start + len(data), text, gain, unknown=min(weights) <= _UNKNOWN)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# An accented letter inside a word of ASCII letters: Latin text.
_LATIN_WORD = re.compile(r"[A-Za-z]")


def _latin(line: str, run: _Run) -> bool:
    """Whether the run is letters inside a word of Latin letters."""
    before = line[run.start - 1 : run.start]
    after = line[run.end : run.end + 1]
    source = line[run.start : run.end]
    letters = all(c.isalpha() for c in source)
    return letters and bool(_LATIN_WORD.match(before) or _LATIN_WORD.match(after))


def _letters(text: str) -> int:
    """How many characters of a decoded run are no punctuation."""
    return sum(c not in _PUNCTUATION for c in text)


def _best_reading(line: str) -> list[_Run]:
    """The runs of the one encoding that explains the line best, or none."""
    best: list[_Run] = []
    best_gain = 0.0
    sequences = _sequences(line)
    # Only a run of two characters or more can be strong: the others are
    # decoded once one is.
    long = [(start, data) for start, data in sequences if len(data) >= 4]
    for encoding in _PRIORS:
        if not any(_strong(r) for r in _readings(line, long, encoding)):
            continue
        runs = _readings(line, sequences, encoding)
        gain = sum(r.gain for r in runs)
        if gain > best_gain:
            best, best_gain = runs, gain
    return best


def _readings(line: str, sequences: list[tuple[int, bytes]], encoding: str) -> list[_Run]:
    """The runs that decode through ``encoding`` to known characters, but
    for letters inside Latin words."""
    decoded = (_run(data, start, encoding) for start, data in sequences)
    return [r for r in decoded if r and not r.unknown and not _latin(line, r)]


def _strong(run: _Run) -> bool:
    return run.gain >= _STRONG and _letters(run.text) >= 2


def east_asian_mojibake(text: str) -> str:
    """Re-decode Shift_JIS, GBK, Big5 or EUC-KR text that was read as Windows-1252.

    >>> east_asian_mojibake("// ´íÎó: ¹þ¶û±õÏØ not found")
    '// 错误: 哈尔滨县 not found'
    >>> east_asian_mojibake("Ärger über die Straße, ÀÉÏ")
    'Ärger über die Straße, ÀÉÏ'
    """
    out: list[str] = []
    for line in text_lines(text):
        pos = 0
        for run in _best_reading(line) if _EVIDENCE_RE.search(line) else ():
            out += (line[pos : run.start], run.text)
            pos = run.end
        out.append(line[pos:])
    return "".join(out)


EAST_ASIAN_MOJIBAKE = Step(
    "east_asian_mojibake",
    east_asian_mojibake,
    (_TRIGGER,),
)
