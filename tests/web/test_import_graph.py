"""No import cycles: not between modules (``query`` <-> ``expand``, the app
factory <-> its blueprints) and not between stages
(``archive -> index -> web``: no package imports a later one).

Read from the source with ``ast``, so an import inside a function counts too
(a lazy import is how a cycle hides)."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("archive", "index", "web")
STAGE = {name: i for i, name in enumerate(PACKAGES)}


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for p in (ROOT / pkg).glob("*.py"):
            out[pkg if p.stem == "__init__" else f"{pkg}.{p.stem}"] = p
    return out


def _imports(name: str, path: Path, known: set) -> set[str]:
    pkg = name if path.stem == "__init__" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = pkg + ("." + base if base else "")
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in known and "." in t:
                t = t.rsplit(".", 1)[0]
            if t in known and t != name:
                out.add(t)
    return out


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    graph = {n: _imports(n, p, set(mods)) for n, p in mods.items()}
    # importing "pkg.mod" runs "pkg/__init__" first, which is not a cycle of pkg.mod's making
    return {n: {t for t in deps if not n.startswith(t + ".")} for n, deps in graph.items()}


def _cycle(graph):
    state, stack = {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        state[n] = 2
        stack.pop()
        return None

    for n in sorted(graph):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def test_no_module_imports_in_a_circle():
    graph = _graph()
    assert len(graph) > 40 and "web.index_access" in graph["web.search_views"]
    assert _cycle(graph) is None


def test_no_stage_imports_a_later_one():
    later = [(n, t) for n, deps in _graph().items() for t in deps
             if STAGE[t.split(".")[0]] > STAGE[n.split(".")[0]]]
    assert later == []


def test_the_checker_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
