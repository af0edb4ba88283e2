"""What tests share: where the repository's files are, and the repair cases.

Importable from every test folder (pytest puts ``tests/`` on the path).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED_SAMPLES = ROOT.parent / "shared" / "samples"
DATA = Path(__file__).resolve().parent / "data"

CASES_FILE = DATA / "repair_cases.json"
_SURROGATE = re.compile(r"\\u(d[89a-f][0-9a-f]{2})")


def load_cases() -> list[dict[str, Any]]:
    """The repair cases, escaped surrogate pairs turned back into code units.

    JSON reads an escaped surrogate pair as one character, so a case whose
    input must hold the pair itself writes it as literal ``\\uXXXX`` text and
    sets ``surrogates_escaped``.

    >>> case = next(c for c in load_cases() if c.get("surrogates_escaped"))
    >>> "\\ud83c" in case["input"]
    True
    """
    cases: list[dict[str, Any]] = json.loads(CASES_FILE.read_text(encoding="utf-8"))
    for case in cases:
        if case.get("surrogates_escaped"):
            case["input"] = _SURROGATE.sub(lambda m: chr(int(m.group(1), 16)), case["input"])
    return cases
