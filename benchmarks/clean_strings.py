"""Clean strings nobody here wrote, which a repair must leave as they are.

Run from the repository root with textmend, babel and Faker importable::

    PYTHONPATH=src python benchmarks/clean_strings.py [--profile safe --profile news]

The strings come from packages at run time, never from this repository:
CLDR data through ``babel`` (names of territories, languages, scripts and
currencies, months, days and quarters, in every other base locale) and
Faker's locale providers (people, addresses, companies, lorem words and a
paragraph of ``text()``, seeded). Each string is fixed alone, as a line, and
within documents of many lines: those of one locale, and those of every
locale shuffled together (seeded), so that document context is tested too.
Strings are also taken in capitals, as headlines set them, where that makes
a capital beyond ASCII.

Strings are taken in NFC: a decomposed accent that the ``nfc`` step
composes is a change of form, not of text.

For each profile asked for, the report gives how many strings and documents
it changed, with the first few changes.
"""

from __future__ import annotations

import argparse
import random
import sys
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any

import textmend

SEED = 14
DOCUMENT_LINES = 200
_BABEL_FIELDS = ("territories", "languages", "scripts", "currency_names")
_BABEL_CALENDAR = ("months", "days", "quarters")
_FAKER_PROVIDERS = [f"faker.providers.{p}" for p in ("person", "address", "company", "lorem")]
_FAKER_CALLS = ("name", "address", "company", "city", "street_name")
_FAKER_ROUNDS = 40


@dataclass(frozen=True)
class Clean:
    """One clean string and where it came from."""

    locale: str
    source: str
    text: str


def _babel_strings() -> Iterator[Clean]:
    from babel import Locale, localedata

    base = sorted(i for i in localedata.locale_identifiers() if "_" not in i)
    # Every other locale: loading CLDR data is most of the cost.
    for name in base[::2]:
        data = Locale.parse(name)._data
        for field in _BABEL_FIELDS:
            for value in data[field].values():
                if isinstance(value, str):
                    yield Clean(name, f"babel {field}", value)
        for field in _BABEL_CALENDAR:
            for context in data[field].values():
                for width in context.values():
                    for value in width.values():
                        if isinstance(value, str):
                            yield Clean(name, f"babel {field}", value)


def _with_capitals(strings: Iterator[Clean]) -> Iterator[Clean]:
    """Each string, and in capitals as a headline sets it where that makes
    a capital beyond ASCII (``SELKÄ``, ``JOSÉ``)."""
    for clean in strings:
        yield clean
        upper = clean.text.upper()
        if upper != clean.text and not upper.isascii():
            yield Clean(clean.locale, clean.source + " in capitals", upper)


def _faker_strings() -> Iterator[Clean]:
    from faker import Factory
    from faker.config import AVAILABLE_LOCALES

    for name in sorted(AVAILABLE_LOCALES):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # deprecated locales still ship data
            fake = Factory.create(name, providers=_FAKER_PROVIDERS)
        _in_fixed_order(fake)
        fake.seed_instance(SEED)
        for _ in range(_FAKER_ROUNDS):
            for call in _FAKER_CALLS:
                try:
                    made = getattr(fake, call)()
                except AttributeError:
                    continue  # a format that needs a provider not loaded here
                for line in made.split("\n"):
                    yield Clean(name, f"faker {call}", line)
        for word in fake.words(nb=100):
            yield Clean(name, "faker words", word)
        yield Clean(name, "faker text", fake.text(max_nb_chars=400).replace("\n", " "))


def _in_fixed_order(fake: Any) -> None:
    """Sort the providers' lists of strings: a few are built from sets (it_IT's
    cities), whose order, and so what a seed picks, changes with the hash seed."""
    for provider in fake.get_providers():
        for name, value in vars(type(provider)).items():
            if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                setattr(provider, name, sorted(value))


def collect() -> list[Clean]:
    """Every clean string, each once (the first locale that gives it keeps it)."""
    seen: set[str] = set()
    found = []
    for clean in _with_capitals(chain(_babel_strings(), _faker_strings())):
        text = unicodedata.normalize("NFC", clean.text)
        if text and text not in seen:
            seen.add(text)
            found.append(Clean(clean.locale, clean.source, text))
    return found


def documents(strings: list[Clean]) -> list[tuple[str, list[Clean]]]:
    """Documents of many lines: each locale's strings, then all of them shuffled."""
    by_locale: dict[str, list[Clean]] = {}
    for clean in strings:
        by_locale.setdefault(clean.locale, []).append(clean)
    mixed = list(strings)
    random.Random(SEED).shuffle(mixed)
    docs = []
    for label, lines in [*sorted(by_locale.items()), ("all locales", mixed)]:
        for start in range(0, len(lines), DOCUMENT_LINES):
            docs.append(
                (f"{label} #{start // DOCUMENT_LINES}", lines[start : start + DOCUMENT_LINES])
            )
    return docs


def changed_lines(strings: list[Clean], profile: str) -> list[tuple[Clean, str]]:
    """Each string that ``fix`` changes alone, with what it made of it."""
    found = []
    for clean in strings:
        fixed = textmend.fix(clean.text, profile=profile)
        if fixed != clean.text:
            found.append((clean, fixed))
    return found


def changed_in_documents(strings: list[Clean], profile: str) -> list[tuple[str, Clean, str]]:
    """Each line that ``fix`` changes within a document: (document, line, fixed line)."""
    found = []
    for label, lines in documents(strings):
        text = "\n".join(c.text for c in lines) + "\n"
        fixed = textmend.fix(text, profile=profile)
        if fixed == text:
            continue
        out = fixed.split("\n")
        if len(out) != len(lines) + 1:
            found.append((label, Clean("", "document", text), fixed))
            continue
        found.extend((label, c, f) for c, f in zip(lines, out, strict=False) if c.text != f)
    return found


def describe(clean: Clean, fixed: str) -> str:
    """A change, readable: locale, source, string and output."""
    return f"{clean.locale} ({clean.source}): {clean.text!r} -> {fixed!r}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profile", action="append", help="default: safe and news")
    parser.add_argument("--show", type=int, default=20, help="changes shown per profile")
    args = parser.parse_args(argv)
    strings = collect()
    locales = len({c.locale for c in strings})
    sys.stdout.write(f"{len(strings)} clean strings from {locales} locales\n")
    for profile in args.profile or ["safe", "news"]:
        alone = changed_lines(strings, profile)
        within = changed_in_documents(strings, profile)
        sys.stdout.write(
            f"{profile}: {len(alone)} strings changed alone, {len(within)} lines within documents\n"
        )
        for clean, fixed in alone[: args.show]:
            sys.stdout.write(f"  {describe(clean, fixed)}\n")
        for label, clean, fixed in within[: args.show]:
            sys.stdout.write(f"  in {label}: {describe(clean, fixed)}\n")


if __name__ == "__main__":
    main()
