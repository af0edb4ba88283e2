"""The evidence model: short broken words repaired where only the repair is plausible.

Each damaged text is made here from its truth (UTF-8 read through a code
page, bytes dropped as Windows-1252 drops them), never written by hand.
"""

from __future__ import annotations

import pytest

import textmend
from textmend.steps.repair.plausibility import flaws, mend_words


def _misread(word: str, encoding: str) -> str:
    return word.encode("utf-8").decode(encoding, "ignore")


# Partial damage: one short word of a correct sentence read through a code page.
PARTIAL = [
    ("Cena wynosi 5 zł za sztukę, a dostawa jest szybka.", "zł", "cp1252"),
    ("Ceny rostly mírně, řekl ředitel banky.", "mírně", "cp1252"),
    ("Ekonomi yavaş büyüyor, dedi bakan.", "yavaş", "cp1252"),
    ("Я думаю, что он думал о будущем.", "думал", "cp1251"),
    ("הוא אמר כי המצב השתפר מאוד.", "כי", "cp1252"),
    ("Tôi đã nói chuyện với bạn hôm qua.", "với", "cp1252"),
    ("오늘 기온이 낮 동안 올라갑니다.", "낮", "cp1252"),
    ("市内では水道管の凍結が相次ぎ、約 120 件の修理依頼が寄せられた。", "約", "cp1252"),
]


@pytest.mark.parametrize(("truth", "word", "encoding"), PARTIAL, ids=[w for _, w, _ in PARTIAL])
def test_a_short_broken_word_in_a_correct_sentence_is_repaired(
    truth: str, word: str, encoding: str
) -> None:
    damaged = truth.replace(word, _misread(word, encoding), 1)
    assert damaged != truth
    assert textmend.fix(damaged) == truth


def test_a_word_foreign_to_the_text_is_repaired_through_the_encoding_it_names() -> None:
    # "в" read as Windows-1251 is "РІ": capitals and a Ukrainian letter, no
    # flaw of its own, but letters the Russian text around it never uses.
    truth = "Я думаю, что он думал в Москве о будущем.\nОн был в Москве.\n"
    damaged = " ".join(
        _misread(w, "cp1251") if w in ("думал", "в") else w for w in truth.split(" ")
    )
    assert "РІ" in damaged
    assert textmend.fix(damaged) == truth


def test_a_plausible_word_is_never_decoded() -> None:
    # Each holds a complete sequence whose decoding would be a word too.
    for clean in (
        "SELKÄ\u00a0EDELLÄ\u00a0MAAHAN via @YouTube",
        "Join ZZAJÉ’s Official Fan List",
        "JOSÉ’S TACOS",
        "For a unit circle, √π ≈ 1.77.",
        "Рёбра, Сёмга, СССР…",
        "«\u00a0IRMÃ\u00a0»",
        # A capital after a hyphen or an apostrophe starts a word: "Ві" (²
        # through Windows-1251) and "Н’" (a combining mark) are no damage.
        "Анна-Віра і Н’Гома",
        # Diaereses as quotation marks: "ή¨" decodes to a Thaana vowel sign.
        "Η ¨ψυχή¨ του",
        # Leetspeak writes "Ä£" throughout; a word where "Ä£" would decode
        # is written the same way as those where it cannot.
        "PÄ£ÄK GÖÄ£ BÄ£ÄK",
    ):
        # Named as the document's encoding, and with nothing known of its
        # language: the model still leaves them (ftfy's own repair of the
        # first line is the "do no harm" half's concern).
        assert mend_words(clean, ("sloppy-windows-1252",), frozenset())[0] == clean


@pytest.mark.parametrize(
    ("word", "expected"),
    [("zÅ‚", 1), ("zł", 0), ("ÅŸirket", 1), ("şirket", 0), ("×›×™", 2), ("כי", 0), ("25°C", 0)],
)
def test_flaws_count_what_text_hardly_shows(word: str, expected: int) -> None:
    assert flaws(word) == expected


def test_real_lines_the_issue_names() -> None:
    ellipsis_quote = "“Testing for\nunit roots and\nCointegration.â€? Journal of"
    cases = {
        'He said "the data (PII).â€ The policy': 'He said "the data (PII).” The policy',
        ellipsis_quote: ellipsis_quote.replace("â€?", "”"),
        "icebergÃ¢â‚¬â€ the": "iceberg—the",
        "Ã¢â€ â‚¬Ã¢â€ â‚¬": "──",
        "I â¤ NY": "I ❤ NY",
    }
    for damaged, truth in cases.items():
        assert textmend.fix(damaged) == truth, damaged


def test_the_real_lines_are_made_by_losing_one_byte() -> None:
    # The damage the repairs above assume: Windows-1252 dropping byte 9D.
    twice = "—".encode().decode("cp1252").encode().decode("cp1252", "ignore")
    assert twice == "Ã¢â‚¬â€"
    assert "❤".encode().decode("cp1252", "ignore") == "â¤"
    box = "─".encode().decode("cp1252").encode().decode("cp1252", "ignore")
    assert box == "Ã¢â€â‚¬"


def test_a_letter_whose_lower_case_is_two_characters_is_still_a_letter_of_the_text() -> None:
    # "İ".lower() is "i" and a combining dot: the text's letters stay characters.
    truth = "İzmir limanı yavaş büyüdü."
    damaged = truth.replace("yavaş", _misread("yavaş", "cp1252"))
    assert textmend.fix(damaged) == truth
