"""Entities merged across spellings, copies and acronyms, by general rules."""

from __future__ import annotations

import pytest

from newsfold.enrich.entities import EntityResolver
from newsfold.enrich.gazetteer import Gazetteer
from newsfold.enrich.recognize import RuleRecognizer
from newsfold.enrich.story import StoryEnricher
from newsfold.model import Article, Entity, Origin, Paragraph
from tests.enrich.seeds import seed_article, seed_limited


def entities_of(*texts: str) -> list[Entity]:
    """The entities the model-free recogniser finds in articles with these texts."""
    gazetteer = Gazetteer.default()
    recognizer = RuleRecognizer()
    mentions = []
    for n, text in enumerate(texts):
        article = Article(origin=Origin(f"t{n}"), paragraphs=[Paragraph(p) for p in text.split("\n\n")])
        mentions += recognizer.mentions(article, gazetteer)
    return EntityResolver(gazetteer).resolve(mentions)


def named(entities: list[Entity], name: str) -> Entity:
    """The one entity with this name or alias."""
    hits = [e for e in entities if name == e.name or name in e.aliases]
    assert len(hits) == 1, f"{name}: {[(e.name, e.aliases) for e in entities]}"
    return hits[0]


@pytest.fixture(scope="module")
def seed_entities() -> list[Entity]:
    """The seed story's entities (both copies)."""
    return StoryEnricher().enrich([seed_article(), seed_limited()]).entities


def test_seed_people_merged_across_spellings(seed_entities: list[Entity]) -> None:
    sudani = named(seed_entities, "Mohammed Shia al-Sudani")
    assert sudani.kind == "person"
    assert {"Sudani", "Soudani"} <= set(sudani.aliases)
    assert sudani.mentions >= 8
    assert named(seed_entities, "Saedi") is named(seed_entities, "Abu Baqir al-Saedi")
    assert named(seed_entities, "Mounes") is named(seed_entities, "Hussein Mounes")
    assert named(seed_entities, "Soleimani").name == "Qasem Soleimani"
    for person in ("Renad Mansour", "Farhad Alaaldin", "Pat Ryder", "Chris Murphy", "Qassim Muslih"):
        assert named(seed_entities, person).kind == "person"


def test_seed_places_and_organisations(seed_entities: list[Entity]) -> None:
    akasha = named(seed_entities, "Akasha")
    assert akasha is named(seed_entities, "Akashat")
    assert akasha.kind == "place"
    pmf = named(seed_entities, "Popular Mobilization Forces")
    assert pmf.kind == "organization" and "PMF" in pmf.aliases
    assert named(seed_entities, "IRGC").name == "Islamic Revolutionary Guard Corps"
    us = named(seed_entities, "U.S.")
    assert us.name == "United States" and us.kind == "place"
    assert named(seed_entities, "Kataib Hezbollah").kind == "organization"
    # read as a person only by default, it shares a word with a clear organisation
    assert named(seed_entities, "Harakat Hezbollah al-Nujaba").kind == "organization"
    for place in ("Iraq", "Iran", "Syria", "Baghdad", "Karbala", "Jordan", "Gaza"):
        assert named(seed_entities, place).kind == "place"
    # "Sudan" in seed 000 is al-Sudani mistranslated ("Sudan's foreign affairs adviser"), not a place
    assert not [e for e in seed_entities if e.kind == "place" and e.name == "Sudan"]


def test_seed_has_no_demonyms_or_calendar_words(seed_entities: list[Entity]) -> None:
    names = {n for e in seed_entities for n in (e.name, *e.aliases)}
    assert not names & {"Iraqi", "Iranian", "American", "Americans", "Iraqis", "Shiite", "Syrian", "Israeli"}
    assert not names & {"January", "February", "October", "Wednesday", "Many", "Formal", "Yet"}


def test_acronym_expanded_from_parentheses_and_initials() -> None:
    entities = entities_of(
        "The Civil Aviation Authority of Nepal (CAAN) barred the manager. A CAAN spokesperson said it was false.",
        "The World Health Organization said cases rose. WHO officials in Geneva met on Monday.",
    )
    caan = named(entities, "CAAN")
    assert caan.name == "Civil Aviation Authority of Nepal" and caan.kind == "organization"
    assert named(entities, "WHO").name == "World Health Organization"


def test_short_form_joins_only_an_unambiguous_full_name() -> None:
    entities = entities_of(
        "Ann Walker met Tom Walker in Leeds, a city in England. Walker said nothing, Ann Walker said.",
    )
    assert "Walker" not in named(entities, "Ann Walker").aliases
    assert "Walker" not in named(entities, "Tom Walker").aliases


def test_variants_across_languages_of_copies() -> None:
    entities = entities_of(
        "Muhammad Ali al-Qaisi, the governor, said the town of Fallujah was calm. Qaisi spoke in Fallujah.",
        "Mohammed Ali al-Qaissi, the governor, said the town of Falluja was calm.",
    )
    governor = named(entities, "Muhammad Ali al-Qaisi")
    assert governor is named(entities, "Mohammed Ali al-Qaissi") is named(entities, "Qaisi")
    assert named(entities, "Fallujah") is named(entities, "Falluja")


def test_list_of_places_shares_the_place_reading() -> None:
    entities = entities_of("Protests spread across Kyiv, Lviv, Odesa and Kharkiv on Sunday.")
    for city in ("Lviv", "Odesa", "Kharkiv"):
        assert named(entities, city).kind == "place"


def test_country_names_merge_across_languages() -> None:
    english = Article(
        origin=Origin("en"),
        language="en",
        paragraphs=[
            Paragraph("The United States struck targets in Iraq and Syria on Friday, officials in Baghdad said.")
        ],
    )
    german = Article(
        origin=Origin("de"),
        language="de",
        paragraphs=[Paragraph("Am Freitag griffen die Amerikaner Ziele im Irak und in Syrien an.")],
    )
    entities = StoryEnricher().enrich([english, german]).entities
    iraq = named(entities, "Iraq")
    assert iraq is named(entities, "Irak") and iraq.kind == "place"
    assert named(entities, "Syria") is named(entities, "Syrien")


def _scan_country(gazetteer: Gazetteer, letters: str) -> str | None:
    """The first country name in codes' order whose capitalised words' initials are letters (a scan of codes)."""
    for name in gazetteer.codes.values():
        words = [w for w in name.split() if w[:1].isupper()]
        if len(words) >= 2 and "".join(w[0] for w in words) == letters:
            return name
    return None


def test_country_by_initials_is_what_a_scan_of_the_codes_finds() -> None:
    """The table of initials answers as the scan it replaced, for every initials of the codes and a few others,
    and again after the codes grew (a copy asked first, then the original)."""
    gazetteer = Gazetteer.default(("de", "fr"))
    asked = {"".join(w[0] for w in name.split() if w[:1].isupper()) for name in gazetteer.codes.values()}
    asked |= {"US", "UK", "UAE", "DRC", "XYZ", "U"}
    copy = gazetteer.copy()
    for letters in sorted(asked):
        assert copy.country(letters) == _scan_country(copy, letters)
    assert gazetteer.country("U.S.") == "United States" and gazetteer.country("XYZ") is None
    gazetteer.codes.setdefault("XY", "Xylo Yonder")
    assert gazetteer.country("X.Y.") == "Xylo Yonder" and copy.country("XY") is None
