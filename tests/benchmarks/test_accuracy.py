"""The accuracy benchmark: edit distance, and a real run on a few cases."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import ROOT

sys.path.insert(0, str(ROOT))
accuracy = importlib.import_module("benchmarks.accuracy")

CASES_FILE = ROOT / "corpus" / "cases.jsonl"


def _plain_levenshtein(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


@given(st.text(alphabet="ab€é🙂\n", max_size=80), st.text(alphabet="ab€é🙂\n", max_size=80))
def test_levenshtein_matches_the_textbook_algorithm(a: str, b: str) -> None:
    assert accuracy.levenshtein(a, b) == _plain_levenshtein(a, b)


def test_levenshtein_on_long_strings() -> None:
    a = "“Quoted” text — with mojibake… " * 40
    b = a.replace("”", "â€").replace("—", "â€”")  # 2 + 3 edits per repeat
    assert accuracy.levenshtein(a, b) == _plain_levenshtein(a, b) == 40 * 5


def _sample(tmp_path: Path) -> tuple[Path, list[dict[str, Any]]]:
    """The first two cases of every kind."""
    seen: dict[str, int] = {}
    lines = []
    for line in CASES_FILE.read_text(encoding="utf-8").split("\n"):
        if line:
            kind = json.loads(line)["kind"]
            seen[kind] = seen.get(kind, 0) + 1
            if seen[kind] <= 2:
                lines.append(line)
    path = tmp_path / "few.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, [json.loads(line) for line in lines]


def test_benchmark_run_writes_consistent_json_and_markdown(tmp_path: Path) -> None:
    cases_path, cases = _sample(tmp_path)
    out = tmp_path / "results"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    command = [
        sys.executable,
        "benchmarks/accuracy.py",
        "--cases",
        str(cases_path),
        "--out",
        str(out),
    ]
    run = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    report = json.loads((out / "accuracy.json").read_text(encoding="utf-8"))
    table = (out / "accuracy.md").read_text(encoding="utf-8")
    assert run.stdout == table

    assert set(report["versions"]) == {"textmend", "ftfy", "charset-normalizer", "python"}
    assert report["versions"]["ftfy"] in table and report["date"] in table
    kinds = sorted({c["kind"] for c in cases})
    assert [row["kind"] for row in report["rows"]] == kinds
    for row in [*report["rows"], report["total"]]:
        assert f"| {row['kind']} | {row['cases']} |" in table
        mine = [
            c
            for c in cases
            if row["kind"] in (c["kind"], "all damaged") and not accuracy.is_clean(c["kind"])
        ]
        if accuracy.is_clean(row["kind"]):
            mine = [c for c in cases if c["kind"] == row["kind"]]
        assert row["cases"] == len(mine)
        assert row["recoverable"] == sum(c["recoverable"] for c in mine)
        for tool in accuracy.TOOLS:
            score = row[tool]
            assert 0 <= score["exact_recoverable"] <= min(score["exact"], row["recoverable"])
            assert score["exact"] <= row["cases"] and score["errors"] <= row["cases"]
            assert score["length"] == sum(len(c["truth"]) for c in mine)
            assert score["cer"] == round(score["distance"] / score["length"], 4)
            assert (score["distance"] == 0) == (score["exact"] == row["cases"])
    for clean in (row for row in report["rows"] if accuracy.is_clean(row["kind"])):
        for tool in accuracy.TOOLS:
            assert clean[tool]["changed"] == clean["cases"] - clean[tool]["exact"]


def test_a_bad_case_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"form": "text", "input": "a", "truth": "a", "kind": "clean"}\n{oops\n')
    with pytest.raises(ValueError, match=r"bad\.jsonl:1: bad case: .*recoverable"):
        accuracy.load_cases(path)
    path.write_text(
        '{"form": "text", "input": "a", "truth": "a", "kind": "k", "recoverable": true}\n{oops\n'
    )
    with pytest.raises(ValueError, match=r"bad\.jsonl:2: bad case"):
        accuracy.load_cases(path)


def test_the_held_out_split_is_built_from_the_held_out_texts_only(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    out = tmp_path / "results"
    command = [sys.executable, "benchmarks/accuracy.py", "--split", "held-out", "--out", str(out)]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    report = json.loads((out / "accuracy.json").read_text(encoding="utf-8"))
    assert report["split"] == "held-out"
    held_out = accuracy.damage.build_cases(accuracy.damage.HELD_OUT_SEED, True)
    assert held_out and all(accuracy.damage.is_held_out(c["source"]) for c in held_out)
    assert sum(row["cases"] for row in report["rows"]) == len(held_out)
    # Another seed: the damage falls elsewhere than in the committed cases.
    committed = {c["id"]: c for c in accuracy.load_cases(CASES_FILE)}
    assert any(
        c.get("input") != committed[c["id"]].get("input") for c in held_out if c["id"] in committed
    )
