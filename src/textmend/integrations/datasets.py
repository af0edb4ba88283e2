"""Repair the text columns of a Hugging Face ``Dataset`` or ``IterableDataset``.

``fix_dataset`` maps the dataset in batches; its features (column types) are
kept, nulls stay null, and columns that are not text are left as they are. A
streaming ``IterableDataset`` is repaired lazily, as it is read.

>>> from datasets import Dataset
>>> ds = Dataset.from_dict({"id": [1, 2, 3], "text": ["caf&eacute;", None, "naÃ¯ve"]})
>>> list(fix_dataset(ds)["text"])
['café', None, 'naïve']
>>> fix_dataset(ds.to_iterable_dataset(), count_changes=True).take(1).to_list()
[{'id': 1, 'text': 'café', 'changes': 1}]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from textmend.integrations._engines import missing_engine

try:
    from datasets import Dataset, Features, IterableDataset, Value
except ImportError as error:
    raise missing_engine(error, "datasets") from error

from textmend.integrations._columns import column_list, text_columns
from textmend.integrations._values import fix_explained
from textmend.pipeline import compile_profile
from textmend.profiles import DEFAULT_PROFILE, Profile, get_profile

__all__ = ["CHANGES_COLUMN", "fix_dataset"]

CHANGES_COLUMN = "changes"
"""The column ``count_changes=True`` adds: how many changes ``textmend.explain``
lists for the row, over all the repaired columns."""

_TEXT_TYPES = ("string", "large_string")
_AnyDataset = TypeVar("_AnyDataset", Dataset, IterableDataset)


def fix_dataset(
    ds: _AnyDataset,
    columns: Iterable[str] | None = None,
    profile: Profile | str = DEFAULT_PROFILE,
    num_proc: int | None = None,
    batch_size: int = 1000,
    *,
    count_changes: bool = False,
) -> _AnyDataset:
    """A dataset with ``columns`` (default: every string column) repaired.

    ``num_proc`` processes map a ``Dataset`` (an ``IterableDataset`` is read
    in one). With ``count_changes=True`` an int64 column ``changes`` is added.

    >>> from datasets import Dataset
    >>> ds = Dataset.from_dict({"a": ["SchÃ¶n"], "b": ["fine"], "n": [7]})
    >>> fixed = fix_dataset(ds, ["a"], count_changes=True)
    >>> fixed[0], fixed.features["changes"]
    ({'a': 'Schön', 'b': 'fine', 'n': 7, 'changes': 1}, Value('int64'))
    """
    if not isinstance(ds, (Dataset, IterableDataset)):
        raise TypeError(
            f"fix_dataset() takes a Dataset or an IterableDataset, not {type(ds).__name__}"
        )
    if isinstance(ds, IterableDataset) and num_proc is not None:
        raise ValueError("num_proc applies to a Dataset; an IterableDataset is read in one process")
    features = ds.features
    if features is None:
        # A streaming dataset made from a generator may not know its features:
        # the columns to repair must then be named, and are checked as read.
        if columns is None:
            raise ValueError(
                "this IterableDataset does not know its features: "
                "name the text columns, fix_dataset(ds, ['text'])"
            )
        names = column_list(columns)
    else:
        names = text_columns(features, columns, _is_text)
    if count_changes and features is not None:
        if CHANGES_COLUMN in features:
            raise ValueError(f"the dataset already has a column {CHANGES_COLUMN!r}")
        features = Features({**features, CHANGES_COLUMN: Value("int64")})
    fix_batch = _FixBatch(tuple(names), get_profile(profile), count_changes)
    if isinstance(ds, IterableDataset):
        return ds.map(fix_batch, batched=True, batch_size=batch_size, features=features)
    return ds.map(
        fix_batch,
        batched=True,
        batch_size=batch_size,
        features=features,
        num_proc=num_proc,
        desc="textmend",
    )


def _is_text(feature: object) -> bool:
    return isinstance(feature, Value) and feature.dtype in _TEXT_TYPES


@dataclass(frozen=True)
class _FixBatch:
    """The batch function: a plain value, so it pickles to ``num_proc``
    workers and hashes the same for ``datasets``' cache."""

    columns: tuple[str, ...]
    profile: Profile
    count_changes: bool

    def __call__(self, batch: dict[str, list[object]]) -> dict[str, list[object]]:
        pipeline = compile_profile(self.profile)
        if not self.count_changes:
            return {
                name: [None if t is None else pipeline.fix(t) for t in _texts(batch, name)]
                for name in self.columns
            }
        out: dict[str, list[object]] = {}
        counts = [0] * len(next(iter(batch.values()), []))
        for name in self.columns:
            fixed: list[object] = []
            for row, text in enumerate(_texts(batch, name)):
                if text is None:
                    fixed.append(None)
                    continue
                repaired, changes = fix_explained(text, pipeline)
                fixed.append(repaired)
                counts[row] += len(changes)
            out[name] = fixed
        out[CHANGES_COLUMN] = list(counts)
        return out


def _texts(batch: dict[str, list[object]], name: str) -> Sequence[str | None]:
    """The column's values, checked where the features did not say they are strings."""
    values = batch[name]
    for value in values:
        if value is not None and not isinstance(value, str):
            raise TypeError(f"column {name!r} holds {type(value).__name__}, not str")
    return values  # type: ignore[return-value]
