"""Running a profile's steps: the fast path that skips clean text, and the caches.

The pipeline joins the triggers of a profile's
steps into one precompiled check: a line that does not match it cannot be
changed by any step, so it is never looked at again. Because the check is
derived from the steps, it cannot drift from them.

Every step is *line-local*: running it on ``a + b``, where ``a`` ends with
``"\\n"``, gives the same as running it on ``a`` and on ``b``. That is what
lets the pipeline work on the few lines that need it and still give the same
answer as running the steps over the whole text (``fix_plain``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import overload

from textmend.explanation import Change, attribute
from textmend.profiles import Profile
from textmend.step import Step, Trigger, ascii_class, bmp_class, trigger_regex
from textmend.steps import STEPS

# A step that keeps changing its own output is a bug; this bounds the damage.
_MAX_ROUNDS = 4
# ASCII text is sifted for trigger characters this many characters at a time.
_SIFT_CHARS = 1 << 16
# Repeated lines (boilerplate), and repeated short texts (a cell, a field), are
# cached from their second sighting on; most occur once, and long ones rarely
# repeat. The bound of each of the two caches: 8192 entries of at most 512
# characters in and out (9 MB of Latin-1 text, 34 MB at worst), and the hashes
# of the last 8192 distinct short texts seen (under 1 MB).
_CACHE_ENTRIES = 8192
_CACHE_MAX_CHARS = 512
# The output is built in blocks of about this many characters.
_BLOCK_CHARS = 1 << 16


def _within_bmp(text: str) -> bool:
    """Whether every character of ``text`` is in the BMP, sifted in C."""
    for start in range(0, len(text), _SIFT_CHARS):
        chunk = text[start : start + _SIFT_CHARS]
        # Lone surrogates pass as two bytes; only characters beyond take four.
        if len(chunk.encode("utf-16-le", "surrogatepass")) != 2 * len(chunk):
            return False
    return True


def _spans(text: str, search: Callable[[str, int], re.Match[str] | None]) -> list[tuple[int, int]]:
    """The (start, end) of every line of ``text`` where ``search`` finds something."""
    spans = []
    match = search(text, 0)
    while match is not None:
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start()) + 1 or len(text)
        spans.append((start, end))
        match = search(text, end)
    return spans


class _Lines(Sequence[str]):
    """The dirty lines of a text as fixed so far.

    A line is sliced from the text when it is read and kept only once a step
    has changed it, so a document's lines are never all copied at once.
    """

    def __init__(self, text: str, spans: Sequence[tuple[int, int]]) -> None:
        self._text = text
        self.spans = spans
        self.fixed: list[str | None] = [None] * len(spans)

    def __len__(self) -> int:
        return len(self.spans)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        fixed = self.fixed[index]
        if fixed is not None:
            return fixed
        start, end = self.spans[index]
        return self._text[start:end]

    def joined(self) -> str:
        """The text with its fixed lines in place; the fixed lines are used up.

        ``out += piece`` grows one string in place (CPython resizes a string
        that nothing else refers to), and each fixed line is dropped once
        copied: the peak is about the output's size, where a join would need
        the pieces and the output at once.
        """
        text = self._text
        out = ""
        block: list[str] = []
        size = pos = 0
        for i, line in enumerate(self.fixed):
            if line is None:
                continue
            self.fixed[i] = None
            start, end = self.spans[i]
            block += (text[pos:start], line)
            size += start - pos + len(line)
            pos = end
            if size > _BLOCK_CHARS:
                out += "".join(block)
                block.clear()
                size = 0
        if pos == 0:
            return text
        block.append(text[pos:])
        out += "".join(block)
        return out


class _Repeats:
    """A function's answers for short texts, cached from their second sighting.

    Most texts occur once: caching each at once would fill the cache with
    answers never asked for again. The bounds are ``_CACHE_ENTRIES`` and
    ``_CACHE_MAX_CHARS``.
    """

    def __init__(self, answer: Callable[..., str]) -> None:
        self._answer = answer
        self._cached = lru_cache(maxsize=_CACHE_ENTRIES)(answer)
        self._seen: set[int] = set()

    def __call__(self, text: str, *args: Hashable) -> str:
        if len(text) > _CACHE_MAX_CHARS:
            return self._answer(text, *args)
        key = hash(text)
        if key in self._seen:
            return self._cached(text, *args)
        if len(self._seen) >= _CACHE_ENTRIES:
            self._seen.clear()
        self._seen.add(key)
        return self._answer(text, *args)

    def clear(self) -> None:
        self._cached.cache_clear()
        self._seen.clear()


@dataclass
class Pipeline:
    """A profile compiled once: its steps, its check and its cache."""

    steps: tuple[Step, ...]
    ascii_check: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        self._triggers = tuple(t for s in self.steps for t in s.triggers)
        # Most text has no character beyond the BMP: a check without them
        # tests fewer ranges at every character it skips.
        bmp = (Trigger(bmp_class(t.chars), t.followed_by, t.gated) for t in self._triggers)
        self._bmp_triggers = [t for t in bmp if t.chars]
        # What shows damage: a document it finds nothing in is left as it is.
        # Only then are the gated triggers compiled in, for the dirty lines.
        self._gated = any(t.gated for t in self._triggers)
        self._bmp_gate = trigger_regex([t for t in self._bmp_triggers if not t.gated])
        # On ASCII text only the ASCII lead characters can match, and only
        # those that occur in it: their check scans faster, and one of a
        # single character is found by the regex engine's literal search.
        self._ascii_check = lru_cache(maxsize=64)(self._check_among)
        leads = ascii_class("".join(t.chars for t in self._triggers))
        self._not_leads = bytes(c for c in range(256) if not re.match(f"[{leads}]", chr(c)))
        self.ascii_check = self._ascii_check(bytes(range(128)))
        # The steps after the last one that reads evidence (the repairs).
        self._tail = max((i + 1 for i, s in enumerate(self.steps) if s.read_evidence), default=0)
        self._repeated_lines = _Repeats(self._fix_segment)
        self._repeated_texts = _Repeats(self._fix_text)

    @cached_property
    def check(self) -> re.Pattern[str]:
        """The check for any text: compiled when text beyond the BMP first
        comes, as most never does (it is the longest to compile)."""
        return trigger_regex(self._triggers)

    # Only text that shows damage needs these: compiled when it first comes.
    @cached_property
    def step_checks(self) -> tuple[re.Pattern[str], ...]:
        """Each step's own check, for a dirty line: compiled without
        dispatch, many times quicker, as a line is short to scan."""
        return tuple(trigger_regex(s.triggers, dispatch=False) for s in self.steps)

    @cached_property
    def _bmp_gated(self) -> re.Pattern[str]:
        """The gated triggers alone, for text within the BMP: searched beside
        the gate, which spares compiling both into one more check."""
        return trigger_regex([t for t in self._bmp_triggers if t.gated])

    @cached_property
    def _gate(self) -> re.Pattern[str]:
        """What shows damage in any text."""
        if not self._gated:
            return self.check
        return trigger_regex([t for t in self._triggers if not t.gated])

    def shows_damage(self, text: str) -> bool:
        """Whether a trigger that is not gated matches: else no step runs.

        >>> from textmend.profiles import PROFILES
        >>> news = compile_profile(PROFILES["news"])
        >>> news.shows_damage("В Москве"), news.shows_damage("В Москве cafÃ©")
        (False, True)
        """
        return (self._bmp_gate if _within_bmp(text) else self._gate).search(text) is not None

    def _may_change(self, line: str) -> bool:
        """Whether some trigger, gated or not, matches the line."""
        if not _within_bmp(line):
            return self.check.search(line) is not None
        if self._bmp_gate.search(line) is not None:
            return True
        return self._gated and self._bmp_gated.search(line) is not None

    def _check_among(self, present: bytes) -> re.Pattern[str]:
        """The check for ASCII text in which no lead character but ``present`` occurs."""
        return trigger_regex(
            [Trigger(ascii_class(t.chars, present), t.followed_by) for t in self._triggers]
        )

    def _ascii_leads(self, text: str) -> bytes:
        """The lead characters that occur in ASCII ``text``, sifted in C."""
        found: set[int] = set()
        for start in range(0, len(text), _SIFT_CHARS):
            chunk = text[start : start + _SIFT_CHARS].encode("ascii")
            found.update(chunk.translate(None, self._not_leads))
        return bytes(sorted(found))

    def dirty_lines(self, text: str) -> list[tuple[int, int]]:
        """The (start, end) of every line that some step may change."""
        spans: list[tuple[int, int]] = []
        if text.isascii():
            present = self._ascii_leads(text)
            if not present:
                return spans
            search = self._ascii_check(present).search
        elif _within_bmp(text):
            spans = _spans(text, self._bmp_gate.search)
            if spans and self._gated:
                spans = sorted({*spans, *_spans(text, self._bmp_gated.search)})
            return spans
        else:
            search = self._gate.search
            if self._gated and search(text) is not None:
                search = self.check.search
        return _spans(text, search)

    def evidence(self, segments: Sequence[str]) -> tuple[Hashable, ...]:
        """Each step's evidence from the lines that need work."""
        return tuple(s.read_evidence(segments) if s.read_evidence else None for s in self.steps)

    def _run_steps(
        self,
        text: str,
        evidence: tuple[Hashable, ...],
        record: list[tuple[str, str]] | None = None,
    ) -> str:
        steps = zip(self.steps, self.step_checks, evidence, strict=True)
        for index, (step, check, step_evidence) in enumerate(steps):
            # A repaired line usually needs none of the steps after the
            # repairs: their checks say so before any of them runs.
            if index == self._tail and not any(
                c.search(text) for c in self.step_checks[self._tail :]
            ):
                break
            if check.search(text) is None:
                continue
            fixed = step.apply(text, step_evidence)
            if record is not None and fixed != text:
                record.append((step.name, fixed))
            text = fixed
        return text

    def _fix_segment(
        self,
        text: str,
        evidence: tuple[Hashable, ...],
        record: list[tuple[str, str]] | None = None,
    ) -> str:
        for _ in range(_MAX_ROUNDS):
            fixed = self._run_steps(text, evidence, record)
            # A repaired line usually matches no trigger at all: one search
            # then shows that another round would change nothing.
            if fixed == text or not self._may_change(fixed):
                return fixed
            text = fixed
        return text

    def _settle(self, lines: _Lines, records: list[list[tuple[str, str]]] | None = None) -> None:
        """Fix the dirty lines of a document until its evidence holds still.

        A document's evidence is read from its damaged lines; once they are
        repaired, the evidence can differ. Running again until the evidence of
        the result are the ones it was made with is what makes ``fix``
        idempotent. Usually one round does it.
        """
        evidence = self.evidence(lines)
        # Only the lines some step may still change need another round.
        todo: Sequence[int] = range(len(lines))
        for _ in range(_MAX_ROUNDS):
            # Hints read the lines first to last, and steps cache per-line work
            # in bounded LRU caches: last to first finds the entries fresh.
            for i in reversed(todo):
                line = lines[i]
                if records is None:
                    fixed = self._repeated_lines(line, evidence)
                else:
                    fixed = self._fix_segment(line, evidence, records[i])
                if fixed != line:
                    lines.fixed[i] = fixed
            # The lines that still need work are the result's dirty lines:
            # what its evidence is read from, as fix would read them.
            todo = [i for i in todo if self._may_change(lines[i])]
            settled = self.evidence([lines[i] for i in todo])
            if settled == evidence:
                break
            evidence = settled

    def fix(self, text: str) -> str:
        spans = self.dirty_lines(text)
        if not spans:
            return text
        if len(text) <= _CACHE_MAX_CHARS:
            # A short text seen before skips its evidence and rounds too.
            return self._repeated_texts(text)
        return self._fix_lines(text, spans)

    def _fix_text(self, text: str) -> str:
        return self._fix_lines(text, self.dirty_lines(text))

    def _fix_lines(self, text: str, spans: list[tuple[int, int]]) -> str:
        lines = _Lines(text, spans)
        self._settle(lines)
        return lines.joined()

    def line_edits(self, text: str) -> list[tuple[int, int, str]]:
        """What ``fix`` changes, line by line: ``(start, end, fixed line)``.

        A fixed line may hold several lines (``line_breaks`` turns a lone
        ``\\r`` into ``\\n``), so only these say which input lines changed.

        >>> from textmend.profiles import PROFILES
        >>> compile_profile(PROFILES["llm"]).line_edits("a\\rb\\nok\\nc&eacute;\\n")
        [(0, 4, 'a\\nb\\n'), (7, 17, 'cé\\n')]
        """
        spans = self.dirty_lines(text)
        lines = _Lines(text, spans)
        self._settle(lines)
        return [
            (start, end, fixed)
            for (start, end), fixed in zip(spans, lines.fixed, strict=True)
            if fixed is not None and fixed != text[start:end]
        ]

    def forget(self) -> None:
        """Forget every cached answer (for timing a cold run)."""
        self._repeated_lines.clear()
        self._repeated_texts.clear()

    def fix_plain(self, text: str) -> str:
        """Every step over the whole text, no check, no cache: the reference
        (but for a text that shows no damage, which no step is run on)."""
        if not self.shows_damage(text):
            return text
        evidence = self.evidence([text])
        for _ in range(_MAX_ROUNDS):
            for _ in range(_MAX_ROUNDS):
                fixed = text
                for step, step_evidence in zip(self.steps, evidence, strict=True):
                    fixed = step.apply(fixed, step_evidence)
                if fixed == text:
                    break
                text = fixed
            settled = self.evidence([text])
            if settled == evidence:
                break
            evidence = settled
        return text

    def explain(self, text: str) -> list[Change]:
        spans = self.dirty_lines(text)
        records: list[list[tuple[str, str]]] = [[] for _ in spans]
        self._settle(_Lines(text, spans), records)
        changes: list[Change] = []
        for (start, end), record in zip(spans, records, strict=True):
            changes.extend(attribute(text[start:end], record, start))
        return changes


@lru_cache(maxsize=64)
def compile_profile(profile: Profile) -> Pipeline:
    """The compiled pipeline for a profile, built once per process."""
    return Pipeline(tuple(STEPS[name] for name in profile.steps))
