"""The unit of parallel work: repair one chunk of records of one file.

``process_chunk`` is a pure top-level function of picklable arguments, so any
``concurrent.futures.Executor`` can run it: the calling process, a process
pool, or a Dask cluster's executor.

>>> from textmend.profiles import PROFILES
>>> options = FormatOptions("text", steps=True)
>>> result = process_chunk(PROFILES["safe"], options, 1, ["ok\\n", "caf&eacute;\\n"])
>>> result.replaced, result.changed, result.steps
({1: 'café\\n'}, 1, {'html_entities': 1})
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import PurePath

from textmend.io import jsonl, tabular
from textmend.io.compression import compression_of
from textmend.io.lines import split_lines
from textmend.pipeline import Change, Pipeline, compile_profile
from textmend.profiles import Profile

FORMATS = ("text", "jsonl", "csv", "tsv")
_SUFFIX_FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
}


def format_of(name: str) -> str:
    """The record format a file name says, looking through a compression suffix.

    >>> format_of("a/b.CSV.zst"), format_of("notes.md")
    ('csv', 'text')
    """
    path = PurePath(name)
    if compression_of(name):
        path = path.with_suffix("")
    return _SUFFIX_FORMATS.get(path.suffix.lower(), "text")


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
    """What became of a chunk: ``replaced`` maps a record's index to its new text."""

    replaced: dict[int, str] = field(default_factory=dict)
    changed: int = 0
    steps: dict[str, int] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)
    details: list[tuple[int, Change]] = field(default_factory=list)

    def note(self, line: int, changes: list[Change], details: bool) -> None:
        for change in changes:
            for step in change.step.split("+"):
                self.steps[step] = self.steps.get(step, 0) + 1
            if details:
                self.details.append((line, change))


def process_chunk(
    profile: Profile, options: FormatOptions, first_line: int, records: list[str]
) -> ChunkResult:
    """Repair a chunk of raw records whose first one starts on line ``first_line``."""
    pipeline = compile_profile(profile)
    if options.format == "text":
        return _text_chunk(pipeline, options, first_line, records)
    result = ChunkResult()
    changes: list[Change] = []

    def fix(value: str) -> str:
        fixed = pipeline.fix(value)
        if fixed != value and (options.steps or options.details):
            changes.extend(pipeline.explain(value))
        return fixed

    fix_record = _record_fixer(options, fix)
    line = first_line
    for index, raw in enumerate(records):
        try:
            fixed = fix_record(raw)
        except ValueError as error:
            result.problems.append((line, str(error)))
            if options.on_error == "skip":
                result.replaced[index] = ""
        else:
            if fixed != raw:
                result.replaced[index] = fixed
                result.changed += 1
                result.note(line, changes, options.details)
        changes.clear()
        line += raw.count("\n")
    return result


def _record_fixer(options: FormatOptions, fix: Callable[[str], str]) -> Callable[[str], str]:
    if options.format == "jsonl":
        return lambda raw: jsonl.fix_record(raw, options.fields, fix)
    dialect = options.dialect or tabular.Dialect("\t" if options.format == "tsv" else ",")
    return lambda raw: tabular.fix_record(raw, dialect, options.columns, fix)


def _text_chunk(
    pipeline: Pipeline, options: FormatOptions, first_line: int, lines: list[str]
) -> ChunkResult:
    """Lines are fixed together, so a chunk gives what ``fix`` gives on the whole of it."""
    text = "".join(lines)
    fixed = pipeline.fix(text)
    result = ChunkResult()
    if fixed == text:
        return result
    out = split_lines(fixed)
    if len(out) != len(lines):
        out = [fixed] + [""] * (len(lines) - 1)
    result.replaced = {
        i: new for i, (old, new) in enumerate(zip(lines, out, strict=True)) if old != new
    }
    result.changed = len(result.replaced)
    if not (options.steps or options.details):
        return result
    ends = list(accumulate(map(len, lines)))
    for change in pipeline.explain(text):
        result.note(first_line + bisect_right(ends, change.start), [change], options.details)
    return result
