"""Choosing how to decode: BOMs, binary refusal, UTF-8 with legacy runs, charset detection.

The order of evidence is described in ``textmend.decoding``. Candidate
readings are compared by how well their letters fit one language and how
much mojibake they show.

>>> choose_plan("naïve".encode(), None, final=True).encoding
'utf-8'
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import regex

from textmend._ftfy import badness
from textmend.decoding.errors import BinaryInputError
from textmend.decoding.tables import (
    ALPHABETS,
    BOMS,
    DEFAULT_LEGACY,
    PREFERRED,
    SCRIPTS,
    SIGNATURES,
    SINGLE_BYTE,
    composed,
)

if TYPE_CHECKING:
    import charset_normalizer

# Candidate readings are scored on their first characters only: plenty of
# evidence, and the scoring stays fast on a large sample.
_SCORED_CHARS = 20_000


@dataclass(frozen=True)
class Plan:
    """What detection decided: a codec, and how to read bytes that do not fit."""

    encoding: str
    confidence: float
    fallback: str | None = None  # UTF-8 only: the encoding of invalid runs
    bom: bytes = b""
    explicit: bool = False


def read_mixed(unit: bytes, fallback: str) -> tuple[str, list[tuple[int, int]]]:
    """A unit with invalid UTF-8, and the byte ranges read in ``fallback``.

    Valid UTF-8 stays UTF-8 and invalid runs are read in ``fallback`` (the
    split reading), unless reading the whole unit in ``fallback`` shows less
    damage, or as little when its valid UTF-8 looks accidental: glued to
    invalid runs (Windows-1251 ``Сё`` is the UTF-8 of ``Ѹ``) or outweighed by
    them. A multi-byte legacy line is read whole.

    >>> read_mixed("Zürich ".encode() + "Genève".encode("cp1252"), "cp1252")
    ('Zürich Genève', [(11, 12)])
    >>> read_mixed("قال: «نعم» ذ»".encode("cp1256"), "cp1256")[0]
    'قال: «نعم» ذ»'
    """
    text = unit.decode("utf-8", "surrogateescape")
    parts = _SURROGATES.split(text)
    out, ranges, position = [], [], 0
    for i, part in enumerate(parts):
        if i % 2:
            raw = _escaped(part)
            out.append(raw.decode(fallback, "replace"))
            ranges.append((position, position + len(raw)))
            position += len(raw)
        else:
            out.append(part)
            position += len(part.encode())
    split = composed("".join(out), fallback)
    valid = "".join(_NON_ASCII.findall("".join(parts[::2]))).encode()
    if not valid and _single_byte(fallback):
        return split, ranges
    try:
        whole = composed(unit.decode(fallback), fallback)
    except UnicodeDecodeError:
        return split, ranges
    invalid = sum(map(len, parts[1::2]))
    accidental = invalid > len(valid) or all(map(_SURROGATES.search, _NON_ASCII.findall(text)))
    if not valid or _less_damaged(whole, split, accidental):
        legacy = [i for i, byte in enumerate(unit) if byte > 0x7F]
        return whole, [(legacy[0], legacy[-1] + 1)] if legacy else []
    return split, ranges


def _less_damaged(text: str, other: str, or_equal: bool) -> bool:
    """Whether ``text`` shows less damage than ``other`` (or as little)."""
    # Damage is never negative: no need to measure the second when the
    # first already decides.
    if or_equal:
        damage = _damage(text)
        return damage == 0 or damage <= _damage(other)
    damage = _damage(other)
    return damage > 0 and _damage(text) < damage


def _read_all(data: bytes, fallback: str) -> str:
    """``data`` read line by line as the unit mode does."""
    lines = []
    for line in _LINES.findall(data):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(read_mixed(line, fallback)[0])
    return "".join(lines)


def choose_plan(sample: bytes, encoding: str | None, final: bool) -> Plan:
    """Decide how to decode a stream from its first bytes."""
    bom, bom_encoding = next(((b, e) for b, e in BOMS if sample.startswith(b)), (b"", ""))
    if encoding:
        return _explicit_plan(encoding, bom, bom_encoding)
    if bom:
        return Plan(bom_encoding, 1.0, bom=bom)
    _refuse_binary(sample)
    if sample.count(0) * 100 > len(sample):
        return _plan_utf16_32(sample)
    return _plan_utf8_or_legacy(_trim_to_line(sample, final), final)


def _plan_utf8_or_legacy(sample: bytes, final: bool) -> Plan:
    """Strict UTF-8, UTF-8 with legacy runs, or one legacy encoding."""
    try:  # the common case, decided without the measures below
        consumed = codecs.utf_8_decode(sample, "strict", False)[1]
    except UnicodeDecodeError:
        pass
    else:
        if consumed == len(sample) or not final:
            return Plan("utf-8", 1.0, fallback=DEFAULT_LEGACY)
    # An incomplete sequence at the end is left out: a truncation (or the
    # next chunk) if the rest shows UTF-8, or if it is two bytes or more.
    text, consumed = codecs.utf_8_decode(sample, "surrogateescape", False)
    invalid = _SURROGATES.findall(text)
    invalid_bytes = sum(map(len, invalid))
    multibyte = consumed - len(text.encode("ascii", "ignore")) - invalid_bytes
    if final and len(sample) - consumed == 1 and not multibyte:
        text, consumed = sample.decode("utf-8", "surrogateescape"), len(sample)
        invalid = _SURROGATES.findall(text)
        invalid_bytes = sum(map(len, invalid))
    if not invalid:
        return Plan("utf-8", 1.0, fallback=DEFAULT_LEGACY)
    fallback = _best_fallback(_bad_lines(text), _SURROGATES.sub(" ", text[:_SCORED_CHARS]))
    mixed = Plan("utf-8", round(multibyte / (multibyte + invalid_bytes), 2), fallback=fallback)
    legacy = _guess_legacy(sample)
    if legacy is None:
        return mixed
    if not multibyte:
        return legacy
    # Whole lines of a legacy file can be valid UTF-8 by accident (Ф + ё in
    # Windows-1251 is the UTF-8 of Ը): keep the reading with less damage.
    # On a tie, the legacy reading only if its UTF-8 looks accidental, as in
    # ``read_mixed``: outweighed by the invalid bytes. Damage misses much (German
    # UTF-8 read as Big5-HKSCS is "f羹r"): a few legacy bytes in a UTF-8
    # file must not turn all its text into another script.
    head = sample[: min(consumed, 2 * _SCORED_CHARS)]
    as_mixed = _read_all(head, fallback)
    as_legacy = composed(head.decode(legacy.encoding, "ignore"), legacy.encoding)
    accidental = invalid_bytes > multibyte
    return legacy if _less_damaged(as_legacy, as_mixed, accidental) else mixed


def _bad_lines(text: str) -> bytes:
    """The first lines with invalid UTF-8 (``surrogateescape`` text), as bytes."""
    lines: list[str] = []
    end = size = 0
    for match in _SURROGATES.finditer(text):
        if match.start() < end:
            continue
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end()) + 1 or len(text)
        lines.append(text[start:end])
        size += end - start
        if size > _SCORED_CHARS // 2:
            break
    return "".join(lines).encode("utf-8", "surrogateescape")


def _best_fallback(evidence: bytes, context: str) -> str:
    """The legacy encoding the lines with invalid UTF-8 are best read in.

    Each candidate reads the lines as ``read_mixed`` does. The best letter fit
    wins; on a tie, the reading whose letters the valid UTF-8 text of the
    file also uses (Hebrew UTF-8 lines make Windows-1255 beat a Cyrillic
    jumble), then ``_guess_legacy``'s order.
    """
    matches = _detected(evidence)
    readings: dict[str, list[str]] = {}
    for name in _candidate_names(matches):
        reading = _read_all(evidence, name)
        if name not in readings.setdefault(reading, []):
            readings[reading].append(name)
    known = {c.lower() for c in context if c > "\x7f" and c.isalpha()}
    keys = {reading: (round(_fit(reading), 3), _familiar(reading, known)) for reading in readings}
    return _best(readings, keys)[1]


def _familiar(text: str, known: set[str]) -> float:
    """The share of the non-ASCII letters of a text that are in ``known``."""
    letters = [c.lower() for c in text[:_SCORED_CHARS] if c > "\x7f" and c.isalpha()]
    return round(sum(c in known for c in letters) / len(letters), 3) if letters else 1.0


def _escaped(surrogates: str) -> bytes:
    """The bytes behind ``surrogateescape`` surrogates."""
    return surrogates.encode("utf-8", "surrogateescape")


def _damage(text: str) -> int:
    """Mojibake (ftfy's measure) plus letters that do not fit together."""
    head = text[:_SCORED_CHARS]
    return int(badness(head)) + _misfits(head)


# Invalid bytes under ``surrogateescape``; the group keeps them in ``split``.
_SURROGATES = re.compile("([\udc80-\udcff]+)")


_NON_ASCII = re.compile("[^\x00-\x7f]+")


_LINES = re.compile(rb"[^\n]*\n|[^\n]+")


def _explicit_plan(encoding: str, bom: bytes, bom_encoding: str) -> Plan:
    """Honour the caller's encoding; a BOM of the same encoding is stripped."""
    family = encoding.removesuffix("-sig")
    if bom and bom_encoding.startswith(family):
        return Plan(bom_encoding, 1.0, bom=bom, explicit=True)
    if family in ("utf-16", "utf-32"):
        family += "-le"
    return Plan(family, 1.0, explicit=True)


def _refuse_binary(sample: bytes) -> None:
    for signature, name in SIGNATURES:
        if signature.match(sample):
            raise BinaryInputError(f"{name} signature at byte 0")


def _plan_utf16_32(sample: bytes) -> Plan:
    """UTF-16/UTF-32 text without a BOM, or else binary input (many NULs)."""
    # In UTF-16 text the NUL bytes are the high bytes of ASCII characters:
    # at odd offsets in little-endian, at even ones in big-endian.
    little = sample[1::2].count(0) >= sample[::2].count(0)
    for name in ("utf-32-le", "utf-32-be", "utf-16-le" if little else "utf-16-be"):
        # Not final: the sample may end inside a code unit or a surrogate pair.
        # A damaged unit is U+FFFD, which counts against the printable share.
        text = codecs.getincrementaldecoder(name)("replace").decode(sample, False)
        # Text: printable, and its letters fit a language (not U+10001...).
        if "\x00" not in text and _printable_share(text) >= 0.95 and _fit(text) >= 0.5:
            return Plan(name, 0.8)
    raise BinaryInputError(f"{sample.count(0)} NUL bytes in the first {len(sample)} bytes")


def _printable_share(text: str) -> float:
    printable = sum(c.isprintable() or c.isspace() for c in text) - text.count("\ufffd")
    return printable / max(len(text), 1)


def _trim_to_line(sample: bytes, final: bool) -> bytes:
    """A sample cut mid-stream, up to its last line break (if it has one)."""
    if final:
        return sample
    end = sample.rfind(b"\n") + 1
    return sample[:end] if end else sample


def _guess_legacy(sample: bytes) -> Plan | None:
    """charset-normalizer's candidates, re-ranked by how their letters fit.

    charset-normalizer scores short Windows-125x text close to exotic code
    pages (mac_iceland, iso8859-16, cp1250 for French...). Each candidate's
    decoding is scored by ``_fit``; the best fit wins. On a tie, the kind
    (single-byte or multi-byte) charset-normalizer put first wins, then the
    most common single-byte encoding, then charset-normalizer's order. Among
    candidates giving the same text, the most common name (``PREFERRED``) is
    reported.
    """
    matches = _detected(sample)
    texts: dict[str, list[str]] = {}
    for name in _candidate_names(matches):
        try:
            text = composed(sample.decode(name), name)
        except UnicodeDecodeError:
            continue
        if name not in texts.setdefault(text, []):
            texts[text].append(name)
    if not texts or not matches:
        return None
    fits = {text: (round(_fit(text), 3),) for text in texts}
    text, name = _best(texts, fits)
    return Plan(name, round(fits[text][0], 2))


def _detected(sample: bytes) -> list[charset_normalizer.CharsetMatch]:
    """charset-normalizer's readings of bytes that are not all UTF-8.

    Imported here, not at the top: UTF-8 input, the most common, never
    needs it, and every run of the command line would pay for the import.
    """
    import charset_normalizer

    return list(charset_normalizer.from_bytes(sample))


def _candidate_names(matches: list[charset_normalizer.CharsetMatch]) -> list[str]:
    """charset-normalizer's candidates, then the common single-byte encodings."""
    names: list[str] = []
    for match in matches:
        names += [match.encoding, *match.could_be_from_charset]
    names += [n for n in PREFERRED if n in SINGLE_BYTE]
    # Without a BOM or NULs, UTF-16/32 is noise.
    names = [codecs.lookup(n).name for n in names]
    return [n for n in names if not n.startswith("utf")]


def _best(readings: dict[str, list[str]], fits: Mapping[str, tuple[float, ...]]) -> tuple[str, str]:
    """The best reading and the name to report for it.

    Best fits first; on a tie, the kind (single-byte or multi-byte) that
    charset-normalizer ranked first, fewer rare symbols, then the most
    common single-byte encoding for Latin text, then charset-normalizer's
    order.
    """
    order = list(readings)
    single = _single_byte(readings[order[0]][0])
    best = min(
        order,
        key=lambda t: (
            [-fit for fit in fits[t]],
            _single_byte(readings[t][0]) != single,
            _rare_symbols(t),
            _rank(t, readings[t]),
            order.index(t),
        ),
    )
    return best, min(readings[best], key=_rank_one)


def _rare_symbols(text: str) -> int:
    """Symbols text hardly uses where another reading has a common one.

    Fullwidth symbols: where Shift_JIS and cp932 differ, JIS has the plain
    ones (−, 〜). The currency sign ¤: ISO-8859-15 has € there.

    >>> _rare_symbols("12 € und 6 €"), _rare_symbols("12 ¤ und 6 ¤")
    (0, 2)
    """
    return len(_RARE_SYMBOL.findall(text, endpos=_SCORED_CHARS))


_RARE_SYMBOL = regex.compile(r"[¤\uff01-\uff20\uff3b-\uff40\uff5b-\uffee]")


def _rank_one(name: str) -> int:
    return PREFERRED.index(name) if name in PREFERRED else len(PREFERRED)


def _rank(text: str, names: list[str]) -> int:
    """Single-byte readings that fit equally: the common encoding wins.

    charset-normalizer's order is kept among multi-byte readings, which it
    knows, and among common single-byte readings in other scripts than Latin
    (it tells Hebrew from a Cyrillic jumble); for Latin text it prefers
    exotic code pages (mac_iceland for French).
    """
    single = [_rank_one(n) for n in names if n in SINGLE_BYTE]
    if single and not _latin(text):
        return 0
    return min(single, default=len(PREFERRED))


def _latin(text: str) -> bool:
    """Whether most non-ASCII letters of a text are Latin."""
    letters = [c for c in text[:_SCORED_CHARS] if c > "\x7f" and c.isalpha()]
    return sum(_script(c) == "LATIN" for c in letters) * 2 >= len(letters)


@cache
def _single_byte(name: str) -> bool:
    return len(bytes(range(256)).decode(name, "replace")) == 256


def _fit(text: str) -> float:
    """How well the non-ASCII letters of a text fit one language, 0 to 1.

    Each non-ASCII letter counts once; it fits if the language's alphabet (or
    script) has it. Misfits also include symbols and controls glued to letters
    and lower-to-upper case switches inside a word (``кАЗАНЬ``: KOI8-R read
    as Windows-1251).

    >>> _fit("Gdańsk, żegluga"), _fit("GdaÒsk, ¿egluga") < 1
    (1.0, True)
    """
    text = text[:_SCORED_CHARS]
    letters = [c for c in text if c > "\x7f" and c.isalpha()]
    misfits = _misfits(text)
    if not letters:
        # A reading that turns letters into marks or symbols does not fit.
        return 0.0 if misfits else 1.0
    counts: dict[str, int] = {}
    for c in letters:
        counts[c] = counts.get(c, 0) + 1
    fitting = max(
        [sum(n for c, n in counts.items() if c.lower()[0] in alphabet) for alphabet in ALPHABETS]
        + [sum(n for c, n in counts.items() if _script(c) in script) for script in SCRIPTS]
        + [_cyrillic_fit(counts)]
    )
    return max(0.0, (fitting - misfits) / len(letters))


def _cyrillic_fit(counts: dict[str, int]) -> float:
    """Cyrillic letters that fit, in proportion to a plausible share of vowels.

    Slavic text is about 40% vowels; Hebrew, Greek or Arabic bytes read as
    Windows-1251 are a Cyrillic jumble with far fewer.

    >>> hebrew = "ראש העירייה הודיע היום על פתיחת גן ציבורי חדש"
    >>> _fit(hebrew.encode("cp1255").decode("cp1251")) < 0.8
    True
    """
    letters = sum(n for c, n in counts.items() if _script(c) == "CYRILLIC")
    vowels = sum(n for c, n in counts.items() if c.lower() in _CYRILLIC_VOWELS)
    if letters < _MIN_CYRILLIC:
        return float(letters)
    return letters * min(1.0, vowels / letters / 0.3)


_CYRILLIC_VOWELS = frozenset("аеёиоуыэюяіїєў")


_MIN_CYRILLIC = 20


def _misfits(text: str) -> int:
    """Misfitting letters and symbols: see ``_MISFIT``; units are fine."""
    # Every misfit involves a non-ASCII character: only its words are searched.
    words = " ".join(_NON_ASCII_WORDS.findall(_UNITS.sub(" ", text)))
    return len(_MISFIT.findall(words))


# Misfits: a symbol, control or non-ASCII digit glued to a letter, a
# lower-to-upper switch inside a word, letters of two alphabets glued
# together, a Thai, Arabic, Hebrew or Syriac mark on a letter of another
# script, a Greek final sigma inside a word.
_GLUED = r"(?:[^\p{L}\p{M}\p{P}\s\x00-\x7f]|[¶§])"


_MARKED_SCRIPTS = ("Thai", "Arabic", "Hebrew", "Syriac")


_ALPHABET_SCRIPTS = ("Latin", "Cyrillic", "Greek", "Arabic", "Hebrew", "Armenian", "Thai")


def _others(script: str) -> str:
    """The other alphabets than ``script``, as the body of a character class."""
    return "".join(rf"\p{{{b}}}" for b in _ALPHABET_SCRIPTS if b != script)


_MISFIT = regex.compile(
    "|".join(
        [rf"(?<=\p{{L}}){_GLUED}", rf"{_GLUED}(?=\p{{L}})", r"\p{Ll}\p{Lu}", r"ς(?=\p{L})"]
        + [rf"\p{{{a}}}(?=[{_others(a)}])" for a in _ALPHABET_SCRIPTS]
        + [rf"(?<![\p{{scx={a}}}\p{{M}}])[\p{{scx={a}}}&&\p{{M}}]" for a in _MARKED_SCRIPTS]
    ),
    flags=regex.V1,
)


_NON_ASCII_WORDS = regex.compile(r"\S*[^\x00-\x7f]\S*")


# Symbols glued to letters in units: 20 °C, 40 m², 3 km².
_UNITS = regex.compile(r"°[CF]\b|\b[kcdm]?m[²³]")


@cache
def _script(char: str) -> str:
    """The first word of a character's name: its script, roughly.

    Korean text keeps to the 2,350 common syllables of KS X 1001; the others
    come from misread bytes (Shift_JIS read as cp949).

    >>> _script("ж"), _script("한"), _script("궸")
    ('CYRILLIC', 'HANGUL', 'RARE-HANGUL')
    """
    script = unicodedata.name(char, "?").split(" ", 1)[0]
    # Python's EUC-KR spells the other syllables with 8 bytes of jamo.
    if script == "HANGUL" and len(char.encode("euc_kr", "replace")) != 2:
        return "RARE-HANGUL"
    return script
