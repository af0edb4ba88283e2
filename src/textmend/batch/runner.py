"""Run ``fix``, ``check`` or ``--diff`` over many files, in parallel, in order.

The main process reads each file as a stream, cuts it into chunks of records
and hands every chunk to ``process_chunk`` through an executor. At most a
small window of chunks is in flight, so memory stays bounded whatever the
file size, and results are written in input order. Chunks of many small files
and of one large file are alike to the executor, so every core stays busy.

A large plain file of lines (text or JSONL, not compressed) that decodes as
UTF-8 is not read by the main process at all: it is cut into spans of bytes
at line ends, each worker reads, decodes and repairs its own spans
(``process_span``), and the output is the input's bytes copied around the
edits the workers send back.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
import stat
import sys
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO, TypeVar, cast

from textmend.batch.archives import ArchiveCheckSink, ArchiveSink, RecordsResult, process_records
from textmend.batch.chunks import (
    ChunkResult,
    FormatOptions,
    SpanResult,
    process_chunk,
    process_span,
)
from textmend.batch.executors import InlineExecutor, stop
from textmend.batch.sinks import InputError, Sink
from textmend.decoding import EncodingMismatchError, LineDecoder, StreamDecoder
from textmend.io import tabular, warc
from textmend.io.compression import (
    CompressionError,
    compression_of,
    decompressing,
    decompression_errors,
)
from textmend.io.lines import blocks, decoded, line_blocks, lines
from textmend.profiles import Profile

# About 1 MB per chunk keeps the per-task overhead small and the window of
# chunks in flight small too.
CHUNK_CHARS = 1 << 20
# The same, for the spans of bytes that workers read themselves.
CHUNK_BYTES = 1 << 20
# Read at a time while looking for the end of a line.
_SCAN_BYTES = 1 << 16
# Read from an input at a time.
READ_BYTES = 1 << 20
# Enough text to guess a CSV dialect from.
SNIFF_CHARS = 64 << 10
# Problems kept per file for the report (all are counted and printed).
REPORT_PROBLEMS = 100


def read_errors() -> tuple[type[Exception], ...]:
    """What reading an input can raise: it is reported and the input skipped.

    A function, called in ``except``, so that it is asked only when something
    was raised, after any ``.zst`` input has imported zstandard.
    """
    return (OSError, ValueError, *decompression_errors())


@dataclass(frozen=True)
class Settings:
    """Everything about a run that is the same for every file."""

    profile: Profile
    encoding: str | None = None
    fields: tuple[tuple[str, ...], ...] = ()
    columns: tuple[str, ...] = ()
    on_error: str = "keep"
    steps: bool = False
    details: bool = False
    spans: bool = False  # workers may read large files themselves (they share the file system)
    sniff: bool = True  # a text file that starts as a WARC file is read as one (no --format)


@dataclass(eq=False)
class Input:
    """One file (or standard input, when ``path`` is None) and where its output goes."""

    name: str
    path: Path | None
    format: str
    make_sink: Callable[[Input], Sink]
    records: int = 0
    changed: int = 0
    steps: dict[str, int] = field(default_factory=dict)
    problems: int = 0
    first_problems: list[dict[str, Any]] = field(default_factory=list)
    encodings: list[str] = field(default_factory=list)
    error: str | None = None
    bytes_read: int = 0
    lines: int = 0
    sink: Sink | None = None
    types: dict[str, int] = field(default_factory=dict)  # archives: records by WARC-Type
    # It began with a byte-order mark: its output begins with UTF-8's. Excel,
    # for one, reads a CSV file as UTF-8 only then; and a clean file comes
    # back byte for byte.
    bom: bool = False

    def summary(self) -> dict[str, Any]:
        """This file's part of the ``--report``."""
        types = {"record_types": dict(sorted(self.types.items()))} if self.format == "warc" else {}
        return {
            "path": self.name,
            "format": self.format,
            "encodings": self.encodings,
            "records": self.records,
            **types,
            "changed": self.changed,
            "steps": dict(sorted(self.steps.items())),
            "errors": self.problems + (self.error is not None),
            "problems": self.first_problems,
            "error": self.error,
        }


