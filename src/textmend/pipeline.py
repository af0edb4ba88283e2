"""Steps, the fast path that skips clean text, and explain records.

A step is a small named function ``str -> str`` plus the triggers that say
where it could change anything. The pipeline joins the triggers of a profile's
steps into one precompiled check: a line that does not match it cannot be
changed by any step, so it is never looked at again. Because the check is
derived from the steps, it cannot drift from them.

Every step is *line-local*: running it on ``a + b``, where ``a`` ends with
``"\\n"``, gives the same as running it on ``a`` and on ``b``. That is what
lets the pipeline work on the few lines that need it and still give the same
answer as running the steps over the whole text (``_fix_plain``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:
    from textmend.profiles import Profile

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


@dataclass(frozen=True)
class Trigger:
    """Where a step may act: one of ``chars``, then ``followed_by``.

    ``chars`` is the body of a regular-expression character class and
    ``followed_by`` a regular expression that must match right after it.

    >>> Trigger("&", "#?[0-9A-Za-z]{1,24};").pattern
    '[&](?:#?[0-9A-Za-z]{1,24};)'
    """

    chars: str
    followed_by: str = ""

    @property
    def pattern(self) -> str:
        return f"[{self.chars}](?:{self.followed_by})" if self.followed_by else f"[{self.chars}]"


@dataclass(frozen=True)
class Step:
    """A named, line-local repair or normalisation.

    ``func`` must leave any line that no trigger matches unchanged. A step
    that needs document context sets ``hint``: it receives the lines that
    need work and returns a hashable hint, passed to ``func`` as a second
    argument (``func(text, hint)``).
    """

    name: str
    func: Callable[..., str]
    triggers: tuple[Trigger, ...]
    hint: Callable[[Sequence[str]], Hashable] | None = None

    def apply(self, text: str, hint: Hashable) -> str:
        """Run the step, with its hint if it takes one."""
        return self.func(text) if self.hint is None else self.func(text, hint)

    @property
    def description(self) -> str:
        """The first line of the step function's docstring."""
        return (self.func.__doc__ or "").strip().splitlines()[0]


@dataclass(frozen=True)
class Change:
    """One change made by ``fix``: ``input[start:end]`` became ``after``.

    ``step`` names the step that made it; where several steps changed the
    same characters, their names are joined with ``+`` in the order they ran.

    >>> change = Change("html_entities", 3, 11, "&eacute;", "é")
    >>> "caf&eacute;"[change.start : change.end] == change.before
    True
    """

    step: str
    start: int
    end: int
    before: str
    after: str


def apply_changes(text: str, changes: Sequence[Change]) -> str:
    """Replay changes (as returned by ``explain``) on the text they came from.

    >>> apply_changes("caf&eacute;", [Change("html_entities", 3, 11, "&eacute;", "é")])
    'café'
    """
    out = []
    pos = 0
    for change in sorted(changes, key=lambda c: c.start):
        if (
            change.start < pos
            or change.end < change.start
            or text[change.start : change.end] != change.before
        ):
            raise ValueError(f"change {change} does not apply to this text")
        out.append(text[pos : change.start])
        out.append(change.after)
        pos = change.end
    out.append(text[pos:])
    return "".join(out)


