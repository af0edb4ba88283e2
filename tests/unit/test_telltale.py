"""Clean text of every language reaches no step; mojibake of it shows damage.

The clean text is Faker's, in every locale it ships sentences for (text
nobody on the team wrote), and the clean corpus; the damage is each line of
it read through every one of ftfy's encodings.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import faker
import faker.providers.lorem
import pytest
from ftfy.chardata import CHARMAP_ENCODINGS
from support import ROOT, load_cases

import textmend
from textmend.pipeline import compile_profile

sys.path.insert(0, str(ROOT))
damage = importlib.import_module("benchmarks.damage")

_LOCALES = [m.name for m in pkgutil.iter_modules(faker.providers.lorem.__path__)]
# The repair profiles: the others also normalise typography clean text has.
_REPAIRING = ("safe", "news")


def _faker_lines(locale: str) -> list[str]:
    fake = faker.Faker(locale)
    fake.seed_instance(16)
    paragraphs = [fake.paragraph(nb_sentences=4) for _ in range(60)]
    people = [f"{fake.name()}, {fake.address()}".replace("\n", ", ") for _ in range(60)]
    return paragraphs + people


@pytest.mark.parametrize("locale", _LOCALES)
def test_clean_text_of_every_locale_reaches_no_step(locale: str) -> None:
    text = "\n".join(_faker_lines(locale)) + "\n"
    for name in _REPAIRING:
        pipeline = compile_profile(textmend.PROFILES[name])
        assert [text[s:e] for s, e in pipeline.dirty_lines(text)] == []


def test_clean_corpus_reaches_no_step() -> None:
    text = "".join(text for _, text in damage.load_clean().values())
    for name in _REPAIRING:
        pipeline = compile_profile(textmend.PROFILES[name])
        assert [text[s:e] for s, e in pipeline.dirty_lines(text)] == []


def _clean_lines() -> list[str]:
    negatives = {
        line
        for case in load_cases()
        if case["kind"] == "negative"
        for line in case["expected"].split("\n")
    }
    corpus = {line for _, text in damage.load_clean().values() for line in text.splitlines()}
    return sorted(negatives | corpus)


@pytest.mark.parametrize("encoding", CHARMAP_ENCODINGS)
def test_every_clean_line_read_through_an_encoding_shows_damage(encoding: str) -> None:
    pipeline = compile_profile(textmend.PROFILES["safe"])
    for line in _clean_lines():
        try:
            read = line.encode("utf-8").decode(encoding)
        except UnicodeDecodeError:
            continue  # a byte this encoding lacks: not how such text is damaged
        if read != line:
            assert pipeline.shows_damage(read), read
