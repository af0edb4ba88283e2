"""WARC and WET archives: their records framed, and a text record read and rewritten.

``records`` frames the records of an archive with FastWARC (the
``textmend[warc]`` extra) and gives each as the bytes it is in the file
(a gzip member, or plain). ``read_text`` reads a text record's text;
``TextRecord.rewritten`` writes the record again around a new text: its
block as UTF-8, its ``Content-Length`` and digests recomputed, a declared
charset updated, its other header lines as they were.

>>> block = "caf&eacute;".encode("latin-1")
>>> data = (
...     b"WARC/1.1\\r\\nWARC-Type: resource\\r\\nContent-Type: text/plain; charset=latin-1\\r\\n"
...     b"Content-Length: %d\\r\\n\\r\\n%s\\r\\n\\r\\n" % (len(block), block)
... )
>>> record = read_text(data, {})
>>> record.text, record.encodings
('caf&eacute;', ('iso8859-1',))
>>> record.rewritten("café").split(b"\\r\\n")[2:]
[b'Content-Type: text/plain; charset=utf-8', b'Content-Length: 5', b'', b'caf\\xc3\\xa9', b'', b'']
"""

from __future__ import annotations

import base64
import codecs
import contextlib
import hashlib
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import BinaryIO, Protocol

from textmend.decoding import BinaryInputError, decode
from textmend.io.compression import decompressing

# The first bytes of every record.
MAGIC = (b"WARC/1.0", b"WARC/1.1")
_CHARSET = re.compile(rb"""(;\s*charset\s*=\s*)(["']?)([^"';\s]*)(["']?)""", re.IGNORECASE)
# A header line: its name, colon and spaces kept as they were when its value changes.
_HEADER = re.compile(rb"([^:]*:[ \t]*)(.*)", re.DOTALL)
_HEX = re.compile(rb"[0-9a-fA-F]+")
_BLOCK_DIGEST = b"WARC-Block-Digest"
_PAYLOAD_DIGEST = b"WARC-Payload-Digest"


class ArchiveError(ValueError):
    """An archive that cannot be read to its end (truncated, corrupt), or no FastWARC."""


class BadRecord(ValueError):
    """A record that is kept as it was, and reported (the message says why)."""


class Truncated(BadRecord):
    """A record that ends before its block does: the archive was cut."""


def is_archive(head: bytes) -> bool:
    """Whether (uncompressed) bytes start as a WARC file does.

    >>> is_archive(b"WARC/1.1\\r\\nWARC-Type: warcinfo"), is_archive(b"WARCs")
    (True, False)
    """
    return head.startswith(MAGIC)


def _fastwarc() -> ModuleType:
    try:
        import fastwarc.warc
    except ImportError:
        raise ArchiveError(
            "WARC files need the FastWARC package: pip install 'textmend[warc]'"
        ) from None
    return fastwarc.warc


@dataclass(frozen=True)
class RawRecord:
    """A record as its bytes are in the input: a gzip member (``gzipped``) or plain."""

    offset: int
    data: bytes
    gzipped: bool = False


def records(raw: BinaryIO, compression: str | None) -> Iterator[RawRecord]:
    """The records of an archive, framed by FastWARC, as their bytes in ``raw``.

    A gzip file of one member per record is read as its members, so that
    they can be copied as they are; any other compression is undone first.
    Bytes FastWARC skips between records stay with the record before them.
    A record cut short or a member that does not decompress is an
    ``ArchiveError`` that names the offset: an archive is never silently cut.
    """
    warc = _fastwarc()
    gzipped = compression == "gzip" and _member_per_record(raw)
    stream = raw if gzipped else decompressing(raw, compression)
    recorder = _Recorder(stream)
    start = 0  # of the record being read; bytes before the first are a record of their own
    found = False
    try:
        # Lenient: bytes that are not a record end up in a record's span,
        # where reading that record reports them.
        for record in warc.ArchiveIterator(recorder, parse_http=False, quirks_mode=True):
            position = record.stream_pos
            if position > start:
                yield RawRecord(start, recorder.take(start, position), gzipped)
            start, found = position, True
            read = record.consume()
            if read < record.content_length:
                raise ArchiveError(
                    f"truncated at byte {recorder.tell()}: the record at byte {position} "
                    f"has {read} of its {record.content_length} bytes"
                )
    except OSError as error:
        at = recorder.record_end(start, gzipped) if found else 0
        raise ArchiveError(f"cannot read the record at byte {at}: {error}") from None
    if found:
        yield RawRecord(start, recorder.take(start, None), gzipped)
    elif recorder.tell():  # --format warc on a file that is not one
        raise ArchiveError("no WARC record in it")


