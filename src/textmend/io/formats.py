"""The record formats of files, and the format a file name says.

>>> format_of("a/b.CSV.zst"), format_of("notes.md")
('csv', 'text')
"""

from __future__ import annotations

from pathlib import PurePath

from textmend.io.compression import compression_of

FORMATS = ("text", "jsonl", "csv", "tsv", "warc")
_SUFFIX_FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".warc": "warc",
    ".wet": "warc",
}


def format_of(name: str) -> str:
    """The record format a file name says, looking through a compression suffix.

    >>> format_of("a/b.CSV.zst"), format_of("notes.md"), format_of("crawl.warc.wet.gz")
    ('csv', 'text', 'warc')
    """
    path = PurePath(name)
    if compression_of(name):
        path = path.with_suffix("")
    return _SUFFIX_FORMATS.get(path.suffix.lower(), "text")
