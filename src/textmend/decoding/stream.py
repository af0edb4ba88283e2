"""Decoding a stream chunk by chunk, in bounded memory, with the plan detection chose.

>>> d = StreamDecoder()
>>> d.decode(b"caf\\xc3") + d.decode(b"\\xa9", final=True)
'café'
"""

from __future__ import annotations

import codecs
import threading
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from textmend.decoding.detection import Plan, choose_plan, read_mixed
from textmend.decoding.errors import EncodingMismatchError
from textmend.decoding.tables import COMPOSED, DEFAULT_SAMPLE_SIZE, text_encoding

_MIN_SAMPLE = 4


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
    invalid bytes by ``read_mixed``. The last incomplete unit is held back.
    """

    def __init__(self, plan: Plan, offset: int) -> None:
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
        if self.plan.encoding in COMPOSED:
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
        text, ranges = read_mixed(unit, fallback)
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


def check_bytes(data: object, caller: str) -> None:
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
        check_bytes(chunk, "decode")
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
        plan = choose_plan(sample[: self.sample_size], self.encoding, whole)
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

    plan: Plan

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
    check_bytes(data, "decode")
    decoder = StreamDecoder(encoding, sample_size)
    text = decoder.decode(bytes(data), final=True)
    return DecodeResult(
        text, decoder.encodings, decoder.confidence, decoder.fallback_ranges, decoder.bom
    )
