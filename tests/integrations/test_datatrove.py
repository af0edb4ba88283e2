"""The datatrove formatter against local textmend.fix, with real datatrove Documents."""

from __future__ import annotations

import doctest
import json
from collections import Counter
from pathlib import Path

import pytest
from datatrove.data import Document
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.formatters.base import BaseFormatter
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter
from support import DATA

import textmend
from textmend.integrations import datatrove as tm_dt

TEXTS = json.loads((DATA / "integrations_texts.json").read_text(encoding="utf-8"))
ALL = TEXTS["damaged"] + TEXTS["clean"]
NO_ENTITIES = textmend.PROFILES["news"].disable("html_entities")


def _documents() -> list[Document]:
    return [Document(text=text, id=str(i), metadata={"n": i}) for i, text in enumerate(ALL)]


def test_documents_match_fix_and_keep_their_id_and_metadata() -> None:
    formatter = tm_dt.TextmendFormatter()
    assert isinstance(formatter, BaseFormatter)
    out = list(formatter.run(iter(_documents())))
    assert [doc.text for doc in out] == [textmend.fix(t) for t in ALL]
    assert [(doc.id, doc.metadata) for doc in out] == [(str(i), {"n": i}) for i in range(len(ALL))]


def test_stats_count_changed_documents_and_changes_per_step() -> None:
    formatter = tm_dt.TextmendFormatter()
    list(formatter.run(iter(_documents())))
    steps = Counter(change.step for text in ALL for change in textmend.explain(text))
    stats = {name: formatter.stats[name].total for name in formatter.stats.stats}
    assert stats == {
        "total": len(ALL),
        "changed": len(TEXTS["damaged"]),
        **{f"changes_{step}": count for step, count in steps.items()},
    }
    assert len(steps) > 3


def test_a_profile_object_is_used() -> None:
    out = list(tm_dt.TextmendFormatter(NO_ENTITIES).run(iter(_documents())))
    assert [doc.text for doc in out] == [textmend.fix(t, NO_ENTITIES) for t in ALL]
    assert [doc.text for doc in out] != [textmend.fix(t) for t in ALL]


def test_a_local_pipeline_reads_repairs_and_writes(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for part in range(2):
        lines = [
            json.dumps({"id": f"{part}-{i}", "text": text})
            for i, text in enumerate(ALL)
            if i % 2 == part
        ]
        (source / f"part-{part}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    executor = LocalPipelineExecutor(
        [
            JsonlReader(str(source)),
            tm_dt.TextmendFormatter("news"),
            JsonlWriter(str(tmp_path / "out"), output_filename="${rank}.jsonl", compression=None),
        ],
        tasks=2,
        workers=1,
        logging_dir=str(tmp_path / "logs"),
    )
    stats = executor.run()
    written = [
        json.loads(line)
        for path in sorted((tmp_path / "out").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    by_id = {row["id"]: row["text"] for row in written}
    # datatrove's readers drop documents whose text is empty.
    assert by_id == {f"{i % 2}-{i}": textmend.fix(text) for i, text in enumerate(ALL) if text}
    formatter_stats = next(s for s in stats.stats if "textmend" in s.name)
    assert formatter_stats["changed"].total == len(TEXTS["damaged"])


def test_unknown_profile_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown profile 'newz'"):
        tm_dt.TextmendFormatter("newz")


def test_docstring_examples() -> None:
    result = doctest.testmod(tm_dt)
    assert result.attempted > 0
    assert result.failed == 0
