"""The Hugging Face datasets integration against local textmend.fix, on real in-memory datasets."""

from __future__ import annotations

import doctest
import json

import pytest
from datasets import ClassLabel, Dataset, Features, IterableDataset, Value
from support import DATA

import textmend
from textmend.integrations import datasets as tm_ds

TEXTS = json.loads((DATA / "integrations_texts.json").read_text(encoding="utf-8"))
ALL = TEXTS["damaged"] + TEXTS["clean"]
NO_ENTITIES = textmend.PROFILES["news"].disable("html_entities")
FEATURES = Features(
    {
        "id": Value("int32"),
        "body": Value("string"),
        "title": Value("large_string"),
        "label": ClassLabel(names=["a", "b"]),
    }
)


def _dataset() -> Dataset:
    n = len(ALL) + 1
    return Dataset.from_dict(
        {
            "id": list(range(n)),
            "body": [*ALL, None],
            "title": [None, *reversed(ALL)],
            "label": [i % 2 for i in range(n)],
        },
        features=FEATURES,
    )


def _fixed(texts: list[str | None], profile: textmend.Profile | str = "news") -> list[str | None]:
    return [None if t is None else textmend.fix(t, profile) for t in texts]


@pytest.mark.parametrize("num_proc", [None, 2])
def test_dataset_matches_fix_and_keeps_features(num_proc: int | None) -> None:
    ds = _dataset()
    fixed = tm_ds.fix_dataset(ds, num_proc=num_proc, batch_size=7)
    assert fixed.features == FEATURES
    assert fixed["body"][:] == _fixed(ds["body"][:])
    assert fixed["title"][:] == _fixed(ds["title"][:])
    assert fixed["id"][:] == ds["id"][:]
    assert fixed["label"][:] == ds["label"][:]


def test_iterable_dataset_matches_the_dataset() -> None:
    ds = _dataset()
    streamed = tm_ds.fix_dataset(ds.to_iterable_dataset(num_shards=2), batch_size=5)
    assert isinstance(streamed, IterableDataset)
    assert streamed.features == FEATURES
    assert list(streamed) == list(tm_ds.fix_dataset(ds))


def test_chosen_columns_and_a_profile_object() -> None:
    ds = _dataset()
    fixed = tm_ds.fix_dataset(ds, ["body"], NO_ENTITIES)
    assert fixed["body"][:] == _fixed(ds["body"][:], NO_ENTITIES)
    assert fixed["body"][:] != _fixed(ds["body"][:])
    assert fixed["title"][:] == ds["title"][:]


def test_the_cache_tells_profiles_apart_and_finds_the_same_call() -> None:
    # datasets reuses a cached result of a map whose fingerprint it has seen:
    # the same call must give the same one, another profile another.
    ds = _dataset()
    first = tm_ds.fix_dataset(ds)._fingerprint
    assert tm_ds.fix_dataset(ds)._fingerprint == first
    assert tm_ds.fix_dataset(ds, profile=NO_ENTITIES)._fingerprint != first
    assert tm_ds.fix_dataset(ds, count_changes=True)._fingerprint != first


@pytest.mark.parametrize("streaming", [False, True])
def test_count_changes_adds_the_changes_over_the_repaired_columns(streaming: bool) -> None:
    ds = _dataset()
    source = ds.to_iterable_dataset() if streaming else ds
    fixed = list(tm_ds.fix_dataset(source, count_changes=True, batch_size=4))
    assert [row["body"] for row in fixed] == _fixed(ds["body"][:])
    assert [row["title"] for row in fixed] == _fixed(ds["title"][:])
    expected = [
        sum(len(textmend.explain(t)) for t in (row["body"], row["title"]) if t is not None)
        for row in ds
    ]
    assert [row["changes"] for row in fixed] == expected
    assert all(count > 0 for count in expected[: len(TEXTS["damaged"])])


def test_count_changes_feature_is_int64() -> None:
    fixed = tm_ds.fix_dataset(_dataset(), count_changes=True)
    assert fixed.features == Features({**FEATURES, "changes": Value("int64")})


def test_a_stream_without_features_needs_its_columns_named() -> None:
    def rows():  # type: ignore[no-untyped-def]
        for i, text in enumerate(ALL):
            yield {"id": i, "body": text}

    stream = IterableDataset.from_generator(rows)
    assert stream.features is None
    with pytest.raises(ValueError, match=r"name the text columns, fix_dataset\(ds, \['text'\]\)"):
        tm_ds.fix_dataset(stream)
    fixed = tm_ds.fix_dataset(stream, ["body"])
    assert [row["body"] for row in fixed] == _fixed(ALL)
    numbers = tm_ds.fix_dataset(stream, ["id"])
    with pytest.raises(TypeError, match="column 'id' holds int, not str"):
        list(numbers)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: tm_ds.fix_dataset(_dataset(), ["bodyy"]), KeyError, r"no column\(s\) 'bodyy'"),
        (lambda: tm_ds.fix_dataset(_dataset(), ["label"]), TypeError, "'label' holds ClassLabel"),
        (lambda: tm_ds.fix_dataset(_dataset(), "body"), TypeError, r"did you mean \['body'\]"),
        (lambda: tm_ds.fix_dataset(ALL), TypeError, "not list"),
        (lambda: tm_ds.fix_dataset(_dataset(), profile="newz"), ValueError, "unknown profile"),
        (
            lambda: tm_ds.fix_dataset(_dataset().to_iterable_dataset(), num_proc=2),
            ValueError,
            "num_proc applies to a Dataset",
        ),
        (
            lambda: tm_ds.fix_dataset(
                _dataset().rename_column("id", "changes"), count_changes=True
            ),
            ValueError,
            "already has a column 'changes'",
        ),
    ],
)
def test_wrong_input_is_refused_before_anything_runs(
    call: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        call()  # type: ignore[operator]


def test_docstring_examples() -> None:
    result = doctest.testmod(tm_ds)
    assert result.attempted > 0
    assert result.failed == 0
