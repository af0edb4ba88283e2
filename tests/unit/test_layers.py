"""Layers import one way only, from the command line down to the step types.

A module may import modules of its own layer or of the layers below it, never
above; and no modules import each other in a circle, deferred imports included.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import textmend

PACKAGE = Path(textmend.__file__).parent

# Lowest first. A module belongs to the first layer whose prefix it has.
LAYERS = (
    ("textmend._ftfy", "textmend.step", "textmend.explanation"),
    ("textmend.steps",),
    ("textmend.profiles",),
    ("textmend.pipeline",),
    ("textmend.decoding",),
    ("textmend.api",),
    ("textmend.io",),
    ("textmend.batch",),
    ("textmend.integrations",),
    ("textmend.cli", "textmend.__main__"),
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int:
    if module == "textmend":
        return len(LAYERS)  # the public face re-exports from every layer
    for rank, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    raise AssertionError(f"{module} belongs to no layer: add it to LAYERS")


def _imports(path: Path) -> set[str]:
    """The textmend modules a file imports, anywhere in it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("textmend"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textmend"):
            assert node.module is not None
            for alias in node.names:
                # "from textmend.steps.repair import mojibake" imports a module.
                child = f"{node.module}.{alias.name}"
                is_module = (PACKAGE.parent / child.replace(".", "/")).with_suffix(".py").exists()
                found.add(child if is_module else node.module)
    return found


MODULES = {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_go_down_only(module: str) -> None:
    # The package's root only holds the public names and the version.
    upward = [
        name for name in MODULES[module] if name != "textmend" and _layer(name) > _layer(module)
    ]
    assert upward == [], f"{module} imports a layer above it"


def test_no_import_circle() -> None:
    graph = {m: {i for i in imports if i in MODULES and i != m} for m, imports in MODULES.items()}
    graph["textmend"] = set()  # the root re-exports; only its version is imported below
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            cycle = [*path[path.index(module) :], module]
            raise AssertionError("import circle: " + " -> ".join(cycle))
        if module in done:
            return
        for name in sorted(graph.get(module, ())):
            visit(name, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
