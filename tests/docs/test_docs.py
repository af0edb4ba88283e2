"""The README and the docs site: the site builds strictly, every Python example
runs as written, and what the pages show of the code is what the code does."""

from __future__ import annotations

import doctest
import importlib.metadata
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

import textmend

README = ROOT / "README.md"
PAGES = sorted([README, *(ROOT / "docs").rglob("*.md")])

# A fenced block; group 1 is the line before it, 2 its language, 3 its body.
_FENCE = re.compile(r"(?m)^([^\n]*)\n```(\w*)\n(.*?)^```$", re.DOTALL)
_NOT_RUN = re.compile(r"<!-- not run: .+ -->")


def _name(page: Path) -> str:
    return str(page.relative_to(ROOT))


def _blocks(page: Path) -> list[tuple[str, str, str]]:
    return _FENCE.findall(page.read_text(encoding="utf-8"))


def _examples(page: Path) -> list[str]:
    return [body for _, lang, body in _blocks(page) if lang == "python" and ">>>" in body]


@pytest.mark.parametrize("page", [p for p in PAGES if _examples(p)], ids=_name)
def test_python_examples_run_as_written(page: Path) -> None:
    """The examples of a page, one doctest sharing its names from top to bottom."""
    code = _examples(page)
    test = doctest.DocTestParser().get_doctest("\n".join(code), {}, _name(page), str(page), 0)
    runner = doctest.DocTestRunner()
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_every_python_block_is_run_or_says_why_not(page: Path) -> None:
    untested = [
        body.splitlines()[0]
        for before, lang, body in _blocks(page)
        if lang == "python" and ">>>" not in body and not _NOT_RUN.search(before)
    ]
    assert not untested, f"write as >>> examples, or mark <!-- not run: why -->: {untested}"


def test_readme_is_a_front_door() -> None:
    """At most 300 lines, opening with the two set-up commands; CI runs the second."""
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 300
    install, test = (body.strip() for _, _, body in _blocks(README)[:2])
    venv = "python3 -m venv .venv && . .venv/bin/activate && "
    assert install == venv + "pip install . && textmend fix corpus/demo/news-damaged.txt"
    assert test == venv + 'pip install -e ".[test]" && python -m pytest'
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    # The last line, so that its exit code (pytest's 5 included) is the script's.
    assert ci[-1] == test


def test_exit_codes_on_the_cli_page_are_the_help_text() -> None:
    help_text = subprocess.run(
        [sys.executable, "-m", "textmend", "--help"], capture_output=True, text=True, check=True
    ).stdout
    exit_codes = help_text[help_text.index("exit codes:") :].rstrip("\n")
    shown = [body.rstrip("\n") for _, _, body in _blocks(ROOT / "docs" / "cli.md")]
    assert exit_codes in shown


def test_the_version_has_one_source() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject
    assert 'version = {attr = "textmend.__version__"}' in pyproject
    assert importlib.metadata.version("textmend") == textmend.__version__


@pytest.mark.slow
@pytest.mark.skipif(
    importlib.util.find_spec("mkdocs") is None,
    reason="mkdocs is not installed: pip install -e '.[docs]' (the test extra has it)",
)
def test_site_builds_strictly(tmp_path: Path) -> None:
    """``mkdocs build --strict``: no broken link, nav entry, snippet or API reference."""
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    api = (tmp_path / "api" / "index.html").read_text(encoding="utf-8")
    for name in textmend.__all__:
        assert f'id="textmend.{name}"' in api, name
    # The tables kept once in the README are included in the pages.
    assert "textmend MB/s" in (tmp_path / "speed" / "index.html").read_text(encoding="utf-8")
    assert "Document context" in (tmp_path / "index.html").read_text(encoding="utf-8")
