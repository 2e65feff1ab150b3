"""No import cycle anywhere in ``bot/``: each module can be read (and imported) on its own.

The graph has an edge from a module to every ``bot`` module it imports while it
is being imported (module and class level; an import inside a function runs
later, when the module is complete), and to the packages on the way (importing
``bot.a.b`` runs ``bot/a/__init__.py``), except the packages the importer itself
lives in (Python has started those already).  Imports under
``if TYPE_CHECKING:`` never run and are left out.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "bot"


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The ``bot`` modules ``name`` imports, and the packages on the way to them."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return  # runs when called, not when imported
        if isinstance(node, ast.If) and _type_checking_only(node):
            for child in node.orelse:
                visit(child)
            return
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1],
                                 *([base] if base else [])])
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        for target in targets:
            parts = target.split(".")
            for depth in range(1, len(parts) + 1):
                prefix = ".".join(parts[:depth])
                if prefix in known and not name.startswith(prefix + "."):
                    found.add(prefix)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    found.discard(name)
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (cycle := walk(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := walk(node)):
            return cycle
    return None


def test_no_import_cycle_in_bot() -> None:
    found = modules()
    graph = {name: imported(name, path, set(found)) for name, path in found.items()}
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def package_graph() -> dict[str, set[str]]:
    """Which of ``bot``'s subpackages each one imports, counting imports inside functions
    too: a cycle hidden in a function is still two packages that need each other."""
    graph: dict[str, set[str]] = {}
    for name, path in modules().items():
        parts = name.split(".")
        if len(parts) < 2:
            continue
        source = ".".join(parts[:2])
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                       [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                       else [])
            for target in targets:
                target_parts = target.split(".")
                if target_parts[0] == "bot" and len(target_parts) > 1:
                    graph.setdefault(source, set()).add(".".join(target_parts[:2]))
    for source, targets in graph.items():
        targets.discard(source)
    for targets in list(graph.values()):
        for target in targets:
            graph.setdefault(target, set())
    return graph


def test_bot_packages_are_layered() -> None:
    cycle = find_cycle(package_graph())
    assert cycle is None, "packages that need each other: " + " -> ".join(cycle or [])


def test_the_checker_sees_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("name", [
    "bot.settings", "bot.cli", "bot.quiz.loader", "bot.knowledge", "bot.moderation.services",
    "bot.discord.errors", "bot.discord.bot", "bot.discord.ask.delivery", "bot.discord.kb.cog",
])
def test_a_module_imports_on_its_own(name: str) -> None:
    """In a fresh interpreter, with nothing imported first (order cannot hide a cycle)."""
    done = subprocess.run([sys.executable, "-c", f"import {name}"], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_discord_tests_use_their_own_helpers() -> None:
    """Shared Discord fixtures live in tests/discord/conftest.py, not in another package."""
    borrowed = [str(p.relative_to(REPO)) for p in (REPO / "tests" / "discord").rglob("*.py")
                if "tests.moderation" in p.read_text(encoding="utf-8")]
    assert borrowed == []
