"""Throughput of ``textmend fix`` on a WET archive against the same text as JSONL.

Run ``python benchmarks/warc.py`` (options: ``--help``; needs
``textmend[warc]``). In a temporary folder it builds documents of 20 to 80
lines of the ``archive`` text of ``speed.py`` (about 97% clean lines, 3%
damaged), writes them once as a WET file (a warcinfo record, then one
``conversion`` record per document, written by FastWARC with their
digests) and once as JSONL (``{"text": ...}`` per document), each plain
and gzipped (a gzip member per record for the WET file, as Common Crawl
writes them). It then times ``python -m textmend fix`` on each, alternately,
best of ``--repeat``: CPU time (its workers' included), which other work on
a shared machine does not change, and wall time. It checks that each archive
written passes FastWARC's digest checks and holds every record, and reports
the throughput in MB of text per second and the ratio WET / JSONL (issue 18:
at least 0.5, in CPU time; the exit code says whether it was met).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType
from speed import make_texts

MB = 1_000_000
TARGET = 0.5
# Each WET file and the JSONL file of the same text, compressed alike.
PAIRS = (("crawl.warc.wet", "text.jsonl"), ("crawl.warc.wet.gz", "text.jsonl.gz"))


def documents(size: int, seed: int) -> list[str]:
    """Documents of whole lines, about ``size`` UTF-8 bytes in all."""
    rng = random.Random(seed)
    lines = make_texts(4 * MB, seed)["archive"].splitlines(keepends=True)
    found = []
    total = 0
    while total < size:
        document = "".join(rng.choice(lines) for _ in range(rng.randint(20, 80)))
        found.append(document)
        total += len(document.encode("utf-8"))
    return found


def _record(kind: WarcRecordType, content: bytes, content_type: str) -> bytes:
    built = WarcRecord()
    built.init_headers(kind)
    built.headers["Content-Type"] = content_type
    built.set_bytes_content(content)
    out = io.BytesIO()
    built.write(out, checksum_data=True)
    return out.getvalue()


def write_inputs(folder: Path, texts: list[str]) -> dict[str, Path]:
    """The WET and JSONL files, plain and gzipped."""
    paths = {name: folder / name for pair in PAIRS for name in pair}
    info = _record(WarcRecordType.warcinfo, b"software: textmend benchmark\r\n", "text/plain")
    with (
        paths["crawl.warc.wet"].open("wb") as plain,
        paths["crawl.warc.wet.gz"].open("wb") as members,
    ):
        for raw in [info] + [
            _record(WarcRecordType.conversion, t.encode(), "text/plain") for t in texts
        ]:
            plain.write(raw)
            members.write(gzip.compress(raw, 6, mtime=0))
    lines = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts)
    paths["text.jsonl"].write_text(lines, encoding="utf-8")
    with gzip.open(paths["text.jsonl.gz"], "wb", compresslevel=6) as out:
        out.write(lines.encode("utf-8"))
    return paths


def timed_fix(source: Path, target: Path, jobs: int | None) -> tuple[float, float]:
    """Wall and CPU time (its workers' too) of one ``textmend fix`` of ``source``."""
    command = [sys.executable, "-m", "textmend", "fix", "-q", str(source), "-o", str(target)]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"textmend fix {source.name} failed: {done.stderr.decode().strip()}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu


def check_archive(path: Path, records: int) -> None:
    """FastWARC's digest check passes on every record, and none is missing."""
    with path.open("rb") as stream:
        found = list(ArchiveIterator(stream, parse_http=False))
        if len(found) != records:
            raise RuntimeError(f"{path.name}: {len(found)} records, {records} written")
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream, parse_http=False):
            if not record.verify_block_digest():
                raise RuntimeError(f"{path.name}: bad digest at byte {record.stream_pos}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=200, help="text in MB (default 200)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each, best kept")
    parser.add_argument("--jobs", type=int, help="textmend's --jobs (default: all cores)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="write the results here as JSON too")
    args = parser.parse_args(argv)
    texts = documents(int(args.size_mb * MB), args.seed)
    text_bytes = sum(len(t.encode("utf-8")) for t in texts)
    results: dict[str, object] = {"text_bytes": text_bytes, "documents": len(texts)}
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        paths = write_inputs(folder, texts)
        wall = {name: float("inf") for name in paths}
        cpu = dict(wall)
        for _ in range(args.repeat):
            for name, path in paths.items():  # alternately: load on the machine hits both
                seconds, used = timed_fix(path, folder / f"out.{name}", args.jobs)
                wall[name], cpu[name] = min(wall[name], seconds), min(cpu[name], used)
        for name, _ in PAIRS:
            check_archive(folder / f"out.{name}", len(texts) + 1)
        rows = []
        for wet, jsonl in PAIRS:
            row: dict[str, object] = {"wet": wet, "wet_bytes": paths[wet].stat().st_size}
            for clock, best in (("cpu", cpu), ("wall", wall)):
                row[f"{clock}_wet_mbps"] = text_bytes / best[wet] / MB
                row[f"{clock}_jsonl_mbps"] = text_bytes / best[jsonl] / MB
                row[f"{clock}_ratio"] = best[jsonl] / best[wet]
                print(
                    f"{clock:4} {wet:18} {text_bytes / best[wet] / MB:6.2f} MB/s   "
                    f"{jsonl:14} {text_bytes / best[jsonl] / MB:6.2f} MB/s   "
                    f"WET/JSONL {best[jsonl] / best[wet]:.2f} (target {TARGET})"
                )
            row["target_met"] = cpu[jsonl] / cpu[wet] >= TARGET
            rows.append(row)
        results["runs"] = rows
    print(f"{text_bytes / MB:.0f} MB of text in {len(texts):,} documents")
    if args.out is not None:
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0 if all(row["target_met"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
