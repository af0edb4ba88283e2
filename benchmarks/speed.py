"""Speed of textmend.fix against ftfy.fix_text, in one process, interleaved.

Run ``python benchmarks/speed.py`` (options: ``--help``). It builds five
texts of a few MB each from the sentences in ``speed_sentences.json``:

- english: clean news prose with curly quotes;
- ascii: plain ASCII prose;
- multilingual: clean prose in 24 languages and a dozen scripts;
- mojibake: the English and multilingual prose, UTF-8 read as Windows-1252;
- archive: about 97% clean lines, 3% damaged in several ways, a few HTML
  entities and repeated boilerplate lines.

For each it times ``textmend.fix`` and ``ftfy.fix_text(text,
uncurl_quotes=False)`` alternately (best of ``--repeat`` runs, caches cleared
before every run; CPU time, so that other work on a shared machine does not
count), checks the outputs, and measures peak memory with
tracemalloc. If ``python -m textmend fix`` exists it also times the command
line on a JSONL file with ``--jobs 1`` and ``--jobs 2``, with its start-up
time and this machine's own two-process speedup on pure CPU work (what
bounds the ratio of the two), and reports its peak RSS at two file sizes.
Then, for each language of ``corpus/clean``, about ``--lang-mb`` of its clean
sentences repeated and shuffled: textmend's speed and ratio to ftfy, the share
of lines its check sends to the steps, and the speed of one regex scan per
line (the reference a fast path should come near). plsfix, a compiled port of
ftfy, is timed beside ftfy on every input where it is installed (the
``bench`` extra; it has no option to keep curly quotes, so it runs with its
defaults). The command line is timed on a multilingual JSONL of ``--cli-mb``
(large enough that start-up is a small part of a run): its start-up alone,
and the steady-state speed of ``--jobs 1`` and ``--jobs 2`` beside the speed
of reading and writing the same JSON records in Python (the floor).
Results go to ``--out`` as Markdown and JSON.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ftfy

if __package__ in (None, ""):  # run as a script: the benchmarks are imported as a package
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import textmend
from benchmarks.languages import language_texts, lines_to_steps, scan_per_line
from textmend import pipeline

try:
    import plsfix
except ImportError:  # an optional peer: pip install "textmend[bench]"
    plsfix = None

HERE = Path(__file__).resolve().parent
SENTENCES: dict[str, list[str]] = json.loads((HERE / "speed_sentences.json").read_text("utf-8"))
MB = 1_000_000

# Targets from issue 7: textmend's speed as a multiple of ftfy's.
TARGETS = {"english": 50, "ascii": 20, "multilingual": 30, "mojibake": 2, "archive": 20}
# Issue 16: clean text of every language, and the share of its lines sent to the steps.
LANGUAGE_TARGET = 30
LANGUAGE_LINES_TARGET = 0.01
MEMORY_TARGET = 1.5


# --- texts --------------------------------------------------------------------


def _paragraph(rng: random.Random, pool: list[str]) -> str:
    return " ".join(rng.choice(pool) for _ in range(rng.randint(2, 5))) + "\n"


def _build(size: int, line: Callable[[], str]) -> str:
    lines = []
    total = 0
    while total < size:
        text = line()
        lines.append(text)
        total += len(text.encode("utf-8"))
    return "".join(lines)


def _as_1252(text: str) -> str:
    return text.encode("utf-8").decode("sloppy-windows-1252")


def _damage(rng: random.Random, line: str) -> str:
    """One line damaged in one of the ways scraped archives show."""
    kind = rng.randrange(6)
    if kind == 0:
        return _as_1252(line)
    if kind == 1:
        return line.encode("utf-8").decode("latin-1")
    if kind == 2:
        return line.encode("utf-8").decode("macroman", errors="replace")
    if kind == 3:
        return _as_1252(_as_1252(line))
    if kind == 4:
        # A lossy repair: the last byte of "”" dropped, as Windows-1252 lacks 9D.
        return _as_1252(line).replace("â€\x9d", "â€")
    return line.replace("’", "&rsquo;").replace("“", "&ldquo;").replace("”", "&rdquo;")


def make_texts(size: int, seed: int = 7) -> dict[str, str]:
    """The five benchmark texts, each about ``size`` UTF-8 bytes."""
    rng = random.Random(seed)
    english, ascii_, multi = SENTENCES["english"], SENTENCES["ascii"], SENTENCES["multilingual"]
    prose = english + multi

    def archive_line() -> str:
        roll = rng.random()
        if roll < 0.08:
            return rng.choice(SENTENCES["boilerplate"]) + "\n"
        line = _paragraph(rng, rng.choice((english, english, ascii_, multi)))
        if roll < 0.11:
            return _damage(rng, line)
        if roll < 0.115:
            return line.replace(" and ", " &amp; ", 1).replace("’", "&#8217;")
        return line

    return {
        "english": _build(size, lambda: _paragraph(rng, english)),
        "ascii": _build(size, lambda: _paragraph(rng, ascii_)),
        "multilingual": _build(size, lambda: _paragraph(rng, multi)),
        "mojibake": _as_1252(_build(size * 2 // 3, lambda: _paragraph(rng, prose))),
        "archive": _build(size, archive_line),
    }


# --- library ------------------------------------------------------------------


def _cold() -> None:
    """Forget cached results, so that a run cannot reuse the last one.

    Every function cache of textmend's modules is found and cleared, not
    listed, so that a cache added later cannot be missed. The compiled
    profile is kept: compiling is once per process, not per text.
    """
    for name, module in list(sys.modules.items()):
        if name == "textmend" or name.startswith("textmend."):
            for value in vars(module).values():
                if hasattr(value, "cache_clear") and value is not pipeline.compile_profile:
                    value.cache_clear()
    pipeline.compile_profile(textmend.PROFILES["news"]).forget()


def _textmend(text: str) -> str:
    return textmend.fix(text)


def _ftfy(text: str) -> str:
    return ftfy.fix_text(text, uncurl_quotes=False)


def _plsfix(text: str) -> str:
    return str(plsfix.fix_text(text))


def _peers() -> tuple[tuple[str, Callable[[str], str]], ...]:
    """The functions timed in turn on every input: textmend, ftfy, plsfix if there."""
    peers: tuple[tuple[str, Callable[[str], str]], ...] = (("textmend", _textmend), ("ftfy", _ftfy))
    return peers + ((("plsfix", _plsfix),) if plsfix is not None else ())


def _best(text: str, repeat: int) -> tuple[dict[str, float], dict[str, str]]:
    """Each peer's best CPU time on ``text``, runs interleaved, and its output."""
    best: dict[str, float] = {}
    outputs = {}
    for _ in range(repeat):
        for label, func in _peers():
            seconds, outputs[label] = _timed(func, text)
            best[label] = min(best.get(label, float("inf")), seconds)
    return best, outputs


