"""The import graph of ``geo`` has no cycles, counting imports inside functions too (issue 11).

A cycle hidden behind a function-level import is still a cycle: every ``import``
statement anywhere in a module is an edge, and so is the package ``__init__``
an import runs on the way. Before the scene work the walker found
``geo.render.mapdecks ↔ geo.spatial.aggregate`` and ``geo.render.snapshot ↔ geo.render.html``;
issue 11 removed the last ones (``geo.data.importers.{common, containers, csvread}``
and ``geo.data.store`` ↔ the importers behind lazy module ``__getattr__``s).
None is tolerated now.
"""

from __future__ import annotations

import ast
from pathlib import Path

GEO = Path(__file__).resolve().parent.parent / "geo"
#: Cycles known and tolerated: none (the importers' cycles went with issue 11).
KNOWN: list[set[str]] = []


def module_name(path: Path) -> str:
    rel = path.relative_to(GEO.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def parents(mod: str) -> list[str]:
    """The packages above a module; importing ``a.b.c`` runs ``a/__init__`` and ``a/b/__init__`` first."""
    parts = mod.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def import_graph() -> dict[str, set[str]]:
    """Every import statement in ``geo`` (module level or inside a function) as an edge.

    Importing ``a.b.c`` from outside ``a.b`` also runs ``a/b/__init__.py``, so the
    edge goes to that package too: a re-export in a package ``__init__`` that
    leads back to the importer is a cycle. A module's own parent packages are
    already being imported and add no edge.
    """
    mods = {module_name(p): p for p in GEO.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        pkg = mod if path.name == "__init__.py" else mod.rsplit(".", 1)[0]
        own = {mod, *parents(mod)}
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = pkg.split(".")[: len(pkg.split(".")) - node.level + 1]
                    base = ".".join(up + ([base] if base else []))
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            for t in targets:
                if t in mods and t != mod:
                    graph[mod].add(t)
                    graph[mod].update(p for p in parents(t) if p in mods and p not in own)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_scene_renderers_and_aggregate_are_in_no_cycle():
    found = cycles(import_graph())
    mapping = [
        c
        for c in found
        if any(
            m.startswith(
                (
                    "geo.scene",
                    "geo.render",
                    "geo.render.mapdecks",
                    "geo.spatial.aggregate",
                    "geo.render.snapshot",
                    "geo.render.html",
                )
            )
            for m in c
        )
    ]
    assert mapping == [], mapping


def test_no_new_cycles_in_geo():
    found = cycles(import_graph())
    new = [c for c in found if not any(k <= c for k in KNOWN)]
    assert new == [], new


def test_the_walker_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [{"a", "b"}]


#: The most lines a module under ``geo/`` may have (issue 11): a longer one is split by job.
MAX_MODULE_LINES = 500


def test_no_module_in_geo_is_over_500_lines():
    counts = {
        str(p.relative_to(GEO.parent)): len(p.read_text(encoding="utf-8").splitlines())
        for p in sorted(GEO.rglob("*.py"))
    }
    over = {path: n for path, n in counts.items() if n > MAX_MODULE_LINES}
    listed = ", ".join(f"{path} ({n})" for path, n in sorted(over.items(), key=lambda kv: -kv[1]))
    assert over == {}, f"modules over {MAX_MODULE_LINES} lines (split them by job): {listed}"
