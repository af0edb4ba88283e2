"""Clean text of each language of ``corpus/clean``, and how the fast path meets it.

``language_texts`` builds about ``size`` bytes per language by repeating and
shuffling that language's sentences into paragraphs; ``lines_to_steps`` is
the share of a text's lines that the pipeline's check sends to the steps
(the rest are skipped unread); ``scan_per_line`` is the reference speed of
one regular-expression scan of every line.

>>> texts = language_texts(2000)
>>> sorted(texts)[:3], all(len(t.encode()) >= 2000 for t in texts.values())
(['ar', 'cs', 'de'], True)
"""

from __future__ import annotations

import random
import re
import time
from collections import defaultdict

from benchmarks.damage import load_clean
from textmend.pipeline import Pipeline

# A sentence ends at . ! ? … (or their full-width forms) and the spaces after.
_SENTENCE_END = re.compile(r"(?<=[.!?…。！？])\s*")
# Scripts written without spaces between sentences.
_UNSPACED = {"ja", "zh"}
# What the reference scan looks for: control characters, which clean text lacks.
_SCAN = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _sentences(text: str) -> list[str]:
    return [s for line in text.splitlines() for s in _SENTENCE_END.split(line) if s.strip()]


def language_texts(size: int, seed: int = 5) -> dict[str, str]:
    """For each language of the clean corpus, ``size`` bytes or a little more."""
    by_language: dict[str, list[str]] = defaultdict(list)
    for language, text in load_clean().values():
        by_language[language] += _sentences(text)
    rng = random.Random(seed)
    texts = {}
    for language, sentences in sorted(by_language.items()):
        gap = "" if language in _UNSPACED else " "
        lines: list[str] = []
        total = 0
        while total < size:
            pool = sentences[:]
            rng.shuffle(pool)
            while pool and total < size:
                take = min(len(pool), rng.randint(1, 4))
                line = gap.join(pool[:take]) + "\n"
                del pool[:take]
                lines.append(line)
                total += len(line.encode("utf-8"))
        texts[language] = "".join(lines)
    return texts


def lines_to_steps(pipeline: Pipeline, text: str) -> float:
    """The share of the lines of ``text`` that reach the steps."""
    return len(pipeline.dirty_lines(text)) / max(1, text.count("\n"))


def scan_per_line(text: str) -> float:
    """CPU seconds of one regex scan of each line of ``text``: the reference."""
    start = time.process_time()
    search = _SCAN.search
    for line in text.splitlines():
        search(line)
    return time.process_time() - start
