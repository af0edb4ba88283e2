"""Compression chosen by file suffix: gzip, bz2 and xz built in, zstd optional.

>>> compression_of("news.jsonl.gz"), compression_of("notes.txt")
('gzip', None)
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import sys
from pathlib import PurePath
from types import ModuleType
from typing import BinaryIO, cast

SUFFIXES = {".gz": "gzip", ".bz2": "bz2", ".xz": "xz", ".zst": "zstd"}


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
    if compression == "gzip":
        return cast(BinaryIO, gzip.GzipFile(fileobj=raw, mode="rb"))
    if compression == "bz2":
        return cast(BinaryIO, bz2.BZ2File(raw, "rb"))
    if compression == "xz":
        return cast(BinaryIO, lzma.LZMAFile(raw, "rb"))
    # Files written by parallel compressors hold several frames.
    decompressor = _zstandard().ZstdDecompressor()
    return cast(BinaryIO, decompressor.stream_reader(raw, read_across_frames=True, closefd=False))


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