def trigger_regex(triggers: Sequence[Trigger], dispatch: bool = True) -> re.Pattern[str]:
    """Compile triggers into one pattern that starts with a single class.

    A leading character class lets the regex engine skip through clean text
    at full speed. Where it stops, one lookbehind notes which group of lead
    characters (those that lead the same triggers) it stopped at, in an empty
    numbered group; conditionals then try only that group's triggers, with
    no backtracking into the others. Each alternative of the lookbehind
    starts with its class, which the engine tests without entering it.
    Lead characters beyond the BMP, rare in text, take the slow way: every
    trigger behind a lookbehind of its own class. The numbered groups are
    the check's own, so ``followed_by`` may not capture any.

    Without ``dispatch`` every trigger is tried behind a lookbehind of its
    own class at each stop: slower to scan, but many times quicker to
    compile where triggers are many.

    >>> trigger_regex([Trigger("ab", "1"), Trigger("b", "2")]).search("a2 b2")
    <re.Match object; span=(3, 5), match='b2'>
    """
    shared: dict[str, str] = {}
    for trigger in triggers:
        if not trigger.chars:
            continue  # an empty class: the trigger matches nothing
        shared[trigger.followed_by] = shared.get(trigger.followed_by, "") + trigger.chars
    if not shared:
        return re.compile(r"(?!)")
    first = "".join(shared.values())
    each = f"(?:{'|'.join(f'(?<=[{chars}])(?:{after})' for after, chars in shared.items())})"
    if not dispatch:
        return _compiled(f"[{first}]{each}", 0, triggers)
    # Each BMP lead character, grouped with those that lead the same triggers.
    leads: dict[str, set[str]] = {}
    for after, chars in shared.items():
        for char in _members(chars):
            leads.setdefault(char, set()).add(after)
    groups: dict[frozenset[str], list[str]] = {}
    for char, afters in leads.items():
        # A trigger with nothing to follow matches there whatever the others need.
        groups.setdefault(frozenset({""} if "" in afters else afters), []).append(char)
    # The groups are tried in order: ASCII stops (spaces, digits) are the most
    # frequent where they lead anything, then the largest groups.
    ordered = sorted(groups.items(), key=lambda group: (min(group[1]) >= "\x80", -len(group[1])))
    which = "|".join(f"[{char_class(chars)}]()" for _, chars in ordered)
    tests = "(?!)"
    if _may_leave_bmp(first):
        which += "|[\\U00010000-\\U0010ffff]"
        tests = each
    for number, (group, _) in reversed(list(enumerate(ordered, 1))):
        follows = "" if "" in group else "|".join(f"(?:{after})" for after in sorted(group))
        tests = f"(?({number})(?:{follows})|{tests})"
    return _compiled(f"[{first}](?<={which}){tests}", len(ordered), triggers)


def _compiled(source: str, groups: int, triggers: Sequence[Trigger]) -> re.Pattern[str]:
    """The check, refused if a trigger's pattern captures: the groups are its own.

    Counted on the whole check: compiling each trigger's pattern to ask
    would double the cost of a compile that every start pays.
    """
    check = re.compile(source)
    if check.groups != groups:
        culprit = next(t for t in triggers if re.compile(t.followed_by).groups)
        raise ValueError(f"{culprit} captures a group: write (?:...), not (...)")
    return check


# A class body that escapes nothing but \\ ] ^ - [ holds only the characters
# written in it and those between them.
_LITERAL_CLASS = re.compile(r"(?!\^)(?:[^\\]|\\[\\\]^\-\[])*")


def _may_leave_bmp(chars: str) -> bool:
    """Whether the class ``[chars]`` may hold a character beyond the BMP.

    >>> _may_leave_bmp(r"a-z\\-"), _may_leave_bmp(r"\\w"), _may_leave_bmp("\U0001f600")
    (False, True, True)
    """
    return _LITERAL_CLASS.fullmatch(chars) is None or max(chars) > "\uffff"


# Every BMP character, to list the members of a character class.
_BMP = "".join(map(chr, range(0x10000)))


@lru_cache(maxsize=1024)
def _members(chars: str, among: str = _BMP) -> list[str]:
    """The characters of ``among`` in the class ``[chars]``.

    A class of characters and ranges written out is read directly: a search
    through all 65,536 BMP characters takes 1-2 ms, and importing textmend
    and compiling a profile list dozens of classes.

    >>> "".join(_members("a-cx-")), "".join(_members("a-c", among="abcd"))
    ('-abcx', 'abc')
    """
    if among is not _BMP or _LITERAL_CLASS.fullmatch(chars) is None:
        return re.findall(f"[{chars}]", among)
    codes: set[int] = set()
    for first, last in _CLASS_ITEM.findall(chars):
        # Cut at the BMP's end: a range written up to a far plane would
        # otherwise put up to a million codes in the set (0.1 s) to drop them.
        codes.update(range(ord(first[-1]), min(ord((last or first)[-1]), 0xFFFF) + 1))
    return [chr(code) for code in sorted(codes)]


# One character or range of a class body that ``_LITERAL_CLASS`` matches.
_CLASS_ITEM = re.compile(r"(\\.|[^\\])(?:-(\\.|[^\\]))?", re.DOTALL)


def char_class(chars: Iterable[str]) -> str:
    """Characters as the body of a character class, runs written as ranges.

    Short patterns compile fast: Python parses them character by character.

    >>> print(char_class("cab-&"))
    &\\-a-c
    """
    runs: list[list[int]] = []
    for code in sorted(set(map(ord, chars))):
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return "".join(_escaped(a) if a == b else f"{_escaped(a)}-{_escaped(b)}" for a, b in runs)


def bmp_class(*bodies: str) -> str:
    """The BMP characters of class bodies, as one body written short.

    >>> print(bmp_class("a-c", "b-dx\U0001f600"))
    a-dx
    """
    return char_class(_members("".join(bodies)))


