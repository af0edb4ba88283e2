"""Choosing the columns to repair by name, checked before anything runs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

_Type = TypeVar("_Type")


def text_columns(
    types: Mapping[str, _Type],
    columns: Iterable[str] | None,
    is_text: Callable[[_Type], bool],
    describe: Callable[[_Type], str] = str,
) -> list[str]:
    """The chosen ``columns``, or every column whose type ``is_text``.

    A name the table lacks raises KeyError, a chosen column that is not text
    TypeError.

    >>> types = {"id": "int", "body": "string"}
    >>> text_columns(types, None, lambda kind: kind == "string")
    ['body']
    >>> text_columns(types, ["id"], lambda kind: kind == "string")
    Traceback (most recent call last):
    TypeError: column 'id' holds int, not text
    """
    if columns is None:
        return [name for name, kind in types.items() if is_text(kind)]
    names = column_list(columns)
    missing = [name for name in names if name not in types]
    if missing:
        raise KeyError(
            f"no column(s) {', '.join(map(repr, missing))}; "
            f"the columns are {', '.join(map(repr, types))}"
        )
    for name in names:
        if not is_text(types[name]):
            raise TypeError(f"column {name!r} holds {describe(types[name])}, not text")
    return names


def column_list(columns: Iterable[str]) -> list[str]:
    """The names, each once; a bare str is refused, as it would read as its characters.

    >>> column_list("body")
    Traceback (most recent call last):
    TypeError: columns must be a list of column names, not a str; did you mean ['body']?
    """
    if isinstance(columns, str):
        raise TypeError(
            f"columns must be a list of column names, not a str; did you mean [{columns!r}]?"
        )
    return list(dict.fromkeys(columns))
