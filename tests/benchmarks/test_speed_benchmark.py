"""The speed benchmark runs end to end, on tiny texts: what it reports is
consistent, and the outputs it checks are right. (It asserts no speed: a
test never holds a clock.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT


def test_speed_benchmark_reports_every_text_and_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "results"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "benchmarks/speed.py", "--size-mb", "0.05", "--repeat", "1"]
    command += ["--lang-mb", "0.01", "--cli-mb", "2", "--out", str(out)]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    report = json.loads((out / "speed.json").read_text(encoding="utf-8"))
    table = (out / "speed.md").read_text(encoding="utf-8")

    texts = report["texts"]
    assert list(texts) == ["english", "ascii", "multilingual", "mojibake", "archive"]
    # Clean text unchanged by both, mojibake repaired as ftfy repairs it.
    assert [row["ok"] for row in texts.values()] == [True, True, True, True, None]
    for name, row in texts.items():
        assert row["ratio"] == pytest.approx(row["textmend_mbps"] / row["ftfy_mbps"])
        assert f"| {name} | " in table and f"{row['ratio']:.1f}×" in table

    # Every language of the clean corpus, left unchanged, with the share of
    # its lines that reached the steps and the reference scan beside it.
    languages = report["languages"]
    clean = json.loads((ROOT / "corpus" / "clean" / "MANIFEST.json").read_text(encoding="utf-8"))
    assert sorted(languages) == sorted({f["language"] for f in clean["files"].values()})
    for name, row in languages.items():
        assert row["unchanged"] is True
        assert 0 <= row["lines_to_steps"] <= 1 and row["scan_mbps"] > 0
        assert f"| {name} | " in table and f"{row['lines_to_steps']:.1%}" in table
    # plsfix is timed on every input where it is installed, and said to be absent where not.
    installed = report["plsfix"] is not None
    rows = [*texts.values(), *languages.values()]
    assert all((row["plsfix_mbps"] is not None) == installed for row in rows)
    assert installed or "not installed" in table

    cli = report["cli"]
    assert cli["bytes"] >= 2_000_000
    assert cli["speedup"] == pytest.approx(cli["jobs2_mbps"] / cli["jobs1_mbps"])
    assert cli["startup_s"] > 0 and cli["machine_speedup"] > 0
    assert cli["rss_small"]["bytes"] < cli["rss_big"]["bytes"]
    assert f"×{cli['speedup']:.2f}" in table and f"{cli['startup_s']:.2f} s" in table
    # Steady state is the run without its start-up; the floor is JSON in and out alone.
    assert cli["steady_jobs1_mbps"] > cli["jobs1_mbps"] and cli["json_floor_mbps"] > 0
    assert cli["jobs1_of_floor"] == pytest.approx(cli["jobs1_mbps"] / cli["json_floor_mbps"])
    assert f"{cli['jobs1_of_floor']:.0%} of it" in table