def _escaped(code: int) -> str:
    char = chr(code)
    return "\\" + char if char in "\\]^-[" else char


def _ascii_part(chars: str, among: bytes = bytes(range(128))) -> str:
    """The ASCII characters of a character-class body, as a class body.

    >>> print(_ascii_part("a-cé&"), _ascii_part("a-cé&", among=b"c"))
    &a-c c
    """
    return char_class(_members(chars, among.decode("ascii"))) if chars else ""


def _within_bmp(text: str) -> bool:
    """Whether every character of ``text`` is in the BMP, sifted in C."""
    for start in range(0, len(text), _SIFT_CHARS):
        chunk = text[start : start + _SIFT_CHARS]
        # Lone surrogates pass as two bytes; only characters beyond take four.
        if len(chunk.encode("utf-16-le", "surrogatepass")) != 2 * len(chunk):
            return False
    return True


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
    step_checks: tuple[re.Pattern[str], ...] = field(init=False)

    def __post_init__(self) -> None:
        self._triggers = tuple(t for s in self.steps for t in s.triggers)
        # Most text has no character beyond the BMP: a check without them
        # tests fewer ranges at every character it skips.
        bmp = (Trigger(bmp_class(t.chars), t.followed_by) for t in self._triggers)
        self._bmp_check = trigger_regex([t for t in bmp if t.chars])
        # On ASCII text only the ASCII lead characters can match, and only
        # those that occur in it: their check scans faster, and one of a
        # single character is found by the regex engine's literal search.
        self._ascii_check = lru_cache(maxsize=64)(self._check_among)
        leads = _ascii_part("".join(t.chars for t in self._triggers))
        self._not_leads = bytes(c for c in range(256) if not re.match(f"[{leads}]", chr(c)))
        self.ascii_check = self._ascii_check(bytes(range(128)))
        self.step_checks = tuple(trigger_regex(s.triggers) for s in self.steps)
        # The steps after the last one that reads hints (the repairs).
        self._tail = max((i + 1 for i, s in enumerate(self.steps) if s.hint), default=0)
        self._tail_check = trigger_regex([t for s in self.steps[self._tail :] for t in s.triggers])
        self._repeated_lines = _Repeats(self._fix_segment)
        self._repeated_texts = _Repeats(self._fix_text)

    @cached_property
    def check(self) -> re.Pattern[str]:
        """The check for any text: compiled when text beyond the BMP first
        comes, as most never does (it is the longest to compile)."""
        return trigger_regex(self._triggers)

    def _check_for(self, line: str) -> re.Pattern[str]:
        return self._bmp_check if _within_bmp(line) else self.check

    def _check_among(self, present: bytes) -> re.Pattern[str]:
        """The check for ASCII text in which no lead character but ``present`` occurs."""
        return trigger_regex(
            [Trigger(_ascii_part(t.chars, present), t.followed_by) for t in self._triggers]
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
            search = self._bmp_check.search
        else:
            search = self.check.search
        match = search(text)
        while match is not None:
            start = text.rfind("\n", 0, match.start()) + 1
            end = text.find("\n", match.start()) + 1 or len(text)
            spans.append((start, end))
            match = search(text, end)
        return spans

    def hints(self, segments: Sequence[str]) -> tuple[Hashable, ...]:
        """Each step's hint from the lines that need work."""
        return tuple(s.hint(segments) if s.hint else None for s in self.steps)

    def _run_steps(
        self,
        text: str,
        hints: tuple[Hashable, ...],
        record: list[tuple[str, str]] | None = None,
    ) -> str:
        steps = zip(self.steps, self.step_checks, hints, strict=True)
        for index, (step, check, hint) in enumerate(steps):
            # A repaired line usually needs none of the steps after the
            # repairs: one search says so for all of them.
            if index == self._tail and self._tail_check.search(text) is None:
                break
            if check.search(text) is None:
                continue
            fixed = step.apply(text, hint)
            if record is not None and fixed != text:
                record.append((step.name, fixed))
            text = fixed
        return text

    def _fix_segment(
        self,
        text: str,
        hints: tuple[Hashable, ...],
        record: list[tuple[str, str]] | None = None,
    ) -> str:
        for _ in range(_MAX_ROUNDS):
            fixed = self._run_steps(text, hints, record)
            # A repaired line usually matches no trigger at all: one search
            # then shows that another round would change nothing.
            if fixed == text or self._check_for(fixed).search(fixed) is None:
                return fixed
            text = fixed
        return text

    def _settle(self, lines: _Lines, records: list[list[tuple[str, str]]] | None = None) -> None:
        """Fix the dirty lines of a document until its hints hold still.

        A document's hints are read from its damaged lines; once they are
        repaired, the evidence can differ. Running again until the hints of
        the result are the ones it was made with is what makes ``fix``
        idempotent. Usually one round does it.
        """
        hints = self.hints(lines)
        # Only the lines some step may still change need another round.
        todo: Sequence[int] = range(len(lines))
        for _ in range(_MAX_ROUNDS):
            # Hints read the lines first to last, and steps cache per-line work
            # in bounded LRU caches: last to first finds the entries fresh.
            for i in reversed(todo):
                line = lines[i]
                if records is None:
                    fixed = self._repeated_lines(line, hints)
                else:
                    fixed = self._fix_segment(line, hints, records[i])
                if fixed != line:
                    lines.fixed[i] = fixed
            # The lines that still need work are the result's dirty lines:
            # what its hints are read from, as fix would read them.
            todo = [i for i in todo if self._check_for(lines[i]).search(lines[i])]
            settled = self.hints([lines[i] for i in todo])
            if settled == hints:
                break
            hints = settled

    def fix(self, text: str) -> str:
        spans = self.dirty_lines(text)
        if not spans:
            return text
        if len(text) <= _CACHE_MAX_CHARS:
            # A short text seen before skips its hints and rounds too.
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
        """Every step over the whole text, no check, no cache: the reference."""
        hints = self.hints([text])
        for _ in range(_MAX_ROUNDS):
            for _ in range(_MAX_ROUNDS):
                fixed = text
                for step, hint in zip(self.steps, hints, strict=True):
                    fixed = step.apply(fixed, hint)
                if fixed == text:
                    break
                text = fixed
            settled = self.hints([text])
            if settled == hints:
                break
            hints = settled
        return text

    def explain(self, text: str) -> list[Change]:
        spans = self.dirty_lines(text)
        records: list[list[tuple[str, str]]] = [[] for _ in spans]
        self._settle(_Lines(text, spans), records)
        changes: list[Change] = []
        for (start, end), record in zip(spans, records, strict=True):
            changes.extend(_attribute(text[start:end], record, start))
        return changes


_TOKEN_RE = re.compile(r"&#?\w+;|\w+|\s+|.", re.DOTALL)
_ENTITY_RE = re.compile(r"&#?\w+;")


def _hunks(before: str, after: str) -> list[tuple[int, int, int, int]]:
    """The changed spans of ``before``, as ``(i1, i2, j1, j2)``.

    Diffing words (and whole entities) rather than characters keeps
    ``It&rsquo;s`` -> ``It’s`` one change; a changed run of words is then
    trimmed of the letters it shares at either end (``doesnâ€™t``), and a
    run that only lost whole tokens is split into what each deletion took.
    """
    old = _TOKEN_RE.findall(before)
    new = _TOKEN_RE.findall(after)
    old_at = _offsets(old)
    new_at = _offsets(new)
    hunks = []
    for a1, a2, b1, b2 in _changed_runs(old, new):
        i1, i2, j1, j2 = old_at[a1], old_at[a2], new_at[b1], new_at[b2]
        while i1 < i2 and j1 < j2 and before[i1] == after[j1] and before[i1].isalnum():
            i1, j1 = i1 + 1, j1 + 1
        while i2 > i1 and j2 > j1 and before[i2 - 1] == after[j2 - 1] and after[j2 - 1].isalnum():
            i2, j2 = i2 - 1, j2 - 1
        hunks.extend(_deletions(before, after, (i1, i2, j1, j2)) or [(i1, i2, j1, j2)])
    return hunks


# Up to this many tokens (both sides together), a line is diffed as one
# piece. The matcher's time grows with the square of a token's repeats
# (spaces, common words): a longer line is cut where both sides agree again
# near each difference, and the pieces are diffed one by one.
_WHOLE_DIFF_TOKENS = 1000
# Pieces end where this many tokens agree, found this near a difference.
_AGREEING_TOKENS = 8
_AGREEMENT_DISTANCE = 64


def _changed_runs(old: list[str], new: list[str]) -> Iterator[tuple[int, int, int, int]]:
    """The runs of tokens that differ, as ``(a1, a2, b1, b2)``.

    >>> list(_changed_runs(list("abXcdef"), list("abYYcdef")))
    [(2, 3, 2, 4)]
    """
    import difflib  # only explanations diff: start-up need not import it

    for a, a_end, b, b_end in _pieces(old, new):
        matcher = difflib.SequenceMatcher(None, old[a:a_end], new[b:b_end], autojunk=False)
        for tag, a1, a2, b1, b2 in matcher.get_opcodes():
            if tag != "equal":
                yield a + a1, a + a2, b + b1, b + b2


def _pieces(old: list[str], new: list[str]) -> Iterator[tuple[int, int, int, int]]:
    """Spans ``(a, a_end, b, b_end)`` of ``old`` and ``new`` to diff apart;
    all between them agrees. A short line is one piece."""
    if len(old) + len(new) <= _WHOLE_DIFF_TOKENS:
        yield 0, len(old), 0, len(new)
        return
    a = b = 0
    while a < len(old) and b < len(new):
        if old[a] == new[b]:
            a, b = a + 1, b + 1
            continue
        found = _agreeing_again(old, new, a, b)
        if found is None:
            break
        yield a, found[0], b, found[1]
        a, b = found
    if a < len(old) or b < len(new):
        yield a, len(old), b, len(new)


def _agreeing_again(old: list[str], new: list[str], a: int, b: int) -> tuple[int, int] | None:
    """The nearest ``(a2, b2)`` past a difference at ``(a, b)`` from which both
    sides agree for ``_AGREEING_TOKENS`` tokens, or to both their ends."""
    for distance in range(1, _AGREEMENT_DISTANCE + 1):
        for a2 in range(a, min(a + distance, len(old)) + 1):
            b2 = b + distance - (a2 - a)
            if b2 > len(new) or (a2 < len(old) and b2 < len(new) and old[a2] != new[b2]):
                continue
            if old[a2 : a2 + _AGREEING_TOKENS] == new[b2 : b2 + _AGREEING_TOKENS]:
                return a2, b2
    return None


def _deletions(
    before: str, after: str, hunk: tuple[int, int, int, int]
) -> list[tuple[int, int, int, int]]:
    """A hunk that only deletes characters of ``before``, as one hunk per deletion.

    Removing invisibles joins the words around them into one token, so the
    diff of tokens sees ``\\xadfor\\xadma\\xad`` become ``forma``; three
    soft hyphens went, not the letters between them. An entity is not cut:
    ``\\x00&amp;`` -> ``&`` decoded ``&amp;`` (it did not delete ``amp;``),
    and stays one change. Empty if the hunk is not such.

    Each kept character is matched with its first occurrence: linear, where
    a diff of characters would be quadratic in a long hunk.

    >>> _deletions("a\\x00b\\x01c", "abc", (1, 4, 1, 2))
    [(1, 2, 1, 1), (3, 4, 2, 2)]
    """
    i1, i2, j1, j2 = hunk
    if i1 == i2 or j1 == j2:
        return []
    found = []
    at = i1
    for j in range(j1, j2):
        kept = before.find(after[j], at, i2)
        if kept < 0:
            return []
        if kept > at:
            found.append((at, kept, j, j))
        at = kept + 1
    if at < i2:
        found.append((at, i2, j2, j2))
    for entity in _ENTITY_RE.finditer(before, i1, i2):
        if any(entity.start() < p < entity.end() for a, b, _, _ in found for p in (a, b)):
            return []
    return found


def _offsets(tokens: list[str]) -> list[int]:
    at = [0]
    for token in tokens:
        at.append(at[-1] + len(token))
    return at


def _attribute(original: str, record: list[tuple[str, str]], offset: int) -> list[Change]:
    """Turn a segment's step-by-step history into changes against the input.

    The final hunks come from diffing the input with the final text; each
    hunk is credited to the steps whose own edits overlap it.
    """
    if not record:
        return []
    touched: list[tuple[str, int, int]] = []
    seen: set[tuple[int, int, str]] = set()
    for name, state in record:
        current = {(i1, i2, state[j1:j2]) for i1, i2, j1, j2 in _hunks(original, state)}
        touched.extend((name, i1, i2) for i1, i2, _ in current - seen)
        seen = current
    final = record[-1][1]
    changes = []
    for i1, i2, j1, j2 in _hunks(original, final):
        names: list[str] = []
        for name, t1, t2 in touched:
            if t1 <= i2 and i1 <= t2 and name not in names:
                names.append(name)
        changes.append(
            Change(
                "+".join(names or [record[-1][0]]),
                offset + i1,
                offset + i2,
                original[i1:i2],
                final[j1:j2],
            )
        )
    return changes


@lru_cache(maxsize=64)
def compile_profile(profile: Profile) -> Pipeline:
    """The compiled pipeline for a profile, built once per process."""
    from textmend.steps import STEPS

    return Pipeline(tuple(STEPS[name] for name in profile.steps))
