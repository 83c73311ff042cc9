"""The package's folders are the pipeline's stages: each imports only the layers beneath it."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "policyc"

# Top to bottom. A module may import its own layer and any layer below it, never above.
LAYERS = [
    {"cli", "pipeline", "__main__", "serve", "session", "init", "workspace", "progress", "scaffold", "reports",
     "local_server"},
    {"site"},
    {"render"},
    {"engine"},
    {"outputs"},
    {"compile", "history", "importers", "compliance"},
    {"source"},
    {"model", "errors", "text", "resources", "__init__", "__version__", "names", "limits"},
]


def layer_of(module: str) -> int:
    head = module.split(".")[1] if module.startswith("policyc.") else module
    for depth, names in enumerate(LAYERS):
        if head in names:
            return depth
    raise AssertionError(f"policyc.{head} is in no layer: add it to LAYERS in {__file__}")


def imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("policyc"):
            found += [f"{node.module}.{a.name}" if node.module == "policyc" else node.module for a in node.names]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("policyc")]
    return [m for m in found if m != "policyc"]


def test_every_import_points_down_the_pipeline():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        module = ".".join(rel.parts)
        for target in imports(path):
            if layer_of(target) < layer_of(module):
                wrong.append(f"{module} imports {target}")
    assert not wrong, "imports running back up the pipeline:\n" + "\n".join(wrong)


def test_no_module_of_the_package_is_left_outside_a_stage():
    loose = {p.stem for p in PACKAGE.glob("*.py")}
    assert loose <= set().union(LAYERS[0], LAYERS[-1]), loose
