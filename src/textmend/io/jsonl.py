"""JSON Lines: repair string values inside each record, keep everything else.

By default every string value is repaired, at any depth; object keys never
are. ``paths`` limits the repair to chosen fields: each path is a tuple of
keys into nested objects, and a list met on the way applies the rest of the
path to each element. A record where nothing changed is written back exactly
as read; a changed record is re-serialised with its key order, as UTF-8.

>>> fix_record('{"a": "x", "b": {"c": "x"}}\\n', (("b", "c"),), str.upper)
'{"a": "x", "b": {"c": "X"}}\\n'
"""

from __future__ import annotations

import json
import json.scanner
import re
from collections.abc import Callable
from typing import Any

from textmend.io.lines import line_ending

Path = tuple[str, ...]


def fix_record(raw: str, paths: tuple[Path, ...], fix: Callable[[str], str]) -> str:
    """The record with its chosen strings passed through ``fix``.

    Raises ``ValueError`` naming the problem if the line is not JSON.
    """
    if not raw.strip():
        return raw
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ValueError(f"malformed JSON: {error.msg} (column {error.colno})") from None
    changed = False
    for path in paths or ((),):
        value, touched = _fix(value, path, fix)
        changed = changed or touched
    if not changed:
        return raw
    return json.dumps(value, ensure_ascii=False, separators=_separators(raw)) + line_ending(raw)


def is_json(raw: str) -> bool:
    """Whether a line holds one JSON value, as ``json.loads`` sees it, quickly.

    ``False`` says nothing more: ``fix_record`` tells what is wrong.

    >>> is_json('{"a": [1, "x"]}\\n'), is_json('{"a": 1} x\\n'), is_json("\\n")
    (True, False, False)
    """
    try:
        _, end = _scan(raw, _SPACE.match(raw).end())  # type: ignore[union-attr]
    except (StopIteration, ValueError):
        return False
    return _SPACE.match(raw, end).end() == len(raw)  # type: ignore[union-attr]


# The scanner (in C where it can be) and the whitespace ``json.loads`` uses,
# without its Python layers around them.
_scan: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(
    json.JSONDecoder()  # type: ignore[arg-type]
)
_SPACE = re.compile(r"[ \t\n\r]*")


def _fix(value: Any, path: Path, fix: Callable[[str], str]) -> tuple[Any, bool]:
    """Repair the strings at ``path`` under ``value``; say whether any changed."""
    if isinstance(value, str):
        if path:
            return value, False
        fixed = fix(value)
        return fixed, fixed != value
    changed = False
    if isinstance(value, dict):
        keys = [path[0]] if path and path[0] in value else [] if path else list(value)
        rest = path[1:]
        for key in keys:
            value[key], touched = _fix(value[key], rest, fix)
            changed = changed or touched
    elif isinstance(value, list):
        for index, item in enumerate(value):
            value[index], touched = _fix(item, path, fix)
            changed = changed or touched
    return value, changed


def _separators(raw: str) -> tuple[str, str]:
    """Write a changed record in the spacing style it was read in."""
    return (", ", ": ") if '": ' in raw else (",", ":")
