"""CSV and TSV: find the dialect, split records, repair chosen columns.

A record may span lines (a quoted field with line breaks). Only the fields
that change are rewritten, each in place and quoted as it was (or where it
must be): the other fields, delimiters and line endings stay as read.

>>> d = Dialect(",")
>>> fix_record('"1",caf&eacute;,"bar"\\r\\n', d, (), lambda s: s.replace("&eacute;", "é"))
'"1",café,"bar"\\r\\n'
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from textmend.io.lines import split_lines

# Scraped fields can be long; the csv module refuses fields over 128 KiB by default.
csv.field_size_limit(1 << 30)


@dataclass(frozen=True)
class Dialect:
    """The parts of a CSV dialect that are read from a file and kept on output."""

    delimiter: str
    quotechar: str = '"'
    quoting: int = csv.QUOTE_MINIMAL

    def params(self) -> dict[str, Any]:
        # strict: a stray quote is an error to report, not a field to guess.
        return {
            "delimiter": self.delimiter,
            "quotechar": self.quotechar,
            "quoting": self.quoting,
            "doublequote": True,
            "strict": True,
        }


def sniff(sample: str, tsv: bool) -> Dialect:
    """Guess the dialect from the start of a file, or read it from a ``sep=`` line.

    >>> sniff('a;"b;c"\\n1;2\\n', tsv=False)
    Dialect(delimiter=';', quotechar='"', quoting=0)
    """
    sample = _whole_records(sample)
    first, _, rest = sample.partition("\n")
    if named := excel_separator(first):
        dialect, sample = Dialect(named), rest
    else:
        try:
            found = csv.Sniffer().sniff(sample, delimiters="\t" if tsv else ",;\t|")
            dialect = Dialect(found.delimiter, found.quotechar or '"')
        except csv.Error:
            dialect = Dialect("\t" if tsv else ",")
    if _all_quoted(sample.split("\n", 1)[0], dialect):
        dialect = Dialect(dialect.delimiter, dialect.quotechar, csv.QUOTE_ALL)
    return dialect


def excel_separator(record: str) -> str | None:
    """The delimiter that a first line like ``sep=;`` names, as Excel writes and reads.

    >>> excel_separator("sep=;\\r\\n"), excel_separator("sep=a,b\\n")
    (';', None)
    """
    line = record.rstrip("\r\n")
    return line[4] if len(line) == 5 and line.startswith("sep=") else None


def _whole_records(sample: str) -> str:
    """The sample up to its last line end outside double quotes (or all of it).

    A sample that ends inside a long quoted field is mostly that field's
    lines, and the sniffer would guess the dialect from them: ``;`` where
    each line holds an entity like ``&eacute;``.

    >>> _whole_records('id,body\\n1,"caf&eacute;\\ncaf&eacute;\\n')
    'id,body\\n'
    """
    cut = quotes = end = 0
    for line in split_lines(sample):
        end += len(line)
        quotes += line.count('"')
        if quotes % 2 == 0 and line.endswith("\n"):
            cut = end
    return sample[:cut] or sample[: sample.rfind("\n") + 1] or sample


def _all_quoted(line: str, dialect: Dialect) -> bool:
    """Whether every field of this one-line record is quoted."""
    line = line.rstrip("\r\n")
    try:
        rows = list(csv.reader([line], **dialect.params()))
    except csv.Error:
        return False
    if len(rows) != 1 or not rows[0]:
        return False
    q, d = dialect.quotechar, dialect.delimiter
    return line.startswith(q) and line.endswith(q) and line.count(q + d + q) >= len(rows[0]) - 1


class _Tap:
    """An iterator over lines that remembers the lines taken since last asked."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self.taken: list[str] = []

    def __iter__(self) -> _Tap:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.taken.append(line)
        return line

    def pop(self) -> str:
        raw = "".join(self.taken)
        self.taken.clear()
        return raw


def records(lines: Iterable[str], dialect: Dialect) -> Iterator[str]:
    """The raw text of each record, quoted line breaks included."""
    tap = _Tap(lines)
    reader = csv.reader(tap, **dialect.params())
    while True:
        try:
            next(reader)
        except StopIteration:
            break
        except csv.Error:
            pass  # fix_record parses this record again and reports it
        if tap.taken:
            yield tap.pop()
    if tap.taken:
        yield tap.pop()


def parse(raw: str, dialect: Dialect) -> list[str]:
    """The fields of one raw record; ``ValueError`` if it is malformed."""
    try:
        rows = list(csv.reader(split_lines(raw), **dialect.params()))
    except csv.Error as error:
        raise ValueError(f"malformed CSV record: {error}") from None
    if len(rows) > 1:
        raise ValueError("malformed CSV record: more than one row")
    return rows[0] if rows else []


def columns(names: Iterable[str], header: list[str]) -> tuple[int, ...]:
    """Column positions (0-based) for names or 1-based numbers.

    >>> columns(["body", "1"], ["id", "title", "body"])
    (2, 0)
    """
    found = []
    for name in names:
        if name.isdigit() and int(name) > 0:
            found.append(int(name) - 1)
        elif name in header:
            found.append(header.index(name))
        else:
            raise ValueError(f"no column {name!r}; the header has: {', '.join(header)}")
    return tuple(found)


def fix_record(
    raw: str, dialect: Dialect, chosen: tuple[int, ...], fix: Callable[[str], str]
) -> str:
    """The record with its chosen fields (all when none) passed through ``fix``."""
    row = parse(raw, dialect)
    fixed = {}
    for index in chosen or range(len(row)):
        if index < len(row) and (value := fix(row[index])) != row[index]:
            fixed[index] = value
    if not fixed:
        return raw
    spans = _spans(raw, dialect)
    out: list[str] = []
    position = 0
    for index, value in sorted(fixed.items()):
        start, end = spans[index]
        quoted = raw.startswith(dialect.quotechar, start) or (value == "" and len(row) == 1)
        out += (raw[position:start], _field(value, quoted, dialect))
        position = end
    out.append(raw[position:])
    return "".join(out)


def _spans(raw: str, dialect: Dialect) -> list[tuple[int, int]]:
    """Where each field of a well-formed record is, its quotes included.

    >>> _spans('a,"b,""c"" d",\\r\\n', Dialect(","))
    [(0, 1), (2, 13), (14, 14)]
    """
    q, d = dialect.quotechar, dialect.delimiter
    body = len(raw.rstrip("\r\n"))
    spans = []
    start = 0
    while True:
        if raw.startswith(q, start):
            end = start + 1
            while True:  # to the quote that is not doubled
                end = raw.index(q, end) + 1
                if not raw.startswith(q, end):
                    break
                end += 1
        else:
            end = raw.find(d, start, body)
            end = body if end < 0 else end
        spans.append((start, end))
        if end >= body:
            return spans
        start = end + len(d)


def _field(value: str, quoted: bool, dialect: Dialect) -> str:
    """A field's text: quoted if it was, or if the reader needs it to be.

    A quote inside an unquoted field is read as itself; one at its start
    would open a quoted field.

    >>> _field('say "hi"', False, Dialect(",")), _field("a,b", False, Dialect(","))
    ('say "hi"', '"a,b"')
    """
    q = dialect.quotechar
    if quoted or value.startswith(q) or any(c in value for c in (dialect.delimiter, "\r", "\n")):
        return q + value.replace(q, q + q) + q
    return value
