"""bytes -> str: BOMs, UTF-8 first, mixed runs, then charset detection.

The order of evidence, on a sample of the input (the first ``sample_size``
bytes; the rest is decoded as a stream the way the sample was):

1. a byte-order mark (UTF-32 LE/BE, UTF-8, UTF-16 LE/BE);
2. binary input is refused: a known file signature, or more than 1% NUL
   bytes that do not read as UTF-16/UTF-32 text without a BOM;
3. strict UTF-8;
4. UTF-8 with invalid runs, line by line: valid lines stay UTF-8; in a line
   with invalid bytes, valid UTF-8 stays UTF-8 and each invalid run is read
   in the legacy encoding (single-byte or CJK) that the lines with invalid
   bytes fit best, in context — or the whole line is read in it when that
   shows less damage, or as little and its valid UTF-8 looks accidental.
   The whole sample is read in one legacy encoding when that shows no more
   mojibake, which is what a legacy file with a few accidental UTF-8
   sequences looks like;
5. charset-normalizer for a single legacy encoding, single-byte or CJK, with
   its candidates re-ranked by how well their letters fit one language.

>>> decode("naïve".encode()).text
'naïve'
>>> result = decode("café ".encode() + "thé\\n".encode("cp1252"))
>>> result.text, result.encodings, result.fallback_ranges
('café thé\\n', ('utf-8', 'cp1252'), ((8, 9),))
"""

from __future__ import annotations

import codecs
import re
import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

import regex

from textmend._ftfy import badness
from textmend.api import fix
from textmend.profiles import DEFAULT_PROFILE, Profile

if TYPE_CHECKING:
    import charset_normalizer

