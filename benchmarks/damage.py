"""The damage model: break the clean corpus the way text breaks in the wild.

Every case starts from one clean text of ``corpus/clean`` (its *truth*) and
applies a *chain* of operations, recorded as data so that it can be replayed
(``replay(truth, chain) == input``). The seed is fixed and every random choice
is drawn from a generator seeded by the case's file and kind, so
``python -m benchmarks.damage`` (or ``python benchmarks/damage.py``) rewrites
``corpus/cases.jsonl`` byte for byte.

>>> replay("“Hi”", [{"op": "encode", "encoding": "utf-8"},
...                 {"op": "decode", "encoding": "cp1252", "errors": "drop"}])
'â€œHiâ€'

Kinds (``form`` is ``text`` unless said otherwise; bytes are stored base64):

``clean``
    The truth itself: a repair must return it unchanged. Recoverable.
``mojibake/ENC``
    UTF-8 read as ENC (cp1252, latin-1, mac_roman, cp1250, cp1251, cp1253,
    cp1254, cp437), decoded the way browsers do: an undefined byte in
    0x80-0x9F becomes the C1 control of the same number (nothing lost); any
    other undefined byte (cp1253 0xAA 0xD2 0xFF) becomes U+FFFD (lost).
``double``
    Two layers: UTF-8 read as X, the result saved as UTF-8 and read as Y
    (X, Y among cp1252, latin-1, mac_roman; nothing lost). Recoverable.
``lossy-drop``, ``lossy-question``, ``lossy-replacement``
    UTF-8 read as cp1252 where the undefined bytes 0x81 0x8D 0x8F 0x90 0x9D
    were dropped, or replaced by ``?``, or by U+FFFD. Only texts that contain
    such a byte get these kinds.
``half-repaired``
    The chain of ``../shared/samples/README.md``: every ``”`` went through
    cp1252 with its 0x9D dropped (``â€``), then a repair turned ``â€`` + space
    into ``†`` (the space is gone too) while everything else, ``“`` and ``’``
    included, was repaired correctly. Only texts with ``”``. Recoverable: in
    the corpus ``†`` and ``â€`` occur only as this residue.
``partial``
    One line (with non-ASCII characters) of an otherwise clean text is UTF-8
    read as cp1252, latin-1 or mac_roman. Recoverable.
``entities``
    Characters written as HTML entities: named where HTML 4 has a name, else
    numeric; or all decimal; or all hex; either every non-ASCII character or
    only punctuation and symbols; ``&`` becomes ``&amp;``. Recoverable.
``legacy-bytes`` (bytes)
    The truth encoded in its language's legacy encoding (``LEGACY``);
    Vietnamese is first decomposed into cp1258's base letters and combining
    tone marks, as cp1258 files store it. Characters the encoding lacks
    (emoji, U+202F, ₽...) become ``?`` as an encoder with ``errors="replace"``
    writes them: such a case is not recoverable.
``mixed-bytes`` (bytes)
    A UTF-8 file with one or two lines in the language's legacy encoding
    (cp1252 for Western languages). Only lines the legacy encoding can
    represent are chosen. Recoverable.
``bom-bytes`` (bytes)
    UTF-8 with a byte order mark. Recoverable.
``utf16-bytes`` (bytes)
    UTF-16, little or big endian, with a byte order mark. Recoverable.

Recoverable in principle. Lossless chains are recoverable. Where bytes were
lost (dropped, ``?``, U+FFFD), each damaged character is a *site*; its
*candidates* are the characters whose UTF-8 bytes differ only in the lost
bytes (each lost byte can be any byte the decoder could not map) and that
come out of the same chain as the same damaged text. A candidate is
plausible if it is used somewhere in the corpus texts of the same language
or is a letter of its alphabet (``EXEMPLARS``) — the language's repertoire,
known without a dictionary — or is a symbol
(category So: any emoji could have been there); a ZWJ is plausible only
between two pictographs, and there it is the only plausible one. A site is
determined when exactly one candidate is plausible; the case is recoverable
when every site is. So ``â€`` for ``”`` in English is recoverable (U+2001,
U+200F, U+2010 are not English punctuation), ``Ñ`` for ``с`` in Russian is
not (``э`` and ``я`` fit too), nor is a dropped byte inside an emoji.
``legacy-bytes`` with characters replaced by ``?`` are not recoverable.
"""

