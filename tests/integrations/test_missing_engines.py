"""Each integration, imported without its engine, names the extra that installs it."""

from __future__ import annotations

import subprocess
import sys

import pytest
from support import ROOT


@pytest.mark.parametrize(
    ("module", "engine", "extra"),
    [
        ("spark", "pyspark", "spark"),
        ("datasets", "datasets", "datasets"),
        ("polars", "polars", "polars"),
        ("datatrove", "datatrove", "datatrove"),
    ],
)
def test_a_missing_engine_names_its_extra(module: str, engine: str, extra: str) -> None:
    # A None entry in sys.modules makes "import engine" fail as if it were not installed.
    code = f"import sys; sys.modules[{engine!r}] = None; import textmend.integrations.{module}"
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src")},
    )
    assert run.returncode == 1
    last = run.stderr.strip().splitlines()[-1]
    assert last == (
        f"ImportError: textmend.integrations.{module} needs {engine}, which is not installed: "
        f"pip install 'textmend[{extra}]'"
    )


def test_importing_textmend_imports_no_engine() -> None:
    code = (
        "import sys, textmend, textmend.integrations\n"
        "textmend.fix('caf&eacute;')\n"
        "heavy = ('pyspark', 'datasets', 'polars', 'datatrove', 'pyarrow')\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in heavy)\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT / "src")}
    )
