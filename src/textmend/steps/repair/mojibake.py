"""Classic mojibake: ftfy underneath, plus what it cannot see from one line.

UTF-8 decoded as a single-byte encoding is repaired line by line through
``ftfy.fix_encoding``, with what ftfy gets wrong hidden from it and what it
finds too weak decoded after it: pairs inside words, lone symbol sequences,
whole lines of one encoding. With document context: when other lines were
confidently repaired through one encoding (say UTF-8 read as MacRoman),
sequences of that encoding that ftfy leaves alone on a weaker line are
decoded the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache, partial

import ftfy
import regex

from textmend._ftfy import BADNESS_RE, CHARMAP_ENCODINGS, UTF8_DETECTOR_RE
from textmend._ftfy import LOSSY_UTF8_RE as _LOSSY_UTF8_RE
from textmend.step import Step, char_class
from textmend.steps.repair.lost_bytes import refill_symbols
from textmend.steps.repair.plausibility import (
    letters_lost,
    letters_of,
    mend_words,
    named_by,
    sequences_in,
)
from textmend.steps.repair.sequences import (
    CONT_ANY,
    HIGH_ANY_SET,
    MARKERS,
    UTF8_TRIGGERS,
    decoded,
    has_sequence,
    reread,
    rereadings,
    text_lines,
    utf8_sequences,
)
from textmend.steps.repair.telltale import TELLTALE_TRIGGERS

_CACHE = 4096

# What ftfy would get wrong, hidden from it behind a noncharacter while it
# works on a line: an unrepaired hole followed by a space (ftfy takes the space
# for a lost no-break space and makes "†", the very damage lossy_residue
# undoes) or by a lost-byte marker (ftfy makes it "�"); and a lone "×²" or
# "×³", which ftfy reads as the Hebrew "ײ" though it is a power. A hole after
# "Ã¢" (its "â" read twice) is part of a second layer, which ftfy decodes with it.
_PROTECT = re.compile(f"(?<!Ã¢)â€(?![{CONT_ANY}])[ {MARKERS}]|×[²³]")
_MASK = "\ufdd0"


def _protected(line: str) -> list[str]:
    found = _PROTECT.findall(line)
    if sum(1 for m in found if m[0] == "×") > 1:
        found = [m for m in found if m[0] != "×"]
    return found


# Letters of the scripts most text is written in; a mis-decode that makes one
# or two letters of any other script is no repair.
_RARE_LETTER = regex.compile(
    r"(?=\p{L})[^\p{Latin}\p{Greek}\p{Cyrillic}\p{Armenian}\p{Hebrew}\p{Arabic}"
    r"\p{Devanagari}\p{Bengali}\p{Tamil}\p{Thai}\p{Hangul}\p{Hiragana}\p{Katakana}"
    r"\p{Han}\p{Common}\p{Inherited}]"
)


# Blocks that hold letters of common scripts only (Latin, Greek but Coptic,
# Cyrillic, Armenian, Hebrew, Arabic, Devanagari, Bengali, Tamil, Thai,
# Hangul, kana, Han), punctuation and symbols: text of these holds no rare
# letter, which ``re`` says far quicker than ``regex`` asks each letter's script.
_COMMON_RANGES = (
    (0x0000, 0x03E1),
    (0x03F0, 0x06FF),
    (0x0900, 0x09FF),
    (0x0B80, 0x0BFF),
    (0x0E00, 0x0E7F),
    (0x1100, 0x11FF),
    (0x1E00, 0x206F),
    (0x20A0, 0x20CF),
    (0x2100, 0x214F),
    (0x2190, 0x23FF),
    (0x2460, 0x27BF),
    (0x3000, 0x30FF),
    (0x3130, 0x318F),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xFE00, 0xFE0F),
    (0xFF00, 0xFFEF),
    (0x1F000, 0x1FAFF),
)
_COMMON_BLOCKS = re.compile(
    "[" + "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in _COMMON_RANGES) + "]*"
)


def _makes_rare_script_letter(line: str, fixed: str) -> bool:
    """Whether ftfy's repair made a stray letter of a rare script:
    ``godzinę†–`` read as one Windows-1250 sequence gives a Yi syllable,
    which is no repair of Polish."""
    if _COMMON_BLOCKS.fullmatch(fixed):
        return False
    # Only a letter the repair made can be a stray one.
    if not _RARE_LETTER.search("".join(set(fixed).difference(line))):
        return False
    if _RARE_LETTER.search(line):
        return False
    return len(_RARE_LETTER.findall(fixed)) <= 2


def _whole_line(line: str) -> ftfy.ExplainedText:
    """A line that is UTF-8 read as one encoding through and through, which
    ftfy's badness measure does not catch (Greek or Chinese read as
    Windows-1251, say). Every non-ASCII character must belong to a complete
    sequence, which correct text essentially never does, and the line must
    give at least three characters, whose letters are all of one script."""
    for encoding, fixed in rereadings(line):
        made = [c for c in fixed if ord(c) > 0x7F]
        scripts = {_script(c) for c in made if c.isalpha()}
        if len(made) >= 3 and len(scripts) == 1 and fixed != line:
            return ftfy.ExplainedText(fixed, [ftfy.ExplanationStep("encode", encoding)])
    return ftfy.ExplainedText(line, [])


# "�" where Windows-1253 lost the lead byte D2: before a continuation byte,
# not after a lead.
_GREEK_LOST_LEAD = re.compile(
    f"(?<![{char_class(decoded('sloppy-windows-1253', 0xC2, 0xF4))}])\ufffd"
    f"(?=[{char_class(decoded('sloppy-windows-1253', 0x80, 0xBF))}])"
)


def _lost_greek_byte(line: str) -> ftfy.ExplainedText | None:
    """UTF-8 read as Windows-1253 by a decoder that made the bytes it lacks
    "�". Of those, AA is the one continuation byte and D2 the one lead byte
    (the others became C1 controls, which keep their byte), so each "�" can
    be put back (as ftfy's sloppy codec reads them: "ª", "Ò") and the line
    decoded, if it then is Windows-1253 through and through; else None."""
    fixed, plan = ftfy.fix_encoding_and_explain(
        _GREEK_LOST_LEAD.sub("Ò", line).replace("\ufffd", "ª")
    )
    if [p.parameter for p in plan or () if p.action == "encode"] == ["sloppy-windows-1253"]:
        return ftfy.ExplainedText(fixed, plan)
    return None


# ftfy's ALTERED_UTF8_RE (where a space may stand for byte A0) led by one
# class: the regex engine then skips to its lead bytes, where ftfy's
# alternation tries every branch at every byte. It matches the same.
_A0_LEADS = b"\xc2\xc3\xc5\xce\xd0\xd9"
_CONT = b"\x80-\x84\x86-\x9f\xa1-\xbf"
_ALTERED_UTF8_RE = re.compile(
    b"[" + _A0_LEADS + b"\xe0-\xe3\xf0](?:"
    b"(?<=[" + _A0_LEADS + b"])[ ]"
    b"|(?<=[\xe2\xe3])[ ][" + _CONT + b"]"
    b"|(?<=[\xe0-\xe3])[" + _CONT + b"][ ]"
    b"|(?<=\xf0)(?:[ ][\x80-\xbf]{2}|[\x80-\xbf][ ][\x80-\xbf]|[\x80-\xbf]{2}[ ]))"
)


def _lossy(data: bytes) -> bool:
    """ftfy's LOSSY_UTF8_RE matches: each of its branches needs "?" or byte 1A."""
    return (b"?" in data or b"\x1a" in data) and _LOSSY_UTF8_RE.search(data) is not None


_C1_CONTROL = re.compile("[\x80-\x9f]")
# A C1 control, or one of MacRoman's lead bytes D2-D5 (“ ” ‘ ’, which
# ``has_sequence`` passes over: see ``sequences``) before a continuation,
# which ftfy still decodes. One search for both, led by one class (which the
# regex engine skips to; an alternation it tries at every character): they
# are looked for in every repaired line.
_C1_OR_MACROMAN_QUOTE = re.compile(
    f"[\x80-\x9f“”‘’](?:(?<=[\x80-\x9f])|(?=[{char_class(decoded('macroman', 0x80, 0xBF))}]))"
)
_NON_ASCII = re.compile("[^\x00-\x7f]")
# Past this many non-ASCII characters, one search in C beats trying each.
_FEW = 16


def _is_bad(text: str) -> bool:
    """ftfy's ``is_bad``, quicker on text where non-ASCII characters are few.

    Every pattern of ftfy's badness measure has a non-ASCII character among
    its first three, so it can only match starting at most two characters
    before one; ftfy's search tries every position of the text.

    >>> _is_bad("It was a long day at the lab, she saidâ€™"), _is_bad("It’s fine")
    (True, False)
    """
    tried = 0  # every start before this has been tried
    for count, match in enumerate(_NON_ASCII.finditer(text)):
        at = match.start()
        if count == _FEW:
            return BADNESS_RE.search(text, max(tried, at - 2)) is not None
        for start in range(max(tried, at - 2), at + 1):
            if BADNESS_RE.match(text, start):
                return True
        tried = at + 1
    return False


def _ftfy_by_reencoding(line: str) -> ftfy.ExplainedText | None:
    """What ftfy's repair of a line gives, found by re-encoding, if it can be.

    For UTF-8 read as one of ftfy's encodings, maybe more than once, this is
    what ftfy does, step for step, without the rest of its machinery; and
    so for the UTF-8 inside a line no encoding decodes, and for a line ftfy
    leaves as it is. Where ftfy would do more (a space that may stand for
    byte A0, a lost byte, a C1 control), it answers None: ftfy decides.

    >>> _ftfy_by_reencoding("SÃ£o Paulo").text
    'São Paulo'
    """
    text = line
    plan: list[ftfy.ExplanationStep] = []
    while not text.isascii() and _is_bad(text):
        for encoding in CHARMAP_ENCODINGS:
            try:
                data = text.encode(encoding)
            except UnicodeEncodeError:
                continue  # ftfy's possible_encoding: not this one
            decoding = _utf8_decoding(data)
            try:
                decoded = data.decode(decoding)
            except UnicodeDecodeError:
                # ftfy may make these bytes decode, putting back an A0 byte
                # or a lost one.
                if _needs_more_than_utf8(data, encoding):
                    return None
                continue
            # Bytes that decode hold no sequence ftfy would alter, but for a
            # lone 1A byte, which it reads as a lost one.
            if b"\x1a" in data and encoding.startswith("sloppy"):
                return None
            text = decoded
            plan += (
                ftfy.ExplanationStep("encode", encoding),
                ftfy.ExplanationStep("decode", decoding),
            )
            break
        else:
            # No encoding decodes the whole line: ftfy's next try is the UTF-8
            # sequences inside it (a line half repaired, or half clean).
            if UTF8_DETECTOR_RE.search(text):
                fixed = _decode_inconsistent(text)
                if fixed != text:
                    text = fixed
                    plan.append(ftfy.ExplanationStep("apply", "decode_inconsistent_utf8"))
                    continue
            # Its last tries change only C1 controls; without them, it stops.
            if _C1_CONTROL.search(text):
                return None
            break
        if not _layer_left(text):
            break
    return ftfy.ExplainedText(text, plan)


def _utf8_decoding(data: bytes) -> str:
    """The decoder ftfy reads these bytes with: bytes ED and C0 may be CESU-8
    or Java's null."""
    return "utf-8-variants" if b"\xed" in data or b"\xc0" in data else "utf-8"


def _layer_left(text: str) -> bool:
    """Whether ftfy's next step may still change a repaired line: it holds a
    sequence or a C1 control, or it decodes read as MacRoman (whose quote
    leads ``has_sequence`` passes over). ``is_bad`` would say so far more
    slowly on clean text."""
    if has_sequence(text):
        return True
    found = _C1_OR_MACROMAN_QUOTE.search(text)
    if found is None:
        return False
    if found.group() < "\xa0" or _C1_CONTROL.search(text, found.end()):
        return True
    try:
        data = text.encode("macroman")
    except UnicodeEncodeError:
        return False  # ftfy's possible_encoding
    try:
        data.decode(_utf8_decoding(data))
    except UnicodeDecodeError:
        return _needs_more_than_utf8(data, "macroman")
    return True


def _decode_inconsistent(text: str) -> str:
    """ftfy's ``decode_inconsistent_utf8``, each run of UTF-8 in the line
    repaired by re-encoding where it can be, by ftfy where not."""

    def repaired(match: re.Match[str]) -> str:
        run = match.group(0)
        # Shorter than the line, as in ftfy: the recursion ends. (ftfy asks
        # is_bad first; re-encoding asks it too.)
        if len(run) < len(text):
            found = _ftfy_by_reencoding(run)
            return ftfy.fix_encoding(run) if found is None else found.text
        return run

    return UTF8_DETECTOR_RE.sub(repaired, text)


def _needs_more_than_utf8(data: bytes, encoding: str) -> bool:
    """Whether ftfy would do more with these bytes than decode them as UTF-8."""
    return (encoding != "macroman" and _ALTERED_UTF8_RE.search(data) is not None) or _lossy(data)


def _ftfy_line(line: str) -> tuple[str, tuple[str, ...]]:
    """ftfy's repair of one line, and the encodings its plan went through."""
    hidden = [] if _MASK in line else _protected(line)
    # In one pass: replacing the parts one at a time copied the line for each
    # (quadratic on a line of thousands of holes). Every match whose text is
    # among the hidden is one of them: _protected drops "×²" whole, not singly.
    kinds = set(hidden)
    masked = _PROTECT.sub(lambda m: _MASK if m[0] in kinds else m[0], line) if hidden else line
    found = _lost_greek_byte(masked) if "\ufffd" in masked else _ftfy_by_reencoding(masked)
    if found is None:
        found = _ftfy_in_full(masked)
    if found.text == masked:
        found = _whole_line(masked)
    fixed, plan = found
    if fixed != masked and _makes_rare_script_letter(masked, fixed):
        return line, ()
    if hidden:
        pieces = fixed.split(_MASK)
        if len(pieces) != len(hidden) + 1:
            return line, ()
        fixed = "".join(p + h for p, h in zip(pieces, [*hidden, ""], strict=True))
    return fixed, tuple(p.parameter for p in plan or () if p.action == "encode")


@lru_cache(maxsize=16)
def _sequence_re(encoding: str) -> re.Pattern[str]:
    """Runs of complete UTF-8 sequences as they look when read as ``encoding``."""
    one = "|".join(t.pattern for t in utf8_sequences([encoding]))
    return re.compile(f"(?:{one})+")


@dataclass(frozen=True)
class _Signature:
    """The encoding a document's mojibake went through, and where it led."""

    encoding: str
    blocks: frozenset[int]
    # The letters the document writes in (see plausibility.letters).
    letters: frozenset[str] = frozenset()


def _blocks(chars: set[str]) -> frozenset[int]:
    """Unicode blocks of 128 code points: enough to tell scripts apart.

    Only letters count: punctuation and symbols (« ’ °, emoji) are at home
    in any script's text.
    """
    return frozenset(ord(c) >> 7 for c in chars if ord(c) > 0x7F)


def _decode_run(match: re.Match[str], signature: _Signature) -> str:
    run = match.group(0)
    decoded = reread(run, signature.encoding)
    if decoded is None or letters_lost(run, decoded):
        return run
    letters = {c for c in decoded if c.isalpha()}
    return decoded if _blocks(letters) <= signature.blocks else run


# Two non-ASCII characters inside a word: how a single accented letter looks
# after a mis-decode that ftfy finds too weak to touch.
_IN_WORD_RE = re.compile(r"(?<=[^\W\d_])[^\x00-\x7f]{2}(?=[^\W\d_])")


def _script(char: str) -> str:
    return unicodedata.name(char, "?").split()[0]


def _in_word(pair: str, before: str, after: str, consistent: bool = True) -> tuple[str, str] | None:
    """The one letter of the word's script a pair inside a word decodes to,
    and the encoding that gives it.

    A pair of letters qualifies only as capitals inside a lower-case word
    (``StĂĽck``): two letters in a row are otherwise just a word. A letter
    and a symbol (``GrÃ¥``, ``BÄ£Ä``) may be leetspeak or a mark: on
    a line that is not ``consistent`` (see ``_decode_in_words``) it stays.
    """
    script = _script(before)
    if _script(after) != script or before in HIGH_ANY_SET or after in HIGH_ANY_SET:
        return None
    # A capital inside a word in capitals, before anything but a small letter,
    # reads as text: "VÄLÄ\xa0TÄNÄÄN", "RENÉ’S" (ftfy's badness agrees).
    if pair[0].isupper() and before.isupper() and not pair[1].islower():
        return None
    if not consistent and unicodedata.category(pair[1])[0] == "S":
        return None
    for encoding, letter in rereadings(pair):
        if letter.isalpha() and _script(letter) == script:
            return letter, encoding
    return None


def _decode_in_words(line: str) -> tuple[str, list[str]]:
    """Decode mis-decoded pairs inside words; say which encodings did it.

    Punctuation and symbols beyond ASCII elsewhere in the line would be
    broken too if the whole line had been read through an encoding: where
    one stands unbroken (the "–" of ``Lyon – GrÃ¥``), the line
    is not consistent, and only pairs that cannot be text are decoded.
    """
    out = []
    used = []
    pos = 0
    others = _NON_ASCII.findall(_IN_WORD_RE.sub("", line))
    consistent = not any(unicodedata.category(c)[0] in "PS" for c in others)
    for match in _IN_WORD_RE.finditer(line):
        start, end = match.span()
        found = _in_word(match.group(0), line[start - 1], line[end], consistent)
        if found:
            out.append(line[pos:start])
            out.append(found[0])
            used.append(found[1])
            pos = end
    out.append(line[pos:])
    return "".join(out), used


@lru_cache(maxsize=_CACHE)
def _ftfy_in_full(line: str) -> ftfy.ExplainedText:
    """ftfy's whole machinery on a line re-encoding cannot decide.

    Reading the evidence and then the step ask for the same lines. This answer is kept,
    as it costs several times a re-encoding; re-encodings are not, as on
    a damaged document they would hold every line and its repair.
    """
    return ftfy.fix_encoding_and_explain(line)


def _repair_line(line: str) -> tuple[str, tuple[tuple[str, int], ...]]:
    """``_repair``, kept for the last few hundred lines of ordinary length.

    The evidence is read from a document's damaged lines first to last, the step last
    to first: it finds the last ones here and repairs the others again,
    which costs less than holding every damaged line and its repair.
    """
    return _repair_recent(line) if len(line) <= _RECENT_CHARS else _repair(line)


# A capital that ends a word in capitals before a space or a no-break space:
# as a sequence it is a lead byte before A0, as text an accented capital.
_CAPITAL_END_RE = regex.compile(r"(?<=\p{Lu}\p{Lu})\p{Lu}(?=[ \xa0](?!\p{Ll}))")
# Two capitals inside a word in capitals that read as a C1 control, which no
# text holds: the "ÂŠ" of an Inari Sami word in capitals is not the "Š" ftfy
# makes of the control.
_C2_LEADS = char_class({bytes([0xC2]).decode(e) for e in CHARMAP_ENCODINGS})
_C1_CAPITALS = char_class(
    {c for e in CHARMAP_ENCODINGS for c in decoded(e, 0x80, 0x9F) if c.isupper()}
)
_CAPITAL_C1_RE = regex.compile(f"(?<=\\p{{Lu}})[{_C2_LEADS}](?=[{_C1_CAPITALS}])")
# Box drawing not inside a word: the start of a line or of a frame.
_BOX_RE = re.compile("[\u2500-\u257f]")
_BOX_APART_RE = re.compile(r"(?<![^\W\d_])[\u2500-\u257f]")


def _reads_as_text(line: str) -> bool:
    """Whether every sequence of the line is plausible text as it stands, so
    that nothing but other lines' evidence may decode it: accented capitals
    ending words in capitals (``VÄLÄ\xa0TÄNÄÄN``, ``«\xa0MAMÃ\xa0»``) or
    pairs of capitals that would read as a C1 control (``KÂŠA``),
    or box-drawing art (``├┤x├┤``), whose pairs read as letters through cp437.

    >>> _reads_as_text("TOKYOÂ\xa0PARIS"), _reads_as_text("GÃ\xa0rdet")
    (True, False)
    >>> _reads_as_text("KÂŠA"), _reads_as_text("VOCÃŠ")
    (True, False)
    """
    non_ascii = _NON_ASCII.findall(line)
    if all(_BOX_RE.match(c) for c in non_ascii) and _BOX_APART_RE.search(line):
        return True
    # An ASCII capital in each one's place: no sequence is left if they were all.
    masked = _CAPITAL_C1_RE.sub("A", _CAPITAL_END_RE.sub("A", line))
    return masked != line and not has_sequence(masked)


def _repair(line: str) -> tuple[str, tuple[tuple[str, int], ...]]:
    """ftfy's repair of a line, then the pairs inside words it left; with the
    evidence: how many characters each encoding's reading repaired."""
    if _reads_as_text(line):
        return line, ()
    fixed, encodings = _ftfy_line(refill_symbols(line))
    if fixed != line and not encodings:
        # ftfy decoded runs inside the line (decode_inconsistent_utf8) and
        # names no encoding: the words it found flawed name one.
        encodings = named_by(line)
    evidence: Counter[str] = Counter()
    for encoding in set(encodings):
        evidence[_FAMILY.get(encoding, encoding)] += len(line) - len(fixed)
    # Pairs inside words and symbol sequences are complete sequences too:
    # where none is left, there is nothing more to look for.
    if has_sequence(fixed) and not _reads_as_text(fixed):
        fixed, used = _decode_in_words(fixed)
        evidence.update(_FAMILY.get(e, e) for e in used)
        fixed = _SYMBOL_RE.sub(_symbol, fixed)
    # Words are judged where the line's own repairs name an encoding, or its
    # letters outside the sequences show its language (``ę`` beside
    # ``zÅ‚``). A line with neither (``DrÃ¥ber`` beside an intact ``–``, a
    # lone ``¬´``) gives nothing to weigh the readings by: it is left to the
    # document's evidence. Nor are sequences that the repair above revealed
    # (a second layer under the first): the evidence is the first layer's.
    if (
        has_sequence(fixed)
        and (evidence or any(c.isalpha() for c in letters_of(fixed)))
        and sequences_in(fixed) <= sequences_in(line)
    ):
        mended, used = mend_words(fixed, tuple(evidence), frozenset())
        # Weighed as ftfy's repairs are: by the characters the words lost.
        for encoding in set(used):
            evidence[_FAMILY.get(encoding, encoding)] += len(fixed) - len(mended)
        fixed = mended
    return fixed, tuple(evidence.items())


_RECENT_CHARS = 4096
_repair_recent = lru_cache(maxsize=256)(_repair)

# Latin-1 and Windows-1252 readings are one damage; decode with the wider.
_FAMILY = {"latin-1": "sloppy-windows-1252"}


# Only letters beyond ASCII tell scripts apart (see _blocks).
_NON_ASCII_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")


def _mojibake_evidence(segments: Sequence[str]) -> Hashable:
    """The one encoding the damaged lines of a document went through.

    A document that shows one reading clearly lends that evidence to its
    weaker lines: sequences too short for ftfy are decoded the same way.
    """
    strength: Counter[str] = Counter()
    written: list[str] = []
    produced: set[str] = set()
    count = 0
    for line in (ln for seg in segments for ln in text_lines(seg) if has_sequence(ln)):
        count += 1
        fixed, evidence = _repair_line(line)
        written.append(fixed)
        for encoding, repaired in evidence:
            strength[encoding] += repaired
        if evidence:
            produced.update(
                c for c in set(_NON_ASCII_LETTER.findall(fixed)) if c.isalpha() and c not in line
            )
    if count < 2 or len(strength) != 1:
        return None
    encoding, repaired = strength.popitem()
    if repaired < 3:
        return None
    return _Signature(encoding, _blocks(produced), letters_of("".join(written)))


# A lone sequence for a symbol that ftfy finds too short to judge: "ÂŁ" (£
# through Windows-1250), "âš“" (⚓), "‚òï" (☕ through MacRoman), "ðŸŽ‰" (🎉).
# Leads C2, E2 and F0 open the blocks of punctuation, symbols and emoji.
# It must stand alone: next to other such characters it is a piece of a
# longer mis-decoded run, not a symbol.
def _symbol_pattern() -> str:
    leads = {
        n: char_class({bytes([b]).decode(e) for e in CHARMAP_ENCODINGS}) for n, b in _SYMBOL_LEADS
    }
    alone = f"(?<![{char_class(HIGH_ANY_SET)}])"
    after = f"(?![{char_class(HIGH_ANY_SET)}])"
    return "|".join(f"{alone}[{lead}][{CONT_ANY}]{{{n}}}{after}" for n, lead in leads.items())


_SYMBOL_LEADS = ((1, 0xC2), (2, 0xE2), (3, 0xF0))
_SYMBOL_RE = re.compile(_symbol_pattern())


def _symbol(match: re.Match[str]) -> str:
    """The symbol a lone sequence stands for, unless it reads as text itself.

    Standing apart from words, symbols are symbol art (the ``¬´`` of a
    kaomoji), and a reading as a spacing accent alone (``ĀØ`` as ``¨``) is
    less likely than a name.

    >>> _SYMBOL_RE.sub(_symbol, "25¬∞C, `¬´ ), ĀØ, don‚Äôt")
    '25°C, `¬´ ), ĀØ, don’t'
    """
    run, text = match.group(0), match.string
    apart = not (_is_alnum(text, match.start() - 1) or _is_alnum(text, match.end()))
    if apart and not any(c.isalnum() for c in run):
        return run
    for _, symbol in rereadings(run):
        category = unicodedata.category(symbol)
        if category[0] in "PSZ" and not (apart and category == "Sk"):
            return symbol
    return run


def _is_alnum(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isalnum()


def mojibake(text: str, evidence: Hashable = None) -> str:
    """Repair UTF-8 that was decoded as a single-byte encoding, line by line.

    >>> mojibake("The Mona Lisa doesnâ€™t have eyebrows.")
    'The Mona Lisa doesn’t have eyebrows.'
    >>> mojibake("Um acervo em S√£o Bento.")
    'Um acervo em São Bento.'
    """
    out = []
    for line in text_lines(text):
        if has_sequence(line):
            fixed = _repair_line(line)[0]
            # Most repaired lines hold no sequence left for the signature.
            if (
                isinstance(evidence, _Signature)
                and has_sequence(fixed)
                and _read_through(line, evidence.encoding)
            ):
                fixed = _sequence_re(evidence.encoding).sub(
                    partial(_decode_run, signature=evidence), fixed
                )
            if isinstance(evidence, _Signature) and has_sequence(fixed):
                fixed = mend_words(fixed, (evidence.encoding,), evidence.letters)[0]
            line = fixed
        out.append(line)
    return "".join(out)


def _read_through(line: str, encoding: str) -> bool:
    """Whether every letter beyond ASCII in the line belongs to a sequence of
    ``encoding``, as on a line read through it whole. A letter outside them
    shows the line is correct text, whose letters may make sequences:

    >>> _read_through("РґР°", "sloppy-windows-1251"), _read_through("Рёбра", "sloppy-windows-1251")
    (True, False)
    """
    return _NON_ASCII_LETTER.search(_sequence_re(encoding).sub("", line)) is None


# Telltale sequences show damage; the rest of what the step looks at (lossy
# forms, and sequences clean text makes) counts only in a damaged document.
MOJIBAKE = Step(
    "mojibake",
    mojibake,
    TELLTALE_TRIGGERS + tuple(replace(t, gated=True) for t in UTF8_TRIGGERS),
    _mojibake_evidence,
)