from __future__ import annotations

import argparse
import base64
import codecs
import html.entities
import json
import random
import re
import sys
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "corpus" / "clean"
CASES = ROOT / "corpus" / "cases.jsonl"
SEED = 20261125

MOJIBAKE_ENCODINGS = (
    *("cp1252", "latin-1", "mac_roman"),
    *("cp1250", "cp1251", "cp1253", "cp1254", "cp437"),
)
TOTAL_ENCODINGS = ("cp1252", "latin-1", "mac_roman")  # nothing is lost reading bytes as these
LEGACY = {
    **dict.fromkeys(("en", "fr", "de", "es", "pt", "it", "nl"), "cp1252"),
    **dict.fromkeys(("pl", "cs"), "cp1250"),
    "tr": "cp1254",
    "vi": "cp1258",
    "ru": "cp1251",
    "uk": "cp1251",
    "el": "cp1253",
    "ar": "cp1256",
    "he": "cp1255",
    "zh": "gbk",
    "ja": "shift_jis",
    "ko": "euc_kr",
}
# Letters of the Latin-script alphabets beyond ASCII, so that a language's
# repertoire is not limited to the letters its few corpus texts happen to use.
EXEMPLARS = {
    "fr": "àâæçéèêëîïôœùûüÿ",
    "de": "äöüß",
    "es": "áéíñóúü",
    "pt": "áâãàçéêíóôõú",
    "it": "àèéìíîòóùú",
    "nl": "áéíóúàèëïöüĳ",
    "pl": "ąćęłńóśźż",
    "cs": "áčďéěíňóřšťúůýž",
    "tr": "çğıöşüâîû",
    "vi": "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ",
}
LOSSY = {"lossy-drop": "drop", "lossy-question": "question", "lossy-replacement": "replace"}
ZWJ = "\u200d"

Case = dict[str, Any]
Op = dict[str, Any]


# -- decoding with the error behaviours seen in the wild ---------------------


def _c1_or_replace(err: UnicodeError) -> tuple[str, int]:
    """Browser-style: undefined 0x80-0x9F keep their C1 code point, others are lost."""
    assert isinstance(err, UnicodeDecodeError)
    byte = err.object[err.start]
    return (chr(byte) if 0x80 <= byte <= 0x9F else "\ufffd"), err.start + 1


def _drop(err: UnicodeError) -> tuple[str, int]:
    assert isinstance(err, UnicodeDecodeError)
    return "", err.start + 1


def _question(err: UnicodeError) -> tuple[str, int]:
    assert isinstance(err, UnicodeDecodeError)
    return "?", err.start + 1


_HANDLERS: dict[str, Callable[[UnicodeError], tuple[str, int]]] = {
    "c1": _c1_or_replace,
    "drop": _drop,
    "question": _question,
}
for _name, _handler in _HANDLERS.items():
    codecs.register_error(f"damage-{_name}", _handler)


def _decode(data: bytes, encoding: str, errors: str) -> str:
    return data.decode(encoding, f"damage-{errors}" if errors in _HANDLERS else errors)


@cache
def _undefined(encoding: str) -> frozenset[int]:
    """Bytes that ``encoding`` cannot decode on their own (single-byte encodings)."""
    return frozenset(b for b in range(256) if not codecs.decode(bytes([b]), encoding, "ignore"))


def _lost_bytes(encoding: str, errors: str) -> frozenset[int]:
    """The bytes whose identity a decode with ``errors`` throws away."""
    if errors == "strict":
        return frozenset()
    if errors == "c1":
        return frozenset(b for b in _undefined(encoding) if not 0x80 <= b <= 0x9F)
    return _undefined(encoding)


