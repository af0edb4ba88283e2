"""ftfy's published test cases as a regression benchmark for textmend.

Run from the repository root with textmend importable::

    PYTHONPATH=src python benchmarks/ftfy_cases.py [--cache DIR] [--json]

The cases are not committed here: ftfy's source distribution of the
installed version is fetched with ``pip download`` at run time into a cache
folder (default: ``textmend-ftfy-sdist`` in the temporary directory) and its
``tests/test_cases.json`` read from the archive.

ftfy's runner (``tests/test_examples_in_json.py``) reads each case as
``label``, ``original``, ``fixed`` (what ``fix_text`` with its defaults
gives), an optional ``fixed-encoding`` and ``expect`` (``pass``, or ``fail``
where ftfy's heuristic is known to fall short). Its defaults also uncurl
quotes, widen characters and split ligatures, which textmend's ``safe``
profile does not do; so each case runs through ``textmend.fix(text,
profile="safe")`` and through ftfy with those three options off (``ftfy``
below), and the two outputs are compared. Every case (``pass`` and ``fail``)
is run, and every ``pass`` case a second time with the extra layer of
damage ftfy's runner adds (``original`` encoded as UTF-8, read as Latin-1;
id suffixed ``+latin-1``).

The report gives: negatives (cases whose ``fixed`` is their ``original``)
that textmend changes; cases equal to ftfy's output; and cases where textmend
differs, each either listed with its reason in ``ftfy_cases_better.json``
(``better``) or counted as a failure. A listed case that no longer differs
is reported as ``stale``. A case's id is its label, with `` #2`` after a
label's second use.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ftfy

import textmend

BETTER_FILE = Path(__file__).resolve().parent / "ftfy_cases_better.json"
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "textmend-ftfy-sdist"
EXTRA_LAYER = " +latin-1"


class FetchError(RuntimeError):
    """ftfy's source distribution could not be fetched or read."""


def fetch_cases(cache: Path = DEFAULT_CACHE, version: str = ftfy.__version__) -> list[Any]:
    """ftfy's ``tests/test_cases.json`` for ``version``, downloaded once into ``cache``."""
    folder = cache / version
    archive = folder / f"ftfy-{version}.tar.gz"
    if not archive.exists():
        folder.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
        command += ["--no-binary", ":all:", f"ftfy=={version}", "-d", str(folder)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not archive.exists():
            raise FetchError(f"pip download ftfy=={version} failed: {done.stderr.strip()[-500:]}")
    member = f"ftfy-{version}/tests/test_cases.json"
    try:
        with tarfile.open(archive) as tar:
            data = tar.extractfile(member)
            if data is None:
                raise KeyError(member)
            cases: list[Any] = json.load(data)
    except (OSError, KeyError, tarfile.TarError, ValueError) as err:
        raise FetchError(f"{archive}: cannot read {member}: {err!r}") from err
    return cases


def ftfy_safe(text: str) -> str:
    """ftfy doing what the ``safe`` profile does: repairs, quotes and widths kept.

    >>> ftfy_safe("“ï¬ne”")
    '“ﬁne”'
    """
    return str(
        ftfy.fix_text(
            text, uncurl_quotes=False, fix_character_width=False, fix_latin_ligatures=False
        )
    )


@dataclass
class Report:
    """What textmend did with ftfy's cases, by case id."""

    cases: int = 0
    negatives: int = 0
    negatives_changed: list[str] = field(default_factory=list)
    equal_to_ftfy: int = 0
    better: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)

    def summary(self) -> str:
        """The counts, and the ids of what needs a look."""
        lines = [
            f"ftfy {ftfy.__version__} cases: {self.cases}",
            f"negatives changed: {len(self.negatives_changed)} of {self.negatives}",
            f"equal to ftfy: {self.equal_to_ftfy}",
            f"different, listed as better: {len(self.better)}",
            f"different, unexplained (failures): {len(self.failures)}",
        ]
        for title, ids in (
            ("negative changed", self.negatives_changed),
            ("failure", self.failures),
            ("listed but no longer different", self.stale),
        ):
            for case_id in ids:
                out = self.outputs.get(case_id, {})
                detail = f": {out}" if out else ""
                lines.append(f"  {title}: {case_id}{detail}")
        return "\n".join(lines) + "\n"


def case_texts(raw: list[Any]) -> list[tuple[str, str, bool]]:
    """(id, text, negative) for every case and every extra-layer variant."""
    seen: dict[str, int] = {}
    texts = []
    for case in raw:
        label = case["label"]
        seen[label] = seen.get(label, 0) + 1
        case_id = label if seen[label] == 1 else f"{label} #{seen[label]}"
        original = case["original"]
        texts.append((case_id, original, case["fixed"] == original))
        if case["expect"] == "pass":
            extra = original.encode("utf-8").decode("latin-1")
            if extra != original:
                texts.append((case_id + EXTRA_LAYER, extra, False))
    return texts


def evaluate(raw: list[Any], better: dict[str, str]) -> Report:
    """Run every case through textmend's ``safe`` profile and through ftfy."""
    report = Report()
    for case_id, text, negative in case_texts(raw):
        report.cases += 1
        ours = textmend.fix(text, profile="safe")
        theirs = ftfy_safe(text)
        report.negatives += negative
        if negative and ours != text:
            report.negatives_changed.append(case_id)
        if ours == theirs:
            report.equal_to_ftfy += 1
            if case_id in better:
                report.stale.append(case_id)
        elif case_id in better:
            report.better.append(case_id)
        else:
            report.failures.append(case_id)
        if ours != theirs or (negative and ours != text):
            report.outputs[case_id] = {"input": text, "textmend": ours, "ftfy": theirs}
    return report


def load_better(path: Path = BETTER_FILE) -> dict[str, str]:
    """Case id -> why textmend's output is better than ftfy's."""
    better: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return better


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--json", action="store_true", help="print the whole report as JSON")
    args = parser.parse_args(argv)
    report = evaluate(fetch_cases(args.cache), load_better())
    if args.json:
        sys.stdout.write(json.dumps(report.__dict__, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(report.summary())
    return 1 if report.negatives_changed or report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
