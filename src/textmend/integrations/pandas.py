"""Repair the text in a pandas Series or in chosen columns of a DataFrame.

Strings are repaired with ``textmend.fix``; values that are not text (None,
NaN, ``pd.NA``, numbers) pass through untouched. Object columns and both
pandas string dtypes (``"string"`` and pandas 3's ``"str"``) are supported, as
are pyarrow's strings (``dtype_backend="pyarrow"``), and the result keeps the
input's index, name and dtype. A categorical column of text stays categorical,
with its categories repaired.

>>> import pandas as pd
>>> fix_series(pd.Series(["caf&eacute;", 3, "fine"], dtype=object)).tolist()
['café', 3, 'fine']
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Literal, overload

import numpy as np
import pandas as pd

from textmend.integrations._values import fix_value
from textmend.pipeline import compile_profile
from textmend.profiles import DEFAULT_PROFILE, Profile, get_profile

__all__ = ["fix_frame", "fix_series"]


@overload
def fix_series(
    series: pd.Series,
    profile: Profile | str = ...,
    *,
    count_changes: Literal[False] = ...,
) -> pd.Series: ...
@overload
def fix_series(
    series: pd.Series,
    profile: Profile | str = ...,
    *,
    count_changes: Literal[True],
) -> pd.DataFrame: ...
@overload
def fix_series(
    series: pd.Series,
    profile: Profile | str = ...,
    *,
    count_changes: bool,
) -> pd.Series | pd.DataFrame: ...
def fix_series(
    series: pd.Series,
    profile: Profile | str = DEFAULT_PROFILE,
    *,
    count_changes: bool = False,
) -> pd.Series | pd.DataFrame:
    """Repair every string of a Series; same index, name and dtype.

    With ``count_changes=True`` the result is a DataFrame with two columns:
    ``text`` (the repaired Series) and ``changes`` (int64: how many changes
    ``textmend.explain`` lists for that row; 0 for values that are not text).

    >>> import pandas as pd
    >>> fix_series(pd.Series(["Ã©tÃ©", 3], name="t"), count_changes=True)
      text  changes
    0  été        1
    1    3        0
    """
    _check_text_series(series, "series")
    if isinstance(series.dtype, pd.CategoricalDtype):
        return _fix_categories(series, profile, count_changes)
    pipeline = compile_profile(get_profile(profile))
    values = series.tolist()
    fixed = []
    for label, value in zip(series.index, values, strict=True):
        try:
            fixed.append(fix_value(value, pipeline))
        except TypeError as err:
            raise TypeError(f"row {label!r} of series {series.name!r} {err}") from None
    result = pd.Series(fixed, index=series.index, name=series.name, dtype=series.dtype)
    if not count_changes:
        return result
    counts = [
        len(pipeline.explain(before)) if isinstance(before, str) and after != before else 0
        for before, after in zip(values, fixed, strict=True)
    ]
    return pd.DataFrame(
        {"text": result, "changes": pd.Series(counts, index=series.index, dtype="int64")}
    )


def _fix_categories(
    series: pd.Series, profile: Profile | str, count_changes: bool
) -> pd.Series | pd.DataFrame:
    """Repair each category once, however many rows hold it; categories that
    become equal are merged.

    >>> fixed = fix_series(pd.Series(["caf&eacute;", "café", None], dtype="category"))
    >>> fixed.tolist(), fixed.cat.categories.tolist()
    (['café', 'café', nan], ['café'])
    """
    categories = series.cat.categories
    fixed = fix_series(categories.to_series(name=series.name), profile, count_changes=True)
    merged = pd.Index(fixed["text"]).unique()
    codes = series.cat.codes.to_numpy()
    # A missing value's code, -1, reads the value appended last.
    new_codes = np.append(merged.get_indexer(fixed["text"]), -1)[codes]
    dtype = pd.CategoricalDtype(merged, ordered=series.cat.ordered)
    result = pd.Series(
        pd.Categorical.from_codes(new_codes, dtype=dtype), index=series.index, name=series.name
    )
    if not count_changes:
        return result
    changes = np.append(fixed["changes"].to_numpy(), 0)[codes]
    return pd.DataFrame(
        {"text": result, "changes": pd.Series(changes, index=series.index, dtype="int64")}
    )


def fix_frame(
    frame: pd.DataFrame,
    columns: Iterable[Hashable] | None = None,
    profile: Profile | str = DEFAULT_PROFILE,
) -> pd.DataFrame:
    """A new DataFrame with the text of ``columns`` (default: all text columns) repaired.

    The other columns are the input's own, unchanged; the index is the same.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"id": [1, 2], "body": ["naÃ¯ve", "fine"]})
    >>> fix_frame(frame)
       id   body
    0   1  naïve
    1   2   fine
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"fix_frame() takes a pandas DataFrame, not {type(frame).__name__}")
    positions = text_column_positions(frame, columns)
    profile = get_profile(profile)
    out = frame.copy(deep=False)
    for position in positions:
        out.isetitem(position, fix_series(frame.iloc[:, position], profile))
    return out


def text_column_positions(frame: pd.DataFrame, columns: Iterable[Hashable] | None) -> list[int]:
    """The positions of the chosen columns, or of every text column if none are chosen.

    Raises KeyError for a name the frame lacks and TypeError for a chosen
    column that does not hold text. Shared with the Dask integration, which
    checks its columns against the (empty) pandas frame that describes them.
    """
    if columns is None:
        return [i for i, dtype in enumerate(frame.dtypes) if _is_text_dtype(dtype)]
    if isinstance(columns, str):
        raise TypeError(
            f"columns must be a list of column names, not a str; did you mean [{columns!r}]?"
        )
    found: set[int] = set()
    missing = []
    for name in columns:
        # Looked up as whole labels: ``in`` also takes the first level of a
        # MultiIndex, and set membership misses a NaN label.
        where = frame.columns.get_indexer_for([name])
        if (where < 0).any():
            missing.append(name)
        found.update(where.tolist())
    if missing:
        raise KeyError(
            f"no column(s) {', '.join(map(repr, missing))}; "
            f"the columns are {', '.join(map(repr, frame.columns))}"
        )
    positions = sorted(found)
    for position in positions:
        _check_text_series(frame.iloc[:, position], f"column {frame.columns[position]!r}")
    return positions


def _is_text_dtype(dtype: object) -> bool:
    """Object, pandas' string dtypes, and pyarrow's strings.

    The pyarrow ones are what ``read_csv`` or ``read_parquet`` with
    ``dtype_backend="pyarrow"`` give text columns.

    >>> import pyarrow as pa
    >>> _is_text_dtype(pd.ArrowDtype(pa.large_string())), _is_text_dtype(pd.ArrowDtype(pa.int64()))
    (True, False)
    """
    if isinstance(dtype, pd.CategoricalDtype):
        return _is_text_dtype(dtype.categories.dtype)
    if isinstance(dtype, pd.ArrowDtype):
        import pyarrow as pa  # there is no ArrowDtype without pyarrow

        arrow_type = dtype.pyarrow_dtype
        return bool(pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type))
    return isinstance(dtype, pd.StringDtype) or pd.api.types.is_object_dtype(dtype)


def _check_text_series(series: object, what: str) -> None:
    if not isinstance(series, pd.Series):
        raise TypeError(f"fix_series() takes a pandas Series, not {type(series).__name__}")
    if not _is_text_dtype(series.dtype):
        raise TypeError(
            f"{what} has dtype {series.dtype}, not text (object or string); "
            "convert it with .astype('string') if it should be repaired"
        )
