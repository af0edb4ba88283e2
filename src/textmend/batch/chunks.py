"""The unit of parallel work: repair one chunk of records of one file.

``process_chunk`` is a pure top-level function of picklable arguments, so any
``concurrent.futures.Executor`` can run it: the calling process, a process
pool, or a Dask cluster's executor.

>>> from textmend.profiles import PROFILES
>>> options = FormatOptions("text", steps=True)
>>> result = process_chunk(PROFILES["safe"], options, 1, "ok\\ncaf&eacute;\\n")
>>> result.edits, result.records, result.changed, result.steps
([(3, 15, 'café\\n')], 2, 1, {'html_entities': 1})
>>> result.applied_to("ok\\ncaf&eacute;\\n")
'ok\\ncafé\\n'
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from itertools import accumulate

from textmend.decoding import LineDecoder
from textmend.explanation import Change, apply_changes
from textmend.io import jsonl, tabular
from textmend.io.lines import count_lines, read_span, split_lines
from textmend.pipeline import Pipeline, compile_profile
from textmend.profiles import Profile


@dataclass(frozen=True)
class FormatOptions:
    """How to read and repair the records of one file.

    ``on_error`` says what a malformed record becomes: ``"keep"`` (itself),
    ``"skip"`` (nothing) or ``"fail"`` (itself; the caller stops).
    ``steps`` asks to count the changes per step (``explain`` is run on the
    changed records only) and ``details`` to list every change with its line.
    """

    format: str
    fields: tuple[jsonl.Path, ...] = ()
    columns: tuple[int, ...] = ()
    dialect: tabular.Dialect | None = None
    on_error: str = "keep"
    steps: bool = False
    details: bool = False


@dataclass
class ChunkResult:
    """What became of a chunk: counts, and the records that changed.

    ``edits`` holds ``(start, end, text)`` for each changed stretch of the
    chunk; only those travel back from a worker, not the whole chunk.
    """

    edits: list[tuple[int, int, str]] = field(default_factory=list)
    records: int = 0
    changed: int = 0
    steps: dict[str, int] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)
    details: list[tuple[int, Change]] = field(default_factory=list)

    def applied_to(self, chunk: str) -> str:
        """The chunk as it is written."""
        if not self.edits:
            return chunk
        out = []
        pos = 0
        for start, end, text in self.edits:
            out.append(chunk[pos:start])
            out.append(text)
            pos = end
        out.append(chunk[pos:])
        return "".join(out)

    def shift(self, lines: int) -> None:
        """Number the lines of problems and details as if ``lines`` lines came first."""
        self.problems = [(line + lines, problem) for line, problem in self.problems]
        self.details = [(line + lines, change) for line, change in self.details]

    def note(self, line: int, changes: list[Change], details: bool) -> None:
        for change in changes:
            for step in change.step.split("+"):
                self.steps[step] = self.steps.get(step, 0) + 1
            if details:
                self.details.append((line, change))


def process_chunk(
    profile: Profile, options: FormatOptions, first_line: int, chunk: str
) -> ChunkResult:
    """Repair a chunk of whole records (a string) that starts on line ``first_line``."""
    pipeline = compile_profile(profile)
    if options.format == "text":
        return _text_chunk(pipeline, options, first_line, chunk)
    result = ChunkResult()
    changes: list[Change] = []
    explain = options.steps or options.details

    # A record on no line the check picks out cannot change: its values are
    # not even looked at (JSON escapes aside, which could hide a trigger),
    # and a JSON line is only checked to be JSON.
    dirty = [start for start, _ in pipeline.dirty_lines(chunk)]
    clean = False
    valid = jsonl.is_json if options.format == "jsonl" else None

    def fix(value: str) -> str:
        if clean:
            return value
        fixed = pipeline.fix(value)
        if fixed != value and explain:
            changes.extend(pipeline.explain(value))
        return fixed

    records, fix_record = _records(options, chunk, fix)
    line = first_line
    offset = 0
    for raw in records:
        start = offset
        at = bisect_left(dirty, offset)
        offset += len(raw)
        clean = (at == len(dirty) or dirty[at] >= offset) and "\\" not in raw
        result.records += 1
        if clean and valid is not None and valid(raw):
            line += 1
            continue
        try:
            fixed = fix_record(raw)
        except ValueError as error:
            result.problems.append((line, str(error)))
            fixed = "" if options.on_error == "skip" else raw
        else:
            if fixed != raw:
                result.changed += 1
                result.note(line, changes, options.details)
        changes.clear()
        if fixed != raw:
            result.edits.append((start, offset, fixed))
        line += raw.count("\n")
    return result


@dataclass
class SpanResult:
    """What became of a span of a file's bytes.

    ``edits`` holds ``(start, end, bytes)`` for each changed stretch, at
    offsets in the file; ``result`` has the counts (its own ``edits`` are
    empty) and numbers lines from 1 at the span's start; ``lines`` is how many
    ``\\n`` the span holds, ``encodings`` what decoding it used.
    """

    result: ChunkResult
    edits: list[tuple[int, int, bytes]]
    lines: int
    encodings: tuple[str, ...]


def process_span(
    profile: Profile,
    options: FormatOptions,
    path: str,
    span: tuple[int, int],
    decoder: LineDecoder,
    final: bool,
) -> SpanResult:
    """Read, decode and repair the whole lines of a file in ``span`` (start, end bytes).

    ``final`` says the span ends the file. Workers read their spans
    themselves, so the caller handles no text.
    """
    start, end = span
    with open(path, "rb") as file:
        data = read_span(file, span)
    text, encodings, exact = decoder.decode(data, start, final)
    result = process_chunk(profile, options, 1, text)
    if exact:
        ends = sorted({p for a, b, _ in result.edits for p in (a, b)})
        positions = _byte_positions(text, data, ends)
        edits = [
            (start + positions[a], start + positions[b], fixed.encode("utf-8"))
            for a, b, fixed in result.edits
        ]
    else:  # some bytes were not UTF-8: the output is UTF-8 all the same
        edits = [(start, end, result.applied_to(text).encode("utf-8"))]
    result.edits = []
    return SpanResult(result, edits, text.count("\n"), encodings)


def _byte_positions(text: str, data: bytes, positions: list[int]) -> dict[int, int]:
    """Where line starts of ``text`` (and its end) are in the bytes it was decoded from.

    Each ``\\n`` is one ``\\n`` byte whatever the encoding of a line, so
    lines are matched by counting them.

    >>> _byte_positions("é\\nb\\nc", "é\\nb\\nc".encode(), [0, 2, 4, 5])
    {0: 0, 2: 3, 4: 5, 5: 6}
    """
    found = {}
    char = byte = 0
    for position in positions:
        if position == len(text):
            found[position] = len(data)
            continue
        for _ in range(text.count("\n", char, position)):
            byte = data.index(b"\n", byte) + 1
        char = position
        found[position] = byte
    return found


def _records(
    options: FormatOptions, chunk: str, fix: Callable[[str], str]
) -> tuple[Iterable[str], Callable[[str], str]]:
    """The raw records of a chunk, and the function that repairs one."""
    lines = split_lines(chunk)
    if options.format == "jsonl":
        return lines, lambda raw: jsonl.fix_record(raw, options.fields, fix)
    dialect = options.dialect or tabular.Dialect("\t" if options.format == "tsv" else ",")
    records = tabular.records(lines, dialect)
    return records, lambda raw: tabular.fix_record(raw, dialect, options.columns, fix)


def _text_chunk(
    pipeline: Pipeline, options: FormatOptions, first_line: int, text: str
) -> ChunkResult:
    """Lines are fixed together: a chunk gives what ``fix`` gives on the whole of it.

    Where the steps are counted, the explanation is the one pass over the
    chunk: its changes, applied line by line, are the edits (they replay to
    what ``fix`` gives), where fixing and then explaining repaired each
    damaged line twice.
    """
    result = ChunkResult(records=count_lines(text))
    if not (options.steps or options.details):
        result.edits = pipeline.line_edits(text)
        result.changed = len(result.edits)
        return result
    starts = [0, *accumulate(map(len, split_lines(text)))]
    by_line: dict[int, list[Change]] = {}
    for change in pipeline.explain(text):
        # An insertion at the very end belongs to the last line.
        index = min(bisect_right(starts, change.start), len(starts) - 1) - 1
        by_line.setdefault(index, []).append(change)
        result.note(first_line + index, [change], options.details)
    for index, changes in by_line.items():
        start, end = starts[index], starts[index + 1]
        moved = [replace(c, start=c.start - start, end=c.end - start) for c in changes]
        result.edits.append((start, end, apply_changes(text[start:end], moved)))
    result.changed = len(result.edits)
    return result
