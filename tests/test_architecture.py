"""The shape of the package, kept true by tests: no import cycles, no vocabulary in the engine.

Imports are read from the source (every `import` statement, at module level, inside functions
or under `TYPE_CHECKING` alike), so a cycle hidden in a lazy import is still a cycle. Chinese
vocabulary belongs in `rules/`: the engine may keep at most `LITERAL_BUDGET` string literals
holding a Chinese character, not counting the number system (`extractors/numerals.py`),
docstrings and other bare string statements, and field descriptions (`description=`), which
document rather than decide.
"""
from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path


PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
HAN = re.compile(r"[\u4e00-\u9fff]")
LITERAL_BUDGET = 40
NUMBER_SYSTEM = "pipeline.extractors.numerals"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@lru_cache(maxsize=1)
def modules() -> dict[str, ast.Module]:
    return {module_name(p): ast.parse(p.read_text(encoding="utf-8"))
            for p in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, tree: ast.Module) -> set[str]:
    """The package's modules that `name` imports anywhere in its source: `from pkg import mod`
    imports `mod`, `from mod import name` imports `mod`."""
    known = modules()
    is_package = PACKAGE.joinpath(*name.split(".")[1:], "__init__.py").exists()
    package = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base
                       for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t != name:
                found.add(t)
    return found


def graph() -> dict[str, set[str]]:
    """Module → the package's modules it imports."""
    return {name: imported(name, tree) for name, tree in modules().items()}


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return sorted(out)


def test_no_import_cycles():
    assert cycles(graph()) == []


def test_a_lazy_import_cycle_is_found():
    g = {"pipeline.a": {"pipeline.b"}, "pipeline.b": {"pipeline.c"}, "pipeline.c": {"pipeline.a"},
         "pipeline.d": {"pipeline.a"}}
    assert cycles(g) == [["pipeline.a", "pipeline.b", "pipeline.c"]]
    tree = ast.parse("def f():\n    from pipeline.extractors import bodies\n")
    assert imported("pipeline.model.predict", tree) == {"pipeline.extractors.bodies"}


def chinese_literals(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, value) of each string literal holding a Chinese character that decides something:
    bare string statements (docstrings) and `description=` values are documentation."""
    skip = {id(n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)}
    for n in ast.walk(tree):
        if isinstance(n, ast.keyword) and n.arg == "description":
            skip.update(id(c) for c in ast.walk(n.value))
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip
            and HAN.search(n.value)]


def test_engine_code_holds_at_most_the_literal_budget():
    found = {name: chinese_literals(tree) for name, tree in modules().items() if name != NUMBER_SYSTEM}
    found = {name: lits for name, lits in found.items() if lits}
    total = sum(map(len, found.values()))
    assert total <= LITERAL_BUDGET, {name: [v for _, v in lits] for name, lits in found.items()}


def test_literals_are_counted_as_described():
    tree = ast.parse('"""模块"""\nX = "巡视"\nY = Field(description="个 项")\nZ = r"[\\u4e00-\\u9fff]"\n'
                     'def f():\n    """函数"""\n    return "整改"\n')
    assert [v for _, v in chinese_literals(tree)] == ["巡视", "整改"]
