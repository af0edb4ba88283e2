"""The README's examples run as written."""

from __future__ import annotations

import doctest
import re

from support import ROOT


def test_readme_examples() -> None:
    # A closing code fence right after an expected output would read as part of it.
    text = re.sub(r"(?m)^```.*$", "", (ROOT / "README.md").read_text(encoding="utf-8"))
    test = doctest.DocTestParser().get_doctest(text, {}, "README.md", "README.md", 0)
    runner = doctest.DocTestRunner()
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0
    assert result.failed == 0
