"""The Dask integration on a real two-process LocalCluster, against local textmend.fix."""

from __future__ import annotations

import doctest
import json

import dask.bag as db
import dask.dataframe as dd
import pandas as pd
import pytest
from distributed import Client
from support import DATA, ROOT

import textmend
from textmend.integrations import dask as tm_dask
from textmend.integrations import pandas as tm_pd

TEXTS = json.loads((DATA / "integrations_texts.json").read_text(encoding="utf-8"))
ALL = TEXTS["damaged"] + TEXTS["clean"]
NO_ENTITIES = textmend.PROFILES["news"].disable("html_entities")
CASES = [
    json.loads(line)
    for line in (ROOT / "corpus" / "cases.jsonl").read_text(encoding="utf-8").split("\n")
    if line
]
CORPUS = [case["input"] for case in CASES if case["form"] == "text"]


def _records() -> list[dict[str, object]]:
    return [
        {"id": i, "body": text, "meta": {"title": ALL[-1 - i], "lang": "xx"}, "note": None}
        for i, text in enumerate(ALL)
    ]


def test_frame_matches_local_fix(dask_client: Client) -> None:
    index = [f"doc-{i:03d}" for i in range(len(ALL) + 1)]
    frame = pd.DataFrame(
        {"id": range(len(ALL) + 1), "body": [*ALL, None], "title": [*reversed(ALL), "x"]},
        index=index,
    )
    chunked = dd.from_pandas(frame, npartitions=4)
    result = tm_dask.fix_frame(chunked, ["body"]).compute()
    assert result.dtypes.equals(chunked.dtypes)
    assert result.index.tolist() == index
    assert result["body"].iloc[:-1].tolist() == [textmend.fix(t) for t in ALL]
    assert pd.isna(result["body"].iloc[-1])
    assert result["title"].tolist() == [*reversed(ALL), "x"]
    assert result["id"].tolist() == list(range(len(ALL) + 1))


def test_categorical_column_matches_pandas(dask_client: Client) -> None:
    damaged = TEXTS["damaged"][:3]
    topics = [*damaged, *(textmend.fix(t) for t in damaged), None, "x"] * 3
    frame = pd.DataFrame({"topic": pd.Series(topics, dtype="category"), "n": range(len(topics))})
    fixed = tm_dask.fix_frame(dd.from_pandas(frame, npartitions=4))
    result = fixed.compute()
    # Known categories stay known: the graph's are the partitions'.
    assert fixed["topic"].dtype == result["topic"].dtype
    pd.testing.assert_frame_equal(result, tm_pd.fix_frame(frame))


def test_the_corpus_on_the_cluster_matches_local_fix(dask_client: Client) -> None:
    expected = [textmend.fix(text) for text in CORPUS]
    assert tm_dask.fix_bag(db.from_sequence(CORPUS, npartitions=8)).compute() == expected
    frame = dd.from_pandas(pd.DataFrame({"text": CORPUS}), npartitions=8)
    assert tm_dask.fix_frame(frame).compute()["text"].tolist() == expected


def test_series_with_counts_matches_local_explain(dask_client: Client) -> None:
    series = dd.from_pandas(pd.Series(ALL, name="body"), npartitions=4)
    result = tm_dask.fix_series(series, count_changes=True).compute()
    assert result["text"].tolist() == [textmend.fix(t) for t in ALL]
    assert result["changes"].tolist() == [len(textmend.explain(t)) for t in ALL]


def test_bag_of_strings_matches_local_fix(dask_client: Client) -> None:
    bag = db.from_sequence([*ALL, None], npartitions=4)
    assert tm_dask.fix_bag(bag).compute() == [*(textmend.fix(t) for t in ALL), None]


def test_bag_of_records_fixes_the_chosen_fields(dask_client: Client) -> None:
    bag = db.from_sequence(_records(), npartitions=4)
    fixed = tm_dask.fix_bag(bag, fields=["body", "meta.title", "note"]).compute()
    assert fixed == [
        {
            "id": i,
            "body": textmend.fix(text),
            "meta": {"title": textmend.fix(ALL[-1 - i]), "lang": "xx"},
            "note": None,
        }
        for i, text in enumerate(ALL)
    ]


def test_records_are_copied_not_changed() -> None:
    records = _records()
    fixed = tm_dask.fix_bag(db.from_sequence(records), fields=["meta.title"])
    fixed.compute(scheduler="sync")
    assert records == _records()


def test_the_profile_travels_and_is_compiled_once_per_worker(dask_client: Client) -> None:
    bag = db.from_sequence(ALL * 4, npartitions=16)
    fixed = tm_dask.fix_bag(bag, NO_ENTITIES).compute()
    assert fixed == [textmend.fix(t, NO_ENTITIES) for t in ALL * 4]
    assert fixed != tm_dask.fix_bag(bag).compute()

    def compiled() -> tuple[int, int]:
        from textmend.pipeline import compile_profile

        info = compile_profile.cache_info()
        return info.misses, info.hits

    # This session compiles only "news" and NO_ENTITIES; 16 partitions give hits.
    per_worker = dask_client.run(compiled)
    assert len(per_worker) == 2
    for misses, hits in per_worker.values():
        assert misses <= 2
        assert hits > 0


def test_a_missing_field_is_named(dask_client: Client) -> None:
    bag = db.from_sequence(_records(), npartitions=2)
    with pytest.raises(KeyError, match=r"field 'meta' has no field 'titel'"):
        tm_dask.fix_bag(bag, fields=["meta.titel"]).compute()


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: tm_dask.fix_frame(dd.from_pandas(pd.DataFrame({"a": ["x"]}), 1), ["b"]),
            KeyError,
            "no column",
        ),
        (
            lambda: tm_dask.fix_frame(dd.from_pandas(pd.DataFrame({"n": [1]}), 1), ["n"]),
            TypeError,
            "column 'n' has dtype int64",
        ),
        (lambda: tm_dask.fix_frame(pd.DataFrame({"a": ["x"]})), TypeError, "not DataFrame"),
        (lambda: tm_dask.fix_series(pd.Series(["x"])), TypeError, "takes a Dask Series"),
        (lambda: tm_dask.fix_bag(ALL), TypeError, "takes a Dask Bag, not list"),
        (lambda: tm_dask.fix_bag(db.from_sequence(ALL), fields="body"), TypeError, "did you mean"),
        (lambda: tm_dask.fix_bag(db.from_sequence(ALL), "newz"), ValueError, "unknown profile"),
    ],
)
def test_wrong_input_is_refused_before_anything_runs(
    call: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        call()  # type: ignore[operator]


@pytest.mark.parametrize(
    ("items", "fields", "message"),
    [
        (_records(), None, "a bag item is a dict; name the text fields"),
        (_records(), ["meta"], "field 'meta' is a dict"),
        (_records(), ["id.x"], "field 'id' is not a dict but int"),
        ([b"caf\xc3\xa9"], None, "a bag item holds bytes"),
    ],
)
def test_wrong_items_are_refused_clearly(
    items: list[object], fields: list[str] | None, message: str
) -> None:
    bag = tm_dask.fix_bag(db.from_sequence(items), fields=fields)
    with pytest.raises(TypeError, match=message):
        bag.compute(scheduler="sync")


def test_docstring_examples() -> None:
    result = doctest.testmod(tm_dask)
    assert result.attempted > 0
    assert result.failed == 0
