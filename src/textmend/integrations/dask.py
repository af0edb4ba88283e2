"""Repair text on a Dask cluster: DataFrames partition by partition, and bags.

Each partition goes through the pandas integration (``fix_series``,
``fix_frame``) on a worker, so results are the same as on one machine. The
Profile is sent to the workers as a value (it is picklable); each worker
process compiles it once and reuses it for every partition.

>>> import dask.bag as db
>>> fix_bag(db.from_sequence(["caf&eacute;", "fine"])).compute()
['café', 'fine']
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, Literal, cast, overload

import dask.bag as db
import dask.dataframe as dd

from textmend.integrations import pandas as _pandas
from textmend.integrations._values import fix_value
from textmend.pipeline import Pipeline, compile_profile
from textmend.profiles import DEFAULT_PROFILE, Profile, get_profile

__all__ = ["fix_bag", "fix_frame", "fix_series"]


@overload
def fix_series(
    series: dd.Series,
    profile: Profile | str = ...,
    *,
    count_changes: Literal[False] = ...,
) -> dd.Series: ...
@overload
def fix_series(
    series: dd.Series,
    profile: Profile | str = ...,
    *,
    count_changes: Literal[True],
) -> dd.DataFrame: ...
@overload
def fix_series(
    series: dd.Series,
    profile: Profile | str = ...,
    *,
    count_changes: bool,
) -> dd.Series | dd.DataFrame: ...
def fix_series(
    series: dd.Series,
    profile: Profile | str = DEFAULT_PROFILE,
    *,
    count_changes: bool = False,
) -> dd.Series | dd.DataFrame:
    """Repair every string of a Dask Series, as ``textmend.integrations.pandas.fix_series``.

    With ``count_changes=True`` the result is a Dask DataFrame with the
    columns ``text`` and ``changes``.

    >>> import dask.dataframe as dd, pandas as pd
    >>> fix_series(dd.from_pandas(pd.Series(["naÃ¯ve"]), npartitions=1)).compute().tolist()
    ['naïve']
    """
    if not isinstance(series, dd.Series):
        raise TypeError(f"fix_series() takes a Dask Series, not {type(series).__name__}")
    profile = get_profile(profile)
    meta = _pandas.fix_series(series._meta, profile, count_changes=count_changes)
    fixed = _map_partitions(
        series, _pandas.fix_series, profile, count_changes=count_changes, meta=meta
    )
    return cast("dd.Series | dd.DataFrame", fixed)


def fix_frame(
    frame: dd.DataFrame,
    columns: Iterable[Hashable] | None = None,
    profile: Profile | str = DEFAULT_PROFILE,
) -> dd.DataFrame:
    """Repair ``columns`` (default: all text columns) of a Dask DataFrame.

    Column names and types are checked here, before anything runs.

    >>> import dask.dataframe as dd, pandas as pd
    >>> frame = dd.from_pandas(pd.DataFrame({"n": [1], "t": ["Ã©tÃ©"]}), npartitions=1)
    >>> fix_frame(frame, ["t"]).compute()["t"].tolist()
    ['été']
    """
    if not isinstance(frame, dd.DataFrame):
        raise TypeError(f"fix_frame() takes a Dask DataFrame, not {type(frame).__name__}")
    names = [frame.columns[i] for i in _pandas.text_column_positions(frame._meta, columns)]
    profile = get_profile(profile)
    meta = _pandas.fix_frame(frame._meta, names, profile)
    return cast(
        "dd.DataFrame", _map_partitions(frame, _pandas.fix_frame, names, profile, meta=meta)
    )


def fix_bag(
    bag: db.Bag,
    profile: Profile | str = DEFAULT_PROFILE,
    *,
    fields: Sequence[str] | None = None,
) -> db.Bag:
    """Repair a bag of strings, or the ``fields`` of a bag of records (dicts).

    A field is a key or a dotted path into nested dicts (``"meta.title"``).
    Records come back as new dicts; a field that is missing raises KeyError,
    a field whose value is not text (None, a number) is left as it is. In a
    bag of strings, items that are not text are left as they are too.

    >>> import dask.bag as db
    >>> records = db.from_sequence([{"id": 1, "meta": {"title": "SchÃ¶n"}}])
    >>> fix_bag(records, fields=["meta.title"]).compute()
    [{'id': 1, 'meta': {'title': 'Schön'}}]
    """
    if not isinstance(bag, db.Bag):
        raise TypeError(f"fix_bag() takes a Dask Bag, not {type(bag).__name__}")
    profile = get_profile(profile)
    if fields is None:
        return cast("db.Bag", _map_partitions(bag, _fix_strings, profile))
    if isinstance(fields, str):
        raise TypeError(
            f"fields must be a list of field names, not a str; did you mean [{fields!r}]?"
        )
    paths = tuple(tuple(field.split(".")) for field in fields)
    return cast("db.Bag", _map_partitions(bag, _fix_records, paths, profile))


def _map_partitions(
    collection: Any, func: Callable[..., object], *args: object, **kwargs: object
) -> Any:
    """``collection.map_partitions(func, ...)``; Dask leaves that method unannotated."""
    return collection.map_partitions(func, *args, **kwargs)


def _fix_strings(items: Sequence[object], profile: Profile) -> list[object]:
    pipeline = compile_profile(profile)
    return [_fix_item(item, pipeline, "a bag item") for item in items]


def _fix_records(
    records: Sequence[object], paths: Sequence[tuple[str, ...]], profile: Profile
) -> list[object]:
    pipeline = compile_profile(profile)
    out = []
    for record in records:
        for path in paths:
            record = _fix_path(record, path, (), pipeline)
        out.append(record)
    return out


def _fix_path(
    record: object, path: tuple[str, ...], seen: tuple[str, ...], pipeline: Pipeline
) -> dict[str, Any]:
    """A copy of ``record`` with the value at ``path`` repaired; the input is not mutated."""
    where = f"field {'.'.join(seen)!r}" if seen else "a bag item"
    if not isinstance(record, Mapping):
        raise TypeError(
            f"{where} is not a dict but {type(record).__name__}, so it has no field {path[0]!r}"
        )
    key = path[0]
    if key not in record:
        raise KeyError(
            f"{where} has no field {key!r}; its fields are {', '.join(map(repr, record))}"
        )
    value = record[key]
    if len(path) > 1:
        value = _fix_path(value, path[1:], (*seen, key), pipeline)
    else:
        value = _fix_item(value, pipeline, f"field {'.'.join((*seen, key))!r}")
    return {**record, key: value}


def _fix_item(item: object, pipeline: Pipeline, where: str) -> object:
    if isinstance(item, Mapping):
        raise TypeError(
            f"{where} is a dict; name the text fields to repair, "
            "with dotted paths for nested ones: fix_bag(bag, fields=[...])"
        )
    try:
        return fix_value(item, pipeline)
    except TypeError as err:
        raise TypeError(f"{where} {err}") from None
