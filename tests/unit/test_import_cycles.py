"""No import cycle among augnetcf's modules, read from the source with ``ast``.

Every import counts, at the top of a module or inside a function (a lazy
import is still a dependency), except those under ``if TYPE_CHECKING:``,
which only type checkers follow. ``from . import X`` is an edge to the
submodule X when there is one, else to the package. A module bound with
``augnetcf._lazy.lazy("augnetcf.X", ...)`` (imported on first use, with the
modules of its ``also``) is an edge too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import augnetcf

PKG = Path(augnetcf.__file__).resolve().parent


def _modules() -> dict[str, Path]:
    out = {}
    for path in PKG.rglob("*.py"):
        parts = path.relative_to(PKG.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return skip


def _called(call: ast.Call) -> str:
    """The name of what *call* calls (``lazy`` for ``lazy(...)`` and ``_lazy.lazy(...)``)."""
    return getattr(call.func, "id", getattr(call.func, "attr", ""))


def imports() -> dict[str, set[str]]:
    """Module -> the augnetcf modules it imports."""
    mods = _modules()
    edges: dict[str, set[str]] = {m: set() for m in mods}
    for name, path in mods.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        tree = ast.parse(path.read_text())
        skip = _type_checking_nodes(tree)
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                target = ".".join(base + ([node.module] if node.module else []))
                subs = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in mods]
                found = subs if len(subs) == len(node.names) else [target, *subs]
            elif isinstance(node, ast.Import):
                found = [a.name for a in node.names]
            elif isinstance(node, ast.Call) and _called(node) == "lazy":
                named = [*node.args[:1], *(e for k in node.keywords if k.arg == "also"
                                           for e in getattr(k.value, "elts", []))]
                found = [a.value for a in named if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            else:
                continue
            edges[name].update(t for t in found if t in mods and t != name)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each module that is on one (as a path that returns to its start)."""
    out = []
    for start in sorted(edges):
        stack = [(start, [start])]
        seen = set()
        while stack:
            node, path = stack.pop()
            for nxt in sorted(edges[node]):
                if nxt == start:
                    out.append(path + [start])
                    stack = []
                    break
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, path + [nxt]))
    return out


def test_the_reader_sees_the_imports_it_should():
    edges = imports()
    assert "augnetcf.aug" in edges["augnetcf.config"]
    assert "augnetcf.config" in edges["augnetcf.share"]  # share sits on top of the engine
    assert "augnetcf.clidoc" in edges["augnetcf.cli"]
    assert "augnetcf.backends" in edges["augnetcf.backends.netplan"]


def test_no_module_imports_itself_back():
    assert cycles(imports()) == []


def test_the_engine_and_the_backends_do_not_import_share_or_the_command():
    edges = imports()
    for name in ("augnetcf.config", "augnetcf.aug", "augnetcf.backends"):
        assert not {"augnetcf.share", "augnetcf.cli"} & edges[name], name
    assert "augnetcf.aug" not in edges["augnetcf.backends"]  # a backend stays data