# -- the operations of a chain ------------------------------------------------


def _compose_for_cp1258(text: str) -> str:
    """Split Vietnamese letters into what cp1258 stores: a base letter and tone marks.

    >>> _compose_for_cp1258("Việt") == "Vi\\u00ea\\u0323t"
    True
    """
    out = []
    for char in text:
        if _encodable(char, "cp1258"):
            out.append(char)
            continue
        parts = unicodedata.normalize("NFD", char)
        base, marks = parts[0], parts[1:]
        # cp1258 has precomposed â ê ô ơ ư ă but only five combining tone marks
        for i, mark in enumerate(marks):
            head = unicodedata.normalize("NFC", base + mark)
            if len(head) == 1 and _encodable(head, "cp1258"):
                out.append(head + marks[:i] + marks[i + 1 :])
                break
        else:
            out.append(parts)
    return "".join(out)


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _half_repair(text: str) -> str:
    """The residue of ../shared/samples: ``”`` + space -> ``†``, other ``”`` -> ``â€``.

    >>> _half_repair("“Yes” he said, “no”")
    '“Yes†he said, “noâ€'
    """
    return text.replace("” ", "†").replace("”", "â€")


def _entity(char: str, style: str) -> str:
    name = html.entities.codepoint2name.get(ord(char))
    if style == "named" and name:
        return f"&{name};"
    if style == "hex":
        return f"&#x{ord(char):x};"
    return f"&#{ord(char)};"


def _entities(text: str, style: str, scope: str) -> str:
    """Write characters as HTML entities.

    >>> _entities("café & “tea”", "named", "all")
    'caf&eacute; &amp; &ldquo;tea&rdquo;'
    """
    out = []
    for char in text:
        wanted = not char.isascii() and (
            scope == "all" or unicodedata.category(char)[0] in "PS" or char == "\u00a0"
        )
        out.append("&amp;" if char == "&" else _entity(char, style) if wanted else char)
    return "".join(out)


def _apply(op: Op, value: Any) -> Any:
    kind = op["op"]
    if kind == "encode":
        return value.encode(op["encoding"], op.get("errors", "strict"))
    if kind == "decode":
        return _decode(value, op["encoding"], op.get("errors", "strict"))
    if kind == "prepend":
        return bytes.fromhex(op["hex"]) + value
    if kind == "compose_for_cp1258":
        return _compose_for_cp1258(value)
    if kind == "half_repair":
        return _half_repair(value)
    if kind == "entities":
        return _entities(value, op["style"], op["scope"])
    if kind == "line":
        lines = value.splitlines(keepends=True)
        lines[op["index"]] = replay(lines[op["index"]], op["chain"])
        return "".join(lines)
    if kind == "spans":
        for start, end in reversed(op["spans"]):
            value = value[:start] + replay(value[start:end], op["chain"]) + value[end:]
        return value
    if kind == "upper_line":
        lines = value.splitlines(keepends=True)
        lines[op["index"]] = lines[op["index"]].upper()
        return "".join(lines)
    if kind == "join_line":
        lines = value.splitlines(keepends=True)
        lines[op["index"]] = lines[op["index"]].rstrip("\n") + " " + op["text"]
        return "".join(lines)
    if kind == "escape_amp":
        return value.replace("&", "&amp;")
    if kind == "encode_lines":
        lines = value.splitlines(keepends=True)
        return b"".join(
            replay(ln, op["chain"]) if i in op["lines"] else ln.encode(op["encoding"])
            for i, ln in enumerate(lines)
        )
    raise ValueError(f"unknown damage operation {kind!r} in {op!r}")


def replay(truth: str, chain: list[Op]) -> Any:
    """Apply a recorded chain to the truth; returns ``str`` or ``bytes``.

    >>> replay("é", [{"op": "encode", "encoding": "utf-8"}, {"op": "prepend", "hex": "efbbbf"}])
    b'\\xef\\xbb\\xbf\\xc3\\xa9'
    """
    value: Any = truth
    for op in chain:
        value = _apply(op, value)
    return value