DEFAULT_SAMPLE_SIZE = 1 << 20
# Candidate readings are scored on their first characters only: plenty of
# evidence, and the scoring stays fast on a large sample.
_SCORED_CHARS = 20_000
_MIN_SAMPLE = 4
_DEFAULT_LEGACY = "cp1252"
# The common single-byte encodings, most common first.
_COMMON = (
    "cp1252",
    "cp1250",
    "cp1251",
    "koi8-r",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "cp1258",
)
# Encodings that store letters and their accents apart: decoded text is
# composed (NFC), as it was written.
_COMPOSED = frozenset({"cp1258"})
# Among encodings that decode a sample to the same text, the name reported:
# the common one (and the superset, which is safer for the rest of a stream).
_PREFERRED = (
    *_COMMON,
    "iso8859-7",
    "cp874",
    "koi8-u",
    "iso8859-1",
    "iso8859-2",
    "iso8859-15",
    "cp932",
    "shift_jis",
    "euc_jp",
    "gb18030",
    "gbk",
    "cp950",
    "big5",
    "cp949",
    "euc_kr",
)
_SINGLE_BYTE = frozenset(_PREFERRED[: _PREFERRED.index("cp932")])
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SIGNATURES = tuple(
    (re.compile(pattern, re.DOTALL), name)
    for pattern, name in (
        (rb"\x89PNG\r\n\x1a\n", "PNG image"),
        (rb"\xff\xd8\xff", "JPEG image"),
        (rb"GIF8[79]a", "GIF image"),
        (rb"II\*\x00|MM\x00\*", "TIFF image"),
        (rb"RIFF....WEBP", "WebP image"),
        (rb"RIFF....(?:WAVE|AVI )", "RIFF audio/video"),
        (rb"OggS|fLaC|ID3", "audio file"),
        (rb"....ftyp", "MP4/QuickTime media"),
        (rb"%PDF-", "PDF document"),
        (rb"PK\x03\x04|PK\x05\x06|PK\x07\x08", "ZIP archive"),
        (rb"\x1f\x8b", "gzip data"),
        (rb"BZh[1-9]1AY&SY", "bzip2 data"),
        (rb"\xfd7zXZ\x00", "xz data"),
        (rb"\x28\xb5\x2f\xfd", "zstd data"),
        (rb"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
        (rb"Rar!\x1a\x07", "RAR archive"),
        (rb"\x7fELF", "ELF executable"),
        (
            rb"\xca\xfe\xba\xbe|\xcf\xfa\xed\xfe|\xce\xfa\xed\xfe|\xfe\xed\xfa[\xce\xcf]",
            "Mach-O/Java class file",
        ),
        (rb"\x00asm", "WebAssembly module"),
        (rb"SQLite format 3\x00", "SQLite database"),
    )
)
# The non-ASCII letters of the languages the single-byte encodings serve;
# scripts with their own Unicode blocks are matched by block name instead.
_ALPHABETS = (
    "àâçéèêëîïôœùûüÿ",  # French (æ is too rare to count)
    "áéíóúüñ",  # Spanish
    "áâãàçéêíóôõú",  # Portuguese
    "àèéìíîòóù",  # Italian
    "äöüß",  # German
    "áéíóöüèëïà",  # Dutch
    "æøåéó",  # Danish, Norwegian
    "åäöé",  # Swedish, Finnish
    "áðéíóúýþæö",  # Icelandic
    "ąćęłńóśźż",  # Polish
    "áčďéěíňóřšťúůýž",  # Czech
    "áäčďéíĺľňóôŕšťúýž",  # Slovak
    "áéíóöőúüű",  # Hungarian
    "ăâîșşțţ",  # Romanian
    "čćđšž",  # Croatian, Slovene, Bosnian
    "çğıiöşüâîû",  # Turkish; "i" stands for İ, whose lower case is i + U+0307
    "ąčęėįšųūž",  # Lithuanian
    "āčēģīķļņšūž",  # Latvian
    "äöõüšž",  # Estonian
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ",  # Vietnamese
)
_SCRIPTS = (  # Cyrillic: see _cyrillic_fit
    {"GREEK"},
    {"ARABIC"},
    {"HEBREW"},
    {"THAI"},
    {"CJK", "HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA", "FULLWIDTH", "IDEOGRAPHIC"},
    # Hanja are rare in Korean news: Han glued to Hangul is a misreading.
    {"HANGUL", "FULLWIDTH", "IDEOGRAPHIC"},
)


class BinaryInputError(ValueError):
    """The input is not text (an image, an archive, an executable...).

    >>> decode(b"\\x89PNG\\r\\n\\x1a\\n" + bytes(20))
    Traceback (most recent call last):
    textmend.decoding.BinaryInputError: PNG image signature at byte 0
    """


class EncodingMismatchError(UnicodeDecodeError):
    """The bytes do not fit the encoding the caller asked for.

    ``position`` is the absolute byte offset of the first bad byte and
    ``line`` its 1-based line number; ``object`` holds the bad bytes.

    >>> try:
    ...     decode(b"ok\\ncaf\\xe9 au lait", encoding="utf-8")
    ... except EncodingMismatchError as err:
    ...     print(err.position, err.line, err.object, err.encoding)
    6 2 b'\\xe9' utf-8
    """

    def __init__(self, encoding: str, bad: bytes, position: int, line: int, reason: str) -> None:
        super().__init__(encoding, bad, 0, len(bad), reason)
        self.position = position
        self.line = line

    def __reduce__(self) -> tuple[type, tuple[str, bytes, int, int, str]]:
        # Pickled across process pools; the base class would replay the wrong args.
        return type(self), (self.encoding, self.object, self.position, self.line, self.reason)

    def __str__(self) -> str:
        return (
            f"bytes do not fit {self.encoding!r}: {self.object.hex(' ')} at byte "
            f"{self.position} (line {self.line}): {self.reason}"
        )


@dataclass(frozen=True)
class DecodeResult:
    """Decoded text and how it was decoded.

    ``encodings``: the encoding of the text first, then the one invalid
    UTF-8 runs were read as, if any. ``fallback_ranges``: byte ranges
    (start, end) not decoded by ``encodings[0]``: read in the second encoding
    (a line read whole in it: from its first to its last non-ASCII byte) or
    replaced by U+FFFD. ``bom``: the byte-order mark that was stripped.

    >>> result = decode("café ".encode() + "thé\\n".encode("cp1252"))
    >>> result.text, result.encodings, result.mixed
    ('café thé\\n', ('utf-8', 'cp1252'), True)
    """

    text: str
    encodings: tuple[str, ...]
    confidence: float
    fallback_ranges: tuple[tuple[int, int], ...] = ()
    bom: bytes = b""

    @property
    def mixed(self) -> bool:
        """True when invalid UTF-8 runs were read in a legacy encoding."""
        return len(self.encodings) > 1


@dataclass(frozen=True)
class _Plan:
    """What detection decided: a codec, and how to read bytes that do not fit."""

    encoding: str
    confidence: float
    fallback: str | None = None  # UTF-8 only: the encoding of invalid runs
    bom: bytes = b""
    explicit: bool = False


_active = threading.local()


def _on_error(err: UnicodeError) -> tuple[str, int]:
    assert isinstance(err, UnicodeDecodeError)
    run: _Run = _active.run
    return run.on_error(err)


codecs.register_error("textmend.decode", _on_error)


class _Run:
    """Incremental decoding with a plan; records the ranges that did not fit.

    A UTF-8 plan with a fallback is decoded unit by unit (a line, or a piece
    of a very long line): valid UTF-8 in one strict pass, and a unit with
    invalid bytes by ``_read``. The last incomplete unit is held back.
    """

    def __init__(self, plan: _Plan, offset: int) -> None:
        self.plan = plan
        self.ranges: list[tuple[int, int]] = []
        self.fallback_used = False
        self._decoder = codecs.getincrementaldecoder(plan.encoding)(
            "strict" if plan.explicit else "textmend.decode"
        )
        self._offset = offset  # absolute position of the next byte fed
        self._base = offset  # absolute position of the decoder's input start
        self._lines = 0
        self._pending = b""  # unit mode: the incomplete last unit
        self._held = ""  # composed encodings: text from the last starter on

    def decode(self, chunk: bytes, final: bool) -> str:
        if self.plan.fallback:
            return self._decode_units(chunk, final)
        # The decoder's input is its held-back bytes followed by the chunk.
        self._base = self._offset - len(self._decoder.getstate()[0])
        self._offset += len(chunk)
        _active.run = self
        try:
            text: str = self._decoder.decode(chunk, final)
        except UnicodeDecodeError as err:
            self._raise_mismatch(err)
        finally:
            _active.run = None
        self._lines += text.count("\n")
        if self.plan.encoding in _COMPOSED:
            text = self._compose(text, final)
        return text

    @property
    def encodings(self) -> tuple[str, ...]:
        if self.plan.fallback and self.fallback_used:
            return (self.plan.encoding, self.plan.fallback)
        return (self.plan.encoding,)

    def on_error(self, err: UnicodeDecodeError) -> tuple[str, int]:
        self._add_range(self._base + err.start, self._base + err.end)
        return "\ufffd", err.end

    def _add_range(self, start: int, end: int) -> None:
        if self.ranges and self.ranges[-1][1] == start:
            start = self.ranges.pop()[0]
        self.ranges.append((start, end))

    def _compose(self, text: str, final: bool) -> str:
        # Tone marks follow their letter, maybe in the next chunk: hold back
        # the text from the last character that starts a new letter.
        text = self._held + text
        cut = len(text)
        if not final:
            while cut and unicodedata.combining(text[cut - 1]):
                cut -= 1
            cut = max(cut - 1, 0)
        self._held = text[cut:]
        return unicodedata.normalize("NFC", text[:cut])

    def _decode_units(self, chunk: bytes, final: bool) -> str:
        data = self._pending + chunk if self._pending else chunk
        start = self._offset - len(self._pending)  # absolute position of data[0]
        self._offset += len(chunk)
        end = len(data) if final else _complete(data)
        self._pending = data[end:]
        view = memoryview(data)  # slices without copies
        out = []
        pos, stop = 0, end  # all at once first: the fast path for clean UTF-8
        while pos < end:
            try:
                out.append(codecs.utf_8_decode(view[pos:stop], "strict", True)[0])
                pos = stop
            except UnicodeDecodeError as err:
                unit = _unit_start(data, pos, pos + err.start, end)
                unit_end = _unit_end(data, unit, end)
                out.append(codecs.utf_8_decode(view[pos:unit], "strict", True)[0])
                out.append(
                    self._read_unit(data[unit:unit_end], start + unit, final and unit_end == end)
                )
                pos = unit_end
            # After an error, go on in windows: each error copies the bytes
            # tried into the exception.
            newline = data.rfind(b"\n", pos, pos + _WINDOW)
            stop = newline + 1 if newline >= 0 else _unit_end(data, pos, end)
        return "".join(out)

    def _read_unit(self, unit: bytes, offset: int, last: bool) -> str:
        fallback = self.plan.fallback
        assert fallback
        tail = b""
        if last:
            # A sequence cut short by the end of the payload is damage, not
            # a legacy byte, if it is two bytes or more or no legacy text
            # came before.
            consumed = codecs.utf_8_decode(unit, "surrogateescape", False)[1]
            unit, tail = unit[:consumed], unit[consumed:]
        text, ranges = _read(unit, fallback)
        for start, end in ranges:
            self._add_range(offset + start, offset + end)
            self.fallback_used = True
        if tail:
            if len(tail) > 1 or not self.fallback_used:
                text += "\ufffd"
            else:
                text += tail.decode(fallback, "replace")
            self._add_range(offset + len(unit), offset + len(unit) + len(tail))
        return text

    def _raise_mismatch(self, err: UnicodeDecodeError) -> None:
        before = err.object[: err.start].decode(self.plan.encoding, "replace")
        raise EncodingMismatchError(
            self.plan.encoding,
            bytes(err.object[err.start : err.end]),
            self._base + err.start,
            self._lines + before.count("\n") + 1,
            err.reason,
        ) from None


# A line longer than this is decoded in pieces, cut after a space if it has
# one, so that a stream never holds back more than this.
_LONG_LINE = 1 << 16
# Once a chunk has shown invalid UTF-8, it is decoded this much at a time.
_WINDOW = 1 << 13


def _unit_end(data: bytes, start: int, end: int) -> int:
    """The end of the unit that starts at ``start``: its line, or a piece of it."""
    newline = data.find(b"\n", start, min(end, start + _LONG_LINE))
    if newline >= 0:
        return newline + 1
    if end - start <= _LONG_LINE:
        return end
    cut = data.rfind(b" ", start, start + _LONG_LINE) + 1
    if cut > start:
        return cut
    cut = start + _LONG_LINE
    while cut > start + _LONG_LINE - 3 and 0x80 <= data[cut] < 0xC0:
        cut -= 1  # not inside a UTF-8 sequence
    return cut


def _unit_start(data: bytes, start: int, position: int, end: int) -> int:
    """The start of the unit holding ``position``; ``start`` starts a unit."""
    unit = max(start, data.rfind(b"\n", start, position) + 1)
    while (unit_end := _unit_end(data, unit, end)) <= position:
        unit = unit_end
    return unit


def _complete(data: bytes) -> int:
    """The end of the complete units of a chunk (which starts a unit)."""
    end = data.rfind(b"\n") + 1
    while len(data) - end > _LONG_LINE:
        end = _unit_end(data, end, len(data))
    return end


def _read(unit: bytes, fallback: str) -> tuple[str, list[tuple[int, int]]]:
    """A unit with invalid UTF-8, and the byte ranges read in ``fallback``.

    Valid UTF-8 stays UTF-8 and invalid runs are read in ``fallback`` (the
    split reading), unless reading the whole unit in ``fallback`` shows less
    damage, or as little when its valid UTF-8 looks accidental: glued to
    invalid runs (Windows-1251 ``Сё`` is the UTF-8 of ``Ѹ``) or outweighed by
    them. A multi-byte legacy line is read whole.

    >>> _read("Zürich ".encode() + "Genève".encode("cp1252"), "cp1252")
    ('Zürich Genève', [(11, 12)])
    >>> _read("قال: «نعم» ذ»".encode("cp1256"), "cp1256")[0]
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
    split = _composed("".join(out), fallback)
    valid = "".join(_NON_ASCII.findall("".join(parts[::2]))).encode()
    if not valid and _single_byte(fallback):
        return split, ranges
    try:
        whole = _composed(unit.decode(fallback), fallback)
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
            lines.append(_read(line, fallback)[0])
    return "".join(lines)


def _composed(text: str, encoding: str) -> str:
    """Text as written: Windows-1258 stores Vietnamese tone marks apart."""
    return unicodedata.normalize("NFC", text) if encoding in _COMPOSED else text


def text_encoding(name: str) -> str:
    """The canonical name of a text encoding; ``LookupError`` if ``name`` is not one.

    Codecs such as rot13 or base64 are found by ``codecs.lookup`` but do not
    turn bytes into text: ``bytes.decode`` refuses them, and so does this.

    >>> text_encoding("Latin-1")
    'iso8859-1'
    >>> text_encoding("rot13")
    Traceback (most recent call last):
    LookupError: 'rot13' is not a text encoding
    """
    info = codecs.lookup(name)
    if not getattr(info, "_is_text_encoding", True):
        raise LookupError(f"{name!r} is not a text encoding")
    return info.name


def _check_bytes(data: object, caller: str) -> None:
    # bytes() would turn an int into that many NUL bytes and a str into an
    # opaque "string argument without an encoding".
    if isinstance(data, (bytes, bytearray, memoryview)):
        return
    hint = "; use textmend.fix() for str" if isinstance(data, str) else ""
    raise TypeError(f"{caller}() takes bytes, not {type(data).__name__}{hint}")


class StreamDecoder:
    """Decode a byte stream chunk by chunk, in bounded memory.

    The first ``sample_size`` bytes are buffered and examined; from then on
    the stream is decoded incrementally, holding back only an incomplete
    multi-byte sequence at a chunk boundary, or for UTF-8 an incomplete line
    (at most 64 KiB of it). ``encodings``,
    ``fallback_ranges``, ``confidence`` and ``bom`` are complete after the
    call with ``final=True``.

    >>> d = StreamDecoder()
    >>> d.decode(b"caf\\xc3") + d.decode(b"\\xa9", final=True)
    'café'
    """

    def __init__(self, encoding: str | None = None, sample_size: int = DEFAULT_SAMPLE_SIZE) -> None:
        if sample_size < _MIN_SAMPLE:
            raise ValueError(f"sample_size must be at least {_MIN_SAMPLE} bytes, the longest BOM")
        self.encoding = None if encoding is None else text_encoding(encoding)
        self.sample_size = sample_size
        self._sample = bytearray()
        self._run: _Run | None = None

    def decode(self, chunk: bytes, final: bool = False) -> str:
        """Decode the next chunk; pass ``final=True`` with the last one."""
        _check_bytes(chunk, "decode")
        if self._run is None:
            sample = bytes(self._sample + chunk) if self._sample else bytes(chunk)
            if len(sample) <= self.sample_size and not final:
                self._sample = bytearray(sample)
                return ""
            self._sample = bytearray()
            chunk = sample[self.decide(sample, final) :]
        assert self._run is not None
        return self._run.decode(chunk, final)

    def decide(self, sample: bytes, final: bool) -> int:
        """Choose how to decode from the first bytes, before any ``decode``.

        ``sample`` is more than ``sample_size`` bytes, or the whole stream
        (``final``). Returns the length of the byte-order mark: the bytes to
        ``decode`` are those after it.

        >>> d = StreamDecoder()
        >>> data = b"\\xef\\xbb\\xbfhi"
        >>> d.decode(data[d.decide(data, final=True) :], final=True)
        'hi'
        """
        # Detection sees exactly sample_size bytes however the input was
        # chunked, so a stream and a whole payload are decoded alike.
        whole = final and len(sample) <= self.sample_size
        plan = _plan(sample[: self.sample_size], self.encoding, whole)
        self._run = _Run(plan, len(plan.bom))
        return len(plan.bom)

    @property
    def encodings(self) -> tuple[str, ...]:
        """The encoding(s) used so far; empty before detection."""
        return self._run.encodings if self._run else ()

    def line_decoder(self) -> LineDecoder | None:
        """A decoder of any run of whole lines of this stream, once its encoding is known.

        Only for a detected UTF-8 stream (where a ``\\n`` byte always ends a
        line and decoding starts afresh on each line); else None.
        """
        if self._run is None or self._run.plan.encoding != "utf-8" or self._run.plan.explicit:
            return None
        return LineDecoder(self._run.plan)

    @property
    def confidence(self) -> float:
        """How sure detection was, from 0 to 1 (1 for a BOM or valid UTF-8)."""
        return self._run.plan.confidence if self._run else 0.0

    @property
    def fallback_ranges(self) -> tuple[tuple[int, int], ...]:
        """Byte ranges read in the fallback encoding or replaced by U+FFFD."""
        return tuple(self._run.ranges) if self._run else ()

    @property
    def bom(self) -> bytes:
        """The byte-order mark stripped from the start, if any."""
        return self._run.plan.bom if self._run else b""


@dataclass(frozen=True)
class LineDecoder:
    """Decodes whole lines of a stream apart from the rest, as its ``StreamDecoder`` does.

    Picklable: workers decode their own parts of a file with it.

    >>> d = StreamDecoder()
    >>> d.decode(b"caf\\xc3\\xa9\\n" * 3, final=True)
    'café\\ncafé\\ncafé\\n'
    >>> lines = d.line_decoder()
    >>> lines.decode("th\\xe9\\n".encode("latin-1"), 12, final=True)
    LineText(text='thé\\n', encodings=('utf-8', 'cp1252'), exact=False)
    """

    plan: _Plan

    def decode(self, data: bytes, offset: int, final: bool) -> LineText:
        """The text of whole lines that start at byte ``offset``; ``final``: they end the stream."""
        run = _Run(self.plan, offset)
        text = run.decode(data, final)
        return LineText(text, run.encodings, not run.ranges)


class LineText(NamedTuple):
    """Decoded lines; ``exact``: their bytes are the UTF-8 of ``text``."""

    text: str
    encodings: tuple[str, ...]
    exact: bool


def decode(
    data: bytes, encoding: str | None = None, sample_size: int = DEFAULT_SAMPLE_SIZE
) -> DecodeResult:
    """Decode a whole payload, detecting its encoding(s) unless one is given.

    Raises ``BinaryInputError`` for binary input, ``EncodingMismatchError``
    when the bytes do not fit an explicit ``encoding`` and ``LookupError``
    for an unknown encoding name.

    >>> decode("ünïcödé".encode("utf-16")).encodings
    ('utf-16-le',)
    """
    _check_bytes(data, "decode")
    decoder = StreamDecoder(encoding, sample_size)
    text = decoder.decode(bytes(data), final=True)
    return DecodeResult(
        text, decoder.encodings, decoder.confidence, decoder.fallback_ranges, decoder.bom
    )


def fix_bytes(
    data: bytes, profile: Profile | str = DEFAULT_PROFILE, encoding: str | None = None
) -> str:
    """Decode bytes, then repair the text as ``fix`` does.

    >>> fix_bytes("Lâ€™été ".encode() + "à Noël".encode("cp1252"))
    'L’été à Noël'
    """
    _check_bytes(data, "fix_bytes")
    return fix(decode(data, encoding).text, profile)


_MOJIBAKE_CHECK = Profile("mojibake-check", ("mojibake",))


def describe(data: bytes) -> dict[str, object]:
    """What ``textmend detect`` reports about one file's bytes.

    >>> describe("Tâ€™as vu ?".encode())["mojibake"]
    True
    >>> describe(b"\\x89PNG\\r\\n\\x1a\\n...")["binary"]
    'PNG image signature at byte 0'
    """
    try:
        result = decode(data)
    except BinaryInputError as err:
        return {"binary": str(err)}
    return {
        "binary": None,
        "encodings": list(result.encodings),
        "confidence": result.confidence,
        "mixed": result.mixed,
        "bom": result.bom.hex() or None,
        "fallback_ranges": [list(r) for r in result.fallback_ranges],
        "mojibake": fix(result.text, _MOJIBAKE_CHECK) != result.text,
    }


def format_description(name: str, info: dict[str, object]) -> str:
    """One line of ``textmend detect`` text output.

    >>> format_description("a.txt", describe("café".encode()))
    'a.txt: utf-8, confidence 1.00, not mixed, no mojibake'
    """
    if info["binary"]:
        return f"{name}: binary ({info['binary']})"
    encodings = info["encodings"]
    assert isinstance(encodings, list)
    parts = [
        " + ".join(encodings),
        f"confidence {info['confidence']:.2f}",
        "mixed" if info["mixed"] else "not mixed",
        "mojibake" if info["mojibake"] else "no mojibake",
    ]
    if info["bom"]:
        parts.insert(1, "BOM")
    return f"{name}: " + ", ".join(parts)


def _plan(sample: bytes, encoding: str | None, final: bool) -> _Plan:
    """Decide how to decode a stream from its first bytes."""
    bom, bom_encoding = next(((b, e) for b, e in _BOMS if sample.startswith(b)), (b"", ""))
    if encoding:
        return _explicit_plan(encoding, bom, bom_encoding)
    if bom:
        return _Plan(bom_encoding, 1.0, bom=bom)
    _refuse_binary(sample)
    if sample.count(0) * 100 > len(sample):
        return _plan_utf16_32(sample)
    return _plan_utf8_or_legacy(_trim_to_line(sample, final), final)


def _plan_utf8_or_legacy(sample: bytes, final: bool) -> _Plan:
    """Strict UTF-8, UTF-8 with legacy runs, or one legacy encoding."""
    try:  # the common case, decided without the measures below
        consumed = codecs.utf_8_decode(sample, "strict", False)[1]
    except UnicodeDecodeError:
        pass
    else:
        if consumed == len(sample) or not final:
            return _Plan("utf-8", 1.0, fallback=_DEFAULT_LEGACY)
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
        return _Plan("utf-8", 1.0, fallback=_DEFAULT_LEGACY)
    fallback = _best_fallback(_bad_lines(text), _SURROGATES.sub(" ", text[:_SCORED_CHARS]))
    mixed = _Plan("utf-8", round(multibyte / (multibyte + invalid_bytes), 2), fallback=fallback)
    legacy = _guess_legacy(sample)
    if legacy is None:
        return mixed
    if not multibyte:
        return legacy
    # Whole lines of a legacy file can be valid UTF-8 by accident (Ф + ё in
    # Windows-1251 is the UTF-8 of Ը): keep the reading with less damage.
    # On a tie, the legacy reading only if its UTF-8 looks accidental, as in
    # ``_read``: outweighed by the invalid bytes. Damage misses much (German
    # UTF-8 read as Big5-HKSCS is "f羹r"): a few legacy bytes in a UTF-8
    # file must not turn all its text into another script.
    head = sample[: min(consumed, 2 * _SCORED_CHARS)]
    as_mixed = _read_all(head, fallback)
    as_legacy = _composed(head.decode(legacy.encoding, "ignore"), legacy.encoding)
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

    Each candidate reads the lines as ``_read`` does. The best letter fit
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


def _explicit_plan(encoding: str, bom: bytes, bom_encoding: str) -> _Plan:
    """Honour the caller's encoding; a BOM of the same encoding is stripped."""
    family = encoding.removesuffix("-sig")
    if bom and bom_encoding.startswith(family):
        return _Plan(bom_encoding, 1.0, bom=bom, explicit=True)
    if family in ("utf-16", "utf-32"):
        family += "-le"
    return _Plan(family, 1.0, explicit=True)


def _refuse_binary(sample: bytes) -> None:
    for signature, name in _SIGNATURES:
        if signature.match(sample):
            raise BinaryInputError(f"{name} signature at byte 0")


def _plan_utf16_32(sample: bytes) -> _Plan:
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
            return _Plan(name, 0.8)
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


def _guess_legacy(sample: bytes) -> _Plan | None:
    """charset-normalizer's candidates, re-ranked by how their letters fit.

    charset-normalizer scores short Windows-125x text close to exotic code
    pages (mac_iceland, iso8859-16, cp1250 for French...). Each candidate's
    decoding is scored by ``_fit``; the best fit wins. On a tie, the kind
    (single-byte or multi-byte) charset-normalizer put first wins, then the
    most common single-byte encoding, then charset-normalizer's order. Among
    candidates giving the same text, the most common name (``_PREFERRED``) is
    reported.
    """
    matches = _detected(sample)
    texts: dict[str, list[str]] = {}
    for name in _candidate_names(matches):
        try:
            text = _composed(sample.decode(name), name)
        except UnicodeDecodeError:
            continue
        if name not in texts.setdefault(text, []):
            texts[text].append(name)
    if not texts or not matches:
        return None
    fits = {text: (round(_fit(text), 3),) for text in texts}
    text, name = _best(texts, fits)
    return _Plan(name, round(fits[text][0], 2))


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
    names += [n for n in _PREFERRED if n in _SINGLE_BYTE]
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
    return _PREFERRED.index(name) if name in _PREFERRED else len(_PREFERRED)


def _rank(text: str, names: list[str]) -> int:
    """Single-byte readings that fit equally: the common encoding wins.

    charset-normalizer's order is kept among multi-byte readings, which it
    knows, and among common single-byte readings in other scripts than Latin
    (it tells Hebrew from a Cyrillic jumble); for Latin text it prefers
    exotic code pages (mac_iceland for French).
    """
    single = [_rank_one(n) for n in names if n in _SINGLE_BYTE]
    if single and not _latin(text):
        return 0
    return min(single, default=len(_PREFERRED))


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
        [sum(n for c, n in counts.items() if c.lower()[0] in alphabet) for alphabet in _ALPHABETS]
        + [sum(n for c, n in counts.items() if _script(c) in script) for script in _SCRIPTS]
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
