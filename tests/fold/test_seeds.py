"""The reference case: the two seed copies fold into one story of copies of the Washington Post original."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from newsfold.cli import cli
from newsfold.fold.features.embed import UseEmbedder
from newsfold.fold.incremental.folder import Folder, FoldSettings
from newsfold.store import articles as articles_db
from newsfold.store import stories as stories_db
from newsfold.store.db import Database
from newsfold.web.story.differences import comparisons
from tests.fold.conftest import fold_all
from tests.fold.seeds import WAPO, seed_articles


def test_seeds_fold_into_one_story_of_copies(db: Database, folder: Folder) -> None:
    """Both seeds are copies of the Washington Post article; the press release is a story of its own."""
    republished, limited, release = seed_articles()
    fold_all(db, folder, [republished, limited, release])
    with db.read() as conn:
        story = stories_db.get_story(conn, republished.story_id or "")
        assert story is not None
        assert {m.article_id for m in story.members} == {republished.id, limited.id}
        assert {m.relation for m in story.members} == {"copy"}
        assert {m.copy_of for m in story.members} == {WAPO}
        assert story.original is not None and story.original.url == WAPO
        assert story.first_published is not None and story.first_published.date().isoformat() == "2024-02-12"
        apart = stories_db.get_story(conn, release.story_id or "")
        assert apart is not None and apart.id != story.id
        assert [m.article_id for m in apart.members] == [release.id]
    assert republished.relation == limited.relation == "copy"


def test_seed_disagreements_show_in_the_difference_view(db: Database, folder: Folder) -> None:
    """The disagreements the seeds' README lists appear as changed aligned sentences of the site's comparison."""
    republished, limited, release = seed_articles()
    fold_all(db, folder, [republished, limited, release])
    with db.read() as conn:
        story = stories_db.get_story(conn, limited.story_id or "")
        assert story is not None
        members = articles_db.get_articles(conn, [m.article_id for m in story.members])
    compared = comparisons(members)
    assert len(compared) == 1
    changed = [row for row in compared[0].rows if row.status != "same"]
    pairs = [("".join(s.text for s in row.a), "".join(s.text for s in row.b)) for row in changed]
    expected = [
        ("Sudan's foreign affairs adviser", "a foreign policy adviser to Sudani"),
        ("pushing Iraq to its limits is a bad strategy", "pushing Iraq to the sidelines is the wrong strategy"),
        ("If there are unspoken ground rules, he said", "If there are unspoken ground rules, Mounes said"),
    ]
    for in_a, in_b in expected:
        assert any((in_a in a and in_b in b) or (in_b in a and in_a in b) for a, b in pairs), (
            f"{in_a!r} / {in_b!r} not aligned as changed"
        )
    marked = [({s.text for s in row.a if s.changed}, {s.text for s in row.b if s.changed}) for row in changed]
    for one, other in (("Akasha", "Akashat"), ("Soudani", "Sudani")):
        assert any({one, other} <= a | b and (one in a) != (one in b) for a, b in marked), f"{one} / {other}"


def test_a_new_process_reaches_the_same_stories(tmp_path: Path, embedder: UseEmbedder) -> None:
    """A folder started fresh for each batch (state loaded from the store) folds like one long-running folder."""
    articles = list(seed_articles())
    results = []
    for fresh in (False, True):
        db = Database(tmp_path / f"fresh{fresh}.db")
        folder = Folder(FoldSettings(), embedder=embedder)
        for article in articles:
            fold_all(db, Folder(FoldSettings(), embedder=embedder) if fresh else folder, [article])
        with db.read() as conn:
            rows = conn.execute("SELECT id, story_id, relation, copy_of FROM articles ORDER BY id").fetchall()
            results.append([tuple(r) for r in rows])
        db.close()
    assert results[0] == results[1]


def test_stories_json_has_relation_per_article(tmp_path: Path, embedder: UseEmbedder) -> None:
    """`stories --json` prints each story with its original and a relation for every article."""
    path = tmp_path / "cli.db"
    db = Database(path)
    fold_all(db, Folder(FoldSettings(), embedder=embedder), list(seed_articles()))
    db.close()
    result = CliRunner().invoke(cli, ["stories", "--db", str(path), "--json"])
    assert result.exit_code == 0, result.output
    stories = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    assert len(stories) == 2
    wapo = next(s for s in stories if len(s["articles"]) == 2)
    assert wapo["original"]["url"] == WAPO
    assert [a["relation"] for a in wapo["articles"]] == ["copy", "copy"]
    assert wapo["languages"] == ["en"]