def _misread(encoding: str, errors: str = "c1") -> list[Op]:
    """The chain 'UTF-8 bytes read as ``encoding``'."""
    return [
        {"op": "encode", "encoding": "utf-8"},
        {"op": "decode", "encoding": encoding, "errors": errors},
    ]


# -- recoverable in principle -------------------------------------------------


def _damaged_char(char: str, encoding: str, errors: str) -> str:
    return _decode(char.encode("utf-8"), encoding, errors)


@cache
def _candidates(char: str, encoding: str, errors: str) -> tuple[str, ...]:
    """Characters that the misreading makes indistinguishable from ``char``."""
    lost = _lost_bytes(encoding, errors)
    data = char.encode("utf-8")
    positions = [i for i, b in enumerate(data) if b in lost]
    if not positions:
        return (char,)
    variants = [bytearray(data)]
    for pos in positions:
        variants = [v[:pos] + bytes([b]) + v[pos + 1 :] for v in variants for b in sorted(lost)]
    damaged = _damaged_char(char, encoding, errors)
    found = set()
    for variant in variants:
        try:
            other = bytes(variant).decode("utf-8")
        except UnicodeDecodeError:
            continue
        assigned = len(other) == 1 and unicodedata.category(other) not in ("Cn", "Cs")
        if assigned and _damaged_char(other, encoding, errors) == damaged:
            found.add(other)
    return tuple(sorted(found))


def _pictographic(char: str) -> bool:
    return unicodedata.category(char) == "So"


def undetermined_sites(text: str, encoding: str, errors: str, repertoire: frozenset[str]) -> int:
    """Count the characters whose lost bytes the text and its language cannot restore.

    >>> undetermined_sites("“a”", "cp1252", "drop", frozenset("“”a"))
    0
    >>> undetermined_sites("сэя", "cp1252", "drop", frozenset("сэя"))
    3
    """
    count = 0
    for i, char in enumerate(text):
        candidates = _candidates(char, encoding, errors)
        if len(candidates) == 1:
            continue
        between_pictographs = 0 < i < len(text) - 1 and all(
            _pictographic(text[j]) or text[j] == "\ufe0f" for j in (i - 1, i + 1)
        )
        plausible = [
            c
            for c in candidates
            if (c == ZWJ) == between_pictographs and (c in repertoire or _pictographic(c))
        ]
        if plausible != [char]:
            count += 1
    return count


# -- building the cases -------------------------------------------------------


def _case(
    source: str,
    language: str,
    kind: str,
    chain: list[Op],
    truth: str,
    recoverable: bool,
    note: str = "",
    truth_chain: list[Op] | None = None,
) -> Case:
    if truth_chain:
        truth = replay(truth, truth_chain)
    damaged = replay(truth, chain)
    case: Case = {
        "id": f"{source.removesuffix('.txt')}/{kind}",
        "source": source,
        "language": language,
        "kind": kind,
        "chain": chain,
    }
    if truth_chain:
        case["truth_chain"] = truth_chain
    if isinstance(damaged, bytes):
        case["form"] = "bytes"
        case["input_base64"] = base64.b64encode(damaged).decode("ascii")
    else:
        case["form"] = "text"
        case["input"] = damaged
    case["truth"] = truth
    case["recoverable"] = recoverable
    if note:
        case["note"] = note
    return case


def _lossy_case(
    source: str,
    language: str,
    kind: str,
    text: str,
    encoding: str,
    errors: str,
    rep: frozenset[str],
) -> Case:
    bad = undetermined_sites(text, encoding, errors, rep)
    note = f"{bad} damaged characters cannot be told from their look-alikes" if bad else ""
    chain = _misread(encoding, errors)
    return _case(source, language, kind, chain, text, bad == 0, note)


