"""East Asian text read as Windows-1252 or Latin-1, and Western text that must stay.

Run from the repository root with textmend importable, for the accuracy
table of one damage kind per encoding (textmend beside ftfy, by ``accuracy.py``)::

    PYTHONPATH=src python -m benchmarks.east_asian [--out DIR]

Truths come from Faker and babel (CLDR) at test time; nothing here was
written by the team. Each truth is encoded in its language's legacy encoding
and read back the way tools do: as Latin-1 (every byte a character), or as
Windows-1252 the way browsers do (an undefined byte becomes the C1 control
of the same number). Both keep every byte. Some truths sit in an ASCII
line, as in a log message, a code comment or a table cell.

Two splits draw on different Faker seeds, providers and CLDR tables: one to
tune the step on, one held out.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ftfy  # noqa: F401  (registers the sloppy-windows-1252 codec)
from babel import Locale
from faker import Faker

from benchmarks import accuracy
from benchmarks.accuracy import ROOT

# Each encoding, the Faker locale and the CLDR locale written in it.
LOCALES = {
    "cp932": ("ja_JP", "ja"),
    "gbk": ("zh_CN", "zh_Hans_CN"),
    "cp950": ("zh_TW", "zh_Hant_TW"),
    "cp949": ("ko_KR", "ko"),
}
READINGS = ("latin-1", "sloppy-windows-1252")
_CONTEXTS = ("{}", "{}", "# {}", "ERROR 42: {} (retrying)", "| {} | 3 |", '"{}",17')


@dataclass(frozen=True)
class Split:
    """Where a split's truths come from."""

    seed: int
    providers: tuple[str, ...]
    cldr: tuple[str, ...]
    per_encoding: int


TUNING = Split(1, ("name", "address", "company", "text"), ("territories",), 150)
HELD_OUT = Split(
    2,
    ("city", "street_address", "job", "sentence", "catch_phrase", "bs"),
    ("languages", "currencies"),
    150,
)


@dataclass(frozen=True)
class Case:
    truth: str
    damaged: str
    encoding: str
    reading: str


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return not text.isascii()


def _truths(split: Split, encoding: str) -> Iterator[str]:
    """Faker and CLDR strings of the encoding's language, one line each."""
    faker_locale, cldr_locale = LOCALES[encoding]
    fake = Faker(faker_locale)
    fake.seed_instance(split.seed)
    for _ in range(split.per_encoding):
        for provider in split.providers:
            yield str(getattr(fake, provider)()).replace("\n", " ")
    locale = Locale.parse(cldr_locale)
    for table in split.cldr:
        yield from getattr(locale, table).values()


def cases(split: Split, encoding: str) -> list[Case]:
    """The split's damaged cases for one encoding."""
    rng = random.Random(f"{split.seed}-{encoding}")
    truths = [t for t in dict.fromkeys(_truths(split, encoding)) if _encodable(t, encoding)]
    found = []
    for truth in rng.sample(truths, min(split.per_encoding, len(truths))):
        line = rng.choice(_CONTEXTS).format(truth)
        reading = rng.choice(READINGS)
        found.append(Case(line, line.encode(encoding).decode(reading), encoding, reading))
    return found


# Languages written with Latin letters dense in accents, in CLDR and Faker.
_WESTERN_CLDR = ("de", "fr", "is", "hu", "pt", "es", "pl", "cs", "da", "sv", "nl", "ro")
_WESTERN_FAKER = ("de_DE", "fr_FR", "hu_HU", "is_IS", "pt_PT", "es_ES", "pl_PL", "cs_CZ")


def negatives(seed: int = 3, per_locale: int = 40) -> list[str]:
    """Correct Western text: CLDR names and Faker data, accented letters and all."""
    texts: list[str] = []
    for code in _WESTERN_CLDR:
        locale = Locale.parse(code)
        for table in ("territories", "languages", "currencies"):
            texts.extend(getattr(locale, table).values())
    for code in _WESTERN_FAKER:
        fake = Faker(code)
        fake.seed_instance(seed)
        for _ in range(per_locale):
            texts += (fake.name(), fake.address().replace("\n", ", "), fake.company())
            texts.append(fake.text(200).replace("\n", " "))
    return [t for t in dict.fromkeys(texts) if not t.isascii()]


def accuracy_cases(split: Split = HELD_OUT) -> list[dict[str, Any]]:
    """The split's cases as ``accuracy.py`` scores them, one kind per encoding."""
    return [
        {
            "kind": f"east-asian/{case.encoding}",
            "form": "text",
            "input": case.damaged,
            "truth": case.truth,
            "recoverable": True,
        }
        for encoding in LOCALES
        for case in cases(split, encoding)
    ]


def main(argv: list[str] | None = None) -> None:
    """Write the held-out cases as ``cases.jsonl`` to ``--out`` and score them
    there with ``accuracy.py`` (its ``accuracy.md`` and ``accuracy.json``)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "east-asian")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    cases_file = args.out / "cases.jsonl"
    lines = (json.dumps(case, ensure_ascii=False) + "\n" for case in accuracy_cases())
    cases_file.write_text("".join(lines), encoding="utf-8")
    accuracy.main(["--cases", str(cases_file), "--out", str(args.out)])


if __name__ == "__main__":
    main()
