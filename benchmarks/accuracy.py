"""Accuracy on the damaged corpus: textmend against ftfy (and charset-normalizer for bytes).

Run from the repository root with textmend importable::

    PYTHONPATH=src python benchmarks/accuracy.py [--cases corpus/cases.jsonl] [--out DIR]

For every case of ``corpus/cases.jsonl`` (see ``benchmarks/damage.py``) each
tool repairs the damaged input:

- textmend: ``textmend.fix(text)``; bytes go through ``textmend.fix_bytes``;
- baseline: ``ftfy.fix_text(text, uncurl_quotes=False)`` (quotes kept, as
  textmend keeps them); bytes are first decoded by
  ``str(charset_normalizer.from_bytes(data).best())`` (lenient UTF-8,
  ``errors="replace"``, when it finds no encoding).

A tool that raises on a case scores an empty output for it. The table per
damage kind gives: cases, recoverable cases, exact repairs (all and
recoverable only), character error rate (edit distance / truth length, summed
over the kind's cases) and, for the ``clean`` kind, how many texts a tool
changed (false positives). It is printed and written as ``accuracy.md`` and
``accuracy.json`` to ``--out`` (default ``benchmarks/results/``).
"""

from __future__ import annotations

import argparse
import base64
import json
import platform
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import charset_normalizer
import ftfy

import textmend

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import damage

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ("textmend", "ftfy")
Repair = Callable[[Any], str]


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions), bit-parallel (Myers/Hyyrö).

    >>> levenshtein("kitten", "sitting")
    3
    """
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    peq: dict[str, int] = {}
    for i, char in enumerate(b):
        peq[char] = peq.get(char, 0) | (1 << i)
    full = (1 << len(b)) - 1
    last = 1 << (len(b) - 1)
    pv, mv, score = full, 0, len(b)
    for char in a:
        eq = peq.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | ~(xh | pv)
        mh = pv & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        ph = (ph << 1) | 1
        mh <<= 1
        pv = (mh | ~(xv | ph)) & full
        mv = ph & xv & full
    return score


def _baseline_bytes(data: bytes) -> str:
    best = charset_normalizer.from_bytes(data).best()
    # when it finds no encoding (mixed files), a pipeline falls back to lenient UTF-8
    text = str(best) if best is not None else data.decode("utf-8", "replace")
    return _ftfy(text)


def _ftfy(text: str) -> str:
    return str(ftfy.fix_text(text, uncurl_quotes=False))


REPAIRS: dict[str, dict[str, Repair]] = {
    "textmend": {"text": textmend.fix, "bytes": textmend.fix_bytes},
    "ftfy": {"text": _ftfy, "bytes": _baseline_bytes},
}


def load_cases(path: Path) -> list[dict[str, Any]]:
    """Read the JSONL cases; a bad line is an error naming the file and line."""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if not line:
            continue
        try:
            case = json.loads(line)
            if case["form"] == "bytes":
                case["input"] = base64.b64decode(case["input_base64"], validate=True)
            missing = {"input", "truth", "kind", "recoverable"} - case.keys()
            if missing:
                raise KeyError(", ".join(sorted(missing)))
        except (ValueError, KeyError) as err:
            raise ValueError(f"{path}:{number}: bad case: {err!r}") from err
        cases.append(case)
    return cases


def _loaded(case: dict[str, Any]) -> dict[str, Any]:
    """A case as built, as load_cases reads it from the file."""
    if case["form"] == "bytes":
        case["input"] = base64.b64decode(case["input_base64"])
    return case


def _run(case: dict[str, Any], tool: str) -> tuple[str, bool]:
    """The tool's output for the case, and whether it raised."""
    try:
        return REPAIRS[tool][case["form"]](case["input"]), False
    except Exception:  # a crash on one case is a failed repair, not a failed benchmark
        return "", True


def _new_row(kind: str) -> dict[str, Any]:
    row: dict[str, Any] = {"kind": kind, "cases": 0, "recoverable": 0}
    for tool in TOOLS:
        row[tool] = dict.fromkeys(("exact", "exact_recoverable", "errors", "distance", "length"), 0)
    return row


def _add(row: dict[str, Any], other: dict[str, Any]) -> None:
    row["cases"] += other["cases"]
    row["recoverable"] += other["recoverable"]
    for tool in TOOLS:
        for key in row[tool]:
            row[tool][key] += other[tool][key]


