"""Import cycles among the app's modules, read with `ast` (nothing is imported).

    python .ci/import_cycles.py [--top-level] [--root DIR]

Every `import`/`from ... import` counts, also those inside functions (a lazy import hides a
cycle, it does not remove it); `--top-level` counts only the module-level ones (the cycles
that could break at import time). Prints each strongly connected group of modules and
exits 1 when there is one. Package `__init__` edges to their own submodules are skipped
(a package naming what lives in it is not a cycle one has to reason about).
"""
import ast
import sys
from pathlib import Path

ROOT = Path(sys.argv[sys.argv.index("--root") + 1] if "--root" in sys.argv else Path(__file__).parent.parent).resolve()
PACKAGES = ("governance", "motions", "voting", "minutes")
SKIP = ("governance/demo",)


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            rel = path.relative_to(ROOT).with_suffix("")
            parts = list(rel.parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _resolve(name: str, known: dict) -> str | None:
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def imports(name: str, path: Path, known: dict, top_level: bool) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    nodes = tree.body if top_level else list(ast.walk(tree))
    if top_level:  # also `if TYPE_CHECKING:`-free blocks at module level (try/if)
        nodes = [n for stmt in tree.body for n in ast.walk(stmt)
                 if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from a.b import c`: the module a.b.c when c is one, else a.b
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            resolved = _resolve(target, known)
            if resolved and resolved != name and not (path.name == "__init__.py" and resolved.startswith(name + ".")):
                found.add(resolved)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    index, low, stack, on, groups, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
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
                groups.append(sorted(group))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return groups


def main() -> int:
    top_level = "--top-level" in sys.argv
    known = {n: p for n, p in modules().items() if not any(str(p).startswith(str(ROOT / s)) for s in SKIP)}
    graph = {n: imports(n, p, known, top_level) for n, p in known.items()}
    upward = sorted((a, b) for a, bs in graph.items() for b in bs
                    if a.startswith("governance") and not b.startswith("governance"))
    groups = cycles(graph)
    for group in groups:
        print(f"cycle of {len(group)}: {', '.join(group)}")
    print(f"{len(groups)} cycle(s), {sum(len(g) for g in groups)} modules in them; "
          f"{len(upward)} import(s) from governance up into motions/voting/minutes")
    for a, b in upward:
        print(f"  up: {a} -> {b}")
    return 1 if groups else 0


if __name__ == "__main__":
    sys.exit(main())