def _member_per_record(raw: BinaryIO) -> bool:
    """Whether a gzip file's first member holds at most one record (then the
    file is taken as one member per record); ``raw`` is read from the start
    and rewound."""
    inflate = zlib.decompressobj(31)
    out = b""
    end = None
    try:
        while not inflate.eof and (end is None or len(out) <= end):
            piece = raw.read(64 << 10)
            if not piece:
                break
            out += inflate.decompress(piece)
            if end is None and b"\r\n\r\n" in out:
                end = _record_end(out)
    except zlib.error:
        end = -1  # not gzip after all: reading it as gzip says so
    raw.seek(0)
    return end is None or len(out) <= end


def _record_end(data: bytes) -> int | None:
    """Where the record that starts ``data`` ends, by its Content-Length."""
    head_end = data.find(b"\r\n\r\n")
    length = re.search(rb"\r\ncontent-length:[ \t]*(\d+)", data[:head_end], re.IGNORECASE)
    return None if length is None else head_end + 4 + int(length[1]) + 4


class SupportsRead(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class Prefixed:
    """A stream read on after its first bytes (``head``) were taken from it.

    >>> import io
    >>> stream = Prefixed(b"WARC", io.BytesIO(b"/1.1"))
    >>> stream.read(3), stream.read(), stream.tell()
    (b'WAR', b'C/1.1', 8)
    """

    def __init__(self, head: bytes, stream: SupportsRead) -> None:
        self._head = head
        self._stream = stream
        self._position = 0

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            data = self._head + self._stream.read()
            self._head = b""
        elif self._head:
            data = self._head[:size]
            self._head = self._head[size:]
        else:
            data = self._stream.read(size)
        self._position += len(data)
        return data

    def tell(self) -> int:
        return self._position


class _Recorder:
    """A reader that keeps what was read from the start of the current record."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._kept = bytearray()
        self._start = 0  # the offset of _kept[0]

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._kept += data
        return data

    def tell(self) -> int:
        return self._start + len(self._kept)

    def record_end(self, start: int, gzipped: bool) -> int:
        """Where the record at ``start``, read whole, ends (or ``start`` if it was not)."""
        data = bytes(self._kept[start - self._start :])
        if gzipped:
            inflate = zlib.decompressobj(31)
            with contextlib.suppress(zlib.error):
                inflate.decompress(data)
            return start + len(data) - len(inflate.unused_data) if inflate.eof else start
        end = _record_end(data) if b"\r\n\r\n" in data else None
        return start if end is None or end > len(data) else start + end

    def take(self, start: int, end: int | None) -> bytes:
        """The bytes from ``start`` to ``end`` (None: to the end of the stream);
        nothing before ``end`` is kept."""
        if end is None:
            self._kept += self._stream.read()
            end = self.tell()
        data = bytes(self._kept[start - self._start : end - self._start])
        del self._kept[: end - self._start]
        self._start = end
        return data


def inflate(record: RawRecord) -> bytes:
    """The record a gzip member holds."""
    inflate = zlib.decompressobj(31)
    try:
        data = inflate.decompress(record.data)
    except zlib.error as error:
        raise BadRecord(f"its gzip member does not decompress ({error})") from None
    if not inflate.eof:
        raise Truncated("is a gzip member that ends early")
    if inflate.unused_data:
        raise BadRecord("is followed by bytes that are not a gzip member")
    return data


@dataclass
class _Head:
    """The header lines of a record (or of an HTTP message), as bytes."""

    lines: list[bytes]

    @classmethod
    def parse(cls, data: bytes, what: str) -> tuple[_Head, int]:
        """The head that starts ``data``, and where its block starts."""
        end = data.find(b"\r\n\r\n")
        if end < 0:
            raise BadRecord(f"its {what} header has no end")
        return cls(data[:end].split(b"\r\n")), end + 4

    def get(self, name: bytes) -> bytes | None:
        for line in self.lines[1:]:
            key, colon, value = line.partition(b":")
            if colon and key.strip().lower() == name:
                return value.strip()
        return None

    def set(self, name: bytes, value: bytes) -> None:
        for index, line in enumerate(self.lines[1:], 1):
            key, colon, _ = line.partition(b":")
            if colon and key.strip().lower() == name:
                match = _HEADER.fullmatch(line)
                assert match is not None
                self.lines[index] = match[1] + value

    def __bytes__(self) -> bytes:
        return b"\r\n".join(self.lines) + b"\r\n\r\n"


@dataclass
class TextRecord:
    """A text record, read: its head, block, HTTP head (a response), payload and text."""

    head: _Head
    block: bytes
    http: _Head | None
    payload: bytes
    charset: str | None
    text: str
    encodings: tuple[str, ...]

    def rewritten(self, text: str) -> bytes | None:
        """The record with ``text`` for its payload, as UTF-8; None if no byte changes.

        A digest that does not match the record as it was read is a
        ``BadRecord``: the record was damaged before, and a new digest would
        hide it.
        """
        fixed = text.encode("utf-8")
        if fixed == self.payload:
            return None
        for name, content in ((_BLOCK_DIGEST, self.block), (_PAYLOAD_DIGEST, self.payload)):
            declared = self.head.get(name.lower())
            if declared is not None and declared != _digest(declared, content):
                raise BadRecord(f"its {name.decode()} does not match its content")
        head = _Head(list(self.head.lines))
        block = fixed
        if self.http is not None:
            http = _Head(list(self.http.lines))
            _declare_utf8(http, len(fixed), self.charset, http.get(b"content-length") is not None)
            block = bytes(http) + fixed
        _declare_utf8(head, len(block), self.charset, True)
        for name, content in ((_BLOCK_DIGEST, block), (_PAYLOAD_DIGEST, fixed)):
            declared = head.get(name.lower())
            if declared is not None:
                head.set(name.lower(), _digest(declared, content))
        return bytes(head) + block + b"\r\n\r\n"


def read_text(data: bytes, types: dict[str, int]) -> TextRecord | None:
    """A record's text, or None if it is not a text record; its type is counted."""
    if not data.startswith(b"WARC/"):
        raise BadRecord("it does not start with 'WARC/'")
    head, start = _Head.parse(data, "WARC")
    kind = (head.get(b"warc-type") or b"").decode("latin-1").lower()
    types[kind] = types.get(kind, 0) + 1
    length = _content_length(head)
    block = data[start : start + length]
    if len(block) < length:
        raise Truncated(f"has {len(block)} of its {length} bytes")
    if data[start + length :] != b"\r\n\r\n":
        raise BadRecord("its block is not followed by exactly one empty line")
    media, charset = _media_type(head.get(b"content-type"))
    http = None
    payload = block
    if kind == "response" and media == "application/http":
        http, payload_start = _Head.parse(block, "HTTP")
        if http.get(b"content-encoding") or http.get(b"transfer-encoding"):
            return None  # the payload is not the text itself
        media, charset = _media_type(http.get(b"content-type"))
        payload = block[payload_start:]
    # A conversion record says no type when it is text (WET files).
    if media != "text/plain" and not (kind == "conversion" and media == ""):
        return None
    if kind not in ("resource", "response", "conversion"):
        return None
    text, encodings = _decoded(payload, charset)
    return TextRecord(head, block, http, payload, charset, text, encodings)


def _content_length(head: _Head) -> int:
    value = head.get(b"content-length")
    if value is None or not value.isdigit():
        raise BadRecord(f"its Content-Length is {'missing' if value is None else value!r}")
    return int(value)


def _media_type(value: bytes | None) -> tuple[str, str | None]:
    """The media type (lower case) and the charset a Content-Type declares.

    >>> _media_type(b'Text/Plain; charset="ISO-8859-1"')
    ('text/plain', 'ISO-8859-1')
    """
    if value is None:
        return "", None
    media = value.split(b";")[0].strip().decode("latin-1").lower()
    charset = _CHARSET.search(value)
    return media, charset[3].decode("latin-1") if charset and charset[3] else None


def _decoded(payload: bytes, charset: str | None) -> tuple[str, tuple[str, ...]]:
    """The text of a payload and its encodings: in its declared charset if it
    reads so, else as textmend's decoder reads it.

    >>> _decoded("thé".encode("cp1252"), "windows-1252"), _decoded(b"caf\\xc3\\xa9", "ascii")
    (('thé', ('cp1252',)), ('café', ('utf-8',)))
    """
    if charset is not None:
        try:
            name = codecs.lookup(charset).name
            return payload.decode(name), (name,)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong label is common: let the decoder look at the bytes
    try:
        result = decode(payload)
    except BinaryInputError as error:
        raise BadRecord(f"its text/plain block is not text ({error})") from None
    return result.text, result.encodings


def _declare_utf8(head: _Head, length: int, charset: str | None, has_length: bool) -> None:
    if has_length:
        head.set(b"content-length", str(length).encode())
    value = head.get(b"content-type")
    if charset is not None and value is not None:
        head.set(b"content-type", _CHARSET.sub(rb"\1\2utf-8\4", value, count=1))


def _digest(declared: bytes, content: bytes) -> bytes:
    """The digest of ``content`` with the algorithm and encoding of ``declared``.

    >>> _digest(b"sha1:AAAA", b"abc"), _digest(b"sha1:" + b"0" * 40, b"abc")[:13]
    (b'sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5', b'sha1:a9993e36')
    """
    algorithm, _, value = declared.partition(b":")
    try:
        hasher = hashlib.new(algorithm.decode("ascii").lower().replace("-", ""), content)
    except (ValueError, UnicodeDecodeError):
        raise BadRecord(f"its digest algorithm {algorithm!r} is unknown") from None
    digest = hasher.digest()
    if len(value) == 2 * len(digest) and _HEX.fullmatch(value):
        encoded = digest.hex().encode()
        return algorithm + b":" + (encoded.upper() if value.isupper() else encoded)
    return algorithm + b":" + base64.b32encode(digest)
