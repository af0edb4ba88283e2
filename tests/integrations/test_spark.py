"""The Spark integration against local textmend.fix, on a real local SparkSession.

Marked ``cluster``: deselect with ``-m "not cluster"``. One session serves
every test, as Spark takes long to start.
"""

from __future__ import annotations

import doctest
import json
import os
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from pyspark.sql import DataFrame, SparkSession
from support import DATA

import textmend
from textmend.integrations import spark as tm_spark

pytestmark = pytest.mark.cluster

TEXTS = json.loads((DATA / "integrations_texts.json").read_text(encoding="utf-8"))
ALL = TEXTS["damaged"] + TEXTS["clean"]
NO_ENTITIES = textmend.PROFILES["news"].disable("html_entities")


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    """``local[2]``, its Python workers this interpreter (so they import this textmend)."""
    # Read when the session starts, by Spark's launcher: a config key does not reach it.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("textmend-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    yield session
    session.stop()


def _frame(spark: SparkSession) -> DataFrame:
    """Text with nulls beside numbers, in two partitions (local[2]'s default)."""
    rows = [
        (i, text, title, 0.5)
        for i, (text, title) in enumerate(zip(ALL, reversed(ALL), strict=True))
    ]
    rows.append((len(ALL), None, None, None))
    schema = "id int, body string, `title.en` string, score double"
    return spark.createDataFrame(rows, schema)


def _sorted(df: DataFrame) -> list[Any]:
    return sorted(df.collect(), key=lambda row: row["id"])


def test_fix_column_by_name_and_by_column(spark: SparkSession) -> None:
    df = _frame(spark)
    fixed = _sorted(
        df.select(
            "id",
            tm_spark.fix_column("body"),
            tm_spark.fix_column(df["`title.en`"]).alias("title"),
        )
    )
    assert [row["body"] for row in fixed] == [*(textmend.fix(t) for t in ALL), None]
    assert [row["title"] for row in fixed] == [*(textmend.fix(t) for t in reversed(ALL)), None]


def test_fix_frame_repairs_every_string_column_and_keeps_the_rest(spark: SparkSession) -> None:
    df = _frame(spark)
    fixed = tm_spark.fix_frame(df)
    assert fixed.schema == df.schema
    rows, before = _sorted(fixed), _sorted(df)
    for row, old in zip(rows, before, strict=True):
        assert row["id"] == old["id"]
        assert row["score"] == old["score"]
        for name in ("body", "title.en"):
            assert row[name] == (None if old[name] is None else textmend.fix(old[name]))


def test_fix_frame_with_chosen_columns_and_a_profile_object(spark: SparkSession) -> None:
    df = _frame(spark)
    rows = _sorted(tm_spark.fix_frame(df, ["body"], NO_ENTITIES))
    assert [row["body"] for row in rows] == [*(textmend.fix(t, NO_ENTITIES) for t in ALL), None]
    assert [row["body"] for row in rows] != [*(textmend.fix(t) for t in ALL), None]
    assert [row["title.en"] for row in rows] == [*reversed(ALL), None]


@pytest.mark.parametrize(
    ("columns", "error", "message"),
    [
        (["bodyy"], KeyError, r"no column\(s\) 'bodyy'; the columns are 'id', 'body'"),
        (["score"], TypeError, "column 'score' holds double, not text"),
        ("body", TypeError, r"did you mean \['body'\]"),
    ],
)
def test_wrong_columns_are_refused_before_anything_runs(
    spark: SparkSession, columns: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        tm_spark.fix_frame(_frame(spark), columns)


def test_wrong_arguments_are_refused() -> None:
    with pytest.raises(TypeError, match="takes a Spark DataFrame, not list"):
        tm_spark.fix_frame(ALL)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="takes a column name or a Column, not int"):
        tm_spark.fix_column(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown profile 'newz'"):
        tm_spark.fix_column("body", "newz")


def test_docstring_examples_are_all_skipped_but_parse() -> None:
    finder = doctest.DocTestFinder()
    examples = [e for test in finder.find(tm_spark) for e in test.examples]
    assert any("fix_column" in e.source for e in examples)
