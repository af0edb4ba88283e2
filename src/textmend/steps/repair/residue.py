"""The remains of a lossy or half-done repair of UTF-8 read as Windows-1252.

``”`` is the bytes ``E2 80 9D``; Windows-1252 has no ``9D``, so it often
became ``â€``, and a later repair that took ``â€`` plus a space for a lost
no-break space made it ``†``. Where a byte was replaced by ``?`` or ``�``,
any character of the family could be meant; two-byte letters lose their
second byte the same way (``Åukasz``). Each such hole is repaired only where
the line or the document shows what it was: a ``“`` that nothing closes, a
position inside a word, the same typography or letters seen on the other
damaged lines. Otherwise it is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from textmend.step import Step, Trigger, char_class, trigger_regex
from textmend.steps.repair.lost_bytes import refill_layers
from textmend.steps.repair.sequences import (
    CONT_1252,
    CONT_ANY,
    HIGH_ANY_SET,
    MARKERS,
    decoded,
    reread,
    text_lines,
)

# Two-byte leads whose second byte Windows-1252 may drop: Ã (Á Í Ï Ð Ý),
# Ä (ā č ď Đ ĝ), Å (Ł ō ŏ Ő ŝ), Ð and Ñ (Cyrillic).
_LEADS2 = "ÃÄÅÐÑ"
_RESIDUE_RE = re.compile(
    # Openers and closers, as text or as complete mojibake: “ „ and ”.
    f"(?P<open>“|„|â€œ|â€ž)|(?P<close>”|â€\x9d)"
    f"|(?P<hole>â€(?![{CONT_ANY}]))"
    f"|(?<=\\S)(?P<dagger>†)(?=\\S)"
    f"|(?P<euro>â‚[{MARKERS}])|(?P<tm>â„[{MARKERS}])"
    f"|(?P<lead>[{_LEADS2}][{MARKERS}]?)(?![{CONT_ANY}])"
)
# Every match of it starts with one of these.
_STARTS_RE = re.compile(f"[“„”â†{_LEADS2}]")


def _matches(line: str) -> Iterator[re.Match[str]]:
    """``_RESIDUE_RE.finditer(line)``, tried only where a match can start.

    An alternation of groups gives the regex engine no first character to
    skip to, so it would try every branch at every position.
    """
    pos = 0
    while (start := _STARTS_RE.search(line, pos)) is not None:
        match = _RESIDUE_RE.match(line, start.start())
        if match is None:
            pos = start.start() + 1
        else:
            yield match
            pos = match.end()


_LEAD_HOLE_RE = re.compile(f"[{_LEADS2}][{MARKERS}]?(?![{CONT_ANY}])")
# Any hole: what lossy_residue may repair (the rest of its triggers is evidence).
_HIGH_ANY = char_class(HIGH_ANY_SET)
# Built like a trigger check, led by one class, so the scan runs at C speed.
_HOLE_RE = trigger_regex(
    [
        Trigger("â", f"€(?![{CONT_ANY}])|[‚„][{MARKERS}]"),
        Trigger("†", f"(?<=[^\\s{_HIGH_ANY}]†)(?=\\S)"),
        Trigger(_LEADS2, f"[{MARKERS}]?(?![{CONT_ANY}])"),
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


_DROPPED_HOLE_RE = re.compile(f"(?<=\\S)â€(?![{CONT_ANY}{MARKERS}])")
# Complete sequences of the family trigger too: their lines are evidence.
# A lead letter alone is also clean text ("ESPAÑA"): it counts only in a
# damaged document (see Trigger), as the step repairs it only with evidence.
_RESIDUE_TRIGGERS = (
    Trigger("â", f"€|[‚„][{MARKERS}]"),
    Trigger("†", r"\S"),
    Trigger(_LEADS2, f"(?![{CONT_ANY}])", gated=True),
    # After a small letter and before a space or U+FFFD a lead letter is the
    # damage itself, not clean text ("voilÃ le", "SlovenÄ\ufffdina"): no
    # word puts a capital there. It shows damage as a complete sequence does.
    Trigger(_LEADS2, f"(?<=[a-zß-öø-ÿ][{_LEADS2}])(?=[ \ufffd])"),
)
_LOST_BYTES = b"\x81\x8d\x8f\x90\x9d"
# A complete two-byte Windows-1252 reading: the line went through it.
_LEAD2_1252 = char_class(decoded("sloppy-windows-1252", 0xC2, 0xDF))
_PAIR_1252_RE = re.compile(f"[{_LEAD2_1252}][{CONT_1252}]")
# A complete Windows-1252 reading of U+2000..U+21FF (quotes, dashes, ™, €)
# or of a two-byte character.
_FAMILY_RE = re.compile(f"â[€‚„][{CONT_1252}]|[{_LEAD2_1252}][{CONT_1252}]")
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
_EMOJI_LAST = set(decoded("sloppy-windows-1252", 0x80, 0xBF))


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

    @cached_property
    def through_1252(self) -> bool:
        """Whether the line shows a complete Windows-1252 reading of a pair."""
        return _PAIR_1252_RE.search(self.line) is not None

    # Asked at every hole: a search to the line's end (or a copy of the rest
    # of it) at each would be quadratic on a line of thousands of holes.
    @cached_property
    def last_closer(self) -> int:
        """Where the last ``”`` or ``â€`` of the line starts, or -1."""
        return max(self.line.rfind("”"), self.line.rfind("â€"))

    @cached_property
    def last_dropped_hole(self) -> int:
        """Where the last match of ``_DROPPED_HOLE_RE`` starts, or -1."""
        return max((m.start() for m in _DROPPED_HOLE_RE.finditer(self.line)), default=-1)

    @cached_property
    def indent(self) -> int:
        """How many whitespace characters the line starts with."""
        return len(self.line) - len(self.line.lstrip())

    def char(self, pos: int) -> str:
        return self.line[pos] if 0 <= pos < len(self.line) else ""

    def closes_later(self, pos: int) -> bool:
        return self.last_closer >= pos

    def run(self) -> _Line:
        for match in _matches(self.line):
            kind = match.lastgroup
            start, end = match.span()
            if kind == "open":
                # "„" or "“" right after a character of a mis-decoded sequence
                # is part of it (Windows-1253 "Ο„" is τ), not a quotation mark.
                if self.char(start - 1) in HIGH_ANY_SET and len(match.group(0)) == 1:
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
        if not self.evidence.letters or not self.through_1252:
            return
        # Before a space the byte lost is rather A0, shown as that space
        # ("Ã " is "à"): ftfy's reading, which mojibake takes.
        if end == start + 1 and self.char(end) == " ":
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
        by a correct “ or „ is waiting to be closed. After an opening bracket
        it is a death dagger (``(†1947)``): no quotation closes there.
        """
        prev = self.char(start - 1)
        # The last byte of a character read as Windows-1252 ("ä½†" is 但)
        # stays for the mojibake step, quotation open or not.
        if any(reread(self.line[max(start - n, 0) : end], _CP1252) for n in (1, 2)):
            return
        if prev in ("(", "[", "{") or (
            prev in HIGH_ANY_SET and not (self.quote_open and self.opened_clean)
        ):
            return
        if self.quote_open or (self.evidence.confirmed and self.char(end).isalpha()):
            self.close_quote(start, end, "” ")

    def hole(self, start: int, end: int) -> None:
        prev, after = self.char(start - 1), self.char(end)
        if after not in MARKERS:
            self.dropped(start, end, prev, after)
            return
        end += 1
        after = self.char(end)
        if _joins_emoji(prev, after):
            self.edits.append((start, end, "\u200d"))
        elif prev.isalpha() and after.isalpha():
            self.edits.append((start, end, "’"))
        elif (self.quote_open and not _is_space(prev)) or self.ends_quotation(prev, after):
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
        elif self.ends_quotation(prev, after) or (
            not _is_space(prev)
            and (
                self.quote_open
                or (self.evidence.confirmed and (_is_space(after) or after in ".,;:!?)]"))
            )
        ):
            self.close_quote(start, end, "”")
        elif _is_space(prev) and after.isalnum() and self.last_dropped_hole >= end:
            # ”…” (Hebrew, Swedish, Finnish): a hole opening a quotation
            # that another hole closes.
            self.quote_open = True
            self.edits.append((start, end, "”"))

    @staticmethod
    def ends_quotation(prev: str, after: str) -> bool:
        """A hole after a sentence's or clause's end and before a space
        closes a quotation, wherever it opened (with an ASCII quote, or lines
        above): no other character that the lost byte could make sits there."""
        return prev in ".,!?" and prev != "" and _is_space(after)

    def from_evidence(self, prev: str, after: str, start: int) -> str | None:
        """The one character of its kind that the document uses, if only one."""
        seen = self.evidence.seen
        if prev.isspace() and after.isspace():
            candidates = [d for d in _DASHES if d in seen]
        elif start <= self.indent and after.isspace():
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


