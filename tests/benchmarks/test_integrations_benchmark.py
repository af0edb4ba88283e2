"""The integrations benchmark runs end to end on a few rows, for the engines
that start fast: what it reports is consistent, and it checks the outputs
(it exits non-zero where an adapter's output differs from fix's). It asserts
no speed: a test never holds a clock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from support import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "benchmarks/integrations.py", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)


def test_the_benchmark_reports_each_way_beside_the_plain_map(tmp_path: Path) -> None:
    run = _run(
        "--rows", "40", "--repeat", "1", "--engines", "polars,datatrove", "--out", str(tmp_path)
    )
    assert run.returncode == 0, run.stderr
    report = json.loads((tmp_path / "integrations.json").read_text(encoding="utf-8"))
    table = (tmp_path / "integrations.md").read_text(encoding="utf-8")
    assert report["rows"] == 40
    assert list(report["engines"]) == ["polars", "datatrove"]
    for engine, ways in report["engines"].items():
        assert list(ways) == ["plain map", "adapter", "per-row map"]
        for way, rate in ways.items():
            assert rate > 0
            assert f"| {engine} | {way} | {rate:,.0f} | {rate / ways['plain map']:.2f} |" in table


def test_an_unknown_engine_is_refused() -> None:
    run = _run("--engines", "polars,pandaz")
    assert run.returncode == 2
    assert "unknown engine(s) pandaz" in run.stderr