@dataclass
class _Task:
    input: Input
    options: FormatOptions
    first_line: int
    chunk: str
    bytes_read: int

    def submit(self, executor: Executor, profile: Profile) -> Future[ChunkResult]:
        return executor.submit(process_chunk, profile, self.options, self.first_line, self.chunk)


@dataclass
class _Span:
    input: Input
    options: FormatOptions
    path: Path
    span: tuple[int, int]
    final: bool
    decoder: LineDecoder

    @property
    def bytes_read(self) -> int:
        return self.span[1]

    def submit(self, executor: Executor, profile: Profile) -> Future[SpanResult]:
        return executor.submit(
            process_span, profile, self.options, str(self.path), self.span, self.decoder, self.final
        )


@dataclass
class _Records:
    input: Input
    options: FormatOptions
    records: list[warc.RawRecord]
    bytes_read: int

    def submit(self, executor: Executor, profile: Profile) -> Future[RecordsResult]:
        return executor.submit(process_records, profile, self.options, self.records)


@dataclass
class _End:
    input: Input


class _Counting:
    """A binary reader that counts the bytes read from it (for progress)."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.count += len(data)
        return data


def find_files(root: Path, globs: Iterable[str], skip: Path | None = None) -> Iterator[Path]:
    """Files under a directory, sorted, hidden ones left out, matching any glob.

    Links to directories are not followed (a walk could loop, or leave the
    tree); links to files are files. The directory ``skip`` (the output, when
    it is inside the tree) is left out however it is named.
    """
    globs = list(globs)
    skipped = None if skip is None else os.path.realpath(skip)
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(
            d
            for d in subdirs
            if not d.startswith(".") and os.path.realpath(Path(directory, d)) != skipped
        )
        for name in sorted(files):
            if name.startswith("."):
                continue
            if not globs or any(fnmatch.fnmatch(name, g) for g in globs):
                yield Path(directory, name)


def _open(item: Input, stack: contextlib.ExitStack) -> tuple[BinaryIO, _Counting]:
    """The uncompressed byte stream of an input, and the counter of raw bytes read."""
    raw: BinaryIO = sys.stdin.buffer
    compression = None
    if item.path is not None:
        raw = stack.enter_context(item.path.open("rb"))
        compression = compression_of(item.path.name)
    counting = _Counting(raw)
    stream = decompressing(cast(BinaryIO, counting), compression)
    if compression is not None:
        stack.callback(stream.close)
    return stream, counting


def _tasks(item: Input, settings: Settings) -> Iterator[_Task | _Span | _Records]:
    if item.format == "warc":
        yield from _archive(item, settings, None)
        return
    with contextlib.ExitStack() as stack:
        stream, counting = _open(item, stack)
        decoder = StreamDecoder(settings.encoding)
        pieces = iter(partial(stream.read, READ_BYTES), b"")
        head = b"".join(_first(pieces, decoder.sample_size + 1))
        if item.format == "text" and settings.sniff and warc.is_archive(head):
            # Known by its content: a file is read again from its start, as
            # an archive may be gzip members; standard input goes on as it is.
            item.format = "warc"
            stdin = warc.Prefixed(head, counting) if item.path is None else None
            yield from _archive(item, settings, stdin)
            return
        start = decoder.decide(head, final=len(head) <= decoder.sample_size)
        item.bom = start > 0
        rest = chain([head[start:]], pieces)
        del head
        lines = decoder.line_decoder() if item.format in ("text", "jsonl") else None
        if lines is None:
            options, chunks = _chunks(item, decoded(rest, decoder), settings)
        elif settings.spans and _splittable(item, counting):
            item.encodings = list(decoder.encodings)
            yield from _spans(item, _options(item, settings), lines, start)
            return
        else:
            # Cut where workers reading spans would: the output never depends on who read.
            options = _options(item, settings)
            # Only the last block can end without a line end.
            blocks = line_blocks(rest, CHUNK_BYTES)
            chunks = (decoder.decode(b, final=not b.endswith(b"\n")) for b in blocks)
        line = 1
        for chunk in chunks:
            yield _Task(item, options, line, chunk, counting.count)
            line += chunk.count("\n")
        item.encodings = list(decoder.encodings)


def _archive(item: Input, settings: Settings, stdin: warc.Prefixed | None) -> Iterator[_Records]:
    """The records of a WARC file, in batches of about ``CHUNK_BYTES``."""
    options = _options(item, settings)
    with contextlib.ExitStack() as stack:
        if stdin is None:
            assert item.path is not None
            raw: BinaryIO = stack.enter_context(item.path.open("rb"))
            compression = compression_of(item.path.name)
            position = raw.tell
        else:
            raw, compression, position = cast(BinaryIO, stdin), None, stdin.tell
        batch: list[warc.RawRecord] = []
        size = 0
        for record in warc.records(raw, compression):
            batch.append(record)
            size += len(record.data)
            if size >= CHUNK_BYTES:
                yield _Records(item, options, batch, position())
                batch, size = [], 0
        if batch:
            yield _Records(item, options, batch, position())


def _splittable(item: Input, counting: _Counting) -> bool:
    """Whether workers can read a file in spans: a plain regular file, more
    than was read to learn its encoding, that does not end in the middle of a
    UTF-8 sequence (how that reads depends on the lines before it)."""
    if item.path is None or compression_of(item.path.name) is not None:
        return False
    info = os.fstat(counting.stream.fileno())
    if not stat.S_ISREG(info.st_mode) or info.st_size <= counting.count:
        return False
    with item.path.open("rb") as file:  # a regular file: opening it again never blocks
        file.seek(-1, os.SEEK_END)
        return file.read(1) < b"\x80"


def _spans(
    item: Input, options: FormatOptions, decoder: LineDecoder, start: int
) -> Iterator[_Span]:
    """The file in spans of whole lines, cut as ``line_blocks`` cuts a stream."""
    assert item.path is not None
    with item.path.open("rb") as file:
        size = os.fstat(file.fileno()).st_size
        while start < size:
            end = _line_end(file, start + CHUNK_BYTES, size)
            yield _Span(item, options, item.path, (start, end), end == size, decoder)
            start = end


def _line_end(file: BinaryIO, position: int, size: int) -> int:
    """Where the line that holds the byte before ``position`` ends (at most ``size``)."""
    if position >= size:
        return size
    file.seek(position - 1)
    while piece := file.read(_SCAN_BYTES):
        newline = piece.find(b"\n")
        if newline >= 0:
            return min(file.tell() - len(piece) + newline + 1, size)
    return size


def _options(item: Input, settings: Settings, **more: Any) -> FormatOptions:
    return FormatOptions(
        item.format,
        fields=settings.fields,
        on_error=settings.on_error,
        steps=settings.steps,
        details=settings.details,
        **more,
    )


def _chunks(
    item: Input, text: Iterator[str], settings: Settings
) -> tuple[FormatOptions, Iterator[str]]:
    """The format options of a file (CSV: dialect, columns) and its chunks.

    Text and JSONL records are lines, so a chunk is cut at any line end; a
    CSV record may span lines, so CSV is cut between records.
    """
    if item.format in ("text", "jsonl"):
        return _options(item, settings), blocks(text, CHUNK_CHARS)
    text_lines = lines(text)
    sample = _first(text_lines, SNIFF_CHARS)
    dialect = tabular.sniff("".join(sample), tsv=item.format == "tsv")
    records = tabular.records(chain(sample, text_lines), dialect)
    chosen: tuple[int, ...] = ()
    if settings.columns:
        head = [next(records, "")]
        if tabular.excel_separator(head[0]):  # the header comes after it
            head.append(next(records, ""))
        chosen = tabular.columns(settings.columns, tabular.parse(head[-1], dialect))
        records = chain(head, records)
    return _options(item, settings, columns=chosen, dialect=dialect), _grouped(records)


_Text = TypeVar("_Text", str, bytes)


def _first(strings: Iterator[_Text], size: int) -> list[_Text]:
    """The next strings, until they hold ``size`` characters (or bytes) or run out."""
    taken = []
    total = 0
    for text in strings:
        taken.append(text)
        total += len(text)
        if total >= size:
            break
    return taken


def _grouped(records: Iterator[str]) -> Iterator[str]:
    while batch := _first(records, CHUNK_CHARS):
        yield "".join(batch)


def _work(inputs: Iterable[Input], settings: Settings) -> Iterator[_Task | _Span | _Records | _End]:
    for item in inputs:
        try:
            yield from _tasks(item, settings)
        except read_errors() as error:
            item.error = describe_error(error)
        yield _End(item)


def describe_error(error: BaseException) -> str:
    """What went wrong reading an input, to print after its name.

    >>> describe_error(FileNotFoundError(2, "No such file or directory", "x.txt"))
    'cannot read: No such file or directory: skipped'
    """
    # An EncodingMismatchError says where in the file (its ``start`` is 0).
    if isinstance(error, UnicodeDecodeError) and not isinstance(error, EncodingMismatchError):
        return f"cannot decode as {error.encoding} at byte {error.start}: skipped"
    if isinstance(error, OSError) and error.strerror:
        return f"cannot read: {error.strerror}: skipped"
    return f"{error}: skipped" if str(error) else f"{type(error).__name__}: skipped"


def describe_write_error(error: Exception) -> str:
    """What went wrong writing an output, to print after its input's name.

    >>> describe_write_error(OSError(28, "No space left on device"))
    'cannot write: No space left on device'
    """
    if isinstance(error, OSError) and error.strerror:
        return f"cannot write: {error.strerror}"
    return f"cannot write: {error}"


_Work = _Task | _Span | _Records | _End
_Result = Future[ChunkResult] | Future[SpanResult] | Future[RecordsResult]


def _in_order(
    work: Iterator[_Work],
    profile: Profile,
    make_executor: Callable[[], Executor],
    window: int,
) -> Generator[tuple[_Work, _Result | None], None, None]:
    """Submit tasks, keep at most ``window`` in flight, yield them in input order.

    Work of a single chunk never starts the executor: small inputs answer at once.
    """
    head: list[_Work] = []
    for item in work:
        head.append(item)
        if sum(not isinstance(i, _End) for i in head) > 1:
            break
    parallel = sum(not isinstance(i, _End) for i in head) > 1
    executor = make_executor() if parallel else InlineExecutor()
    queue: deque[tuple[_Work, _Result | None]] = deque()
    items = chain(head, work)
    del head  # its chunks are freed once written
    done = False
    try:
        for item in items:
            future = None if isinstance(item, _End) else item.submit(executor, profile)
            queue.append((item, future))
            while len(queue) > window:
                yield queue.popleft()
        while queue:
            yield queue.popleft()
        done = True
    finally:
        if done:
            executor.shutdown(wait=True)
        else:  # interrupted, or stopped: what is in flight is not wanted
            for _, pending in queue:
                if pending is not None:
                    pending.cancel()
            stop(executor)


class Progress:
    """The progress bar on stderr (bytes read, records per second), or nothing.

    Messages go through it so that they do not tear the bar.
    """

    def __init__(self, total_bytes: int | None, enabled: bool) -> None:
        self.bar = _bar(total_bytes) if enabled else None
        self.records = 0
        self.started = time.monotonic()

    def advance(self, nbytes: int, records: int) -> None:
        if self.bar is None:
            return
        self.records += records
        rate = self.records / max(time.monotonic() - self.started, 1e-9)
        self.bar.set_postfix_str(f"{self.records:,} records, {rate:,.0f} records/s", refresh=False)
        self.bar.update(nbytes)

    def error(self, message: str) -> None:
        if self.bar is None:
            print(message, file=sys.stderr)
        else:
            self.bar.write(message, file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _bar(total_bytes: int | None) -> Any:
    """A tqdm bar (imported only for a terminal: it takes a while)."""
    from tqdm import tqdm

    class Bar(tqdm):  # type: ignore[misc]
        # No monitor thread: a process with one thread can fork its workers
        # (see ``cli``), and the bar is updated with every chunk anyway.
        monitor_interval = 0

    return Bar(
        total=total_bytes,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        file=sys.stderr,
        dynamic_ncols=True,
    )


def run(
    inputs: list[Input],
    settings: Settings,
    make_executor: Callable[[], Executor],
    window: int,
    progress: Progress,
) -> None:
    """Process every input; errors are reported on stderr and kept on the inputs.

    With ``on_error="fail"`` the run stops at the first malformed record: that
    file's output is dropped and the files after it are not read.
    """
    stream = _in_order(_work(inputs, settings), settings.profile, make_executor, window)
    unfinished: list[Input] = []
    try:
        for item, future in stream:
            target = item.input
            if isinstance(item, _End):
                _finish(target, settings, progress)
                if target in unfinished:
                    unfinished.remove(target)
                continue
            if target.error is not None:
                continue
            assert future is not None
            try:
                result = future.result()
            except read_errors() as error:  # a worker reading a span (a file gone)
                target.error = describe_error(error)
                continue
            except Exception as error:  # a failing chunk fails its file, not the run
                target.error = f"internal error, skipped: {type(error).__name__}: {error}"
                continue
            try:
                if target.sink is None:
                    unfinished.append(target)  # first: an interrupt may come as it is made
                    target.sink = target.make_sink(target)
                if _take(target, item, result, settings, progress):
                    break
            except BrokenPipeError:
                raise  # stdout's reader is gone: the run is over, not the file failed
            except InputError as error:  # a file gone mid-run
                target.error = describe_error(error.args[0])
            except (OSError, CompressionError) as error:
                target.error = describe_write_error(error)
    finally:
        stream.close()
        for target in unfinished:
            if target.error is not None:
                progress.error(f"{target.name}: {target.error}")
            if target.sink is not None:
                target.sink.abort()


def _take(
    target: Input,
    task: _Task | _Span | _Records,
    outcome: ChunkResult | SpanResult | RecordsResult,
    settings: Settings,
    progress: Progress,
) -> bool:
    """Count and write one chunk's result; say whether the run must stop."""
    if isinstance(outcome, SpanResult):
        result = outcome.result
        result.shift(target.lines)
        target.lines += outcome.lines
        if len(outcome.encodings) > len(target.encodings):
            target.encodings = list(outcome.encodings)
    elif isinstance(outcome, RecordsResult):
        result = outcome.result
        for kind, count in outcome.types.items():
            target.types[kind] = target.types.get(kind, 0) + count
        target.encodings = sorted({*target.encodings, *outcome.encodings})
        if outcome.error is not None:
            target.error = outcome.error
            return False
    else:
        result = outcome
    target.records += result.records
    target.changed += result.changed
    for step, count in result.steps.items():
        target.steps[step] = target.steps.get(step, 0) + count
    # An archive's problems are at the offset of their record.
    at = "offset" if isinstance(outcome, RecordsResult) else "line"
    for line, problem in result.problems:
        where = f" record at byte {line}" if at == "offset" else line
        progress.error(f"{target.name}:{where}: {problem}")
        target.problems += 1
        if len(target.first_problems) < REPORT_PROBLEMS:
            target.first_problems.append({at: line, "problem": problem})
    if result.problems and settings.on_error == "fail":
        target.error = "stopped at a malformed record (--on-error fail); output not written"
        return True
    assert target.sink is not None
    if isinstance(task, _Span):
        assert isinstance(outcome, SpanResult)
        target.sink.copy(task.path, task.span, outcome)
    elif isinstance(task, _Records):
        assert isinstance(outcome, RecordsResult)
        if not isinstance(target.sink, ArchiveSink | ArchiveCheckSink):
            target.error = "--diff cannot show an archive: 'textmend check' lists its changes"
            return False
        target.sink.write_records(task.records, outcome)
    else:
        target.sink.write(task.chunk, result, task.first_line)
    progress.advance(task.bytes_read - target.bytes_read, result.records)
    target.bytes_read = task.bytes_read
    return False


def _finish(target: Input, settings: Settings, progress: Progress) -> None:
    """The input is read to its end (or failed): commit or drop its output."""
    if target.error is None and target.sink is None:
        try:
            target.sink = target.make_sink(target)  # an empty input still gets its output
        except OSError as error:
            target.error = describe_write_error(error)
    if target.error is not None:
        progress.error(f"{target.name}: {target.error}")
        if target.sink is not None:
            target.sink.abort()
        return
    assert target.sink is not None
    skipped = target.problems > 0 and settings.on_error == "skip"
    try:
        target.sink.finish(rewritten=target.changed > 0 or skipped)
    except BrokenPipeError:
        raise
    except OSError as error:
        target.error = describe_write_error(error)
        progress.error(f"{target.name}: {target.error}")
        target.sink.abort()
