"""SQL lives in store/: a module elsewhere holding SQL is on STILL_TO_MOVE, with no more statements than listed.

The list only shrinks: a module that moves its SQL into store/ comes off it (the test says so), and new SQL outside
store/ fails here. Statements are counted in the string literals of each module's AST (f-strings included).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "newsfold"

SQL = re.compile(
    r"\b(?:SELECT\b[\s\S]*?\bFROM|INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|REPLACE\s+INTO"
    r"|CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX|VIRTUAL\s+TABLE|TRIGGER|VIEW)|DROP\s+(?:TABLE|INDEX|TRIGGER|VIEW)"
    r"|ALTER\s+TABLE)\b"
)

# module (path under src/newsfold) -> SQL statements it still holds; issue 20 moves them behind store/'s protocols
STILL_TO_MOVE: dict[str, int] = {}


def literal_texts(tree: ast.AST) -> list[str]:
    """Every string literal of a module; an f-string as one text, its values written as '?'."""
    inside: set[int] = set()
    texts: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                inside.add(id(value))
                parts.append(value.value if isinstance(value, ast.Constant) else "?")
            texts.append("".join(str(part) for part in parts))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in inside:
            texts.append(node.value)
    return texts


def sql_counts(root: Path = PACKAGE) -> dict[str, int]:
    """SQL statements per module outside store/ (paths relative to the package)."""
    counts: dict[str, int] = {}
    for path in sorted(root.rglob("*.py")):
        name = path.relative_to(root).as_posix()
        if name.startswith("store/"):
            continue
        found = sum(len(SQL.findall(text)) for text in literal_texts(ast.parse(path.read_text(encoding="utf-8"))))
        if found:
            counts[name] = found
    return counts


def test_no_new_sql_outside_store() -> None:
    """No module outside store/ holds SQL unless listed, and none holds more than listed."""
    counts = sql_counts()
    grown = {name: n for name, n in counts.items() if n > STILL_TO_MOVE.get(name, 0)}
    assert grown == {}, "new SQL belongs in store/ (or the list below is out of date)"


def test_the_list_shrinks() -> None:
    """A listed module that no longer holds as much SQL as listed is listed lower (or not at all)."""
    counts = sql_counts()
    shrunk = {name: counts.get(name, 0) for name, n in STILL_TO_MOVE.items() if counts.get(name, 0) < n}
    assert shrunk == {}, "lower these counts in STILL_TO_MOVE (remove a module at 0)"


def test_the_grep_finds_sql_in_f_strings_and_concatenations(tmp_path: Path) -> None:
    """Statements written over adjacent literals or in f-strings are counted; prose is not."""
    (tmp_path / "m.py").write_text(
        'A = ("SELECT id " "FROM articles")\n'
        'def f(t):\n    return f"DELETE FROM {t} WHERE id = ?", f"SELECT {t} FROM x"\n'
        'DOC = "select the sources from which news comes; update the index"\n',
        encoding="utf-8",
    )
    assert sql_counts(tmp_path) == {"m.py": 3}
