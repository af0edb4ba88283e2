"""The bundled demo file that the README's first command repairs."""

from __future__ import annotations

import ftfy
from support import ROOT

import textmend

DEMO = ROOT / "corpus" / "demo"


def test_the_demo_file_is_repaired_exactly() -> None:
    damaged = (DEMO / "news-damaged.txt").read_text(encoding="utf-8")
    clean = (DEMO / "news-clean.txt").read_text(encoding="utf-8")
    assert damaged != clean
    assert textmend.fix(damaged) == clean
    assert textmend.fix(clean) == clean


def test_ftfy_alone_does_not_repair_the_demo_file() -> None:
    damaged = (DEMO / "news-damaged.txt").read_text(encoding="utf-8")
    clean = (DEMO / "news-clean.txt").read_text(encoding="utf-8")
    assert ftfy.fix_text(damaged, uncurl_quotes=False) != clean