def _legacy_chain(encoding: str, errors: str = "strict") -> list[Op]:
    pre: list[Op] = [{"op": "compose_for_cp1258"}] if encoding == "cp1258" else []
    return [*pre, {"op": "encode", "encoding": encoding, "errors": errors}]


def _text_cases(
    source: str, language: str, text: str, rep: frozenset[str], seed: int
) -> list[Case]:
    def rng(kind: str) -> random.Random:
        return random.Random(f"{seed}:{source}:{kind}")

    cases = [_case(source, language, "clean", [], text, True)]
    others = [e for e in MOJIBAKE_ENCODINGS if e != "cp1252"]
    for encoding in ["cp1252", *sorted(rng("mojibake").sample(others, 3))]:
        kind = f"mojibake/{encoding}"
        cases.append(_lossy_case(source, language, kind, text, encoding, "c1", rep))
    first, second = rng("double").choices(TOTAL_ENCODINGS, k=2)
    double = [*_misread(first), *_misread(second)]
    cases.append(_case(source, language, "double", double, text, True))
    if any(b in _undefined("cp1252") for b in text.encode("utf-8")):
        for kind, errors in LOSSY.items():
            cases.append(_lossy_case(source, language, kind, text, "cp1252", errors, rep))
    if "”" in text:
        cases.append(_case(source, language, "half-repaired", [{"op": "half_repair"}], text, True))
    lines = text.splitlines(keepends=True)
    r = rng("partial")
    index = r.choice([i for i, ln in enumerate(lines) if not ln.isascii()])
    line_op = {"op": "line", "index": index, "chain": _misread(r.choice(TOTAL_ENCODINGS))}
    cases.append(_case(source, language, "partial", [line_op], text, True))
    r = rng("entities")
    style, scope = r.choice(["named", "decimal", "hex"]), r.choice(["all", "punctuation"])
    entity_op = {"op": "entities", "style": style, "scope": scope}
    cases.append(_case(source, language, "entities", [entity_op], text, True))
    return cases


def _byte_cases(source: str, language: str, text: str, seed: int) -> list[Case]:
    legacy = LEGACY[language]
    missing = sorted({c for c in _storable(text, legacy) if not _encodable(c, legacy)})
    note = f"not in {legacy}: {' '.join(missing)}" if missing else ""
    chain = _legacy_chain(legacy, "replace" if missing else "strict")
    cases = [_case(source, language, "legacy-bytes", chain, text, not missing, note)]
    lines = text.splitlines(keepends=True)
    fits = [
        i
        for i, ln in enumerate(lines)
        if not ln.isascii() and _encodable(_storable(ln, legacy), legacy)
    ]
    if fits:
        r = random.Random(f"{seed}:{source}:mixed")
        chosen = sorted(r.sample(fits, min(len(fits), r.choice([1, 2]))))
        line_chain = _legacy_chain(legacy)
        op = {"op": "encode_lines", "encoding": "utf-8", "lines": chosen, "chain": line_chain}
        cases.append(_case(source, language, "mixed-bytes", [op], text, True))
    bom = [{"op": "encode", "encoding": "utf-8"}, {"op": "prepend", "hex": "efbbbf"}]
    cases.append(_case(source, language, "bom-bytes", bom, text, True))
    big = random.Random(f"{seed}:{source}:utf16").random() < 0.5
    utf16 = [
        {"op": "encode", "encoding": "utf-16-be" if big else "utf-16-le"},
        {"op": "prepend", "hex": "feff" if big else "fffe"},
    ]
    cases.append(_case(source, language, "utf16-bytes", utf16, text, True))
    return cases


def _storable(text: str, encoding: str) -> str:
    """The text as a file in ``encoding`` would hold it (see ``_legacy_chain``)."""
    return _compose_for_cp1258(text) if encoding == "cp1258" else text


# -- the wider damage model: damage as it is met in real text -----------------

