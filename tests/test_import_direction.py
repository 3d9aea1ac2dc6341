"""The layers point one way: every module of src/vigil is parsed and its imports (function-level
ones included) are checked against four rules, each named in the failure it gives.

1. ``domain-imports-surface`` — no module outside the web and API layers imports ``vigil.web``,
   ``vigil.api`` or a template-tag module (a template filter wraps the domain, never the
   reverse).
2. ``core-imports-above`` — ``vigil.core``, the bottom layer, imports no other Vigil package.
3. ``app-cycle`` — no cycle between apps (the top-level packages under ``vigil``): one app
   reaching another that reaches back is a cycle, however long the way round.
4. ``surface-imports-surface`` — the web and the API are siblings over the same domain: neither
   imports the other.

There is no allow-list: every piece that broke a rule was moved to the layer it belongs to.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import vigil

SRC = Path(vigil.__file__).resolve().parent
SURFACES = ("web", "api")


@dataclass(frozen=True)
class Import:
    """One import statement: the importing module, the imported name, where it is written."""

    source: str
    target: str
    line: int

    def __str__(self) -> str:
        return f"{self.source} imports {self.target} (line {self.line})"


def module_name(path: Path, root: Path = SRC) -> str:
    """``vigil.records.checks`` for ``<root>/records/checks.py`` (a package: its ``__init__``)."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path = SRC) -> Iterator[Import]:
    """Every ``vigil`` name ``path`` imports, at any depth (in functions and classes too)."""
    module = module_name(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from vigil.web import search`` imports the module vigil.web.search.
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            if name == "vigil" or name.startswith("vigil."):
                yield Import(module, name, node.lineno)


def all_imports(root: Path = SRC) -> list[Import]:
    """The imports of every module under ``root``."""
    return [found for path in sorted(root.rglob("*.py")) for found in imports_of(path, root)]


def app_of(module: str) -> str | None:
    """The top-level package of ``module`` (``records`` for ``vigil.records.x``); None for the
    root modules (settings, urls, wsgi, cli), which sit above every app."""
    parts = module.split(".")
    if len(parts) < 2:
        return None
    return parts[1] if (SRC / parts[1]).is_dir() else None


def is_surface(module: str) -> bool:
    return app_of(module) in SURFACES


def is_template_tags(module: str) -> bool:
    return ".templatetags" in module


def domain_imports_surface(imports: list[Import]) -> list[str]:
    """Rule ``domain-imports-surface``."""
    return [
        str(i)
        for i in imports
        if app_of(i.source) is not None
        and not is_surface(i.source)
        and not is_template_tags(i.source)
        and (is_surface(i.target) or is_template_tags(i.target))
    ]


def core_imports_above(imports: list[Import]) -> list[str]:
    """Rule ``core-imports-above``: core imports only core (no app, no root module)."""
    return [
        str(i)
        for i in imports
        if app_of(i.source) == "core"
        and i.target != "vigil"
        and not (i.target + ".").startswith("vigil.core.")
    ]


def surface_imports_surface(imports: list[Import]) -> list[str]:
    """Rule ``surface-imports-surface``."""
    return [
        str(i)
        for i in imports
        if is_surface(i.source) and is_surface(i.target) and app_of(i.source) != app_of(i.target)
    ]


def app_graph(imports: list[Import]) -> dict[str, dict[str, Import]]:
    """Which app imports which, each edge with one import that makes it."""
    graph: dict[str, dict[str, Import]] = {}
    for i in imports:
        a, b = app_of(i.source), app_of(i.target)
        if a is not None and b is not None and a != b:
            graph.setdefault(a, {}).setdefault(b, i)
    return graph


def app_cycles(graph: dict[str, dict[str, Import]]) -> list[list[str]]:
    """The strongly connected groups of more than one app (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


def explain_cycle(group: list[str], graph: dict[str, dict[str, Import]]) -> str:
    """The imports that tie ``group`` together, one line per edge inside it."""
    edges = [
        f"    {a} -> {b}: {graph[a][b]}"
        for a in group
        for b in sorted(graph.get(a, {}))
        if b in group
    ]
    return " <-> ".join(group) + "\n" + "\n".join(edges)


# --- the rules over src/vigil -----------------------------------------------------------------


@pytest.fixture(scope="module")
def src_imports() -> list[Import]:
    """Every import of src/vigil, parsed once for the four rules (about a second a parse)."""
    return all_imports()


def test_no_domain_module_imports_the_web_the_api_or_template_tags(src_imports):
    found = domain_imports_surface(src_imports)
    assert not found, "rule domain-imports-surface broken:\n  " + "\n  ".join(found)


def test_core_imports_no_app_above_it(src_imports):
    found = core_imports_above(src_imports)
    assert not found, "rule core-imports-above broken:\n  " + "\n  ".join(found)


def test_no_cycle_between_apps(src_imports):
    graph = app_graph(src_imports)
    cycles = app_cycles(graph)
    assert not cycles, "rule app-cycle broken:\n" + "\n".join(
        explain_cycle(group, graph) for group in cycles
    )


def test_the_web_and_the_api_do_not_import_each_other(src_imports):
    found = surface_imports_surface(src_imports)
    assert not found, "rule surface-imports-surface broken:\n  " + "\n  ".join(found)


# --- the checker itself finds what it must ----------------------------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "vigil"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_function_level_and_a_relative_import_are_both_seen(tmp_path):
    root = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "records/__init__.py": "",
            "records/stats.py": "def f():\n    from vigil.web.search import x\n",
            "records/more.py": "from ..web import views\n",
        },
    )
    targets = {i.target for path in root.rglob("*.py") for i in imports_of(path, root)}
    assert "vigil.web.search" in targets
    assert "vigil.web.views" in targets


def test_a_cycle_through_three_apps_is_found_and_named():
    made = {
        ("a", "b"): Import("vigil.a.x", "vigil.b.y", 1),
        ("b", "c"): Import("vigil.b.y", "vigil.c.z", 2),
        ("c", "a"): Import("vigil.c.z", "vigil.a.x", 3),
        ("c", "d"): Import("vigil.c.z", "vigil.d.w", 4),
    }
    graph: dict[str, dict[str, Import]] = {}
    for (a, b), i in made.items():
        graph.setdefault(a, {})[b] = i
    assert app_cycles(graph) == [["a", "b", "c"]]
    assert "vigil.c.z imports vigil.a.x (line 3)" in explain_cycle(["a", "b", "c"], graph)


def test_a_one_way_graph_has_no_cycle():
    graph = {"web": {"records": Import("vigil.web.x", "vigil.records.y", 1)}}
    assert app_cycles(graph) == []