def _lines_with_residue(segments: Sequence[str]) -> Iterator[str]:
    # A generator, not a list: on a damaged document that would be every line.
    return (ln for seg in segments for ln in text_lines(seg) if _RESIDUE_CHECK.search(ln))


def _residue_evidence(segments: Sequence[str]) -> Hashable:
    """What the document shows about its holes; nothing where it has none."""
    holed = []
    seen: set[str] = set()
    for ln in _lines_with_residue(segments):
        if _has_hole(ln):
            holed.append(ln)
        # Typography counts from lines that show damage of the "â€" family only.
        if "â" in ln or "†" in ln:
            seen.update(c for k, c in _EVIDENCE.items() if k in ln)
    if not holed:
        return _Residue()
    confirmed = any(_Line(ln, _Residue()).run().paired for ln in holed)
    letters: frozenset[str] = frozenset()
    if any(_LEAD_HOLE_RE.search(ln) for ln in holed):
        letters = frozenset(
            c.lower()
            for ln in _lines_with_residue(segments)
            for pair in _PAIR_1252_RE.findall(ln)
            for c in _decode_pair(pair)
            if c.isalpha()
        )
    return _Residue(confirmed, frozenset(seen), letters)


_CP1252 = "sloppy-windows-1252"


# Pairs repeat throughout a damaged document; there are at most 32 x 64 of them.
@lru_cache(maxsize=2048)
def _decode_pair(pair: str) -> str:
    return reread(pair, "sloppy-windows-1252") or ""


def lossy_residue(text: str, evidence: Hashable = None) -> str:
    """Repair what a lossy or half-done repair left: ``â€``, ``†``, ``â€?``.

    >>> lossy_residue("“Not yetâ€, he said, “a bit of progress†on it.”")
    '“Not yet”, he said, “a bit of progress” on it.”'
    >>> lossy_residue("The dagger in Smith† marks a footnote.")
    'The dagger in Smith† marks a footnote.'
    """
    document = evidence if isinstance(evidence, _Residue) else _Residue()
    return "".join(
        _Line(refill_layers(line), document).run().text() if _has_hole(line) else line
        for line in text_lines(text)
    )


LOSSY_RESIDUE = Step("lossy_residue", lossy_residue, _RESIDUE_TRIGGERS, _residue_evidence)
