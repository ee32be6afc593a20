"""The shape of the code, checked: which package may import which, and how long a file may grow.

Domains build on each other in one direction (places, media ← catalog ← cooperatives ←
livestreams; accounts under all of them). A page that shows two domains is composed by the one that
knows both, or through an extension point (app/common/extension_points.py). The graph is read from
the source with `ast`, so imports inside functions count as much as those at the top.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"

# Packages and modules that put the domains together; they may import any domain.
COMPOSERS = {"main", "demo", "cli", "models", "__init__"}
# Shared helpers: they know no domain.
SHARED = {"common", "extensions"}
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(APP.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[str, int]]:
    """Every module path imports, absolute, with its line number (`from app import x` names app.x)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if base == "app":  # `from app import catalog`: the name is the module
                found += [(f"app.{alias.name}", node.lineno) for alias in node.names]
            else:
                found.append((base, node.lineno))
    return [(name, line) for name, line in found if name == "app" or name.startswith("app.")]


def _unit(module: str) -> str | None:
    """The top-level part of app a module belongs to: 'catalog', 'common', 'main', 'cli'..."""
    parts = module.split(".")
    if parts[0] != "app":
        return None
    if len(parts) == 1:
        return "__init__"
    name = parts[1]
    if (APP / name).is_dir() or (APP / f"{name}.py").exists():
        return name
    return None  # `from app import x` where x is not a module of its own


def _edges() -> dict[tuple[str, str], list[str]]:
    """(importing unit, imported unit) -> where, as 'app/file.py:line imports module'."""
    edges = defaultdict(list)
    for path in sorted(APP.rglob("*.py")):
        source = _unit(_module_name(path))
        for module, line in _imports(path):
            target = _unit(module)
            if target is None or target == source:
                continue
            where = f"{path.relative_to(APP.parent)}:{line} imports {module}"
            if where not in edges[(source, target)]:
                edges[(source, target)].append(where)
    return edges


def _domains() -> set[str]:
    return {
        p.name
        for p in APP.iterdir()
        if p.is_dir() and (p / "__init__.py").exists() and p.name not in COMPOSERS | SHARED
    }


def _report(edges, pairs) -> str:
    return "\n".join(f"{a} -> {b}: " + "; ".join(edges[(a, b)]) for a, b in sorted(pairs))


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_the_graph_sees_function_level_and_relative_imports(tmp_path, monkeypatch):
    package = tmp_path / "app"
    (package / "one").mkdir(parents=True)
    (package / "two").mkdir()
    (package / "__init__.py").write_text("")
    (package / "one" / "__init__.py").write_text("")
    (package / "two" / "__init__.py").write_text("")
    (package / "one" / "rules.py").write_text("def f():\n    from app.two import things\n")
    (package / "two" / "things.py").write_text("from ..one import rules\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["APP"]), "APP", package)
    edges = _edges()
    assert set(edges) == {("one", "two"), ("two", "one")}
    assert _cycles({"one": {"two"}, "two": {"one"}}) == [{"one", "two"}]


def test_no_domain_imports_another_in_a_cycle():
    edges = _edges()
    domains = _domains()
    graph = defaultdict(set)
    for a, b in edges:
        if a in domains and b in domains:
            graph[a].add(b)
    cycles = _cycles(graph)
    offending = {(a, b) for a, b in edges if any(a in c and b in c for c in cycles)}
    assert not cycles, "Domains import each other round a loop; pick one direction:\n" + _report(edges, offending)


def test_no_domain_imports_the_site_pages_or_the_factory():
    edges = _edges()
    offending = {(a, b) for a, b in edges if a in _domains() and b in COMPOSERS}
    assert not offending, "A domain imports app.main, the factory or another composer:\n" + _report(edges, offending)


def test_shared_helpers_know_no_domain():
    edges = _edges()
    offending = {(a, b) for a, b in edges if a in SHARED and b not in SHARED}
    assert not offending, "app/common or app/extensions.py imports a domain:\n" + _report(edges, offending)


def test_no_file_in_app_is_longer_than_a_reader_can_hold():
    too_long = {}
    for path in sorted(APP.rglob("*.py")):
        name = path.relative_to(APP.parent).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            too_long[name] = lines
    assert not too_long, f"Split these by concern (at most {MAX_LINES} lines): {too_long}"


# Packages whose pages, feeds or API anyone may reach: what they import, they may show.
PUBLIC = {"catalog", "livestreams", "main", "api"}


def test_no_public_package_imports_households():
    """A household's data, or that a producer is linked to one, never reaches a public page."""
    edges = _edges()
    offending = {(a, b) for a, b in edges if a in PUBLIC and b == "households"}
    assert not offending, "A public package imports the households domain:\n" + _report(edges, offending)
