"""The spaCy path, with a pipeline built in the test (official pipelines cannot be downloaded here)."""

from __future__ import annotations

import pytest

from newsfold.enrich.entities import EntityResolver
from newsfold.enrich.gazetteer import Gazetteer
from newsfold.enrich.recognize import SpacyRecognizer, load_spacy
from newsfold.enrich.story import RuleRecognizer, make_recognizer
from newsfold.model import Article, Origin, Paragraph

spacy = pytest.importorskip("spacy", reason="spaCy is an optional extra: pip install 'newsfold[nlp]'")


def ruler_pipeline() -> object:
    """A blank English pipeline whose entity ruler knows a few names (stands in for a trained one)."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(  # type: ignore[attr-defined]
        [
            {"label": "PERSON", "pattern": "Mohammed Shia al-Sudani"},
            {"label": "PERSON", "pattern": "Sudani"},
            {"label": "ORG", "pattern": "Popular Mobilization Forces"},
            {"label": "ORG", "pattern": "PMF"},
            {"label": "GPE", "pattern": "Akashat"},
            {"label": "GPE", "pattern": "Akasha"},
            {"label": "NORP", "pattern": "Iraqi"},
            {"label": "DATE", "pattern": "Wednesday"},
        ]
    )
    return nlp


def test_spacy_labels_map_to_kinds_and_merge_like_the_rules() -> None:
    article = Article(
        origin=Origin("x"),
        paragraphs=[
            Paragraph("Iraqi Prime Minister Mohammed Shia al-Sudani met the Popular Mobilization Forces on Wednesday."),
            Paragraph("Sudani said the PMF had left Akasha. The strikes on Akashat continued."),
        ],
    )
    gazetteer = Gazetteer.default()
    mentions = SpacyRecognizer(ruler_pipeline()).mentions(article, gazetteer)
    assert {m.name for m in mentions} == {
        "Mohammed Shia al-Sudani",
        "Popular Mobilization Forces",
        "Sudani",
        "PMF",
        "Akasha",
        "Akashat",
    }
    entities = {e.name: e for e in EntityResolver(gazetteer).resolve(mentions)}
    assert entities["Mohammed Shia al-Sudani"].kind == "person" and entities["Mohammed Shia al-Sudani"].aliases == [
        "Sudani"
    ]
    assert entities["Popular Mobilization Forces"].aliases == ["PMF"]
    assert entities["Akasha"].kind == "place" and entities["Akasha"].aliases == ["Akashat"]


def test_missing_pipeline_falls_back_to_rules() -> None:
    assert load_spacy("no_such_pipeline_xx") is None
    assert isinstance(make_recognizer("auto", "no_such_pipeline_xx"), RuleRecognizer)
    assert isinstance(make_recognizer("rules", ""), RuleRecognizer)
