"""The JSON report of a run (``--report FILE``): per file, and totals with changes per step."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from textmend import __version__
from textmend.batch.runner import Input
from textmend.io.atomic import AtomicFile
from textmend.profiles import Profile


def write_report(path: Path, inputs: list[Input], command: str, profile: Profile) -> None:
    """Write the report of a run atomically: a failed write leaves no half a file."""
    files = [item.summary() for item in inputs]
    steps: dict[str, int] = {}
    types: dict[str, int] = {}
    for item in inputs:
        for step, count in item.steps.items():
            steps[step] = steps.get(step, 0) + count
        for kind, count in item.types.items():
            types[kind] = types.get(kind, 0) + count
    report: dict[str, Any] = {
        "textmend": __version__,
        "command": command,
        "profile": profile.name,
        "files": files,
        "total": {
            "files": len(files),
            "failed_files": sum(f["error"] is not None for f in files),
            "records": sum(f["records"] for f in files),
            "changed": sum(f["changed"] for f in files),
            "steps": dict(sorted(steps.items())),
            "errors": sum(f["errors"] for f in files),
            **({"record_types": dict(sorted(types.items()))} if types else {}),
        },
    }
    out = AtomicFile(path)
    # A path that is not UTF-8 holds lone surrogates: written as their JSON
    # escape (\udce9), they read back as the same path.
    text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    out.stream.write(text.encode("utf-8", "backslashreplace"))
    out.commit()
