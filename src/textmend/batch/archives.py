"""The batch work of a WARC archive: repair the text records of a batch, write or check them.

The runner frames the records (``textmend.io.warc.records``) and hands them
to ``process_records`` in batches; only the records that changed travel back,
and a sink writes every record in order, each framed as its output needs.

>>> from textmend.profiles import PROFILES
>>> block = "caf&eacute;".encode()
>>> data = (
...     b"WARC/1.1\\r\\nWARC-Type: conversion\\r\\nContent-Type: text/plain\\r\\n"
...     b"Content-Length: %d\\r\\n\\r\\n%s\\r\\n\\r\\n" % (len(block), block)
... )
>>> result = process_records(PROFILES["safe"], FormatOptions("warc"), [RawRecord(0, data)])
>>> result.replaced[0].split(b"\\r\\n")[3:]
[b'Content-Length: 5', b'', b'caf\\xc3\\xa9', b'', b'']
>>> result.types, result.result.changed, result.result.steps
({'conversion': 1}, 1, {})
"""

from __future__ import annotations

import gzip
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from textmend.batch.chunks import ChunkResult, FormatOptions, SpanResult, process_chunk
from textmend.batch.sinks import FileSink, Sink, StdoutSink
from textmend.explanation import Change
from textmend.io.warc import BadRecord, RawRecord, TextRecord, Truncated, inflate, read_text
from textmend.profiles import Profile


@dataclass
class RecordsResult:
    """What became of a batch of records.

    ``replaced`` maps the index of each record that changed to its new bytes
    (framed as the input was); ``result`` counts them, its ``problems`` are
    numbered by the offset of their record; ``details`` lists each change as
    ``(record offset, line in the block, change)``; ``encodings`` are those
    the text records were read in; ``error`` fails the file.
    """

    result: ChunkResult = field(default_factory=ChunkResult)
    replaced: dict[int, bytes] = field(default_factory=dict)
    types: dict[str, int] = field(default_factory=dict)
    details: list[tuple[int, int, Change]] = field(default_factory=list)
    encodings: set[str] = field(default_factory=set)  # of the text records
    error: str | None = None


def process_records(
    profile: Profile, options: FormatOptions, batch: list[RawRecord]
) -> RecordsResult:
    """Repair the text records of a batch; a record that cannot be is reported, kept."""
    out = RecordsResult()
    text_options = FormatOptions("text", steps=options.steps, details=options.details)
    for index, record in enumerate(batch):
        out.result.records += 1
        try:
            text = read_text(inflate(record) if record.gzipped else record.data, out.types)
            fixed = None if text is None else _repaired(profile, text_options, record, text, out)
        except Truncated as error:
            out.error = f"truncated: the record at byte {record.offset} {error}"
            return out
        except BadRecord as error:
            out.result.problems.append((record.offset, f"{error}: kept as it was"))
            if options.on_error == "skip":
                out.replaced[index] = b""
            continue
        if fixed is not None:
            out.result.changed += 1
            out.replaced[index] = gzip.compress(fixed, 6, mtime=0) if record.gzipped else fixed
    return out


def _repaired(
    profile: Profile,
    options: FormatOptions,
    record: RawRecord,
    text: TextRecord,
    out: RecordsResult,
) -> bytes | None:
    """The record with its text repaired (one record is one document), or None."""
    out.encodings.update(text.encodings)
    result = process_chunk(profile, options, 1, text.text)
    fixed = text.rewritten(result.applied_to(text.text))
    if fixed is not None:
        for step, count in result.steps.items():
            out.result.steps[step] = out.result.steps.get(step, 0) + count
        out.details += [(record.offset, line, change) for line, change in result.details]
    return fixed


class ArchiveSink:
    """Writes the records of one archive, each framed as the output needs.

    A gzip output is a member per record (so the archive stays seekable);
    any other output holds plain records, compressed as the output says.
    """

    def __init__(self, inner: Sink, stream: BinaryIO, members: bool) -> None:
        self.inner = inner
        self.stream = stream
        self.members = members

    @classmethod
    def to_file(
        cls,
        path: Path,
        compression: str | None,
        backup: Path | None = None,
        keep_unchanged: bool = False,
    ) -> ArchiveSink:
        members = compression == "gzip"
        inner = FileSink(path, None if members else compression, backup, keep_unchanged)
        return cls(inner, inner.stream, members)

    @classmethod
    def to_stdout(cls) -> ArchiveSink:
        return cls(StdoutSink(), sys.stdout.buffer, False)

    def write_records(self, batch: list[RawRecord], result: RecordsResult) -> None:
        for index, record in enumerate(batch):
            data = result.replaced.get(index, record.data)
            if record.gzipped and not self.members:
                data = gzip.decompress(data)
            elif self.members and not record.gzipped and data:
                data = gzip.compress(data, 6, mtime=0)
            self.stream.write(data)
        if isinstance(self.inner, FileSink):
            self.inner.file.start_writeback()

    def write(self, chunk: str, result: ChunkResult, first_line: int) -> None:
        raise TypeError("an archive is written record by record")

    def copy(self, path: Path, span: tuple[int, int], result: SpanResult) -> None:
        raise TypeError("an archive is written record by record")

    def finish(self, rewritten: bool) -> None:
        self.inner.finish(rewritten)

    def abort(self) -> None:
        self.inner.abort()


class ArchiveCheckSink:
    """``FILE@OFFSET:LINE: step: before -> after`` for every change in an archive's records."""

    def __init__(self, name: str) -> None:
        self.name = name

    def write_records(self, batch: list[RawRecord], result: RecordsResult) -> None:
        out = [
            f"{self.name}@{offset}:{line}: {change.step}: {change.before!r} -> {change.after!r}\n"
            for offset, line, change in result.details
        ]
        sys.stdout.buffer.write("".join(out).encode("utf-8", "surrogateescape"))

    def write(self, chunk: str, result: ChunkResult, first_line: int) -> None:
        raise TypeError("an archive is checked record by record")

    def copy(self, path: Path, span: tuple[int, int], result: SpanResult) -> None:
        raise TypeError("an archive is checked record by record")

    def finish(self, rewritten: bool) -> None:
        sys.stdout.buffer.flush()

    def abort(self) -> None:
        sys.stdout.buffer.flush()
