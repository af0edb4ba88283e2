"""Steps and their triggers, and the one check built from many triggers.

A step is a small named function ``str -> str`` plus the triggers that say
where it could change anything. ``trigger_regex`` joins triggers into one
precompiled pattern whose first character class lets the regex engine skip
clean text in C. This module imports nothing of textmend: every other layer
builds on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache


@dataclass(frozen=True)
class Trigger:
    """Where a step may act: one of ``chars``, then ``followed_by``.

    ``chars`` is the body of a regular-expression character class and
    ``followed_by`` a regular expression that must match right after it.
    A ``gated`` trigger is a form that clean text makes too (a letter and a
    space, for one whose no-break space was lost): it counts only in a
    document where a trigger that is not gated matches. A document where
    none does is returned as it is, by ``fix`` and ``fix_plain`` alike.

    >>> Trigger("&", "#?[0-9A-Za-z]{1,24};").pattern
    '[&](?:#?[0-9A-Za-z]{1,24};)'
    """

    chars: str
    followed_by: str = ""
    gated: bool = field(default=False, repr=False)

    @property
    def pattern(self) -> str:
        return f"[{self.chars}](?:{self.followed_by})" if self.followed_by else f"[{self.chars}]"


@dataclass(frozen=True)
class Step:
    """A named, line-local repair or normalisation.

    ``func`` must leave any line that no trigger matches unchanged. A step
    that needs document context sets ``read_evidence``: it receives the lines
    that need work and returns the document's evidence (hashable), passed to
    ``func`` as a second argument (``func(text, evidence)``).
    """

    name: str
    func: Callable[..., str]
    triggers: tuple[Trigger, ...]
    read_evidence: Callable[[Sequence[str]], Hashable] | None = None

    def apply(self, text: str, evidence: Hashable) -> str:
        """Run the step, with the document's evidence if it reads any."""
        return self.func(text) if self.read_evidence is None else self.func(text, evidence)

    @property
    def description(self) -> str:
        """The first line of the step function's docstring."""
        return (self.func.__doc__ or "").strip().splitlines()[0]


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


def ascii_class(chars: str, among: bytes = bytes(range(128))) -> str:
    """The ASCII characters of a character-class body, as a class body.

    >>> print(ascii_class("a-cé&"), ascii_class("a-cé&", among=b"c"))
    &a-c c
    """
    return char_class(_members(chars, among.decode("ascii"))) if chars else ""
