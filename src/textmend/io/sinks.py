"""Where the repaired chunks of one input go: a file, stdout, a diff, a check list.

All output to stdout is UTF-8, whatever the locale says.
"""

from __future__ import annotations

import contextlib
import difflib
import re
import sys
from pathlib import Path
from typing import BinaryIO, Protocol

from textmend.io.atomic import AtomicFile
from textmend.io.chunks import ChunkResult
from textmend.io.compression import compressing
from textmend.io.lines import count_lines, split_lines


class Sink(Protocol):
    """Receives the chunks of one input in order, then ``finish`` or ``abort``."""

    def write(self, chunk: str, result: ChunkResult, first_line: int) -> None: ...

    def finish(self, rewritten: bool) -> None: ...

    def abort(self) -> None: ...


def output_text(chunk: str, result: ChunkResult) -> str:
    """The chunk as it is written."""
    return result.applied_to(chunk)


def _stdout() -> BinaryIO:
    return sys.stdout.buffer


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
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.file = AtomicFile(path)
        self.stream = compressing(self.file.stream, compression)
        self.backup = backup
        self.keep_unchanged = keep_unchanged

    def write(self, chunk: str, result: ChunkResult, first_line: int) -> None:
        self.stream.write(output_text(chunk, result).encode("utf-8"))

    def finish(self, rewritten: bool) -> None:
        if self.keep_unchanged and not rewritten:
            self.abort()
            return
        if self.stream is not self.file.stream:
            self.stream.close()
        self.file.commit(self.backup)

    def abort(self) -> None:
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

    def write(self, chunk: str, result: ChunkResult, first_line: int) -> None:
        _stdout().write(output_text(chunk, result).encode("utf-8"))


_HUNK = re.compile(r"^@@ -(\d+)((?:,\d+)?) \+(\d+)((?:,\d+)?) @@")


class DiffSink(_ToStdout):
    """A unified diff of what would change; nothing is written."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.out_lines = 0
        self.started = False

    def write(self, chunk: str, result: ChunkResult, first_line: int) -> None:
        after = output_text(chunk, result)
        out_offset = self.out_lines
        self.out_lines += count_lines(after)
        if not result.edits:
            return
        if not self.started:
            _stdout().write(f"--- a/{self.name}\n+++ b/{self.name}\n".encode())
            self.started = True
        diff = list(difflib.unified_diff(split_lines(chunk), split_lines(after), n=3))
        parts = []
        for line in diff[2:]:  # after the ---/+++ header, written once per file above
            if line.startswith("@@"):
                line = _HUNK.sub(
                    lambda m: (
                        f"@@ -{int(m[1]) + first_line - 1}{m[2]} +{int(m[3]) + out_offset}{m[4]} @@"
                    ),
                    line,
                )
            parts.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
        _stdout().write("".join(parts).encode("utf-8"))


class CheckSink(_ToStdout):
    """``FILE:LINE: step: before -> after`` for every change that would be made."""

    def __init__(self, name: str) -> None:
        self.name = name

    def write(self, chunk: str, result: ChunkResult, first_line: int) -> None:
        out = [
            f"{self.name}:{line}: {change.step}: {change.before!r} -> {change.after!r}\n"
            for line, change in result.details
        ]
        _stdout().write("".join(out).encode("utf-8"))
