"""Throughput of the engine integrations beside a per-row map of ``textmend.fix``.

Run ``python benchmarks/integrations.py`` (options: ``--help``). The rows are
the lines of the speed benchmark's "archive" text (about 97% clean, 3%
damaged, some boilerplate repeated). In the same run it times, wall clock,
best of ``--repeat`` runs:

- plain map: ``[textmend.fix(t) for t in rows]`` in this process, the baseline;
- for each engine, the adapter and that engine's own per-row map of ``fix``
  (a Python ``udf`` in Spark, ``Dataset.map`` of one row, ``map_elements``
  in polars, a datatrove formatter that calls ``fix`` and counts nothing).

Every output is checked against the baseline's. In-process caches are
cleared before each run; Spark's Python workers keep theirs between runs.
Results are printed as a table and written to ``--out`` as Markdown and JSON.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from speed import _cold, make_texts

import textmend

HERE = Path(__file__).resolve().parent
ENGINES = ("spark", "datasets", "polars", "datatrove")

Run = Callable[[], list[str]]


def _rates(
    ways: dict[str, Run], rows: list[str], expected: list[str], repeat: int
) -> dict[str, float]:
    """Rows per second of each way, best wall time of ``repeat`` rounds.

    The ways take turns within each round, so that a change in the machine's
    load during the run weighs on all of them alike. Each output must be
    ``expected``.
    """
    best = dict.fromkeys(ways, float("inf"))
    for _ in range(repeat):
        for way, run in ways.items():
            _cold()
            start = time.perf_counter()
            out = run()
            best[way] = min(best[way], time.perf_counter() - start)
            if out != expected:
                raise AssertionError(f"{way}: the output differs from textmend.fix's")
    return {way: len(rows) / seconds for way, seconds in best.items()}


def _spark(rows: list[str]) -> dict[str, Run]:
    from pyspark.sql import SparkSession
    from pyspark.sql.functions import udf

    from textmend.integrations.spark import fix_column

    os.environ["PYSPARK_PYTHON"] = sys.executable
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    frame = spark.createDataFrame([(i, t) for i, t in enumerate(rows)], "id long, text string")
    frame = frame.repartition(2).cache()
    frame.count()
    per_row = udf(textmend.fix, "string")

    def collect(column: Any) -> list[str]:
        return [r["text"] for r in frame.select("id", column.alias("text")).orderBy("id").collect()]

    return {
        "adapter": lambda: collect(fix_column("text")),
        "per-row map": lambda: collect(per_row("text")),
    }


def _datasets(rows: list[str]) -> dict[str, Run]:
    import datasets

    from textmend.integrations.datasets import fix_dataset

    datasets.disable_progress_bars()
    ds = datasets.Dataset.from_dict({"text": rows})

    def per_row() -> list[str]:
        return list(ds.map(lambda row: {"text": textmend.fix(row["text"])})["text"])

    return {
        "adapter": lambda: list(fix_dataset(ds)["text"]),
        "adapter, num_proc=2": lambda: list(fix_dataset(ds, num_proc=2)["text"]),
        "per-row map": per_row,
    }


def _polars(rows: list[str]) -> dict[str, Run]:
    import polars as pl

    import textmend.integrations.polars  # registers .textmend

    frame = pl.DataFrame({"text": rows})
    per_row = pl.col("text").map_elements(textmend.fix, return_dtype=pl.String)
    return {
        "adapter": lambda: frame.select(pl.col("text").textmend.fix())["text"].to_list(),
        "per-row map": lambda: frame.select(per_row)["text"].to_list(),
    }


def _datatrove(rows: list[str]) -> dict[str, Run]:
    from datatrove.data import Document
    from datatrove.pipeline.formatters.base import BaseFormatter

    from textmend.integrations.datatrove import TextmendFormatter

    class FixOnly(BaseFormatter):  # type: ignore[misc]
        name = "fix only"

        def format(self, text: str) -> str:
            return textmend.fix(text)

    def run(formatter: BaseFormatter) -> list[str]:
        docs = (Document(text=t, id=str(i)) for i, t in enumerate(rows))
        return [doc.text for doc in formatter.run(docs)]

    return {"adapter": lambda: run(TextmendFormatter()), "per-row map": lambda: run(FixOnly())}


SETUPS: dict[str, Callable[[list[str]], dict[str, Run]]] = {
    "spark": _spark,
    "datasets": _datasets,
    "polars": _polars,
    "datatrove": _datatrove,
}


def _markdown(result: dict[str, Any]) -> str:
    lines = [
        f"# textmend integrations, {result['date']}",
        "",
        f"{result['rows']} rows ({result['bytes'] / 1e6:.1f} MB), Python {result['python']}, "
        f"{result['cpu_count']} CPUs, load average {result['load_average'][0]:.1f} at the end; "
        f"wall time, best of {result['repeat']} rounds. Each engine's ways take turns with a "
        "plain map of fix in this process, whose rate they are compared with.",
        "",
        "| engine | way | rows/s | × plain map |",
        "|---|---|---:|---:|",
    ]
    for engine, ways in result["engines"].items():
        for way, rate in ways.items():
            lines.append(f"| {engine} | {way} | {rate:,.0f} | {rate / ways['plain map']:.2f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "results", help="results directory")
    parser.add_argument("--rows", type=int, default=50_000, help="number of rows")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best)")
    parser.add_argument(
        "--engines", default=",".join(ENGINES), help=f"comma-separated, from {', '.join(ENGINES)}"
    )
    args = parser.parse_args(argv)
    engines = args.engines.split(",")
    unknown = sorted(set(engines) - set(ENGINES))
    if unknown:
        parser.error(f"unknown engine(s) {', '.join(unknown)}; choose from {', '.join(ENGINES)}")

    rows: list[str] = []
    size = 400_000
    while len(rows) < args.rows:
        rows = make_texts(size)["archive"].splitlines()
        size *= 2
    rows = rows[: args.rows]
    expected = [textmend.fix(t) for t in rows]
    result: dict[str, Any] = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "repeat": args.repeat,
        "rows": len(rows),
        "bytes": sum(len(t.encode("utf-8")) for t in rows),
        "engines": {},
    }
    for engine in engines:
        ways = {"plain map": lambda: [textmend.fix(t) for t in rows], **SETUPS[engine](rows)}
        result["engines"][engine] = _rates(ways, rows, expected, args.repeat)
        print(engine, json.dumps(result["engines"][engine]), flush=True)
    result["load_average"] = os.getloadavg()
    table = _markdown(result)
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "integrations.json").write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    (args.out / "integrations.md").write_text(table, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