# The code page a language's Windows reads UTF-8 as; others read it as cp1252.
WORD_ENCODINGS = {
    **dict.fromkeys(("pl", "cs"), "cp1250"),
    **dict.fromkeys(("ru", "uk"), "cp1251"),
    "el": "cp1253",
    "tr": "cp1254",
}
# Typography that correct text puts beside words: damage next to it must
# leave it as it is.
TYPOGRAPHY = "“”„«»‘’‚‹›\u00a0\u202f—–…"
_WORD = re.compile(r"[^\W\d_]+")
# Texts never looked at while the repair was tuned: their cases, built with
# another seed, are the held-out split of the accuracy benchmark.
HELD_OUT_SUFFIX = "-04.txt"
HELD_OUT_SEED = 41


def is_held_out(source: str) -> bool:
    """Whether a clean text belongs to the held-out split.

    >>> is_held_out("pl-04.txt"), is_held_out("pl-01.txt")
    (True, False)
    """
    return source.endswith(HELD_OUT_SUFFIX)


def _word_spans(text: str, r: random.Random) -> list[tuple[int, int]]:
    """The non-ASCII words of the text; a long run (a sentence of Chinese or
    Japanese, written without spaces) gives a piece of one to three letters
    around one beyond ASCII."""
    spans = []
    for match in _WORD.finditer(text):
        if match.group(0).isascii():
            continue
        start, end = match.span()
        if end - start > 12:
            at = r.choice([i for i in range(start, end) if not text[i].isascii()])
            start, end = max(start, at - r.randint(0, 1)), min(end, at + 1 + r.randint(0, 1))
        spans.append((start, end))
    return spans


def _pick(spans: list[tuple[int, int]], r: random.Random, count: int) -> list[list[int]]:
    """Up to ``count`` of the spans, one of them short (1-3 letters) if any is."""
    short = [s for s in spans if s[1] - s[0] <= 3]
    chosen = {r.choice(short)} if short else set()
    rest = [s for s in spans if s not in chosen]
    chosen.update(r.sample(rest, min(len(rest), count - len(chosen))))
    return [list(s) for s in sorted(chosen)]


def _words_case(
    source: str,
    language: str,
    kind: str,
    text: str,
    spans: list[list[int]],
    encoding: str,
    truth_chain: list[Op] | None = None,
) -> Case:
    op = {"op": "spans", "spans": spans, "chain": _misread(encoding)}
    damaged = replay(text, [op])
    note = "" if "\ufffd" not in damaged else f"{encoding} lost bytes it cannot decode"
    return _case(source, language, kind, [op], text, not note, note, truth_chain)


