"""The pandas integration against local textmend.fix, with real pandas."""

from __future__ import annotations

import doctest
import json
import math
import subprocess
import sys

import pandas as pd
import pyarrow as pa
import pytest
from support import DATA, ROOT

import textmend
from textmend.integrations import _values
from textmend.integrations import pandas as tm_pd

TEXTS = json.loads((DATA / "integrations_texts.json").read_text(encoding="utf-8"))
ALL = TEXTS["damaged"] + TEXTS["clean"]


def _labels(n: int) -> list[str]:
    # A non-default index, so a reset index would show.
    return [f"doc-{i:03d}" for i in range(n)]


def test_corpus_has_damage_and_clean_text() -> None:
    assert all(textmend.fix(t) != t for t in TEXTS["damaged"])
    assert all(textmend.fix(t) == t for t in TEXTS["clean"])


def test_object_series_matches_fix_and_passes_other_values() -> None:
    values: list[object] = [*ALL, None, math.nan, 42, 2.5]
    series = pd.Series(values, index=_labels(len(values)), name="body", dtype=object)
    fixed = tm_pd.fix_series(series)
    assert fixed.dtype == object
    assert fixed.name == "body"
    assert fixed.index.equals(series.index)
    assert fixed.tolist()[: len(ALL)] == [textmend.fix(t) for t in ALL]
    tail = fixed.tolist()[len(ALL) :]
    assert tail[0] is None
    assert math.isnan(tail[1])
    assert tail[2:] == [42, 2.5]
    assert series.tolist()[: len(ALL)] == ALL  # the input is not changed


@pytest.mark.parametrize("dtype", ["string", "str"])
def test_string_dtypes_are_kept(dtype: str) -> None:
    series = pd.Series([*ALL, None], index=_labels(len(ALL) + 1), dtype=dtype)
    fixed = tm_pd.fix_series(series)
    assert fixed.dtype == series.dtype
    assert fixed.index.equals(series.index)
    assert fixed.iloc[:-1].tolist() == [textmend.fix(t) for t in ALL]
    assert pd.isna(fixed.iloc[-1])


@pytest.mark.parametrize("arrow_type", ["string", "large_string"])
def test_pyarrow_string_columns_are_text(arrow_type: str) -> None:
    # What read_csv / read_parquet(dtype_backend="pyarrow") give for text columns.
    dtype = pd.ArrowDtype(getattr(pa, arrow_type)())
    index = _labels(len(ALL) + 1)
    frame = pd.DataFrame(
        {
            "id": pd.Series(range(len(ALL) + 1), index=index),
            "body": pd.Series([*ALL, None], index=index, dtype=dtype),
        }
    )
    for fixed in (tm_pd.fix_frame(frame)["body"], tm_pd.fix_series(frame["body"])):
        assert fixed.dtype == dtype
        assert fixed.index.equals(frame.index)
        assert fixed.iloc[:-1].tolist() == [textmend.fix(t) for t in ALL]
        assert pd.isna(fixed.iloc[-1])


def test_categorical_text_is_repaired_and_equal_categories_merge() -> None:
    damaged = TEXTS["damaged"][0]
    repaired = textmend.fix(damaged)
    index = _labels(5)
    series = pd.Series(
        [damaged, None, repaired, damaged, "x"],
        index=index,
        name="topic",
        dtype=pd.CategoricalDtype([damaged, "x", repaired, "unused"], ordered=True),
    )
    frame = pd.DataFrame({"topic": series, "n": range(5)}, index=index)
    for fixed in (tm_pd.fix_series(series), tm_pd.fix_frame(frame)["topic"]):
        assert fixed.name == "topic"
        assert fixed.index.equals(series.index)
        assert fixed.dtype == pd.CategoricalDtype([repaired, "x", "unused"], ordered=True)
        assert fixed.isna().tolist() == [False, True, False, False, False]
        assert fixed.dropna().tolist() == [repaired, repaired, repaired, "x"]
    counted = tm_pd.fix_series(series, count_changes=True)
    assert counted["text"].dtype == pd.CategoricalDtype([repaired, "x", "unused"], ordered=True)
    n = len(textmend.explain(damaged))
    assert counted["changes"].tolist() == [n, 0, 0, n, 0]
    with pytest.raises(TypeError, match="has dtype category"):
        tm_pd.fix_series(pd.Series([1, 2], dtype="category"))


def test_count_changes_is_the_length_of_explain() -> None:
    series = pd.Series([*ALL, None], index=_labels(len(ALL) + 1), name="body", dtype=object)
    result = tm_pd.fix_series(series, count_changes=True)
    assert list(result.columns) == ["text", "changes"]
    assert result["changes"].dtype == "int64"
    assert result.index.equals(series.index)
    assert result["text"].iloc[:-1].tolist() == [textmend.fix(t) for t in ALL]
    assert result["changes"].tolist() == [len(textmend.explain(t)) for t in ALL] + [0]
    assert (result["changes"].iloc[: len(TEXTS["damaged"])] > 0).all()


