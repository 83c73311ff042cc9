"""tests/ mirrors policyc/: every module has its test module, and test modules share helpers only
through helper modules, never by importing one another.

The rule: policyc/a/b.py is tested by tests/a/test_b.py (policyc/b.py by tests/test_b.py).
Where one test module covers several modules, or a
module's tests are named by what they check rather than by the module, COVERED_BY says which
test modules cover it. UNTESTED lists the modules that have no test module yet: it may only
shrink, and a module leaves it as soon as it has one (the test below fails until it does).
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import ROOT

PACKAGE = ROOT / "policyc"
TESTS = ROOT / "tests"
FOLDERS: dict[str, str] = {}  # package folder -> its test folder, where the names differ

COVERED_BY = {
    "__main__.py": ["test_quick_start.py"],
    "cli/common.py": ["test_cli_errors.py"],
    "cli/init.py": ["test_cli_errors.py", "test_paths.py"],
    "cli/parser.py": ["test_cli_errors.py", "test_completion.py", "test_quick_start.py"],
    "cli/serve.py": ["test_serve.py", "test_serve_errors.py"],
    "errors.py": ["test_cli_errors.py"],
    "init.py": ["packaging/test_wheel.py", "test_paths.py"],
    "local_server.py": ["test_serve.py"],  # driven over real sockets by a real serve process
    "limits.py": ["source/test_one_round.py", "test_hostile.py"],
    "names.py": ["test_paths.py"],
    "pipeline.py": ["engine/test_cache.py", "test_interrupted.py"],
    "resources.py": ["packaging/test_wheel.py"],
    "scaffold.py": ["cli/test_new.py", "test_completion.py"],  # `policyc new school|policy`
    "workspace.py": ["test_paths.py"],  # finding the sources from a folder below them
    "engine/dask_executor.py": ["engine/test_executors.py"],
    "engine/keys.py": ["engine/test_cache.py"],  # what is reused is what the keys say is unchanged
    "compile/applicability.py": ["site/test_applicability.py"],
    "history/attach.py": ["history/test_history.py"],
    "history/ratify.py": ["history/test_history.py", "history/test_ratify_many.py", "cli/test_history.py"],
    "history/snapshot.py": ["history/test_history.py", "cli/test_history.py"],
    "history/status.py": ["site/test_site.py", "render/test_forms.py"],
    "importers/assemble.py": ["importers/test_import_existing_trust.py", "importers/test_import_setting_name.py"],
    "importers/blocks.py": ["importers/test_import_structure.py"],
    "importers/cover.py": ["importers/test_import_covers.py"],
    "importers/decode.py": ["importers/test_hostile_import.py"],
    "importers/docx.py": ["importers/test_import_docx.py", "importers/test_import_nested_lists.py"],
    "importers/layout.py": ["importers/test_import_structure.py"],
    "importers/names.py": ["importers/test_import_setting_name.py", "importers/test_import_existing_trust.py"],
    "importers/overlay.py": ["importers/test_import_overlay.py"],
    "importers/package.py": ["importers/test_hostile_import.py"],
    "importers/pdf.py": ["importers/test_import_pdf.py", "importers/test_hostile_import.py"],
    "importers/refusal.py": ["importers/test_hostile_import.py"],
    "importers/structure.py": ["importers/test_import_structure.py"],
    "importers/text.py": ["importers/test_import_text.py", "importers/test_import_nested_lists.py"],
    "importers/writing.py": ["importers/test_hostile_import.py", "importers/test_import_existing_trust.py"],
    "render/pack.py": ["render/test_review_pack.py"],
    "render/pdf_marked.py": ["render/test_pdf_structure.py", "render/test_pdf_reading.py"],
    "render/pdf_tree.py": ["render/test_pdf_structure.py", "render/test_pdf_reading.py"],
    "render/pieces.py": ["render/test_changes.py"],
    "render/present.py": ["render/test_html.py"],
    "site/bundle.py": ["site/test_site.py"],
    "site/guard.py": ["test_paths.py"],
    "source/check.py": ["source/test_one_round.py", "test_cli_errors.py"],
    "source/load.py": ["source/test_one_round.py", "test_cli_errors.py"],
    "source/salvage.py": ["source/test_one_round.py"],
    "source/schema.py": ["source/test_one_round.py"],
    "source/yaml_errors.py": ["source/test_yaml_words.py"],
    "text/glyphs.py": ["source/test_characters.py"],
}

# Modules with no test module of their own yet. Only ever remove names from this list.
UNTESTED = [
    "render/writers.py",  # to be replaced by the table of formats (issue #23, part 2)
]


def modules() -> list[str]:
    return sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if p.name != "__init__.py")


def mirror(module: str) -> str:
    *folders, name = module.split("/")
    return "/".join([FOLDERS.get(f, f) for f in folders] + [f"test_{name}"])


def has_tests(module: str) -> bool:
    return (TESTS / mirror(module)).is_file() or module in COVERED_BY


def test_every_module_has_its_test_module():
    missing = [m for m in modules() if not has_tests(m) and m not in UNTESTED]
    assert not missing, f"write tests/{mirror(missing[0])} (or name its tests in COVERED_BY): {missing}"


def test_the_untested_list_only_names_modules_that_still_lack_tests():
    stale = [m for m in UNTESTED if m not in modules() or has_tests(m)]
    assert not stale, f"take these out of UNTESTED: {stale}"


def test_the_covering_test_modules_exist_and_cover_modules_that_exist():
    named = {m: [t for t in tests if not (TESTS / t).is_file()] for m, tests in COVERED_BY.items()}
    assert not {m: t for m, t in named.items() if t}, "COVERED_BY names test modules that do not exist"
    assert not [m for m in COVERED_BY if m not in modules()], "COVERED_BY names modules that do not exist"
    assert not [m for m in COVERED_BY if (TESTS / mirror(m)).is_file()], "COVERED_BY repeats what the rule says"


def test_mirror_follows_the_package_folders():
    assert mirror("cli.py") == "test_cli.py"
    assert mirror("render/pdf.py") == "render/test_pdf.py"
    assert mirror("engine/cache.py") == "engine/test_cache.py"
    assert mirror("outputs/layout.py") == "outputs/test_layout.py"


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_no_test_module_imports_another_or_the_conftest():
    offending = {}
    for path in sorted(TESTS.rglob("*.py")):
        bad = sorted(m for m in imported_modules(path)
                     if m.startswith("tests.") and (m.rsplit(".", 1)[-1].startswith("test_") or m.endswith("conftest")))
        if bad:
            offending[path.relative_to(ROOT).as_posix()] = bad
    assert offending == {}, "move what they share into tests/helpers.py"
