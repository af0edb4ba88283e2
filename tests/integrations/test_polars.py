"""The polars expression namespace against local textmend.fix, with real polars."""

from __future__ import annotations

import doctest
import json

import polars as pl
import pytest
from support import DATA

import textmend
from textmend.integrations import polars as tm_pl

TEXTS = json.loads((DATA / "integrations_texts.json").read_text(encoding="utf-8"))
ALL = TEXTS["damaged"] + TEXTS["clean"]
NO_ENTITIES = textmend.PROFILES["news"].disable("html_entities")


def _frame() -> pl.DataFrame:
    n = len(ALL) + 1
    return pl.DataFrame(
        {
            "id": range(n),
            "text": [*ALL, None],
            "topic": pl.Series([*reversed(ALL), None], dtype=pl.Categorical),
        }
    )


@pytest.mark.parametrize("lazy", [False, True])
def test_string_columns_match_fix_and_keep_nulls(lazy: bool) -> None:
    frame = _frame()
    query = (frame.lazy() if lazy else frame).with_columns(pl.col("text").textmend.fix())
    fixed = query.collect() if isinstance(query, pl.LazyFrame) else query
    assert fixed.schema == frame.schema
    assert fixed["text"].to_list() == [*(textmend.fix(t) for t in ALL), None]
    assert fixed["id"].equals(frame["id"])
    assert fixed["topic"].cast(pl.String).equals(frame["topic"].cast(pl.String))


@pytest.mark.parametrize("lazy", [False, True])
def test_categorical_columns_stay_categorical(lazy: bool) -> None:
    frame = _frame()
    query = (frame.lazy() if lazy else frame).select(pl.col("topic").textmend.fix())
    if isinstance(query, pl.LazyFrame):
        assert query.collect_schema()["topic"] == pl.Categorical
        query = query.collect()
    assert query["topic"].dtype == pl.Categorical
    assert query["topic"].to_list() == [*(textmend.fix(t) for t in reversed(ALL)), None]


def test_repeated_categories_and_equal_results() -> None:
    damaged = TEXTS["damaged"][0]
    repaired = textmend.fix(damaged)
    topics = pl.Series("t", [damaged, repaired, None, damaged], dtype=pl.Categorical)
    fixed = pl.select(pl.lit(topics).textmend.fix()).to_series()
    assert fixed.to_list() == [repaired, repaired, None, repaired]
    assert fixed.n_unique() == 2  # the repaired value and null


def test_a_profile_object_is_used() -> None:
    frame = pl.DataFrame({"text": ALL})
    fixed = frame.select(pl.col("text").textmend.fix(NO_ENTITIES))["text"].to_list()
    assert fixed == [textmend.fix(t, NO_ENTITIES) for t in ALL]
    assert fixed != frame.select(pl.col("text").textmend.fix("news"))["text"].to_list()


def test_streaming_engine_gives_the_same() -> None:
    lazy = pl.LazyFrame({"text": ALL * 3}).select(pl.col("text").textmend.fix())
    fixed = lazy.collect(engine="streaming")["text"].to_list()
    assert fixed == [textmend.fix(t) for t in ALL * 3]


@pytest.mark.parametrize(
    ("column", "message"),
    [
        (pl.Series("n", [1, 2]), "column 'n' has dtype Int64"),
        (pl.Series("b", [b"caf\xc3\xa9"]), "has dtype Binary; decode bytes first"),
    ],
)
def test_other_dtypes_are_refused(column: pl.Series, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        pl.DataFrame([column]).select(pl.col(column.name).textmend.fix())


def test_unknown_profile_is_refused_when_the_expression_is_built() -> None:
    with pytest.raises(ValueError, match="unknown profile 'newz'"):
        pl.col("text").textmend.fix("newz")


def test_docstring_examples() -> None:
    result = doctest.testmod(tm_pl)
    assert result.attempted > 0
    assert result.failed == 0