def beside_typography(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` has typography right before or after it."""
    return any(c and c in TYPOGRAPHY for c in (text[start - 1 : start], text[end : end + 1]))


def _first_script(text: str) -> str:
    return next(
        (unicodedata.name(c).split()[0] for c in text if c.isalpha() and ord(c) > 0x7F), "LATIN"
    )


def wider_cases(
    source: str, language: str, text: str, texts: dict[str, tuple[str, str]], seed: int
) -> list[Case]:
    """The kinds of the wider damage model.

    ``words``: two to four words (one of 1-3 letters where there is one) read
    through the language's code page or cp1252, the rest clean.
    ``typography``: the same for words beside correct curly quotes,
    guillemets, dashes or no-break spaces, which stay as they are.
    ``headline``: the first line in capitals (the truth), read as cp1252 or the
    language's code page whole. ``headline/clean``: the capitals undamaged.
    ``scripts``: the first line joined with a line of a text in another
    script (the truth), words of both read as cp1252. ``scripts/clean``:
    the joined paragraph undamaged.
    ``escaped-twice``: HTML entities, then the text escaped again
    (``&amp;rsquo;``).
    """

    def rng(kind: str) -> random.Random:
        return random.Random(f"{seed}:{source}:{kind}")

    local = WORD_ENCODINGS.get(language, "cp1252")
    cases = []
    r = rng("words")
    spans = _pick(_word_spans(text, r), r, r.randint(2, 4))
    encoding = r.choice(sorted({local, "cp1252"}))
    if spans:
        cases.append(_words_case(source, language, "words", text, spans, encoding))
    r = rng("typography")
    beside = [s for s in _word_spans(text, r) if beside_typography(text, *s)]
    if beside:
        spans = _pick(beside, r, 2)
        encoding = r.choice(sorted({local, "cp1252"}))
        cases.append(_words_case(source, language, "typography", text, spans, encoding))
    first = text.splitlines(keepends=True)[0]
    if not first.isascii() and first.upper() != first:
        upper = [{"op": "upper_line", "index": 0}]
        encoding = rng("headline").choice(sorted({local, "cp1252"}))
        line_op = {"op": "line", "index": 0, "chain": _misread(encoding)}
        cases.append(_case(source, language, "headline", [line_op], text, True, "", upper))
        cases.append(_case(source, language, "headline/clean", [], text, True, "", upper))
    r = rng("scripts")
    script = _first_script(text)
    others = sorted(n for n, (_, t) in texts.items() if _first_script(t) != script)
    other_lines = texts[r.choice(others)][1].splitlines(keepends=True)
    joined = [{"op": "join_line", "index": 0, "text": r.choice(other_lines)}]
    paragraph = replay(text, joined)
    line = paragraph.splitlines(keepends=True)[0]
    spans = _pick(_word_spans(line, r), r, r.randint(3, 5))
    cases.append(_words_case(source, language, "scripts", text, spans, "cp1252", joined))
    cases.append(_case(source, language, "scripts/clean", [], text, True, "", joined))
    r = rng("escaped-twice")
    style, scope = r.choice(["named", "decimal", "hex"]), r.choice(["all", "punctuation"])
    escaped = [{"op": "entities", "style": style, "scope": scope}, {"op": "escape_amp"}]
    if replay(text, escaped) != text:
        cases.append(_case(source, language, "escaped-twice", escaped, text, True))
    return cases


def load_clean() -> dict[str, tuple[str, str]]:
    """The clean texts: file name -> (language, text), from the manifest."""
    manifest = json.loads((CLEAN / "MANIFEST.json").read_text(encoding="utf-8"))
    texts = {}
    for name, info in sorted(manifest["files"].items()):
        text = (CLEAN / name).read_text(encoding="utf-8")
        if unicodedata.normalize("NFC", text) != text:
            raise ValueError(f"{CLEAN / name}: not in NFC; clean truth must be NFC")
        texts[name] = (info["language"], text)
    return texts


def build_cases(seed: int = SEED, held_out: bool | None = None) -> list[Case]:
    """Every case, in a fixed order; with ``held_out`` set, only the cases of
    the held-out texts (True) or of the others (False)."""
    texts = load_clean()
    repertoires = {lang: set(abc + abc.upper()) for lang, abc in EXEMPLARS.items()}
    for language, text in texts.values():
        repertoires.setdefault(language, set()).update(text)
    cases = []
    for source, (language, text) in texts.items():
        if held_out is not None and is_held_out(source) != held_out:
            continue
        rep = frozenset(repertoires[language])
        cases += _text_cases(source, language, text, rep, seed)
        cases += _byte_cases(source, language, text, seed)
        cases += wider_cases(source, language, text, texts, seed)
    return cases


def dumps(cases: list[Case]) -> str:
    """The JSONL text of the cases (one JSON object per line)."""
    return "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Regenerate the damaged cases.")
    parser.add_argument("--out", type=Path, default=CASES, help="default: corpus/cases.jsonl")
    out = parser.parse_args(argv).out
    cases = build_cases()
    out.write_text(dumps(cases), encoding="utf-8", newline="\n")
    kinds: dict[str, int] = {}
    for c in cases:
        kinds[c["kind"]] = kinds.get(c["kind"], 0) + 1
    for kind, n in sorted(kinds.items()):
        print(f"{kind:24} {n:4}")
    print(f"{len(cases)} cases -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
