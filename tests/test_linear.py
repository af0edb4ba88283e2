"""Lines that once took time super-linear in their length.

Archives hold lines of a megabyte and more; one that is worked on once per
character, or copied once per match, stalls a whole run. Each test counts
the work done (characters copied or scanned, built-in calls made) or shows
the structure that keeps it linear; none times anything.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from textmend import mojibake


def _c_calls_made_by(function: Callable[..., Any], call: Callable[[], object]) -> int:
    """How many built-in functions ``function`` calls itself while ``call`` runs."""
    code = function.__code__
    count = 0

    def profile(frame: Any, event: str, arg: object) -> None:
        nonlocal count
        if event == "c_call" and frame.f_code is code:
            count += 1

    sys.setprofile(profile)
    try:
        call()
    finally:
        sys.setprofile(None)
    return count


def test_mojibake_hides_the_holes_of_a_line_in_one_pass() -> None:
    # Each "â€?" was replaced by the mask in turn, each replace copying the
    # whole line: quadratic on a line of holes (x3.6 per doubling at 64k).
    def calls(holes: int) -> int:
        line = "a â€?" * holes
        return _c_calls_made_by(mojibake._ftfy_line, lambda: mojibake._ftfy_line(line))

    assert calls(1000) == calls(10)