def is_clean(kind: str) -> bool:
    """Whether a kind's cases are undamaged (``clean``, ``headline/clean``...).

    >>> is_clean("clean"), is_clean("scripts/clean"), is_clean("scripts")
    (True, True, False)
    """
    return kind == "clean" or kind.endswith("/clean")


def evaluate(cases: list[dict[str, Any]]) -> dict[str, Any]:
    """Score every tool on every case; returns the report (rows per kind and a total)."""
    rows: dict[str, dict[str, Any]] = {}
    for case in cases:
        row = rows.setdefault(case["kind"], _new_row(case["kind"]))
        row["cases"] += 1
        row["recoverable"] += case["recoverable"]
        truth = case["truth"]
        for tool in TOOLS:
            out, crashed = _run(case, tool)
            score = row[tool]
            score["exact"] += out == truth
            score["exact_recoverable"] += out == truth and case["recoverable"]
            score["errors"] += crashed
            score["distance"] += levenshtein(out, truth) if out != truth else 0
            score["length"] += len(truth)
            if is_clean(case["kind"]):
                score["changed"] = score.get("changed", 0) + (out != case["input"])
    ordered = [rows[k] for k in sorted(rows)]
    total = _new_row("all damaged")
    for row in ordered:
        if not is_clean(row["kind"]):
            _add(total, row)
    for row in [*ordered, total]:
        for tool in TOOLS:
            row[tool]["cer"] = round(row[tool]["distance"] / max(row[tool]["length"], 1), 4)
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "versions": {
            "textmend": textmend.__version__,
            "ftfy": ftfy.__version__,
            "charset-normalizer": charset_normalizer.__version__,
            "python": platform.python_version(),
        },
        "rows": ordered,
        "total": total,
    }


def markdown(report: dict[str, Any]) -> str:
    """The report as a Markdown table."""
    v = report["versions"]
    lines = [
        f"Accuracy on the damaged corpus, {report['date']}: textmend {v['textmend']}, "
        f"ftfy {v['ftfy']} (`fix_text(uncurl_quotes=False)`; bytes via charset-normalizer "
        f"{v['charset-normalizer']}), Python {v['python']}.",
        "",
        "| damage kind | cases | recoverable | textmend exact | textmend exact (recoverable) "
        "| textmend CER | ftfy exact | ftfy exact (recoverable) | ftfy CER |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in [*report["rows"], report["total"]]:
        cells = [row["kind"], str(row["cases"]), str(row["recoverable"])]
        for tool in TOOLS:
            s = row[tool]
            share = s["exact_recoverable"] / max(row["recoverable"], 1)
            cells += [str(s["exact"]), f"{s['exact_recoverable']} ({share:.0%})", f"{s['cer']:.4f}"]
        lines.append("| " + " | ".join(cells) + " |")
    clean = [r for r in report["rows"] if is_clean(r["kind"])]
    if clean:
        changed = {t: sum(r[t]["changed"] for r in clean) for t in TOOLS}
        lines += [
            "",
            f"Clean texts changed (false positives): textmend {changed['textmend']}, "
            f"ftfy {changed['ftfy']} of {sum(r['cases'] for r in clean)}.",
        ]
    crashes = {t: report["total"][t]["errors"] for t in TOOLS}
    if any(crashes.values()):
        lines += [
            "",
            "Cases where a tool raised (scored as empty output): "
            + ", ".join(f"{t} {n}" for t, n in crashes.items())
            + ".",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=Path, default=ROOT / "corpus" / "cases.jsonl")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument(
        "--split",
        choices=("tuned", "held-out"),
        help="instead of --cases: the texts the repair was tuned on, with the corpus's "
        "seed, or the held-out texts, with another seed (see benchmarks/damage.py)",
    )
    args = parser.parse_args(argv)
    if args.split:
        held_out = args.split == "held-out"
        seed = damage.HELD_OUT_SEED if held_out else damage.SEED
        cases = [_loaded(c) for c in damage.build_cases(seed, held_out)]
    else:
        cases = load_cases(args.cases)
    report = evaluate(cases)
    report["split"] = args.split or str(args.cases)
    table = markdown(report)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "accuracy.md").write_text(table, encoding="utf-8")
    (args.out / "accuracy.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    sys.stdout.write(table)


if __name__ == "__main__":
    main()