def _timed(func: Callable[[str], str], text: str) -> tuple[float, str]:
    _cold()
    start = time.process_time()
    out = func(text)
    return time.process_time() - start, out


def _peak(func: Callable[[str], str], text: str) -> int:
    _cold()
    tracemalloc.start()
    func(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def _differing_lines(a: str, b: str) -> int:
    return sum(x != y for x, y in zip(a.splitlines(), b.splitlines(), strict=False)) + abs(
        a.count("\n") - b.count("\n")
    )


def bench_text(name: str, text: str, repeat: int) -> dict[str, Any]:
    size = len(text.encode("utf-8"))
    best, outputs = _best(text, repeat)
    ours, theirs = outputs["textmend"], outputs["ftfy"]
    row: dict[str, Any] = {
        "bytes": size,
        "textmend_mbps": size / best["textmend"] / MB,
        "ftfy_mbps": size / best["ftfy"] / MB,
        "plsfix_mbps": size / best["plsfix"] / MB if "plsfix" in best else None,
        "ratio": best["ftfy"] / best["textmend"],
        "target": TARGETS[name],
        "lines_differing_from_ftfy": _differing_lines(ours, theirs),
    }
    if name in ("english", "ascii", "multilingual"):
        row["expected"] = "unchanged by both"
        row["ok"] = ours == text and theirs == text
    elif name == "mojibake":
        row["expected"] = "same as ftfy"
        row["ok"] = ours == theirs
    else:
        row["expected"] = "not compared"
        row["ok"] = None
    input_size = sys.getsizeof(text)
    row["textmend_peak_x"] = _peak(_textmend, text) / input_size
    row["ftfy_peak_x"] = _peak(_ftfy, text) / input_size
    return row


def bench_language(text: str, repeat: int) -> dict[str, Any]:
    """One language's clean text: speeds, ratio to ftfy, lines sent to the steps."""
    size = len(text.encode("utf-8"))
    best, outputs = _best(text, repeat)
    scan = min(scan_per_line(text) for _ in range(repeat))
    news = pipeline.compile_profile(textmend.PROFILES["news"])
    return {
        "bytes": size,
        "textmend_mbps": size / best["textmend"] / MB,
        "ftfy_mbps": size / best["ftfy"] / MB,
        "plsfix_mbps": size / best["plsfix"] / MB if "plsfix" in best else None,
        "ratio": best["ftfy"] / best["textmend"],
        "scan_mbps": size / scan / MB,
        "lines_to_steps": lines_to_steps(news, text),
        "unchanged": outputs["textmend"] == text,
    }


# --- command line -------------------------------------------------------------


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "textmend", *args]


