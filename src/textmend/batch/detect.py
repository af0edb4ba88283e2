"""What ``textmend detect`` finds in a file's bytes: binary or text, encodings, mojibake."""

from __future__ import annotations

import io

from textmend.api import fix
from textmend.decoding import BinaryInputError, decode
from textmend.io.warc import BadRecord, read_text, records
from textmend.profiles import Profile

_MOJIBAKE_CHECK = Profile("mojibake-check", ("mojibake",))


def describe(data: bytes) -> dict[str, object]:
    """What ``textmend detect`` reports about one file's bytes.

    >>> describe("Tâ€™as vu ?".encode())["mojibake"]
    True
    >>> describe(b"\\x89PNG\\r\\n\\x1a\\n...")["binary"]
    'PNG image signature at byte 0'
    """
    try:
        result = decode(data)
    except BinaryInputError as err:
        return {"binary": str(err)}
    return {
        "binary": None,
        "encodings": list(result.encodings),
        "confidence": result.confidence,
        "mixed": result.mixed,
        "bom": result.bom.hex() or None,
        "fallback_ranges": [list(r) for r in result.fallback_ranges],
        "mojibake": fix(result.text, _MOJIBAKE_CHECK) != result.text,
    }


def format_description(name: str, info: dict[str, object]) -> str:
    """One line of ``textmend detect`` text output.

    >>> format_description("a.txt", describe("café".encode()))
    'a.txt: utf-8, confidence 1.00, not mixed, no mojibake'
    """
    if info["binary"]:
        return f"{name}: binary ({info['binary']})"
    encodings = info["encodings"]
    assert isinstance(encodings, list)
    parts = [
        " + ".join(encodings),
        f"confidence {info['confidence']:.2f}",
        "mixed" if info["mixed"] else "not mixed",
        "mojibake" if info["mojibake"] else "no mojibake",
    ]
    if info["bom"]:
        parts.insert(1, "BOM")
    return f"{name}: " + ", ".join(parts)


def describe_archive(data: bytes) -> dict[str, object]:
    """What ``textmend detect`` reports about a WARC file, from its uncompressed bytes.

    >>> text = "Ã©tÃ©\\n".encode()
    >>> head = b"WARC/1.1\\r\\nWARC-Type: conversion\\r\\nContent-Length: %d\\r\\n\\r\\n"
    >>> describe_archive(head % len(text) + text + b"\\r\\n\\r\\n")["mojibake_records"]
    1
    """
    types: dict[str, int] = {}
    encodings: set[str] = set()
    texts = mojibake = bad = 0
    for record in records(io.BytesIO(data), None):
        try:
            text = read_text(record.data, types)
        except BadRecord:
            bad += 1
            continue
        if text is not None:
            texts += 1
            encodings.update(text.encodings)
            mojibake += fix(text.text, _MOJIBAKE_CHECK) != text.text
    return {
        "format": "warc",
        "records": dict(sorted(types.items())),
        "text_records": texts,
        "encodings": sorted(encodings),
        "mojibake_records": mojibake,
        "bad_records": bad,
    }


def format_archive_description(name: str, info: dict[str, object]) -> str:
    """One line of ``textmend detect`` text output for an archive.

    >>> format_archive_description("a.warc", {"records": {"conversion": 2, "warcinfo": 1},
    ...     "text_records": 2, "encodings": ["utf-8"], "mojibake_records": 1, "bad_records": 0})
    'a.warc: WARC, 3 records (conversion 2, warcinfo 1), 2 text (utf-8), 1 with mojibake'
    """
    types = info["records"]
    assert isinstance(types, dict)
    kinds = ", ".join(f"{kind or '(no type)'} {count}" for kind, count in types.items())
    encodings = info["encodings"]
    assert isinstance(encodings, list)
    line = (
        f"{name}: WARC, {sum(types.values())} records ({kinds}), "
        f"{info['text_records']} text ({' + '.join(encodings) or 'none'}), "
        f"{info['mojibake_records']} with mojibake"
    )
    return line + (f", {info['bad_records']} bad" if info["bad_records"] else "")
