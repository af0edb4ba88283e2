"""What ``fix`` changed, as spans of its input: ``Change``, replay, attribution.

``explain`` records each step's output line by line; the changes come from
diffing the input with the result, and each is credited to the steps whose
own edits overlap it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass


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


def attribute(original: str, record: list[tuple[str, str]], offset: int) -> list[Change]:
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
