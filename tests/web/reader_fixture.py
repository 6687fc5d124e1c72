"""The reader-language tests' data: the web fixture database copied, with German stories and the tiny model."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from newsfold.config import Config
from newsfold.enrich.hook import EnrichHook
from newsfold.language.cache import text_hash
from newsfold.language.models import ModelStore
from newsfold.store.backends import open_database
from newsfold.store.base import Backend
from newsfold.web.app import create_app
from tests.postgres_server import copy_database
from tests.web.site_fixture import NOW, Client, Fixture, add_story, article, site_config

TINY = Path(__file__).resolve().parent.parent / "fixtures" / "tiny-marian-xx-en"
MODEL = "tiny-de-en"
STORM_TITLE = "Sturm trifft die Nordseeküste bei Hamburg"
STORM_HIGHLIGHTS = [
    "Der Sturm erreichte die Küste bei Hamburg am frühen Morgen.",
    "Tausende Haushalte in Hamburg waren stundenlang ohne Strom.",
]
FERRY_TITLE = "Fähre nach Helgoland fällt wegen Nebel aus"
FERRY_HIGHLIGHTS = ["Die Reederei sagte alle Fahrten des Tages ab."]
STORM_TEXT = (
    "Ein schwerer Sturm hat am Dienstag die Nordseeküste bei Hamburg getroffen.\n\n"
    "Der Sturm erreichte die Küste bei Hamburg am frühen Morgen und riss Bäume um.\n\n"
    "Tausende Haushalte in Hamburg waren stundenlang ohne Strom, teilte der Versorger mit."
)


@dataclass(slots=True)
class ReaderData:
    """The copied database and what the tests look for in it."""

    path: str  # a SQLite file or a PostgreSQL URL
    storm_story: str
    storm_article: str
    ferry_story: str
    ferry_article: str
    spanish_article: str
    quake_story: str


def build_reader_data(site: Fixture, folder: Path) -> ReaderData:
    """Copy the web fixture database into folder and add two German stories (one with its own highlights)."""
    path = copy_database(site.path, folder)
    db = open_database(path)
    storm = article(STORM_TITLE, STORM_TEXT, "Nord Kurier", "de", NOW - timedelta(hours=1), "https://nord.example/s")
    report = article(
        "Tormenta en la costa de Hamburgo",
        "Una fuerte tormenta azotó el martes la costa cerca de Hamburgo.",
        "Diario Sur",
        "es",
        NOW - timedelta(minutes=50),
        "https://sur.example/t",
    )
    ferry = article(
        FERRY_TITLE,
        "Die Fähre nach Helgoland fällt am Mittwoch wegen dichten Nebels aus.",
        "Nord Kurier",
        "de",
        NOW - timedelta(minutes=40),
        "https://nord.example/f",
        highlights=list(FERRY_HIGHLIGHTS),
    )
    with db.write() as conn:
        storm_story = add_story(conn, [(storm, "original"), (report, "report")])
        ferry_story = add_story(conn, [(ferry, "original")])
    EnrichHook()(db, {storm_story})
    with db.write() as conn:  # the story's own highlights, fixed so the test knows them
        conn.execute("UPDATE stories SET highlights = ? WHERE id = ?", (json.dumps(STORM_HIGHLIGHTS), storm_story))
    db.close()
    return ReaderData(path, storm_story, storm.id, ferry_story, ferry.id, report.id, site.quake_story)


def install_model(folder: Path) -> Path:
    """A models folder holding the tiny model as a German -> English model."""
    models = folder / "models"
    ModelStore(models).install(TINY, name=MODEL, source="de", target="en")
    return models


def reader_config(models: Path) -> Config:
    """The web tests' settings with this models folder (readers: English and German)."""
    settings = {"models.dir": str(models), "translate.device": "cpu", "translate.threads": 1, "translate.beam_size": 1}
    return site_config(**settings)


@contextmanager
def reader_site(db: Backend, models: Path) -> Iterator[Client]:
    """A client of the site on db with this models folder (reader_config), closed with its site afterwards."""
    app = create_app(db, reader_config(models))
    client = Client(app)
    try:
        yield client
    finally:
        client.close()
        app.state.site.close()


def cached_translation(db: Backend, text: str) -> str | None:
    """The translation of text into English the store's cache holds (what the model made of it), or None."""
    with db.read() as conn:
        row = conn.execute(
            "SELECT translation FROM translations WHERE text_hash = ? AND model = ? AND target = 'en'",
            (text_hash(text), MODEL),
        ).fetchone()
    return None if row is None else str(row[0])
