"""Where the repaired chunks of one input go: a file, stdout, a diff, a check list.

All output to stdout is UTF-8, whatever the locale says. A file name that is
not UTF-8 is written as its bytes, as ``ls`` and ``diff`` write it (and as
``patch`` needs it).
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import sys
from pathlib import Path
from typing import BinaryIO, Protocol

from textmend.batch.chunks import ChunkResult, SpanResult
from textmend.batch.diff import UnifiedDiff
from textmend.io.atomic import AtomicFile
from textmend.io.compression import compressing
from textmend.io.lines import read_span, split_lines


class InputError(Exception):
    """Reading the input failed as its output was written (its ``args[0]`` says why)."""


class Sink(Protocol):
    """Receives the chunks of one input in order, then ``finish`` or ``abort``.

    A chunk comes as text (``write``) or as a span of the input file's bytes
    with its edits (``copy``).
    """

    def write(self, chunk: str, result: ChunkResult, first_line: int) -> None: ...

    def copy(self, path: Path, span: tuple[int, int], result: SpanResult) -> None: ...

    def finish(self, rewritten: bool) -> None: ...

    def abort(self) -> None: ...


def output_text(chunk: str, result: ChunkResult) -> str:
    """The chunk as it is written."""
    return result.applied_to(chunk)


def _stdout() -> BinaryIO:
    return sys.stdout.buffer


# At most this many buffers go to one ``os.writev`` (POSIX guarantees 16).
_IOV_MAX = max(16, os.sysconf("SC_IOV_MAX")) if hasattr(os, "sysconf") else 16


class _Copier:
    """Writes spans of an input file, with their edits, to an output stream.

    A span is read at once (it is bounded: ``CHUNK_BYTES``, and a line) and
    its unchanged pieces are written around the edits without copying
    them, with one ``writev`` where the output is a file descriptor
    (``direct``): a span with a hundred edits is two system calls, not two
    hundred.
    """

    def __init__(self, out: BinaryIO, direct: bool) -> None:
        self.out = out
        self.direct = direct and hasattr(os, "writev")
        self.source: BinaryIO | None = None

    def copy(self, path: Path, span: tuple[int, int], edits: list[tuple[int, int, bytes]]) -> None:
        try:
            if self.source is None:
                self.source = path.open("rb")
            data = read_span(self.source, span)
        except OSError as error:
            raise InputError(error) from error
        start = span[0]
        view = memoryview(data)
        pieces: list[bytes | memoryview] = []
        position = 0
        for first, stop, fixed in edits:
            pieces += (view[position : first - start], fixed)
            position = stop - start
        pieces.append(view[position:])
        if self.direct:
            self.out.flush()
            _write_all(self.out.fileno(), pieces)
        else:
            for piece in pieces:
                self.out.write(piece)

    def close(self) -> None:
        if self.source is not None:
            self.source.close()
            self.source = None


def _write_all(fd: int, pieces: list[bytes | memoryview]) -> None:
    """Write every piece, in order, with as few system calls as may be."""
    views = [memoryview(piece) for piece in pieces if len(piece)]
    first = 0
    while first < len(views):
        written = os.writev(fd, views[first : first + _IOV_MAX])
        # A pipe may take only part: go on from where it stopped.
        while written and written >= len(views[first]):
            written -= len(views[first])
            first += 1
        if written:
            views[first] = views[first][written:]


class FileSink:
    """An output file written atomically, compressed as its name says.

    With ``keep_unchanged`` (``--in-place``) a file where nothing was rewritten
    is left alone, so its time stamp does not move.
    """

    def __init__(
        self,
        path: Path,
        compression: str | None,
        backup: Path | None = None,
        keep_unchanged: bool = False,
        bom: bool = False,
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.file = AtomicFile(path)
        self.stream = compressing(self.file.stream, compression)
        if bom:
            self.stream.write(codecs.BOM_UTF8)
        self.backup = backup
        self.keep_unchanged = keep_unchanged
        self.copier = _Copier(self.stream, direct=compression is None)

    def write(self, chunk: str, result: ChunkResult, first_line: int) -> None:
        self.stream.write(output_text(chunk, result).encode("utf-8"))
        self.file.start_writeback()

    def copy(self, path: Path, span: tuple[int, int], result: SpanResult) -> None:
        self.copier.copy(path, span, result.edits)
        self.file.start_writeback()

    def finish(self, rewritten: bool) -> None:
        self.copier.close()
        if self.keep_unchanged and not rewritten:
            self.abort()
            return
        if self.keep_unchanged and not self.file.path.exists():
            # Removed while it was read: a repair is not a reason to bring it back.
            raise FileNotFoundError(errno.ENOENT, "it was removed during the run")
        if self.stream is not self.file.stream:
            self.stream.close()
        self.file.commit(self.backup)

    def abort(self) -> None:
        self.copier.close()
        if self.stream is not self.file.stream:
            # The compressor writes its trailer into the temporary file about to go.
            with contextlib.suppress(OSError, ValueError):
                self.stream.close()
        self.file.abort()


class _ToStdout:
    """Output already on stdout cannot be taken back: finishing is flushing."""

    def finish(self, rewritten: bool) -> None:
        _stdout().flush()

    def abort(self) -> None:
        _stdout().flush()


class StdoutSink(_ToStdout):
    """Repaired text on standard output."""

    def __init__(self, bom: bool = False) -> None:
        self.copier = _Copier(_stdout(), direct=True)
        if bom:
            _stdout().write(codecs.BOM_UTF8)

    def write(self, chunk: str, result: ChunkResult, first_line: int) -> None:
        _stdout().write(output_text(chunk, result).encode("utf-8"))

    def copy(self, path: Path, span: tuple[int, int], result: SpanResult) -> None:
        self.copier.copy(path, span, result.edits)

    def finish(self, rewritten: bool) -> None:
        self.copier.close()
        super().finish(rewritten)

    def abort(self) -> None:
        self.copier.close()
        super().abort()


class DiffSink(_ToStdout):
    """A unified diff of what would change; nothing is written."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.diff = UnifiedDiff()
        self.started = False

    def write(self, chunk: str, result: ChunkResult, first_line: int) -> None:
        # Edits replace whole records, and records are whole lines.
        hunks = []
        position = 0
        for start, end, fixed in result.edits:
            hunks.append(self.diff.same(_lines(chunk[position:start])))
            hunks.append(self.diff.change(_lines(chunk[start:end]), _lines(fixed)))
            position = end
        hunks.append(self.diff.same(_lines(chunk[position:])))
        self._print("".join(hunks))

    def copy(self, path: Path, span: tuple[int, int], result: SpanResult) -> None:
        raise TypeError("a diff needs the text of each chunk: read it with Settings(spans=False)")

    def finish(self, rewritten: bool) -> None:
        self._print(self.diff.end())
        super().finish(rewritten)

    def _print(self, hunks: str) -> None:
        if not hunks:
            return
        if not self.started:
            header = f"--- a/{self.name}\n+++ b/{self.name}\n"
            _stdout().write(header.encode("utf-8", "surrogateescape"))
            self.started = True
        _stdout().write(hunks.encode("utf-8"))


def _lines(text: str) -> list[str]:
    return split_lines(text) if text else []


class CheckSink(_ToStdout):
    """``FILE:LINE: step: before -> after`` for every change that would be made."""

    def __init__(self, name: str) -> None:
        self.name = name

    def write(self, chunk: str, result: ChunkResult, first_line: int) -> None:
        out = [
            f"{self.name}:{line}: {change.step}: {change.before!r} -> {change.after!r}\n"
            for line, change in result.details
        ]
        _stdout().write("".join(out).encode("utf-8", "surrogateescape"))

    def copy(self, path: Path, span: tuple[int, int], result: SpanResult) -> None:
        self.write("", result.result, 0)
