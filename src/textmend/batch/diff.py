"""A unified diff written as a file streams past, hunks whole across chunk boundaries.

The changes are known (the edits of each chunk), so no lines are compared:
runs of unchanged lines and replacements are fed in order, and a hunk is
written once the unchanged lines after its last change are too many for the
next change to join it. Only the open hunk and a few lines of context are held.

>>> diff = UnifiedDiff()
>>> diff.same(["a\\n", "b\\n"]) + diff.change(["c\\n"], ["C\\n"]) + diff.same(["d\\n"])
''
>>> print(diff.end(), end="")
@@ -1,4 +1,4 @@
 a
 b
-c
+C
 d
"""

from __future__ import annotations

from collections import deque

# Unchanged lines shown around each change, as ``diff -u``.
CONTEXT = 3


class UnifiedDiff:
    """The hunks of one file; each call returns the text of the hunks it closed."""

    def __init__(self) -> None:
        self._old = 1  # the number of the next old line
        self._new = 1
        self._before: deque[str] = deque(maxlen=CONTEXT)  # the last unchanged lines
        self._body: list[str] | None = None  # the open hunk
        self._start = (0, 0)
        self._counts = [0, 0]
        self._after: list[str] = []  # unchanged lines since the open hunk's last change

    def same(self, lines: list[str]) -> str:
        """Lines that are the same on both sides."""
        closed = ""
        if self._body is not None:
            self._after += lines[: 2 * CONTEXT + 1 - len(self._after)]
            if len(self._after) > 2 * CONTEXT:
                closed = self._close()
        self._before.extend(lines[-CONTEXT:])
        self._old += len(lines)
        self._new += len(lines)
        return closed

    def change(self, old: list[str], new: list[str]) -> str:
        """Lines ``old`` replaced by ``new``."""
        if self._body is None:
            self._body = [" " + line for line in self._before]
            self._start = (self._old - len(self._before), self._new - len(self._before))
            self._counts = [len(self._before)] * 2
        else:
            self._body += [" " + line for line in self._after]
            self._counts = [count + len(self._after) for count in self._counts]
        self._after = []
        self._before.clear()
        self._body += ["-" + line for line in old] + ["+" + line for line in new]
        self._counts[0] += len(old)
        self._counts[1] += len(new)
        self._old += len(old)
        self._new += len(new)
        return ""

    def end(self) -> str:
        """The file is over: the open hunk, if any."""
        return "" if self._body is None else self._close()

    def _close(self) -> str:
        assert self._body is not None
        trailing = self._after[:CONTEXT]
        body = self._body + [" " + line for line in trailing]
        old, new = (count + len(trailing) for count in self._counts)
        header = f"@@ -{_range(self._start[0], old)} +{_range(self._start[1], new)} @@\n"
        self._body = None
        self._after = []
        return header + "".join(
            line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
            for line in body
        )


def _range(start: int, count: int) -> str:
    """A hunk's range as ``diff -u`` writes it: an empty one names the line before it."""
    if count == 1:
        return str(start)
    return f"{start - 1 if count == 0 else start},{count}"
