"""Bytes to lines, streaming: decode chunk by chunk and split on ``\\n`` only.

Every line keeps its ending (``\\n`` or ``\\r\\n``); the last line may have
none. Joining the lines gives back the decoded text exactly.

>>> split_lines("one\\r\\ntwo\\nthree")
['one\\r\\n', 'two\\n', 'three']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import BinaryIO

from textmend.decoding import StreamDecoder


def decoded(pieces: Iterable[bytes], decoder: StreamDecoder) -> Iterator[str]:
    """The text of a byte stream that comes in pieces."""
    for data in pieces:
        if text := decoder.decode(data):
            yield text
    if text := decoder.decode(b"", final=True):
        yield text


def line_blocks(pieces: Iterable[bytes], size: int) -> Iterator[bytes]:
    """Regroup a byte stream into blocks of whole lines.

    Each block ends with the line that holds its byte number ``size`` (or
    the stream ends), so where blocks start does not depend on the pieces.

    >>> list(line_blocks([b"ab\\nc", b"d\\nef\\ng"], size=2))
    [b'ab\\n', b'cd\\n', b'ef\\n', b'g']
    """
    # A bytearray grows in place: bytes would be copied whole at each piece,
    # quadratic in a line that spans many pieces. Deleting from its front
    # moves no bytes either.
    pending = bytearray()
    scanned = 0  # no line end in pending[size - 1 : scanned]
    for piece in pieces:
        pending += piece
        while len(pending) >= size:
            cut = pending.find(b"\n", max(size - 1, scanned)) + 1
            if not cut:
                scanned = len(pending)
                break
            yield bytes(pending[:cut])
            del pending[:cut]
            scanned = 0
    if pending:
        yield bytes(pending)


def lines(chunks: Iterable[str]) -> Iterator[str]:
    """Split a stream of text into lines, whatever the chunk boundaries."""
    pending: list[str] = []
    for chunk in chunks:
        pending.append(chunk)
        if "\n" not in chunk:
            continue
        parts = "".join(pending).split("\n")
        last = parts.pop()
        pending = [last] if last else []
        for part in parts:
            yield part + "\n"
    if pending:
        yield "".join(pending)


def blocks(chunks: Iterable[str], size: int) -> Iterator[str]:
    """Regroup a stream of text into blocks of whole lines, of about ``size`` characters.

    >>> list(blocks(["ab\\ncd", "\\nef\\ng"], size=4))
    ['ab\\n', 'cd\\nef\\n', 'g']
    """
    pending: list[str] = []
    pending_size = 0
    for chunk in chunks:
        pending.append(chunk)
        pending_size += len(chunk)
        if pending_size < size or "\n" not in chunk:
            continue
        text = "".join(pending)
        cut = text.rfind("\n") + 1
        yield text[:cut]
        pending = [text[cut:]]
        pending_size = len(pending[0])
    if pending_size:
        yield "".join(pending)


def count_lines(text: str) -> int:
    """How many lines a text has, a last line without ending included.

    >>> count_lines("a\\nb"), count_lines("a\\n"), count_lines("")
    (2, 1, 0)
    """
    return text.count("\n") + (bool(text) and not text.endswith("\n"))


def split_lines(text: str) -> list[str]:
    """The lines of one string."""
    return list(lines([text]))


def read_span(file: BinaryIO, span: tuple[int, int]) -> bytes:
    """The bytes of a file from ``span[0]`` to ``span[1]``, all of them."""
    start, end = span
    file.seek(start)
    data = file.read(end - start)
    if len(data) != end - start:
        raise OSError(f"{file.name} changed while it was read")
    return data
