"""The batch runner with different executors: the output never depends on it."""

from __future__ import annotations

import gzip
import itertools
import json
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from support import ROOT

import textmend
from textmend.batch import runner
from textmend.batch.chunks import FormatOptions, process_chunk
from textmend.batch.executors import InlineExecutor
from textmend.batch.runner import Input, Progress, Settings, run
from textmend.batch.sinks import FileSink
from textmend.profiles import PROFILES


def _run_tree(tmp_path: Path, name: str, make_executor: Callable[[], Executor]) -> list[Input]:
    sources = sorted((tmp_path / "in").iterdir())
    inputs = [
        Input(
            name=str(path),
            path=path,
            format="jsonl" if path.suffix == ".jsonl" else "text",
            make_sink=lambda item, path=path: FileSink(tmp_path / name / path.name, None),
        )
        for path in sources
    ]
    settings = Settings(PROFILES["news"], steps=True)
    run(inputs, settings, make_executor, window=3, progress=Progress(None, enabled=False))
    return inputs


def test_any_executor_gives_the_same_files_and_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "CHUNK_CHARS", 64)  # many chunks per file
    (tmp_path / "in").mkdir()
    for n in range(4):
        lines = [f"line {i} of {n}: Ã©tÃ© caf&eacute;\n" if i % 3 else "clean\n" for i in range(50)]
        (tmp_path / "in" / f"{n}.txt").write_text("".join(lines), encoding="utf-8")
    records = "".join(f'{{"i": {i}, "t": "naÃ¯ve {i}"}}\n' for i in range(40))
    (tmp_path / "in" / "r.jsonl").write_text(records, encoding="utf-8")

    inline = _run_tree(tmp_path, "inline", InlineExecutor)
    threads = _run_tree(tmp_path, "threads", lambda: ThreadPoolExecutor(3))
    for a, b in zip(inline, threads, strict=True):
        assert (a.records, a.changed, a.steps, a.error) == (b.records, b.changed, b.steps, None)
        out_a = (tmp_path / "inline" / Path(a.name).name).read_bytes()
        out_b = (tmp_path / "threads" / Path(b.name).name).read_bytes()
        assert out_a == out_b
    assert inline[0].records == 50
    assert inline[0].changed == 33
    assert (tmp_path / "inline" / "r.jsonl").read_text(encoding="utf-8").count("naïve") == 40


def _tasks(path: Path, spans: bool, encoding: str | None = None) -> list[Any]:
    item = Input(str(path), path, "jsonl", make_sink=lambda item: FileSink(path, None))
    settings = Settings(PROFILES["news"], encoding=encoding, spans=spans)
    return list(runner._tasks(item, settings))


def test_workers_read_spans_cut_where_the_main_process_cuts_a_stream(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "CHUNK_BYTES", 1 << 16)
    lines = [f'{{"n": {i}, "text": "{"é" * (i % 40)}"}}\n' for i in range(60_000)]
    data = "".join(lines).encode()
    path = tmp_path / "r.jsonl"
    path.write_bytes(data)
    assert len(data) > 2 * 2**20  # more than is read to learn the encoding

    spans = _tasks(path, spans=True)
    assert all(isinstance(task, runner._Span) for task in spans)
    cuts = [task.span for task in spans]
    assert cuts[0][0] == 0 and cuts[-1][1] == len(data)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(cuts))
    assert all(data[end - 1 : end] == b"\n" for _, end in cuts)
    assert [task.final for task in spans] == [False] * (len(spans) - 1) + [True]

    # Read by the main process (asked to, or compressed): the same chunks.
    chunks = [data[a:b].decode() for a, b in cuts]
    (tmp_path / "r.jsonl.gz").write_bytes(gzip.compress(data))
    for tasks in (_tasks(path, spans=False), _tasks(tmp_path / "r.jsonl.gz", spans=True)):
        assert all(isinstance(task, runner._Task) for task in tasks)
        assert [task.chunk for task in tasks] == chunks


@pytest.mark.parametrize(
    ("ending", "encoding"), [(b"caf\xc3", None), (b"\n", "utf-8"), (b"\n", "cp1252")]
)
def test_the_main_process_reads_what_workers_cannot_read_apart(
    tmp_path: Path, ending: bytes, encoding: str | None
) -> None:
    """A last line cut inside a UTF-8 sequence reads as the lines before it
    say; an explicit encoding names the line of its first error."""
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'{"a": "b"}\n' * 300_000 + ending)
    assert all(isinstance(task, runner._Task) for task in _tasks(path, True, encoding))


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_counting_the_steps_writes_what_fixing_alone_writes(profile: str) -> None:
    """With steps counted, a text chunk's edits come from its explanation."""
    cases = [json.loads(line) for line in (ROOT / "corpus" / "cases.jsonl").open(encoding="utf-8")]
    texts = [c["input"] for c in cases if c["form"] == "text"]
    texts += ["a\rb\nclean\ncaf&eacute;", "  \n\x00\n"]  # a line split in two; no last line end
    for text in texts:
        plain = process_chunk(PROFILES[profile], FormatOptions("text"), 1, text)
        counted = process_chunk(PROFILES[profile], FormatOptions("text", steps=True), 1, text)
        assert counted.applied_to(text) == plain.applied_to(text) == textmend.fix(text, profile)
        assert counted.changed == plain.changed
