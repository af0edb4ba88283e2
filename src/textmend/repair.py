"""Mojibake: ftfy underneath, plus the residue and context ftfy cannot see.

Two steps live here:

- ``lossy_residue``: the remains of a lossy or half-done repair of UTF-8 read
  as Windows-1252. ``”`` is the bytes ``E2 80 9D``; Windows-1252 has no ``9D``,
  so it often became ``â€``, and a later repair that took ``â€`` plus a space
  for a lost no-break space made it ``†``. Where a byte was replaced by ``?`` or
  ``�``, any character of the family could be meant. Each such hole is
  repaired only where the line or the document shows what it was: a ``“``
  that nothing closes, a position inside a word, the same typography seen on
  the other damaged lines. Otherwise it is left alone.
- ``mojibake``: classic mojibake, line by line, through ``ftfy.fix_encoding``;
  with document context: when other lines were confidently repaired through
  one encoding (say UTF-8 read as MacRoman), sequences of that encoding that
  ftfy leaves alone on a weaker line are decoded the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial

import ftfy
import ftfy.bad_codecs  # registers the sloppy-* codecs
import regex
from ftfy.badness import is_bad
from ftfy.chardata import ALTERED_UTF8_RE as _ALTERED_UTF8_RE
from ftfy.chardata import CHARMAP_ENCODINGS
from ftfy.chardata import LOSSY_UTF8_RE as _LOSSY_UTF8_RE

from textmend.pipeline import Step, Trigger, trigger_regex

_CACHE = 4096
# Encodings ftfy repairs on its own whenever they show; no need for context.
_EVERYDAY = frozenset({"latin-1", "sloppy-windows-1252"})


def _escape(chars: set[str]) -> str:
    """A set of characters as the body of a regex character class."""
    return "".join("\\" + c if c in "\\]^-[" else c for c in sorted(chars))


def _decoded(encoding: str, first: int, last: int) -> set[str]:
    return set(bytes(range(first, last + 1)).decode(encoding))


def _classes(encodings: Sequence[str], *ranges: tuple[int, int]) -> list[str]:
    return [
        _escape({c for e in encodings for c in _decoded(e, first, last)}) for first, last in ranges
    ]


def _pair(first: str, second: str, rest: str, lead_with_second: bool) -> Trigger:
    """``[first][second]rest``, led by ``second`` if asked: the rarer of the two.

    Which character leads changes the speed of the check, never what it matches.
    """
    if lead_with_second:
        return Trigger(second, f"(?<=[{first}][{second}]){rest}")
    return Trigger(first, f"[{second}]{rest}")


# Lead bytes not read through an encoding: in MacRoman, D2-D5 are “ ” ‘ ’,
# which clean French and English put before accented letters ("l’été"),
# while the text they would decode to (Armenian, rare Cyrillic letters) is
# hardly ever seen through MacRoman.
_UNREPAIRED_LEADS = {"macroman": b"\xd2\xd3\xd4\xd5"}


def _utf8_sequences(
    encodings: Sequence[str], lossy: bool = False, lead_with_continuation: bool = False
) -> tuple[Trigger, ...]:
    """Triggers for UTF-8 sequences as they look when read as ``encodings``.

    A lead byte must be followed by enough continuation bytes. With ``lossy``
    the forms ftfy also acts on are included: a space for a lost no-break
    space (ftfy never assumes that of MacRoman), ``?`` or ``�`` for a lost byte.
    With ``lead_with_continuation`` the triggers start, where they can, at
    the continuation byte instead; they match the same lines.
    """
    flip = lead_with_continuation
    lead3, lead4, cont = _classes(encodings, (0xE0, 0xEF), (0xF0, 0xF4), (0x80, 0xBF))
    lead2 = _escape(
        {
            bytes([b]).decode(e)
            for e in encodings
            for b in range(0xC0, 0xE0)
            if b not in _UNREPAIRED_LEADS.get(e, b"")
        }
    )
    if not lossy:
        pairs = (
            _pair(lead2, cont, "", flip),
            _pair(lead3, cont, f"[{cont}]", flip),
            _pair(lead4, cont, f"[{cont}]{{2}}", flip),
        )
        return _behind_one_test(pairs, f"{lead2}{lead3}{lead4}") if flip else pairs
    lost = f"{cont}?\ufffd\x1a"
    sequences: tuple[Trigger, ...] = (
        _pair(lead2, f"{cont}\ufffd\x1a", "", flip),
        _pair(lead3, lost, f"[{lost}]", flip),
        _pair(lead4, lost, f"[{lost}]{{2}}", flip),
    )
    others: tuple[Trigger, ...] = (Trigger(_classes(encodings, (0xC2, 0xC3))[0], "[?]"),)
    a0 = [e for e in encodings if e != "macroman"]
    a0_lead2 = _escape({bytes([b]).decode(e) for e in a0 for b in b"\xc2\xc3\xc5\xce\xd0\xd9"})
    a0_lead3, a0_lead4, a0_cont = _classes(a0, (0xE0, 0xE3), (0xF0, 0xF0), (0x80, 0xBF))
    if a0:
        # ftfy's ALTERED_UTF8_RE: where a space may stand for byte A0.
        others += (Trigger(a0_lead2, " "), Trigger(a0_lead4, f"[{a0_cont} ]{{3}}"))
        if flip:
            sequences += (
                Trigger(a0_cont, f"(?<=[{a0_lead3}] [{a0_cont}])"),
                _pair(a0_lead3, a0_cont, " ", True),
            )
        else:
            sequences += (Trigger(a0_lead3, f" [{a0_cont}]|[{a0_cont}] "),)
    if flip:
        sequences = _behind_one_test(sequences, f"{lead2}{lead3}{lead4}{a0_lead3} ")
    return sequences + others


def _behind_one_test(led: tuple[Trigger, ...], before: str) -> tuple[Trigger, ...]:
    """Continuation-led triggers joined into one, behind one lookbehind.

    Every trigger in ``led`` needs a character of ``before`` right before the
    one it starts at: testing that once makes each stop of the check cheap.
    """
    chars = "".join(t.chars for t in led)
    follows = "|".join(f"(?:{t.followed_by})" for t in led)
    return (Trigger(chars, f"(?<=[{before}].)(?:{follows})"),)


# Merged over all of ftfy's encodings: a superset that keeps the fast check
# short. The step itself looks closer before calling ftfy. Lead bytes decode
# to everyday letters (Cyrillic, Greek, accented Latin) or punctuation
# (MacRoman's “”‘’–—), continuation bytes mostly to rarer symbols: a check led
# by the continuation byte stops far less often in clean text.
_UTF8_TRIGGERS = _utf8_sequences(CHARMAP_ENCODINGS, lossy=True, lead_with_continuation=True)
_UTF8_CHECK = trigger_regex(
    [t for e in CHARMAP_ENCODINGS for t in _utf8_sequences([e], lossy=True)]
)


@lru_cache(maxsize=8192)
def _has_sequence(line: str) -> bool:
    """Whether a line holds a UTF-8 sequence as some encoding shows it.

    Asked of the same lines by the hint, the step and the repair of a line;
    the answer is kept (a string's hash is computed once).
    """
    return _UTF8_CHECK.search(line) is not None


_LINE = re.compile(r"[^\n]*\n|[^\n]+")


def _lines(text: str) -> Iterator[str]:
    # Lines end at "\n" only, as the pipeline's do: str.splitlines would also
    # cut at "\x85" and "\x1c", which mojibake is full of.
    return iter(_LINE.findall(text)) if "\n" in text[:-1] else iter((text,))


# --- lossy residue ------------------------------------------------------------

# What Windows-1252 (sloppily, C1 included) makes of continuation bytes.
_CONT_1252 = _escape(_decoded("sloppy-windows-1252", 0x80, 0xBF))
# After "â€", a continuation in any of ftfy's encodings completes a sequence
# ("â€ś" is “ read as Windows-1250); anything else means a byte is gone.
_CONT_ANY = _classes(CHARMAP_ENCODINGS, (0x80, 0xBF))[0]
# Characters that may be part of a complete mis-decoded sequence.
_HIGH_ANY_SET = {c for e in CHARMAP_ENCODINGS for c in _decoded(e, 0x80, 0xFF)}
_MARKERS = "?\ufffd"

# Two-byte leads whose second byte Windows-1252 may drop: Ã (Á Í Ï Ð Ý),
# Ä (ā č ď Đ ĝ), Å (Ł ō ŏ Ő ŝ), Ð and Ñ (Cyrillic).
_LEADS2 = "ÃÄÅÐÑ"
_RESIDUE_RE = re.compile(
    # Openers and closers, as text or as complete mojibake: “ „ and ”.
    f"(?P<open>“|„|â€œ|â€ž)|(?P<close>”|â€\x9d)"
    f"|(?P<hole>â€(?![{_CONT_ANY}]))"
    f"|(?<=\\S)(?P<dagger>†)(?=\\S)"
    f"|(?P<euro>â‚[{_MARKERS}])|(?P<tm>â„[{_MARKERS}])"
    f"|(?P<lead>[{_LEADS2}][{_MARKERS}]?)(?![{_CONT_ANY}])"
)
_LEAD_HOLE_RE = re.compile(f"[{_LEADS2}][{_MARKERS}]?(?![{_CONT_ANY}])")
# Any hole: what lossy_residue may repair (the rest of its triggers is evidence).
_HIGH_ANY = _escape(_HIGH_ANY_SET)
# Built like a trigger check, led by one class, so the scan runs at C speed.
_HOLE_RE = trigger_regex(
    [
        Trigger("â", f"€(?![{_CONT_ANY}])|[‚„][{_MARKERS}]"),
        Trigger("†", f"(?<=[^\\s{_HIGH_ANY}]†)(?=\\S)"),
        Trigger(_LEADS2, f"[{_MARKERS}]?(?![{_CONT_ANY}])"),
    ]
)
# "†" after a character of a mis-decoded sequence counts only inside a
# quotation a correct “ or „ opened (see _Line.dagger).
_QUOTED_DAGGER_RE = re.compile(f"(?<![{_HIGH_ANY}])[“„][^”\n]*[{_HIGH_ANY}]†(?=\\S)")


def _has_hole(line: str) -> bool:
    """Whether lossy_residue may change the line."""
    if _HOLE_RE.search(line):
        return True
    return "†" in line and ("“" in line or "„" in line) and bool(_QUOTED_DAGGER_RE.search(line))


_DROPPED_HOLE_RE = re.compile(f"(?<=\\S)â€(?![{_CONT_ANY}{_MARKERS}])")
# Complete sequences of the family trigger too: their lines are evidence.
_RESIDUE_TRIGGERS = (
    Trigger("â", f"€|[‚„][{_MARKERS}]"),
    Trigger("†", r"\S"),
    Trigger(_LEADS2, f"(?![{_CONT_ANY}])"),
)
_LOST_BYTES = b"\x81\x8d\x8f\x90\x9d"
# A complete two-byte Windows-1252 reading: the line went through it.
_LEAD2_1252 = _escape(_decoded("sloppy-windows-1252", 0xC2, 0xDF))
_PAIR_1252_RE = re.compile(f"[{_LEAD2_1252}][{_CONT_1252}]")
# A complete Windows-1252 reading of U+2000..U+21FF (quotes, dashes, ™, €)
# or of a two-byte character.
_FAMILY_RE = re.compile(f"â[€‚„][{_CONT_1252}]|[{_LEAD2_1252}][{_CONT_1252}]")
_RESIDUE_CHECK = trigger_regex(_RESIDUE_TRIGGERS)

# Characters whose use elsewhere in a document says which one a hole was.
_DASHES = ("—", "–")
_EVIDENCE = {"—": "—", "–": "–", "…": "…", "•": "•"}
_EVIDENCE.update({c.encode().decode("sloppy-windows-1252"): c for c in "—–…•"})


@dataclass(frozen=True)
class _Residue:
    """What the damaged lines of a document show as a whole."""

    confirmed: bool = False
    seen: frozenset[str] = frozenset()
    letters: frozenset[str] = frozenset()


def _joins_emoji(prev: str, after: str) -> bool:
    """Between two emoji (as text or as "ðŸ…" mojibake): a zero-width joiner."""
    return after == "ð" and (ord(prev or "a") > 0xFFFF or prev in _EMOJI_LAST)


# How the last byte of an emoji (F0 9F xx 80..BF) reads in Windows-1252.
_EMOJI_LAST = set(_decoded("sloppy-windows-1252", 0x80, 0xBF))


def _is_space(char: str) -> bool:
    return char == "" or char.isspace()


class _Line:
    """One line's holes, decided left to right while tracking open quotes."""

    def __init__(self, line: str, evidence: _Residue) -> None:
        self.line = line
        self.evidence = evidence
        self.quote_open = False
        self.opened_clean = False
        self.edits: list[tuple[int, int, str]] = []
        self.paired = False

    def char(self, pos: int) -> str:
        return self.line[pos] if 0 <= pos < len(self.line) else ""

    def closes_later(self, pos: int) -> bool:
        rest = self.line[pos:]
        return "”" in rest or "â€" in rest

    def run(self) -> _Line:
        for match in _RESIDUE_RE.finditer(self.line):
            kind = match.lastgroup
            start, end = match.span()
            if kind == "open":
                # "„" or "“" right after a character of a mis-decoded sequence
                # is part of it (Windows-1253 "Ο„" is τ), not a quotation mark.
                if self.char(start - 1) in _HIGH_ANY_SET and len(match.group(0)) == 1:
                    continue
                self.quote_open = True
                self.opened_clean = not match.group(0).startswith("â")
            elif kind == "close":
                self.quote_open = False
            elif kind == "hole":
                self.hole(start, end)
            elif kind == "dagger":
                self.dagger(start, end)
            elif kind == "euro":
                if any(self.char(p).isdigit() for p in (start - 1, start - 2, end, end + 1)):
                    self.edits.append((start, end, "€"))
            elif kind == "tm" and self.char(start - 1).isalnum():
                self.edits.append((start, end, "™"))
            elif kind == "lead":
                self.lost_second_byte(start, end)
        return self

    def lost_second_byte(self, start: int, end: int) -> None:
        """A two-byte lead whose second byte was dropped, in a line that
        went through Windows-1252: the one candidate whose letter the
        document shows elsewhere (``Åukasz`` in Polish text is ``Łukasz``)."""
        if not _PAIR_1252_RE.search(self.line):
            return
        # A "?" or "�" after the lead stands for the lost byte itself.
        lead = self.line[start].encode("sloppy-windows-1252")
        candidates = {(lead + bytes([b])).decode("utf-8") for b in _LOST_BYTES}
        known = [c for c in candidates if c.lower() in self.evidence.letters]
        if len(known) == 1:
            self.edits.append((start, end, known[0]))

    def close_quote(self, start: int, end: int, replacement: str) -> None:
        self.paired = self.paired or self.quote_open
        self.quote_open = False
        self.edits.append((start, end, replacement))

    def dagger(self, start: int, end: int) -> None:
        """ "†" glued between two words: "â€" and a space, wrongly restored.

        After a character that a mis-decoded sequence could hold, "†" is
        rather part of it ("å††" is 円, "Щ†" is ن), unless a quotation opened
        by a correct “ or „ is waiting to be closed.
        """
        if self.char(start - 1) in _HIGH_ANY_SET and not (self.quote_open and self.opened_clean):
            return
        if self.quote_open or (self.evidence.confirmed and self.char(end).isalpha()):
            self.close_quote(start, end, "” ")

    def hole(self, start: int, end: int) -> None:
        prev, after = self.char(start - 1), self.char(end)
        if after not in _MARKERS:
            self.dropped(start, end, prev, after)
            return
        end += 1
        after = self.char(end)
        if _joins_emoji(prev, after):
            self.edits.append((start, end, "\u200d"))
        elif prev.isalpha() and after.isalpha():
            self.edits.append((start, end, "’"))
        elif self.quote_open and not _is_space(prev):
            self.close_quote(start, end, "”")
        elif (_is_space(prev) or prev in "([") and after.isalnum() and self.closes_later(end):
            self.quote_open = True
            self.edits.append((start, end, "“"))
        else:
            guess = self.from_evidence(prev, after, start)
            if guess:
                self.edits.append((start, end, guess))

    def dropped(self, start: int, end: int, prev: str, after: str) -> None:
        """A hole whose third byte was dropped: of the bytes Windows-1252
        lacks, only 9D ("”") is common in text, and 8D (the zero-width
        joiner) inside emoji sequences."""
        if _joins_emoji(prev, after):
            self.edits.append((start, end, "\u200d"))
        elif not _is_space(prev) and (
            self.quote_open
            or (self.evidence.confirmed and (_is_space(after) or after in ".,;:!?)]"))
        ):
            self.close_quote(start, end, "”")
        elif _is_space(prev) and after.isalnum() and _DROPPED_HOLE_RE.search(self.line, end):
            # ”…” (Hebrew, Swedish, Finnish): a hole opening a quotation
            # that another hole closes.
            self.quote_open = True
            self.edits.append((start, end, "”"))

    def from_evidence(self, prev: str, after: str, start: int) -> str | None:
        """The one character of its kind that the document uses, if only one."""
        seen = self.evidence.seen
        if prev.isspace() and after.isspace():
            candidates = [d for d in _DASHES if d in seen]
        elif not self.line[:start].strip() and after.isspace():
            candidates = [c for c in ("•", *_DASHES) if c in seen]
        elif not _is_space(prev) and _is_space(after):
            candidates = [c for c in ("…",) if c in seen]
        else:
            candidates = []
        return candidates[0] if len(candidates) == 1 else None

    def text(self) -> str:
        """The line with its holes repaired and, where there were any, the
        complete sequences of the same damage too (ftfy may judge one alone
        too weak to touch)."""
        if not self.edits:
            return self.line
        out = []
        pos = 0
        for start, end, replacement in self.edits:
            out.append(_FAMILY_RE.sub(_decode_1252, self.line[pos:start]))
            out.append(replacement)
            pos = end
        out.append(_FAMILY_RE.sub(_decode_1252, self.line[pos:]))
        return "".join(out)


def _decode_1252(match: re.Match[str]) -> str:
    return _decode_pair(match.group(0)) or match.group(0)


def _residue_hint(segments: Sequence[str]) -> Hashable:
    """What the document shows about its holes; nothing where it has none."""
    lines = [ln for seg in segments for ln in _lines(seg) if _RESIDUE_CHECK.search(ln)]
    holed = [ln for ln in lines if _has_hole(ln)]
    if not holed:
        return _Residue()
    confirmed = any(_Line(ln, _Residue()).run().paired for ln in holed)
    # Typography counts from lines that show damage of the "â€" family only.
    family = [ln for ln in lines if "â" in ln or "†" in ln]
    seen = frozenset(c for ln in family for k, c in _EVIDENCE.items() if k in ln)
    letters: frozenset[str] = frozenset()
    if any(_LEAD_HOLE_RE.search(ln) for ln in holed):
        letters = frozenset(
            c.lower()
            for ln in lines
            for pair in _PAIR_1252_RE.findall(ln)
            for c in _decode_pair(pair)
            if c.isalpha()
        )
    return _Residue(confirmed, seen, letters)


def _decode_pair(pair: str) -> str:
    try:
        return pair.encode("sloppy-windows-1252").decode("utf-8")
    except UnicodeError:
        return ""


def lossy_residue(text: str, hint: Hashable = None) -> str:
    """Repair what a lossy or half-done repair left: ``â€``, ``†``, ``â€?``.

    >>> lossy_residue("“Not yetâ€, he said, “a bit of progress†on it.”")
    '“Not yet”, he said, “a bit of progress” on it.”'
    >>> lossy_residue("The dagger in Smith† marks a footnote.")
    'The dagger in Smith† marks a footnote.'
    """
    evidence = hint if isinstance(hint, _Residue) else _Residue()
    return "".join(
        _Line(line, evidence).run().text() if _has_hole(line) else line for line in _lines(text)
    )


# --- mojibake -----------------------------------------------------------------

# What ftfy would get wrong, hidden from it behind a noncharacter while it
# works on a line: an unrepaired hole followed by a space (ftfy takes the space
# for a lost no-break space and makes "†", the very damage lossy_residue
# undoes) or by a lost-byte marker (ftfy makes it "�"); and a lone "×²" or
# "×³", which ftfy reads as the Hebrew "ײ" though it is a power.
_PROTECT = re.compile(f"â€(?![{_CONT_ANY}])[ {_MARKERS}]|×[²³]")
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


def _strays(line: str, fixed: str) -> bool:
    """Whether ftfy's repair made a stray letter of a rare script:
    ``godzinę†–`` read as one Windows-1250 sequence gives a Yi syllable,
    which is no repair of Polish."""
    if not _RARE_LETTER.search(fixed) or _RARE_LETTER.search(line):
        return False
    return len(_RARE_LETTER.findall(fixed)) <= 2


def _whole_line(line: str) -> ftfy.ExplainedText:
    """A line that is UTF-8 read as one encoding through and through, which
    ftfy's badness measure does not catch (Greek or Chinese read as
    Windows-1251, say). Every non-ASCII character must belong to a complete
    sequence, which correct text essentially never does, and the line must
    give at least three characters, whose letters are all of one script."""
    for encoding in CHARMAP_ENCODINGS:
        try:
            fixed = line.encode(encoding).decode("utf-8")
        except UnicodeError:
            continue
        made = [c for c in fixed if ord(c) > 0x7F]
        scripts = {_script(c) for c in made if c.isalpha()}
        if len(made) >= 3 and len(scripts) == 1 and fixed != line:
            return ftfy.ExplainedText(fixed, [ftfy.ExplanationStep("encode", encoding)])
    return ftfy.ExplainedText(line, [])


# "�" where Windows-1253 lost the lead byte D2: before a continuation byte,
# not after a lead.
_GREEK_LOST_LEAD = re.compile(
    f"(?<![{_escape(_decoded('sloppy-windows-1253', 0xC2, 0xF4))}])\ufffd"
    f"(?=[{_escape(_decoded('sloppy-windows-1253', 0x80, 0xBF))}])"
)


def _lost_greek_byte(line: str) -> ftfy.ExplainedText:
    """UTF-8 read as Windows-1253 by a decoder that made the bytes it lacks
    "�". Of those, AA is the one continuation byte and D2 the one lead byte
    (the others became C1 controls, which keep their byte), so each "�" can
    be put back (as ftfy's sloppy codec reads them: "ª", "Ò") and the line
    decoded, if it then is Windows-1253 through and through."""
    fixed, plan = ftfy.fix_encoding_and_explain(
        _GREEK_LOST_LEAD.sub("Ò", line).replace("\ufffd", "ª")
    )
    if [p.parameter for p in plan or () if p.action == "encode"] == ["sloppy-windows-1253"]:
        return ftfy.ExplainedText(fixed, plan)
    return ftfy.ExplainedText(line, [])


_SLOPPY_1252 = [ftfy.ExplanationStep("encode", "sloppy-windows-1252")]


def _direct(line: str) -> ftfy.ExplainedText:
    """A whole line of UTF-8 read as Windows-1252, decoded the short way.

    This is what ftfy does with such a line, without the rest of its
    machinery: where a space may stand for byte A0, a byte is lost, or
    UTF-8 variants are involved, it returns the line unchanged and ftfy
    decides. The result must show no mojibake left, or ftfy would go on.
    """
    try:
        data = line.encode("sloppy-windows-1252")
        if _ALTERED_UTF8_RE.search(data) or _LOSSY_UTF8_RE.search(data) or b"\xed" in data:
            return ftfy.ExplainedText(line, [])
        fixed = data.decode("utf-8")
    except UnicodeError:
        return ftfy.ExplainedText(line, [])
    if fixed == line or _has_sequence(fixed) or not is_bad(line):
        return ftfy.ExplainedText(line, [])
    return ftfy.ExplainedText(fixed, _SLOPPY_1252)


@lru_cache(maxsize=_CACHE)
def _ftfy_line(line: str) -> tuple[str, tuple[str, ...]]:
    """ftfy's repair of one line, and the encodings its plan went through."""
    hidden = [] if _MASK in line else _protected(line)
    masked = line
    for part in hidden:
        masked = masked.replace(part, _MASK, 1)
    fixed, plan = _lost_greek_byte(masked) if "\ufffd" in masked else _direct(masked)
    if fixed == masked:
        fixed, plan = ftfy.fix_encoding_and_explain(masked)
    if fixed == masked:
        fixed, plan = _whole_line(masked)
    if fixed != masked and _strays(masked, fixed):
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
    one = "|".join(t.pattern for t in _utf8_sequences([encoding]))
    return re.compile(f"(?:{one})+")


@dataclass(frozen=True)
class _Signature:
    """The encoding a document's mojibake went through, and where it led."""

    encoding: str
    blocks: frozenset[int]


def _blocks(chars: set[str]) -> frozenset[int]:
    """Unicode blocks of 128 code points: enough to tell scripts apart.

    Only letters count: punctuation and symbols (« ’ °, emoji) are at home
    in any script's text.
    """
    return frozenset(ord(c) >> 7 for c in chars if ord(c) > 0x7F)


def _decode_run(match: re.Match[str], signature: _Signature) -> str:
    run = match.group(0)
    try:
        decoded = run.encode(signature.encoding).decode("utf-8")
    except UnicodeError:
        return run
    letters = {c for c in decoded if c.isalpha()}
    return decoded if _blocks(letters) <= signature.blocks else run


# Two non-ASCII characters inside a word: how a single accented letter looks
# after a mis-decode that ftfy finds too weak to touch.
_IN_WORD_RE = re.compile(r"(?<=[^\W\d_])[^\x00-\x7f]{2}(?=[^\W\d_])")


def _script(char: str) -> str:
    return unicodedata.name(char, "?").split()[0]


def _in_word(pair: str, before: str, after: str) -> tuple[str, str] | None:
    """The one letter of the word's script a pair inside a word decodes to,
    and the encoding that gives it.

    A pair of letters qualifies only as capitals inside a lower-case word
    (``StĂĽck``): two letters in a row are otherwise just a word.
    """
    script = _script(before)
    if _script(after) != script or before in _HIGH_ANY_SET or after in _HIGH_ANY_SET:
        return None
    if pair.isalpha() and not (pair.isupper() and before.islower() and after.islower()):
        return None
    for encoding in CHARMAP_ENCODINGS:
        try:
            letter = pair.encode(encoding).decode("utf-8")
        except UnicodeError:
            continue
        if letter.isalpha() and _script(letter) == script:
            return letter, encoding
    return None


def _decode_in_words(line: str) -> tuple[str, list[str]]:
    """Decode mis-decoded pairs inside words; say which encodings did it."""
    out = []
    used = []
    pos = 0
    for match in _IN_WORD_RE.finditer(line):
        start, end = match.span()
        found = _in_word(match.group(0), line[start - 1], line[end])
        if found:
            out.append(line[pos:start])
            out.append(found[0])
            used.append(found[1])
            pos = end
    out.append(line[pos:])
    return "".join(out), used


@lru_cache(maxsize=_CACHE)
def _repair_line(line: str) -> tuple[str, tuple[tuple[str, int], ...]]:
    """ftfy's repair of a line, then the pairs inside words it left; with the
    evidence: how many characters each encoding's reading repaired."""
    fixed, encodings = _ftfy_line(line)
    evidence: Counter[str] = Counter()
    for encoding in set(encodings):
        evidence[_FAMILY.get(encoding, encoding)] += len(line) - len(fixed)
    # Pairs inside words and symbol sequences are complete sequences too:
    # where none is left, there is nothing more to look for.
    if _has_sequence(fixed):
        fixed, used = _decode_in_words(fixed)
        evidence.update(_FAMILY.get(e, e) for e in used)
        fixed = _SYMBOL_RE.sub(_symbol, fixed)
    return fixed, tuple(evidence.items())


# Latin-1 and Windows-1252 readings are one damage; decode with the wider.
_FAMILY = {"latin-1": "sloppy-windows-1252"}


def _mojibake_hint(segments: Sequence[str]) -> Hashable:
    """The one encoding the damaged lines of a document went through.

    A document that shows one reading clearly lends that evidence to its
    weaker lines: sequences too short for ftfy are decoded the same way.
    """
    lines = [ln for seg in segments for ln in _lines(seg) if _has_sequence(ln)]
    if len(lines) < 2:
        return None
    strength: Counter[str] = Counter()
    produced: set[str] = set()
    for line in lines:
        fixed, evidence = _repair_line(line)
        strength.update(dict(evidence))
        if evidence:
            produced.update(c for c in set(fixed) - set(line) if c.isalpha())
    if len(strength) != 1:
        return None
    encoding, repaired = strength.popitem()
    return _Signature(encoding, _blocks(produced)) if repaired >= 3 else None


# A lone sequence for a symbol that ftfy finds too short to judge: "ÂŁ" (£
# through Windows-1250), "âš“" (⚓), "‚òï" (☕ through MacRoman), "ðŸŽ‰" (🎉).
# Leads C2, E2 and F0 open the blocks of punctuation, symbols and emoji.
# It must stand alone: next to other such characters it is a piece of a
# longer mis-decoded run, not a symbol.
def _symbol_pattern() -> str:
    leads = {
        n: _escape({bytes([b]).decode(e) for e in CHARMAP_ENCODINGS}) for n, b in _SYMBOL_LEADS
    }
    alone = f"(?<![{_escape(_HIGH_ANY_SET)}])"
    after = f"(?![{_escape(_HIGH_ANY_SET)}])"
    return "|".join(f"{alone}[{lead}][{_CONT_ANY}]{{{n}}}{after}" for n, lead in leads.items())


_SYMBOL_LEADS = ((1, 0xC2), (2, 0xE2), (3, 0xF0))
_SYMBOL_RE = re.compile(_symbol_pattern())


def _symbol(match: re.Match[str]) -> str:
    run = match.group(0)
    for encoding in CHARMAP_ENCODINGS:
        try:
            decoded = run.encode(encoding).decode("utf-8")
        except UnicodeError:
            continue
        if unicodedata.category(decoded)[0] in "PSZ":
            return decoded
    return run


def mojibake(text: str, hint: Hashable = None) -> str:
    """Repair UTF-8 that was decoded as a single-byte encoding, line by line.

    >>> mojibake("The Mona Lisa doesnâ€™t have eyebrows.")
    'The Mona Lisa doesn’t have eyebrows.'
    >>> mojibake("Um acervo em S√£o Bento.")
    'Um acervo em São Bento.'
    """
    out = []
    for line in _lines(text):
        if _has_sequence(line):
            line = _repair_line(line)[0]
            if isinstance(hint, _Signature):
                line = _sequence_re(hint.encoding).sub(partial(_decode_run, signature=hint), line)
        out.append(line)
    return "".join(out)


LOSSY_RESIDUE = Step("lossy_residue", lossy_residue, _RESIDUE_TRIGGERS, _residue_hint)
MOJIBAKE = Step("mojibake", mojibake, _UTF8_TRIGGERS, _mojibake_hint)
