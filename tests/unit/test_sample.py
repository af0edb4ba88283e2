"""The reference sample: ftfy fixes none of its 14 damaged quotes; textmend all."""

from __future__ import annotations

import ftfy

import textmend


def test_fix_restores_the_reference_sample(aleppo: tuple[str, str]) -> None:
    damaged, clean = aleppo
    assert textmend.fix(damaged) == clean


def test_ftfy_alone_leaves_the_damage(aleppo: tuple[str, str]) -> None:
    damaged, clean = aleppo
    assert ftfy.fix_text(damaged, uncurl_quotes=False) != clean


def test_explain_names_the_residue_repair_for_every_quote(aleppo: tuple[str, str]) -> None:
    damaged, clean = aleppo
    changes = textmend.explain(damaged)
    assert len(changes) == 14
    assert {c.step for c in changes} == {"lossy_residue"}
    assert {c.before for c in changes} == {"†", "â€"}
    assert textmend.apply_changes(damaged, changes) == clean
