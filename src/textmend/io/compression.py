"""Compression chosen by file suffix: gzip, bz2 and xz built in, zstd optional.

>>> compression_of("news.jsonl.gz"), compression_of("notes.txt")
('gzip', None)
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import sys
from collections.abc import Callable
from pathlib import PurePath
from types import ModuleType
from typing import TYPE_CHECKING, Any, BinaryIO, cast

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

SUFFIXES = {".gz": "gzip", ".bz2": "bz2", ".xz": "xz", ".zst": "zstd"}
# Compressed bytes read at a time. bz2's and xz's output is bounded by the
# reader's buffer; zstd's by this times the compression ratio.
_FEED = 64 << 10


class CompressionError(ValueError):
    """A compressed file that cannot be read or written here."""


def compression_of(name: str) -> str | None:
    """The compression a file name's last suffix names, or None."""
    return SUFFIXES.get(PurePath(name).suffix.lower())


def _zstandard() -> ModuleType:
    try:
        import zstandard
    except ImportError:
        raise CompressionError(
            ".zst files need the zstandard package: pip install 'textmend[zstd]'"
        ) from None
    return zstandard


def decompression_errors() -> tuple[type[Exception], ...]:
    """What reading a damaged compressed stream can raise, besides ``OSError``.

    zstandard's error joins once a ``.zst`` stream has been opened, which
    imports it: only then can it be raised, and start-up need not pay for it.
    """
    errors: tuple[type[Exception], ...] = (EOFError, lzma.LZMAError)
    zstandard = sys.modules.get("zstandard")
    return errors if zstandard is None else (*errors, zstandard.ZstdError)


def decompressing(raw: BinaryIO, compression: str | None) -> BinaryIO:
    """A stream of the uncompressed bytes of ``raw``; ``raw`` stays open."""
    if compression is None:
        return raw
    raw = cast(BinaryIO, _NotEmpty(raw, compression))
    if compression == "gzip":
        return cast(BinaryIO, gzip.GzipFile(fileobj=raw, mode="rb"))
    if compression == "bz2":
        return cast(BinaryIO, io.BufferedReader(_Streams(raw, bz2.BZ2Decompressor, "bz2")))
    if compression == "xz":
        return cast(BinaryIO, io.BufferedReader(_Streams(raw, lzma.LZMADecompressor, "xz")))
    return cast(BinaryIO, io.BufferedReader(_Streams(raw, _ZstdFrame, "zstd")))


def compressing(raw: BinaryIO, compression: str | None) -> BinaryIO:
    """A stream that compresses into ``raw``; closing it leaves ``raw`` open."""
    if compression is None:
        return raw
    if compression == "gzip":
        # No name and no time in the header: the same input gives the same bytes.
        return cast(BinaryIO, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0))
    if compression == "bz2":
        return cast(BinaryIO, bz2.BZ2File(raw, "wb"))
    if compression == "xz":
        return cast(BinaryIO, lzma.LZMAFile(raw, "wb"))
    compressor = _zstandard().ZstdCompressor()
    return cast(BinaryIO, compressor.stream_writer(raw, closefd=False))


class _NotEmpty:
    """A compressed file read as it is, that must not be empty.

    Compressed empty text still has a header; an empty file was cut at its
    start (gzip -t and zstd -t say so), and Python's gzip and zstandard read
    it as empty text.
    """

    def __init__(self, raw: BinaryIO, compression: str) -> None:
        self._raw = raw
        self._compression = compression
        self._empty = True

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        if self._empty and not data and size:
            raise EOFError(f"no {self._compression} data in the file (it is empty)")
        self._empty = self._empty and not data
        return data


class _Streams(io.RawIOBase):
    """The uncompressed bytes of every stream in a bz2, xz or zstd file.

    pbzip2, pixz and parallel zstd write files of many streams (zstd calls
    them frames). Python's own readers end the file without a word at a
    later stream that does not decompress (or at bytes that are not one):
    here that is an error, as damage in the first stream is, and so is a
    file that ends inside a stream. Null bytes between xz streams are
    padding, as xz says.

    >>> whole = bz2.compress(b"one\\n") + bz2.compress(b"two\\n")
    >>> io.BufferedReader(_Streams(io.BytesIO(whole), bz2.BZ2Decompressor, "bz2")).read()
    b'one\\ntwo\\n'
    >>> io.BufferedReader(_Streams(io.BytesIO(whole + b"junk"), bz2.BZ2Decompressor, "bz2")).read()
    Traceback (most recent call last):
    OSError: Invalid data stream
    """

    def __init__(self, raw: BinaryIO, new: Callable[[], Any], name: str) -> None:
        self._raw = raw
        self._new = new
        self._name = name
        self._stream = new()
        self._inside = False  # part of the current stream has been fed

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        with memoryview(buffer) as view, view.cast("B") as target:
            while len(target):
                if self._stream.eof:
                    data = self._stream.unused_data
                    self._stream = self._new()
                    self._inside = False
                elif self._stream.needs_input:
                    data = self._raw.read(_FEED)
                    if not data:
                        if self._inside:
                            raise EOFError(
                                f"{self._name} stream ended early (the file is truncated)"
                            )
                        return 0
                else:
                    data = b""  # output is waiting inside the decompressor
                if not self._inside and self._name == "xz":
                    data = data.lstrip(b"\0")
                self._inside = self._inside or bool(data)
                # At most what fits: a small file can hold a huge output.
                out = self._stream.decompress(data, len(target))
                if out:
                    target[: len(out)] = out
                    return len(out)
        return 0


class _ZstdFrame:
    """One zstd frame, read as bz2's and lzma's decompressors read a stream.

    zstandard's own reader returns what it had where a file was cut, without
    a word; its ``decompressobj`` says whether a frame ended, but returns all
    that a feed decompresses to: what is beyond ``max_length`` waits here.

    >>> import zstandard
    >>> whole = zstandard.ZstdCompressor().compress(b"one\\n" * 1000)
    >>> io.BufferedReader(_Streams(io.BytesIO(whole), _ZstdFrame, "zstd")).read(8)
    b'one\\none\\n'
    >>> io.BufferedReader(_Streams(io.BytesIO(whole[:-4]), _ZstdFrame, "zstd")).read()
    Traceback (most recent call last):
    EOFError: zstd stream ended early (the file is truncated)
    """

    def __init__(self) -> None:
        self._frame = _zstandard().ZstdDecompressor().decompressobj()
        self._waiting = memoryview(b"")

    @property
    def eof(self) -> bool:
        return bool(self._frame.eof) and not self._waiting

    @property
    def unused_data(self) -> bytes:
        return bytes(self._frame.unused_data)

    @property
    def needs_input(self) -> bool:
        return not self._waiting

    def decompress(self, data: bytes, max_length: int) -> bytes:
        if data:
            self._waiting = memoryview(self._frame.decompress(data))
        out, self._waiting = self._waiting[:max_length], self._waiting[max_length:]
        return bytes(out)
