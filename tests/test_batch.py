"""The batch runner with different executors: the output never depends on it."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from pathlib import Path

import pytest

from textmend import batch
from textmend.batch import InlineExecutor, Input, Progress, Settings, run
from textmend.io.sinks import FileSink
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
    monkeypatch.setattr(batch, "CHUNK_CHARS", 64)  # many chunks per file
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