def test_a_profile_object_is_used() -> None:
    no_entities = textmend.PROFILES["news"].disable("html_entities")
    series = pd.Series(ALL, dtype=object)
    fixed = tm_pd.fix_series(series, no_entities).tolist()
    assert fixed == [textmend.fix(t, no_entities) for t in ALL]
    assert fixed != tm_pd.fix_series(series).tolist()


def _frame() -> pd.DataFrame:
    """Text columns of the three kinds (str, string, object) beside numbers."""
    index = _labels(len(ALL))
    return pd.DataFrame(
        {
            "id": range(len(ALL)),
            "body": ALL,
            "title": pd.Series(list(reversed(ALL)), index=index, dtype="string"),
            "score": [0.5] * len(ALL),
            "raw": pd.Series(ALL, index=index, dtype=object),
        },
        index=index,
    )


def test_fix_frame_repairs_all_text_columns_by_default() -> None:
    frame = _frame()
    before = frame.copy(deep=True)
    fixed = tm_pd.fix_frame(frame)
    assert list(fixed.columns) == list(frame.columns)
    assert fixed.index.equals(frame.index)
    for name in ["body", "title", "raw"]:
        assert fixed[name].dtype == frame[name].dtype
        assert fixed[name].tolist() == [textmend.fix(t) for t in frame[name]]
    for name in ["id", "score"]:
        pd.testing.assert_series_equal(fixed[name], frame[name])
    pd.testing.assert_frame_equal(frame, before)


def test_fix_frame_repairs_only_chosen_columns() -> None:
    frame = _frame()
    fixed = tm_pd.fix_frame(frame, ["title"])
    assert fixed["title"].tolist() == [textmend.fix(t) for t in frame["title"]]
    pd.testing.assert_series_equal(fixed["body"], frame["body"])
    pd.testing.assert_series_equal(fixed["raw"], frame["raw"])


def test_chosen_columns_are_whole_labels() -> None:
    damaged = TEXTS["damaged"][0]
    frame = pd.DataFrame({("text", "en"): [damaged], ("text", "fr"): [damaged], ("n", ""): [1]})
    fixed = tm_pd.fix_frame(frame, [("text", "en")])
    assert fixed[("text", "en")].tolist() == [textmend.fix(damaged)]
    assert fixed[("text", "fr")].tolist() == [damaged]
    # "text" only begins labels: naming it must not pass as done.
    with pytest.raises(KeyError, match=r"no column\(s\) 'text'"):
        tm_pd.fix_frame(frame, ["text"])
    unnamed = pd.DataFrame({math.nan: [damaged]})
    assert tm_pd.fix_frame(unnamed, [math.nan]).iloc[:, 0].tolist() == [textmend.fix(damaged)]


def test_unknown_columns_are_named() -> None:
    with pytest.raises(KeyError, match=r"'bodyy'.*'body'"):
        tm_pd.fix_frame(_frame(), ["body", "bodyy"])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: tm_pd.fix_frame(_frame(), ["score"]), "column 'score' has dtype float64"),
        (lambda: tm_pd.fix_frame(_frame(), "body"), r"did you mean \['body'\]"),
        (lambda: tm_pd.fix_frame(ALL), "takes a pandas DataFrame, not list"),
        (lambda: tm_pd.fix_series(ALL), "takes a pandas Series, not list"),
        (lambda: tm_pd.fix_series(pd.Series([1, 2])), "has dtype int64"),
        (
            lambda: tm_pd.fix_series(pd.Series(["ok", b"caf\xc3\xa9"], index=["a", "b"], name="t")),
            "row 'b' of series 't' holds bytes",
        ),
        (
            # What psycopg2 gives for a bytea column, read with pd.read_sql.
            lambda: tm_pd.fix_series(pd.Series([memoryview(b"caf\xc3\xa9")], dtype=object)),
            "row 0 of series None holds bytes",
        ),
    ],
)
def test_wrong_types_are_refused_clearly(call: object, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        call()  # type: ignore[operator]


def test_unknown_profile_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown profile 'newz'"):
        tm_pd.fix_series(pd.Series(ALL), "newz")


@pytest.mark.parametrize("module", [tm_pd, _values])
def test_docstring_examples(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0


def test_importing_textmend_imports_neither_pandas_nor_dask() -> None:
    code = (
        "import sys, textmend, textmend.integrations\n"
        "textmend.fix('caf&eacute;')\n"
        "heavy = ('pandas', 'dask', 'distributed')\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in heavy)\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src")},
    )
