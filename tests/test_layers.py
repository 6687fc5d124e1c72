"""The import order of src/newsfold, read from the AST (imports inside functions included): no cycle, no back-arrow.

Every module belongs to a layer (LAYERS, lowest first); a module imports only modules of its own layer or lower
ones, and the graph of module imports has no cycle. Imports under `if TYPE_CHECKING:` count too: a type named from
a higher layer is a dependency on it all the same.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "newsfold"

# lowest first, in the order articles flow (DESIGN.md); a module's layer is that of the longest prefix of its dotted
# name listed here ("newsfold" alone is the package's __init__, not every top-level module)
LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "newsfold",
        "newsfold.errors",
        "newsfold.model",
        "newsfold.config",
        "newsfold.urls",
        "newsfold.plausible",
        "newsfold.learned",
    ),
    ("newsfold.text",),
    ("newsfold.store",),
    ("newsfold.accounts",),
    ("newsfold.pipeline",),
    ("newsfold.ingest",),
    ("newsfold.extract", "newsfold.language"),
    # fold/: features once per article, then linking and placement (shared by both folds), then the incremental
    # folder, then the batch fold (which takes the folder's settings and embedder)
    ("newsfold.fold", "newsfold.fold.features"),
    ("newsfold.fold.link",),
    ("newsfold.fold.incremental",),
    ("newsfold.fold.batch",),
    ("newsfold.enrich",),
    ("newsfold.serialize",),
    (
        # ingest/'s two orchestrators (issue 20 moves them into the one pipeline): the scheduler runs the ingest
        # flow per source; takedowns removes articles and refolds and rederives what they touched
        "newsfold.ingest.scheduler",
        "newsfold.ingest.takedowns",
        "newsfold.reading",
        "newsfold.steps",
        "newsfold.extract_ahead",
        "newsfold.engine",
        "newsfold.forget",
        "newsfold.repair",
        "newsfold.executors",
        "newsfold.batch",
        "newsfold.batch_output",
    ),
    ("newsfold.web",),
    ("newsfold.hooks",),
    ("newsfold.cli",),
)

# (importer, imported) pairs still allowed against the rule, each with its reason; empty when issue 20 is done
EXEMPT: dict[tuple[str, str], str] = {}


def module_name(path: Path) -> str:
    """The dotted module name of a file under src/newsfold."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    """Every module of the package by dotted name."""
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(tree: ast.Module, name: str, is_package: bool, modules: set[str]) -> Iterator[str]:
    """The newsfold modules a module's AST imports, anywhere in it (functions and TYPE_CHECKING blocks included)."""
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "newsfold":
                    yield resolve(alias.name, modules)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            if target.split(".")[0] != "newsfold":
                continue
            for alias in node.names:
                # `from package import module` imports the module; `from module import name` the module itself
                submodule = f"{target}.{alias.name}"
                yield submodule if submodule in modules else resolve(target, modules)


def resolve(target: str, modules: set[str]) -> str:
    """The longest dotted prefix of target that is a module of the package."""
    while target not in modules and "." in target:
        target = target.rpartition(".")[0]
    return target


def import_graph() -> dict[str, set[str]]:
    """Each module's newsfold imports (itself left out)."""
    found = all_modules()
    names = set(found)
    graph: dict[str, set[str]] = {}
    for name, path in found.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        edges = set(imported(tree, name, path.name == "__init__.py", names))
        graph[name] = edges - {name}
    return graph


def layer(name: str) -> int:
    """The layer index of a module: that of the longest listed prefix of its name."""
    best, best_length = -1, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            inside = name == prefix or (prefix != "newsfold" and name.startswith(prefix + "."))
            if inside and len(prefix) > best_length:
                best, best_length = index, len(prefix)
    return best


def back_arrows(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Imports of a higher layer by a lower one, exempt ones left out."""
    return sorted(
        (source, target)
        for source, targets in graph.items()
        for target in targets
        if layer(target) > layer(source) and (source, target) not in EXEMPT
    )


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), exempt edges left out."""
    edges = {source: {t for t in targets if (source, t) not in EXEMPT} for source, targets in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        """Tarjan's step for one node."""
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(components)


def test_every_module_has_a_layer() -> None:
    """A new top-level module or folder is placed in LAYERS before it is used."""
    assert [name for name in all_modules() if layer(name) < 0] == []


def test_no_back_arrow() -> None:
    """No module imports one of a higher layer."""
    graph = import_graph()
    assert [f"{source} -> {target}" for source, target in back_arrows(graph)] == []


def test_no_cycle() -> None:
    """The module import graph has no cycle."""
    assert cycles(import_graph()) == []


def test_exemptions_are_still_needed() -> None:
    """Every exemption names an import that exists and breaks the rule (so the list only shrinks)."""
    graph = import_graph()
    for source, target in EXEMPT:
        assert target in graph.get(source, set()), f"{source} no longer imports {target}"


def test_the_check_sees_lazy_and_type_only_imports() -> None:
    """Imports inside functions and under TYPE_CHECKING are found, relative ones resolved."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from newsfold.web.app import create_app\n"
        "def f():\n    from newsfold.cli import core\n    import newsfold.engine\n"
        "from . import db\nfrom .articles import now_iso\n"
    )
    names = {"newsfold.web.app", "newsfold.cli", "newsfold.cli.core", "newsfold.engine", "newsfold.store"}
    names |= {"newsfold.store.db", "newsfold.store.articles", "newsfold.store.x"}
    found = set(imported(ast.parse(source), "newsfold.store.x", False, names))
    assert found == {
        "newsfold.web.app",
        "newsfold.cli.core",
        "newsfold.engine",
        "newsfold.store.db",
        "newsfold.store.articles",
    }


def test_the_check_finds_a_cycle_and_a_back_arrow() -> None:
    """A two-module cycle and a store module importing web are both reported."""
    graph = {"newsfold.store.a": {"newsfold.web.b"}, "newsfold.web.b": {"newsfold.store.a"}}
    assert back_arrows(graph) == [("newsfold.store.a", "newsfold.web.b")]
    assert cycles(graph) == [["newsfold.store.a", "newsfold.web.b"]]
