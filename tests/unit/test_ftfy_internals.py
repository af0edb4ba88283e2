"""ftfy's internals that textmend reads, against the lowest and the newest ftfy allowed.

``textmend._ftfy`` names them in one place; these tests say at once when an
ftfy release moves or changes one, before a repair silently does.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from support import ROOT

# Run as a script under another ftfy: each check prints nothing or raises.
_CHECKS = """
import ftfy
from textmend import _ftfy, fix
assert _ftfy.badness("â€œquotedâ€\\x9d") > _ftfy.badness("“quoted”") == 0
assert _ftfy.BADNESS_RE.search("Ã©") and not _ftfy.BADNESS_RE.search("é")
assert "sloppy-windows-1252" in _ftfy.CHARMAP_ENCODINGS
assert _ftfy.HTML_ENTITIES["&eacute;"] == "é"
assert _ftfy.UTF8_DETECTOR_RE.search("â€œ") and not _ftfy.UTF8_DETECTOR_RE.search("“")
assert _ftfy.LOSSY_UTF8_RE.search(b"\\xe2\\x80\\x1a") and not _ftfy.LOSSY_UTF8_RE.search(b"ok")
assert fix("The Mona Lisa doesnâ€™t have eyebrows.") == "The Mona Lisa doesn’t have eyebrows."
print(ftfy.__version__)
"""


def _allowed_ftfy() -> str:
    return next(d for d in metadata.requires("textmend") or () if re.match(r"ftfy\b", d))


def test_the_installed_ftfy_has_every_internal_textmend_reads() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run([sys.executable, "-c", _CHECKS], env=env, check=True, capture_output=True)


@pytest.mark.slow
@pytest.mark.parametrize("which", ["lowest", "newest"])
def test_the_lowest_and_newest_allowed_ftfy_have_them(which: str, tmp_path: Path) -> None:
    spec = _allowed_ftfy()  # e.g. "ftfy<7,>=6.3"
    lowest = re.search(r">=\s*([\w.]+)", spec)
    assert lowest, f"{spec}: no lowest version to test"
    wanted = f"ftfy=={lowest.group(1)}" if which == "lowest" else spec
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "-t", str(tmp_path), wanted],
        capture_output=True,
        text=True,
    )
    if install.returncode != 0:
        pytest.skip(f"cannot install {wanted} (no package index?): {install.stderr.strip()[-300:]}")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT / "src")])}
    done = subprocess.run([sys.executable, "-c", _CHECKS], env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"{wanted}: {done.stderr}"
    if which == "lowest":
        assert done.stdout.strip().startswith(lowest.group(1))