def cli_available() -> bool:
    done = subprocess.run(_cli("fix", "--help"), capture_output=True, check=False)
    return done.returncode == 0


def _write_jsonl(path: Path, size: int, seed: int) -> None:
    """A JSONL file of ``size`` bytes or a little more: clean paragraphs of every
    language, a block of records written again and again (a large file is
    needed only so that start-up is a small part of a run)."""
    rng = random.Random(seed)
    paragraphs = [p for t in language_texts(MB // 20, seed).values() for p in t.splitlines()]
    rng.shuffle(paragraphs)
    records = (
        json.dumps({"id": n, "text": p}, ensure_ascii=False) for n, p in enumerate(paragraphs)
    )
    block = "".join(r + "\n" for r in records).encode("utf-8")
    with path.open("wb") as out:
        for _ in range(max(1, -(-size // len(block)))):
            out.write(block)


def _json_round_trip(source: Path, target: Path) -> tuple[float, float]:
    """Wall and CPU time of reading, parsing, re-serialising and writing every record."""
    start, cpu = time.perf_counter(), time.process_time()
    with source.open(encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(json.dumps(json.loads(line), ensure_ascii=False) + "\n")
    return time.perf_counter() - start, time.process_time() - cpu


def _run_cli(jobs: int, source: Path, target: Path) -> tuple[float, int, float]:
    """Wall time, peak RSS (bytes) and CPU time of one run of the command line
    (its worker processes included)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        _cli("fix", "--jobs", str(jobs), "-o", str(target), str(source)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise RuntimeError(f"textmend fix --jobs {jobs} failed: {stderr.strip()}")
    return seconds, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


# Pure Python CPU work, the same in every process: what two cores give here.
_SPIN = "total = 0\nfor number in range(4_000_000):\n    total += number * number % 7"


def _spin(processes: int) -> float:
    """Wall time of ``processes`` copies of ``_SPIN`` run side by side."""
    start = time.perf_counter()
    running = [subprocess.Popen([sys.executable, "-c", _SPIN]) for _ in range(processes)]
    for process in running:
        process.wait()
    return time.perf_counter() - start


def bench_cli(size: int, repeat: int, seed: int) -> dict[str, Any] | None:
    """``--jobs 1`` against ``--jobs 2`` on a multilingual JSONL, with what bounds them.

    Both pay the same start-up (Python, imports, compiling the checks),
    measured on a one-record file and taken off for the steady-state speeds;
    reading and writing the same records in Python is the floor; and two
    processes on this machine may not get two cores' worth of work done
    (other tenants, shared caches), measured on pure CPU work in the same runs.
    """
    if not cli_available():
        print("CLI not available (python -m textmend fix --help failed); skipping it")
        return None
    with tempfile.TemporaryDirectory() as tmp:
        small, big, out = Path(tmp, "small.jsonl"), Path(tmp, "big.jsonl"), Path(tmp, "out.jsonl")
        one = Path(tmp, "one.jsonl")
        one.write_text('{"text": "one record"}\n', "utf-8")
        _write_jsonl(big, size, seed)
        _write_jsonl(small, size // 4, seed)
        rss: dict[str, int] = {}
        cpu: dict[str, float] = {}

        def cli(jobs: int, source: Path) -> float:
            seconds, rss[source.name], used = _run_cli(jobs, source, out)
            key = f"jobs{jobs} {source.name}"
            cpu[key] = min(cpu.get(key, float("inf")), used)
            return seconds

        def json_floor() -> float:
            seconds, used = _json_round_trip(big, out)
            cpu["json"] = min(cpu.get("json", float("inf")), used)
            return seconds

        runs: dict[str, Callable[[], float]] = {
            "jobs1": lambda: cli(1, big),
            "jobs2": lambda: cli(2, big),
            "startup": lambda: cli(1, one),
            "json": json_floor,
            "spin1": lambda: _spin(1),
            "spin2": lambda: _spin(2),
        }
        best = dict.fromkeys(runs, float("inf"))
        for _ in range(repeat):
            for name, run in runs.items():
                best[name] = min(best[name], run())
        rss_big = rss[big.name]
        cli(1, small)
        big_bytes, small_bytes = big.stat().st_size, small.stat().st_size
    work = best["jobs1"] - best["startup"]
    work2 = max(best["jobs2"] - best["startup"], 1e-9)
    return {
        "bytes": big_bytes,
        "jobs1_mbps": big_bytes / best["jobs1"] / MB,
        "jobs2_mbps": big_bytes / best["jobs2"] / MB,
        "speedup": best["jobs1"] / best["jobs2"],
        "startup_s": best["startup"],
        "startup_share": best["startup"] / best["jobs1"],
        "steady_jobs1_mbps": big_bytes / work / MB,
        "steady_jobs2_mbps": big_bytes / work2 / MB,
        "steady_speedup": work / work2,
        "json_floor_mbps": big_bytes / best["json"] / MB,
        "jobs1_of_floor": best["json"] / best["jobs1"],
        # On a machine shared with other work, CPU time says more than wall time.
        "jobs1_cpu_of_floor": cpu["json"] / cpu["jobs1 big.jsonl"],
        "speedup_if_work_halved": best["jobs1"] / (best["startup"] + work / 2),
        "machine_speedup": 2 * best["spin1"] / best["spin2"],
        "rss_small": {"bytes": small_bytes, "peak_rss": rss[small.name]},
        "rss_big": {"bytes": big_bytes, "peak_rss": rss_big},
    }


# --- report -------------------------------------------------------------------


def _speed(mbps: float | None) -> str:
    return "-" if mbps is None else f"{mbps:.1f}"


def _markdown(result: dict[str, Any]) -> str:
    peer = result["plsfix"] or "not installed (pip install 'textmend[bench]')"
    lines = [
        f"# textmend speed, {result['date']}",
        "",
        f"textmend {result['textmend']}, ftfy {result['ftfy']}, plsfix {peer}, "
        f"Python {result['python']}, {result['cpu_count']} CPUs ({result['machine']}); "
        f"best of {result['repeat']} runs, CPU time (the command line: wall time). "
        "ftfy keeps curly quotes (`uncurl_quotes=False`); plsfix cannot, and runs as it is.",
        "",
        "| text | MB | textmend MB/s | ftfy MB/s | plsfix MB/s | ratio | target | output check "
        "| peak mem textmend | peak mem ftfy |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for name, row in result["texts"].items():
        ok = {True: "ok", False: "DIFFERS", None: "-"}[row["ok"]]
        lines.append(
            f"| {name} | {row['bytes'] / MB:.1f} | {row['textmend_mbps']:.1f} "
            f"| {row['ftfy_mbps']:.2f} | {_speed(row['plsfix_mbps'])} | {row['ratio']:.1f}× "
            f"| ≥{row['target']}× | {ok} ({row['expected']}) | {row['textmend_peak_x']:.2f}× "
            f"| {row['ftfy_peak_x']:.2f}× |"
        )
    lines += ["", "Peak memory is tracemalloc's peak during the call, as a multiple of the input"]
    lines += [f"string's size (target for textmend: ≤{MEMORY_TARGET}×).", ""]
    lines += [
        "Clean text of each language of `corpus/clean`, its sentences repeated and shuffled "
        f"(targets: ≥{LANGUAGE_TARGET}× ftfy, at least half the speed of one regex scan per "
        f"line, under {LANGUAGE_LINES_TARGET:.0%} of lines sent to the steps):",
        "",
        "| language | MB | textmend MB/s | ftfy MB/s | plsfix MB/s | ratio | scan per line MB/s "
        "| lines to the steps | unchanged |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, row in result["languages"].items():
        lines.append(
            f"| {name} | {row['bytes'] / MB:.1f} | {row['textmend_mbps']:.1f} "
            f"| {row['ftfy_mbps']:.2f} | {_speed(row['plsfix_mbps'])} | {row['ratio']:.1f}× "
            f"| {row['scan_mbps']:.1f} | {row['lines_to_steps']:.1%} | {row['unchanged']} |"
        )
    lines.append("")
    cli = result["cli"]
    if cli is None:
        lines.append("Command line: not run.")
    else:
        lines += [
            f"Command line on a {cli['bytes'] / MB:.0f} MB multilingual JSONL file: start-up "
            f"{cli['startup_s']:.2f} s alone (a one-record file; {cli['startup_share']:.1%} of "
            f"a `--jobs 1` run). `--jobs 1` {cli['jobs1_mbps']:.1f} MB/s, `--jobs 2` "
            f"{cli['jobs2_mbps']:.1f} MB/s (×{cli['speedup']:.2f}); steady state, start-up "
            f"taken off: `--jobs 1` {cli['steady_jobs1_mbps']:.1f} MB/s, `--jobs 2` "
            f"{cli['steady_jobs2_mbps']:.1f} MB/s (×{cli['steady_speedup']:.2f}; target ≥1.8).",
            f"Reading and writing the same JSON records in Python: {cli['json_floor_mbps']:.1f} "
            f"MB/s; `--jobs 1` runs at {cli['jobs1_of_floor']:.0%} of it (target ≥40%); "
            f"counted in CPU time, at {cli['jobs1_cpu_of_floor']:.0%}.",
            f"What bounds the ratio of the two: `--jobs 2` doing its work in exactly half the time "
            f"would give ×{cli['speedup_if_work_halved']:.2f}; and two processes of pure Python "
            f"CPU work ran ×{cli['machine_speedup']:.2f} as fast as one, in the same runs.",
            f"Peak RSS with `--jobs 1`: {cli['rss_small']['peak_rss'] / MB:.0f} MB on "
            f"{cli['rss_small']['bytes'] / MB:.0f} MB, {cli['rss_big']['peak_rss'] / MB:.0f} MB "
            f"on {cli['rss_big']['bytes'] / MB:.0f} MB.",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "results", help="results directory")
    parser.add_argument("--size-mb", type=float, default=3.0, help="size of each text")
    parser.add_argument("--lang-mb", type=float, default=1.0, help="size of each language's text")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best)")
    parser.add_argument(
        "--cli-mb", type=float, default=500.0, help="size of the JSONL file for the command line"
    )
    parser.add_argument("--no-cli", action="store_true", help="skip the command line")
    args = parser.parse_args(argv)

    if plsfix is None:
        print("plsfix is not installed (pip install 'textmend[bench]'): timing without it")
    result: dict[str, Any] = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "textmend": textmend.__version__,
        "ftfy": ftfy.__version__,
        "plsfix": getattr(plsfix, "__version__", "installed") if plsfix else None,
        "python": platform.python_version(),
        "machine": f"{platform.machine()} {platform.processor() or platform.system()}",
        "cpu_count": os.cpu_count(),
        "repeat": args.repeat,
        "texts": {},
        "languages": {},
    }
    for name, text in make_texts(int(args.size_mb * MB)).items():
        row = bench_text(name, text, args.repeat)
        result["texts"][name] = row
        print(
            f"{name:13} textmend {row['textmend_mbps']:7.1f} MB/s"
            f"  ftfy {row['ftfy_mbps']:6.2f} MB/s  plsfix {_speed(row['plsfix_mbps']):>6} MB/s"
            f"  ratio {row['ratio']:6.1f}× (target {row['target']}×)  output {row['ok']}"
            f"  peak {row['textmend_peak_x']:.2f}× vs {row['ftfy_peak_x']:.2f}×",
            flush=True,
        )
    for name, text in language_texts(int(args.lang_mb * MB)).items():
        row = bench_language(text, args.repeat)
        result["languages"][name] = row
        print(
            f"{name:3} textmend {row['textmend_mbps']:7.1f} MB/s  ftfy {row['ftfy_mbps']:6.2f}"
            f"  plsfix {_speed(row['plsfix_mbps']):>6}  ratio {row['ratio']:6.1f}×"
            f"  scan {row['scan_mbps']:6.1f}  to steps {row['lines_to_steps']:6.1%}"
            f"  unchanged {row['unchanged']}",
            flush=True,
        )
    result["cli"] = None if args.no_cli else bench_cli(int(args.cli_mb * MB), args.repeat, seed=11)
    if result["cli"]:
        print(json.dumps(result["cli"]))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "speed.json").write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    (args.out / "speed.md").write_text(_markdown(result), "utf-8")
    print(f"results written to {args.out}/speed.md and speed.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
