"""The layout of DESIGN.md kept by tests: no first-party import hidden inside a
function (import-linter, run by `make test`, sees those too, but an import inside a
function is how a cycle gets dodged instead of fixed), no module or function that has
grown past the size a newcomer can read."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("briefing", "proposals", "indicators")
FIRST_PARTY = tuple(f"{name}" for name in PACKAGES)

# Where an import inside a function is the documented way: the app's ready() (models
# are loaded by then) and data migrations (they must use the historical models).
ALLOWED = {"briefing/apps.py", "proposals/apps.py", "indicators/apps.py"}


def _sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative:
                continue
            yield relative, ast.parse(path.read_text(encoding="utf-8"))


def _imported(node) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [node.module]
    return []


def hidden_imports(tree) -> list[tuple[int, str]]:
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            for module in _imported(node):
                if module.split(".")[0] in FIRST_PARTY:
                    found.append((node.lineno, module))
    return found


def test_no_first_party_import_hides_inside_a_function():
    hidden = [
        f"{path}:{line} imports {module}"
        for path, tree in _sources()
        if path not in ALLOWED
        for line, module in hidden_imports(tree)
    ]
    assert hidden == []


def test_the_check_finds_an_import_inside_a_function():
    tree = ast.parse("def f():\n    from proposals.models import Status\n    import os\n")
    assert hidden_imports(tree) == [(2, "proposals.models")]


MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60


def test_no_module_over_500_lines():
    long = [
        f"{path}: {len((ROOT / path).read_text().splitlines())} lines"
        for path, _tree in _sources()
        if len((ROOT / path).read_text().splitlines()) > MAX_MODULE_LINES
    ]
    assert long == []


def test_no_function_over_60_lines():
    long = [
        f"{path}:{node.lineno} {node.name}: {node.end_lineno - node.lineno + 1} lines"
        for path, tree in _sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []


@pytest.mark.parametrize("name", ["briefing_forms", "briefing_services", "session_views"])
def test_no_prefix_named_module_at_the_top_of_briefing(name):
    assert not (ROOT / "briefing" / f"{name}.py").exists()
