"""Build ``repair_cases.json``: clean sentences, damaged by real encoding round trips.

Every ``expected`` below is a clean sentence written for this file; every
``input`` is made from it by the damage functions here, so the damage is the
real thing (bytes decoded through the wrong codec, bytes lost, entities,
controls) and never typed by hand. The script is deterministic; rerun it after
editing and commit both files:

    python tests/data/make_repair_cases.py    # in the project's virtual environment

A test checks that the JSON is exactly what this script builds.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-125x codecs)

OUT = Path(__file__).resolve().parent / "repair_cases.json"
W1252 = "sloppy-windows-1252"
ALL = None  # every occurrence of a character, in ``lossy``

CASES: list[dict[str, Any]] = []


def add(kind: str, slug: str, damaged: str, expected: str, note: str, **extra: object) -> None:
    CASES.append(
        {
            "id": f"{kind}.{slug}",
            "kind": kind,
            "input": damaged,
            "expected": expected,
            "note": note,
            **extra,
        }
    )


# ---------------------------------------------------------------------------
# Damage functions
# ---------------------------------------------------------------------------


def mojibake(clean: str, *encodings: str) -> str:
    """Encode as UTF-8 and decode as each encoding in turn; check no byte is lost."""
    text = clean
    for encoding in encodings:
        text = text.encode("utf-8").decode(encoding)
    back = text
    for encoding in reversed(encodings):
        back = back.encode(encoding).decode("utf-8")
    if back != clean:
        raise ValueError(f"{encodings} loses bytes in {clean!r}")
    return text


def partial(clean: str, phrase: str, *encodings: str) -> str:
    """Damage only ``phrase`` (a line or a few words) of the clean text."""
    if clean.count(phrase) != 1:
        raise ValueError(f"{phrase!r} must occur once in {clean!r}")
    return clean.replace(phrase, mojibake(phrase, *encodings))


def lossy(
    clean: str,
    lost: dict[str, Iterable[int] | None],
    fill: str = "",
    repaired: bool = True,
    dagger: bool = False,
) -> str:
    """UTF-8 read as Windows-1252 where the last byte of some characters was lost.

    ``lost`` maps a character to the occurrences (counted from 0) that lost
    their last byte, or to ``ALL``; ``fill`` replaces the lost byte (``""``,
    ``"?"`` or ``"\\ufffd"``). With ``repaired``, a later step restored every
    complete sequence, so only the lossy ones remain damaged. With ``dagger``,
    that step also took ``â€`` + space for ``â€`` + no-break space and made
    ``†`` of it (the chain of ../shared/samples/README.md).
    """
    seen: dict[str, int] = {}
    out = []
    for char in clean:
        index = seen.get(char, 0)
        seen[char] = index + 1
        which = lost.get(char, ())
        if char in lost and (which is None or index in which):
            out.append(char.encode("utf-8")[:-1].decode(W1252) + fill)
        elif char.isascii() or repaired:
            out.append(char)
        else:
            out.append(mojibake(char, W1252))
    text = "".join(out)
    damaged = text.replace("â€ ", "†") if dagger else text
    if damaged == clean:
        raise ValueError(f"nothing was damaged in {clean!r}")
    return damaged


def entities(clean: str, named: str = "", numeric: str = "", amp: bool = False) -> str:
    """Write some characters as HTML entities; ``amp`` escapes every ``&`` first."""
    from html.entities import codepoint2name

    text = clean.replace("&", "&amp;") if amp else clean
    out = []
    for char in text:
        if char in named:
            out.append(f"&{codepoint2name[ord(char)]};")
        elif char in numeric:
            out.append(f"&#{ord(char)};")
        else:
            out.append(char)
    return "".join(out)


def c1(clean: str) -> str:
    """Windows-1252 bytes read as Latin-1: curly quotes become C1 controls."""
    return clean.encode("windows-1252").decode("latin-1")


def insert(clean: str, after: dict[str, str]) -> str:
    """Insert a control string after the first occurrence of each anchor."""
    text = clean
    for anchor, junk in after.items():
        at = text.index(anchor) + len(anchor)
        text = text[:at] + junk + text[at:]
    return text


def surrogate_pairs(clean: str) -> str:
    """Astral characters as UTF-16 surrogate pairs (as a UTF-16 reader left them)."""
    out = []
    for char in clean:
        code = ord(char) - 0x10000
        if code < 0:
            out.append(char)
        else:
            out.append(chr(0xD800 + (code >> 10)) + chr(0xDC00 + (code & 0x3FF)))
    return "".join(out)


def escape_surrogates(text: str) -> str:
    """Write surrogates as literal ``\\uXXXX`` text (see ``surrogates_escaped``)."""
    return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group(0)):04x}", text)


# ---------------------------------------------------------------------------
# Classic mojibake, one encoding per kind
# ---------------------------------------------------------------------------

SINGLE: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "mojibake-windows-1252": (
        W1252,
        [
            ("mayor", "The mayor’s office said the bridge would reopen on Monday."),
            ("quote-cafe", "“We are not leaving,” said one resident outside the flooded café."),
            (
                "zurich-dash",
                "Prices at the Zürich market rose 4% in March — the steepest jump in years.",
            ),
            ("french", "Le ministre a déclaré que la réforme serait votée avant l’été."),
            ("german", "Die Bürgermeisterin eröffnete am Freitag die neue Brücke über die Spree."),
            (
                "spanish",
                "El presidente viajará a Bogotá el próximo miércoles, según fuentes oficiales.",
            ),
            ("euro", "Tickets cost €45 for adults and €20 for children under twelve."),
            ("ellipsis", "The band’s set was cancelled at the last minute… fans waited for hours."),
            ("bullets", "The report listed three causes: • drought • debt • migration."),
            ("trademark", "The company’s Widget™ range sold two million units in Europe."),
            ("sao-paulo", "São Paulo’s metro carried 4.2 million passengers on Tuesday."),
            ("en-dash-range", "Polling stations are open 7–22 h; turnout was 61 % by noon."),
        ],
    ),
    "mojibake-latin-1": (
        "latin-1",
        [
            ("cafe", "The café on Rue de la Paix reopened after the fire."),
            ("swedish", "Åsa Lindström won the regional election in Örebro."),
            ("french-apostrophe", "Ça va mieux, a répondu le médecin à la sortie de l’hôpital."),
            ("german", "Jürgen Müller führt seit Jahren die Gewerkschaft der Bäcker."),
            ("pinata", "A piñata shaped like the señor’s horse was the hit of the fiesta."),
        ],
    ),
    "mojibake-macroman": (
        "macroman",
        [
            ("quotes", "“It’s a difficult week,” the coach admitted after the defeat."),
            ("french", "Les élèves ont manifesté devant le lycée à Marseille."),
            ("german", "Der Ausschuss tagte bis spät in die Nacht über die Gebühren."),
            (
                "portuguese",
                "Os manuscritos de Pessoa foram transferidos para um acervo em São Bento.",
            ),
            ("degrees", "The temperature hit 41 °C in Córdoba on Sunday."),
        ],
    ),
    "mojibake-windows-1250": (
        "sloppy-windows-1250",
        [
            ("polish-budget", "Rząd przedstawił nowy budżet na przyszły rok."),
            ("polish-lodz", "Prezydent spotkał się ze związkowcami w Łodzi."),
            ("czech", "Vláda schválila novelu zákona o dani z příjmů."),
            ("hungarian", "Az ülésen döntöttek a főváros új költségvetéséről."),
        ],
    ),
    "mojibake-windows-1251": (
        "sloppy-windows-1251",
        [
            ("russian-business", "Правительство объявило о новых мерах поддержки малого бизнеса."),
            ("russian-snow", "В Москве в среду прошёл сильный снегопад."),
            ("ukrainian-kyiv", "Київська міська рада затвердила бюджет на наступний рік."),
            ("ukrainian-farmers", "Уряд України оголосив про нову програму для фермерів."),
        ],
    ),
    "mojibake-windows-1253": (
        "sloppy-windows-1253",
        [
            ("prices", "Η κυβέρνηση ανακοίνωσε νέα μέτρα για την ακρίβεια."),
            ("athens", "Στην Αθήνα η θερμοκρασία έφτασε τους 40 βαθμούς."),
            ("metro", "Ο δήμαρχος Θεσσαλονίκης εγκαινίασε τη νέα γραμμή του μετρό."),
            ("voters", "Οι ψηφοφόροι προσήλθαν στις κάλπες από νωρίς το πρωί."),
        ],
    ),
    "mojibake-windows-1254": (
        "sloppy-windows-1254",
        [
            ("istanbul", "İstanbul’da seçim sonuçları gece yarısı açıklandı."),
            ("teachers", "Bakanlık, öğretmen atamalarının eylülde yapılacağını duyurdu."),
            ("shares", "Şirketin hisseleri çarşamba günü yüzde beş düştü."),
            ("ankara", "Ankara’da düzenlenen zirvede iklim değişikliği görüşüldü."),
        ],
    ),
    "mojibake-cp437": (
        "cp437",
        [
            ("malmo", "The café in Malmö was named best bakery of the year."),
            ("senora", "Señora Pérez denied the report on Thursday."),
            ("strasse", "Die Straße bleibt bis Ende Mai gesperrt."),
        ],
    ),
}

for kind, (encoding, sentences) in SINGLE.items():
    for slug, clean in sentences:
        add(kind, slug, mojibake(clean, encoding), clean, f"UTF-8 read as {encoding}")


# ---------------------------------------------------------------------------
# Double mojibake: two layers
# ---------------------------------------------------------------------------

DOUBLE = [
    ("apostrophe", "The council’s vote was postponed again.", (W1252, W1252)),
    ("quotes", "“No comment,” the spokesman told reporters.", (W1252, W1252)),
    ("accents", "Hélène Dubois présidera la séance de février.", (W1252, W1252)),
    ("latin1-then-1252", "Die Präsidentin besuchte Köln und Düsseldorf.", ("latin-1", W1252)),
    ("macroman-then-1252", "Renée’s bakery won the prize in Nîmes.", ("macroman", W1252)),
    ("1252-then-latin1", "Señor Muñoz dijo que la sesión terminó tarde.", (W1252, "latin-1")),
]
for slug, clean, encodings in DOUBLE:
    add(
        "double-mojibake",
        slug,
        mojibake(clean, *encodings),
        clean,
        "UTF-8 read as " + ", then again as ".join(encodings),
    )


# ---------------------------------------------------------------------------
# Partial mojibake: one line or phrase damaged, the rest correct
# ---------------------------------------------------------------------------

PARTIAL = [
    (
        "middle-line",
        "Floods hit the north\nThe river’s level rose two metres overnight.\n"
        "Schools will stay closed until Friday.",
        "The river’s level rose two metres overnight.",
        (W1252,),
    ),
    (
        "byline",
        "“The talks are over,” she said.\nReporting by José Álvarez; editing by Zoë Brandt.",
        "José Álvarez",
        (W1252,),
    ),
    (
        "last-line",
        "Weather\nSunny spells in the south.\nMétéo : éclaircies l’après-midi.",
        "Météo : éclaircies l’après-midi.",
        (W1252,),
    ),
    (
        "russian-quote",
        "The minister said:\n«Мы не отступим».\nThe session ended at noon.",
        "«Мы не отступим».",
        ("sloppy-windows-1251",),
    ),
    (
        "macroman-line",
        "Programme du soir\n20 h – journal\n21 h – débat sur l’école publique",
        "21 h – débat sur l’école publique",
        ("macroman",),
    ),
    (
        "headline-correct",
        "Ökonomen warnen vor Rezession\nDie Prognose für 2025 wurde gesenkt – „deutlich“, hieß es.",
        "Die Prognose für 2025 wurde gesenkt – „deutlich“, hieß es.",
        (W1252,),
    ),
    (
        "phrase-in-line",
        "Dateline: Kraków — the festival opens in “Plac Szczepański” tonight.",
        "Plac Szczepański",
        ("sloppy-windows-1250",),
    ),
]
for slug, clean, phrase, encodings in PARTIAL:
    add(
        "partial-mojibake",
        slug,
        partial(clean, phrase, *encodings),
        clean,
        f"only {phrase!r} went through {', '.join(encodings)}",
    )


# ---------------------------------------------------------------------------
# Lossy residue: the Windows-1252 family of lost bytes and half repairs
# ---------------------------------------------------------------------------

RESIDUE: list[tuple[str, str, str, dict[str, Any]]] = [
    (
        "dagger-mid-line",
        "Officials called it “a little bit of progress” on the ceasefire talks.",
        "† made from â€ + space closes the quote “ opened",
        {"lost": {"”": ALL}, "dagger": True},
    ),
    (
        "dagger-two-quotes",
        "“Enough,” one farmer said, and “we mean it” another added.",
        "two † after a letter and after a comma, each closing a “",
        {"lost": {"”": ALL}, "dagger": True},
    ),
    (
        "end-of-line",
        "The opposition leader called the budget “reckless”",
        "â€ at the end of the line closes the open “",
        {"lost": {"”": ALL}, "dagger": True},
    ),
    (
        "before-period",
        "Residents described the night as “the worst they had seen”. Help arrived at dawn.",
        "â€ before a period closes the open “",
        {"lost": {"”": ALL}, "dagger": True},
    ),
    (
        "before-comma",
        "The so-called “red line”, which both sides had accepted, was crossed on Sunday.",
        "â€ before a comma closes the open “",
        {"lost": {"”": ALL}, "dagger": True},
    ),
    (
        "paragraph",
        "“We will not go back,” said Amal, 34.\n"
        "Her brother added that the shelling was “constant”\n"
        "Aid workers said “nothing had prepared them” for it.",
        "the aleppo chain on three lines: †, line-final â€, † again",
        {"lost": {"”": ALL}, "dagger": True},
    ),
    (
        "unrepaired-line",
        "“We are ready” said the captain before the final.",
        "whole line is Windows-1252 mojibake; the closing quote lost its 0x9D",
        {"lost": {"”": ALL}, "repaired": False},
    ),
    (
        "apostrophe-question",
        "The minister doesn’t plan to resign, her office said.",
        "â€? between letters is an apostrophe",
        {"lost": {"’": ALL}, "fill": "?"},
    ),
    (
        "apostrophe-replacement",
        "It wasn’t clear whether the amendment would pass.",
        "whole line mojibake, the apostrophe's last byte became U+FFFD",
        {"lost": {"’": ALL}, "fill": "\ufffd", "repaired": False},
    ),
    (
        "possessive-question",
        "Syria’s northern border reopened, and Turkey’s trucks crossed at dawn.",
        "two possessive apostrophes written â€?",
        {"lost": {"’": ALL}, "fill": "?"},
    ),
    (
        "close-after-curly-open",
        "“We have done our part,” the union said in a statement.",
        "â€? closes a quote opened by a correct “",
        {"lost": {"”": ALL}, "fill": "?"},
    ),
    (
        "close-after-mojibake-open",
        "“Nobody told us anything,” a driver said at the depot.",
        "â€? closes a quote opened by â€œ on an unrepaired line",
        {"lost": {"”": ALL}, "fill": "?", "repaired": False},
    ),
    (
        "open-question",
        "“Not today,” the judge said, adjourning the hearing.",
        "â€? before a word opens the quote that a correct ” closes",
        {"lost": {"“": ALL}, "fill": "?"},
    ),
    (
        "both-quotes-question",
        "“Stay indoors,” the police warned residents of the coastal town.",
        "opening â€? before a word, closing â€? after a comma",
        {"lost": {"“": ALL, "”": ALL}, "fill": "?"},
    ),
    (
        "replacement-quote-and-apostrophe",
        "“It’s too early to say,” the coach said after training.",
        "U+FFFD for the lost byte of the closing quote; the apostrophe is intact mojibake",
        {"lost": {"”": ALL}, "fill": "\ufffd", "repaired": False},
    ),
    (
        "en-dash-lossy",
        "Trains run Monday – Friday; buses run Saturday – Sunday.",
        "the first en dash is complete â€“, the second lost its byte between spaces",
        {"lost": {"–": (1,)}, "fill": "?", "repaired": False},
    ),
    (
        "em-dash-lossy",
        "The port — closed since May — reopened on Thursday.\n"
        "Fishermen — many of them unpaid — returned to sea.",
        "em dashes complete on line 1 (â€”), the same dash lossy on line 2",
        {"lost": {"—": (2, 3)}, "fill": "?", "repaired": False},
    ),
    (
        "ellipsis-with-quote",
        "“We waited… and waited”, one traveller said.",
        "complete â€¦ ellipsis next to a closing quote that lost its byte",
        {"lost": {"”": ALL}, "repaired": False},
    ),
    (
        "bullets-lossy",
        "Measures announced:\n• free buses\n• longer opening hours\n• a new clinic",
        "bullets â€¢ complete on two lines, lossy â€? at the start of the third",
        {"lost": {"•": (2,)}, "fill": "?", "repaired": False},
    ),
    (
        "trademark-lossy",
        "The Widget™ phone and the Widget™ tablet go on sale in June.",
        "™ complete once (â„¢) and lossy once (â„?) after the same brand",
        {"lost": {"™": (1,)}, "fill": "?", "repaired": False},
    ),
    (
        "euro-lossy",
        "Fuel now costs €1.89 a litre, up from €1.62 last year.",
        "€ complete once (â‚¬) and lossy once (â‚?) before a number",
        {"lost": {"€": (1,)}, "fill": "?", "repaired": False},
    ),
    (
        "euro-lossy-alone",
        "The fine was raised to €500 for a first offence.",
        "â‚? directly before a number in a repaired line is the euro sign",
        {"lost": {"€": ALL}, "fill": "?"},
    ),
    (
        "a-grave-space",
        "Le sommet a eu lieu à Genève, à huis clos.",
        "à is C3 A0; the no-break space became a plain space",
        {"lost": {"à": ALL}, "fill": " ", "repaired": False},
    ),
]
for slug, clean, note, options in RESIDUE:
    add("lossy-residue", slug, lossy(clean, **options), clean, note)

# Á Í Ï Ð Ý are C3 81/8D/8F/90/9D: Windows-1252 drops the second byte of all
# five. The letters the rest of the text shows decide; where two fit, the hole
# stays and the rest of the line is repaired.
add(
    "lossy-residue",
    "a-acute-dropped",
    lossy("Álvaro Pérez ganó la etapa en Bogotá.", lost={"Á": ALL}, repaired=False),
    "Álvaro Pérez ganó la etapa en Bogotá.",
    "Á lost its second byte; of Á Í Ï Ð Ý only á occurs elsewhere in the text",
)
add(
    "lossy-residue",
    "a-acute-ambiguous",
    lossy("Álvaro Díaz ganó la etapa en Bogotá.", lost={"Á": ALL}, repaired=False),
    "Ãlvaro Díaz ganó la etapa en Bogotá.",
    "Á lost its second byte, and both á and í occur in the text: the hole stays",
)


# ---------------------------------------------------------------------------
# Negatives: correct text that must come back unchanged
# ---------------------------------------------------------------------------

NEGATIVES = [
    ("en", "en-curly", "“Nobody expected the vote to be this close,” the senator’s aide said."),
    (
        "fr",
        "fr-guillemets",
        "«\u202fNous resterons mobilisés\u202f», a déclaré la syndicaliste\u202f!",
    ),
    (
        "fr",
        "fr-nbsp",
        "Pourquoi maintenant\u00a0? «\u00a0Parce que le froid arrive\u00a0», dit-il.",
    ),
    ("de", "de-quotes", "„Wir haben keine Zeit zu verlieren“, sagte die Ministerin in Berlin."),
    ("es", "es-marks", "¿Quién pagará la reconstrucción? ¡Nadie lo sabe!, respondió el alcalde."),
    ("pt", "pt-bridges", "O governo anunciou ontem a construção de três pontes sobre o Tejo."),
    ("pt", "pt-a-grave", "À noite, a praça ficou cheia; Ângela Ferreira discursou às dez."),
    ("it", "it-naples", "Il sindaco di Napoli ha inaugurato più di venti cantieri quest’anno."),
    (
        "nl",
        "nl-utrecht",
        "Utrecht wil vóór 2030 alle oliekachels vervangen; ’s avonds blijft het centrum autovrij.",
    ),
    (
        "pl",
        "pl-reform",
        "Źródła w ministerstwie potwierdziły, że reforma wejdzie w życie we wrześniu.",
    ),
    ("cs", "cs-floods", "Přívalové deště zaplavily v úterý několik obcí na jižní Moravě."),
    ("tr", "tr-exports", "Türkiye’nin ihracatı geçen ay yüzde 12 arttı; İzmir limanı rekor kırdı."),
    ("vi", "vi-hanoi", "Hà Nội sẽ mở rộng tuyến đường sắt đô thị trong năm tới."),
    ("ru", "ru-bank", "Центральный банк сохранил ключевую ставку на прежнем уровне."),
    ("uk", "uk-lviv", "Львівська філармонія відкрила новий сезон концертом Ліста."),
    ("el", "el-piraeus", "Το λιμάνι του Πειραιά κατέγραψε ρεκόρ αφίξεων κρουαζιερόπλοιων."),
    ("ar", "ar-hospital", "أعلنت وزارة الصحة عن افتتاح مستشفى جديد في المدينة."),
    ("he", "he-budget", "הממשלה אישרה את התקציב החדש לאחר דיון ארוך."),
    ("hi", "hi-farmers", "सरकार ने किसानों के लिए नई योजना की घोषणा की।"),
    ("th", "th-skytrain", "กรุงเทพฯ เตรียมเปิดรถไฟฟ้าสายใหม่ในปีหน้า"),
    ("zh", "zh-parks", "北京市政府宣布，明年将新建十座公园（含两座湿地公园）。"),
    ("ja", "ja-library", "東京都は来年、新しい図書館を開館すると発表した。"),
    ("ko", "ko-fares", "서울시는 내년부터 대중교통 요금을 인상한다고 밝혔다."),
    ("is", "is-headline", "KOSNINGAR Í REYKJAVÍK: ÞÓRÐUR SIGRAÐI Í GÆR"),
    ("is", "is-sentence", "Þórdís og Guðmundur sigruðu í kosningunum á Ísafirði."),
    ("da", "da-aarhus", "Århus Kommune åbner en ny skole i august; Ålborg venter til næste år."),
    ("sv", "sv-flights", "Regeringen i Stockholm föreslår högre skatt på flygresor."),
    ("hu", "hu-parliament", "Az Országgyűlés kedden elfogadta az új költségvetést."),
    (
        "ro",
        "ro-budget",
        "Guvernul României și-a aprobat bugetul; ședința a durat până la miezul nopții.",
    ),
    ("en", "emoji-zwj", "The lab celebrated with 👩‍🔬 and 🏳️‍🌈 stickers; one family sent 👨‍👩‍👧."),
    ("en", "footnote-dagger", "The study was led by Anna Smith† and published in 2019."),
    ("de", "death-dagger", "Karl Weber (*1871, †1944) gründete die Zeitung in Bremen."),
    ("de", "death-dagger-quoted", "„Max Planck (†1947) erhielt den Nobelpreis“, stand dort."),
    ("en", "dagger-legend", "Names marked † died before the report was finished."),
    ("en", "math-sqrt-pi", "For a unit circle, √π ≈ 1.77 is the side of the square of equal area."),
    ("en", "times-squared", "Zoom levels on the old microscope are labelled ×², ×⁴ and ×⁸."),
    ("en", "currency-row", "Entry: £10 – €12 – $13, children free."),
    ("de", "oel-curly", "Auf dem Schild stand nur “Öl” in großen Buchstaben."),
    (
        "pl",
        "windows-path",
        "Plik zapisano w C:\\Users\\Łukasz\\Dokumenty\\raport_końcowy.docx wczoraj.",
    ),
    (
        "en",
        "url-percent",
        "Read more at https://example.org/caf%C3%A9-society?ref=news&lang=fr today.",
    ),
    ("en", "ampersand", "AT&T and Procter & Gamble reported earnings on Thursday."),
    (
        "en",
        "escaped-markup",
        "The tutorial explains why &lt;b&gt; appears literally in escaped HTML.",
    ),
    (
        "en",
        "escaped-script",
        "Comments with &lt;script&gt; tags were escaped; &lt; is never decoded.",
    ),
    ("pt", "sao-paulo-caps", "SÃO PAULO — A PREFEITURA ANUNCIOU NOVAS CICLOVIAS"),
    ("fr", "chateau", "Le château, une pâtisserie et un gâteau : voilà le programme."),
    (
        "en",
        "lone-a-euro-encodings",
        "In the corrupted export, the characters â€ stand where a byte went missing.",
    ),
    ("en", "lone-a-euro-currency", "The scanner misread the euro sign as â€ on every price tag."),
    ("en", "lost-byte-log", "Error logs show â€? wherever the converter gave up on a byte."),
    ("en", "dagger-after-closed-quote", "“Hamlet” was staged by Kenneth Branagh† in 1996."),
    ("en", "minus-degrees", "Overnight lows of −5 °C are expected; winds ≥ 60 km/h."),
    ("en", "halfwidth-katakana", "Old receipts print ｶﾀｶﾅ in half-width form."),
    ("en", "tab-table", "Name\tScore\nÅsa\t9,5\nJosé\t8,75"),
]
for lang, slug, clean in NEGATIVES:
    add("negative", slug, clean, clean, "correct text; must come back unchanged", lang=lang)


# ---------------------------------------------------------------------------
# HTML entities, one level, never into markup
# ---------------------------------------------------------------------------

ENTITIES = [
    ("rsquo", "It’s the council’s last meeting before the summer break.", {"named": "’"}),
    ("decimal-quotes", "“We will appeal,” the lawyer said.", {"numeric": "“”"}),
    ("eacute", "The café near the station has closed.", {"named": "é"}),
    ("amp", "AT&T shares fell 2% on Friday.", {"amp": True}),
    (
        "double-escaped-markup",
        "Escaped markup such as &lt;b&gt; is shown literally.",
        {"amp": True},
    ),
    (
        "mdash-hellip",
        "The talks lasted two hours — far longer than planned… again.",
        {"named": "—…"},
    ),
    ("mixed", "Tom & Jerry’s “café” opens at 9.", {"amp": True, "named": "’é", "numeric": "“”"}),
]
for slug, clean, options in ENTITIES:
    add("html-entities", slug, entities(clean, **options), clean, f"entities: {options}")


# ---------------------------------------------------------------------------
# Control characters, escapes and surrogates
# ---------------------------------------------------------------------------

CLEAN = "BREAKING: Storm closes the main port."
add(
    "controls",
    "terminal-escapes",
    CLEAN.replace("BREAKING:", "\x1b[1;31mBREAKING:\x1b[0m"),
    CLEAN,
    "ANSI colour codes around a word",
)
CLEAN = "The vote count was delayed in three districts."
add(
    "controls",
    "nul-bel",
    insert(CLEAN, {"vote": "\x00", "delayed": "\x07", "three": "\x00\x00"}),
    CLEAN,
    "NUL and BEL bytes between words",
)
CLEAN = "Fans posted 🎉 and 🏆 all night."
add(
    "controls",
    "surrogate-pairs",
    escape_surrogates(surrogate_pairs(CLEAN)),
    CLEAN,
    "UTF-16 surrogate pairs; JSON would join an escaped pair, so they are written "
    "as literal \\uXXXX text that the loader turns back into code units",
    surrogates_escaped=True,
)
CLEAN = "The flag 🏁 was cut off mid-character."
add(
    "controls",
    "lone-surrogate",
    surrogate_pairs(CLEAN)[: CLEAN.index("🏁") + 1] + CLEAN[CLEAN.index("🏁") + 1 :],
    CLEAN.replace("🏁", "\ufffd"),
    "a lone high surrogate: the character cannot be known, so U+FFFD marks the loss",
)
CLEAN = "“Yes”, she said – and left the room."
add("controls", "c1-quotes", c1(CLEAN), CLEAN, "Windows-1252 bytes read as Latin-1 (C1 controls)")
CLEAN = "Markets closed higher on Friday."
add(
    "controls",
    "bom-and-delete",
    insert(CLEAN, {"Markets ": "\ufeff", "higher": "\x7f"}),
    CLEAN,
    "a stray byte-order mark and DEL inside the line",
)


# ---------------------------------------------------------------------------
# Document context: one signature, strong on some lines, weak on one
# ---------------------------------------------------------------------------

DOCUMENTS = [
    (
        "macroman-ou",
        "Les habitants d’Arles ont été évacués jeudi.\n"
        "« Nous ne savons pas où aller », a déclaré une élue.\n"
        "La préfecture a ouvert un gymnase.\n"
        "Où dormir ?\n"
        "Personne ne sait où.",
        "macroman",
        "lines 1-3 are strong MacRoman (√©, ‚Äô); the last line only has o√π",
    ),
    (
        "macroman-english",
        "“We’re staying,” said Renée Martin.\n"
        "Her café, opened in 1998, survived two floods.\n"
        "Locals call it “the ark”.\n"
        "Ask for Zoë or for Léon, the chef.\n"
        "Motto: où et quand.",
        "macroman",
        "strong MacRoman quotes and accents, then a weak line with o√π only",
    ),
    (
        "cp1251-moscow",
        "Правительство утвердило план строительства.\nДата: 12 мая\nМосква",
        "sloppy-windows-1251",
        "first line strongly Windows-1251; the single-word line Москва alone is left by ftfy",
    ),
    (
        "cp1251-yes",
        "Референдум состоится в воскресенье.\nИтоги объявят в понедельник.\nда",
        "sloppy-windows-1251",
        "the last line is the two letters да (РґР°), weak on its own",
    ),
]
for slug, clean, encoding, note in DOCUMENTS:
    add("document-context", slug, mojibake(clean, encoding), clean, note)
# A clean line among damaged ones is no weak line: its "Рё" (Рёбра) and
# "Р…" (СССР…) read as Windows-1251 would be и and ѽ.
CLEAN = "Референдум состоится в воскресенье.\nИтоги объявят в понедельник.\nРёбра, Сёмга, СССР…"
add(
    "document-context",
    "cp1251-clean-line",
    partial(CLEAN, CLEAN.rsplit("\n", 1)[0], "sloppy-windows-1251"),
    CLEAN,
    "two lines strongly Windows-1251, then a correct line whose letters make sequences",
)


# ---------------------------------------------------------------------------

_INVISIBLE = re.compile(r"[^\x20-\x7e\n]")


def _escape_invisible(match: re.Match[str]) -> str:
    char = match.group(0)
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zs", "Co", "Cn"):
        return f"\\u{ord(char):04x}"
    return char


def render(cases: list[dict[str, Any]]) -> str:
    """The JSON text, one case per block; invisible characters as \\u escapes."""
    text = json.dumps(cases, ensure_ascii=False, indent=1)
    # Inside JSON strings a \\uXXXX escape means the same character, and
    # controls, spaces of odd widths and surrogates must be visible to a reviewer.
    return _INVISIBLE.sub(_escape_invisible, text) + "\n"


def main() -> None:
    ids = [case["id"] for case in CASES]
    duplicated = {i for i in ids if ids.count(i) > 1}
    if duplicated:
        sys.exit(f"duplicate ids: {sorted(duplicated)}")
    OUT.write_text(render(CASES), encoding="utf-8")
    print(f"wrote {len(CASES)} cases to {OUT}")


if __name__ == "__main__":
    main()
