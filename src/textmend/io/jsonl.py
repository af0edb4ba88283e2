"""JSON Lines: repair string values inside each record, keep everything else.

By default every string value is repaired, at any depth; object keys never
are. ``paths`` limits the repair to chosen fields: each path is a tuple of
keys into nested objects, and a list met on the way applies the rest of the
path to each element. Only the strings that change are rewritten, in place
(as UTF-8, the JSON escapes they need aside): every other byte of the record
(numbers as spelt, escapes, spacing, duplicate keys) is kept.

>>> fix_record('{"a": "x", "b": {"c": "x"}, "n": 1E5}\\n', (("b", "c"),), str.upper)
'{"a": "x", "b": {"c": "X"}, "n": 1E5}\\n'
"""

from __future__ import annotations

import json
import json.scanner
import re
from collections.abc import Callable, Iterator
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

Path = tuple[str, ...]


def fix_record(raw: str, paths: tuple[Path, ...], fix: Callable[[str], str]) -> str:
    """The record with its chosen strings passed through ``fix``.

    Raises ``ValueError`` naming the problem if the line is not JSON.
    """
    if not raw.strip():
        return raw
    if not is_json(raw):
        try:
            # Without its line end: a line cut short is reported at its own
            # end, not at column 1 of a line after it.
            json.loads(raw.rstrip("\r\n"))
        except json.JSONDecodeError as error:
            raise ValueError(f"malformed JSON: {error.msg} (column {error.colno})") from None
        except RecursionError:  # valid, perhaps, but Python's parser cannot go so deep
            raise ValueError("JSON nested too deeply to read") from None
    out: list[str] = []
    position = 0
    for start, end, value, keys in _strings(raw):
        if paths and not any(tuple(keys[: len(path)]) == path for path in paths):
            continue
        fixed = fix(value)
        if fixed != value:
            out += (raw[position:start], _encode(fixed))
            position = end
    if not out:
        return raw
    out.append(raw[position:])
    return "".join(out)


def is_json(raw: str) -> bool:
    """Whether a line holds one JSON value, as ``json.loads`` sees it, quickly.

    ``False`` says nothing more: ``fix_record`` tells what is wrong.

    >>> is_json('{"a": [1, "x"]}\\n'), is_json('{"a": 1} x\\n'), is_json("\\n")
    (True, False, False)
    """
    try:
        _, end = _scan(raw, _SPACE.match(raw).end())  # type: ignore[union-attr]
    except (StopIteration, ValueError, RecursionError):
        return False
    return _SPACE.match(raw, end).end() == len(raw)  # type: ignore[union-attr]


# The scanner (in C where it can be) and the whitespace ``json.loads`` uses,
# without its Python layers around them.
_scan: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(
    json.JSONDecoder()  # type: ignore[arg-type]
)
_SPACE = re.compile(r"[ \t\n\r]*")
# Outside strings, only these say where a string is and whose value it is.
_STRUCTURE = re.compile(r'["{}\[\]:,]')


def _strings(raw: str) -> Iterator[tuple[int, int, str, list[str]]]:
    """Where each string value of valid JSON is, its value, and the keys on its way.

    >>> [(s, e, v, list(k)) for s, e, v, k in _strings('{"a": ["x", {"b": "y"}]}')]
    [(7, 10, 'x', ['a']), (18, 21, 'y', ['a', 'b'])]
    """
    keys: list[str] = []  # the last key read in each open object
    objects: list[bool] = []  # whether each open bracket is an object's
    key_next = False
    position = 0
    while match := _STRUCTURE.search(raw, position):
        char = match.group()
        position = match.end()
        if char == '"':
            value, position = scanstring(raw, position)
            if key_next:
                keys[-1] = value
            else:
                yield match.start(), position, value, keys
        elif char in "{[":
            objects.append(char == "{")
            key_next = char == "{"
            if key_next:
                keys.append("")
        elif char in "}]":
            if objects.pop():
                keys.pop()
        else:  # "," goes on to a key in an object, ":" to a value
            key_next = char == "," and objects[-1]


# Surrogates in a decoded string are lone ones (``"\\ud800"``): they have no
# UTF-8, so they stay escaped.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _encode(value: str) -> str:
    """A JSON string for ``value``, non-ASCII as itself.

    >>> print(_encode('café "\\ud800"'))
    "café \\"\\ud800\\""
    """
    return _SURROGATE.sub(
        lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False)
    )
