"""Entities are names the story gives: no licence or credit lines, no shouted quotes, no mistranslated places."""

from __future__ import annotations

from newsfold.model import Entity
from tests.enrich.test_entities import entities_of


def _names(entities: list[Entity]) -> set[str]:
    """Every name and alias found."""
    return {n for e in entities for n in (e.name, *e.aliases)}


def test_licence_and_credit_lines_make_no_entities() -> None:
    found = entities_of(
        "Mayor Anna Berg opened the new bridge in Malmo on Tuesday, officials said.\n\n"
        "This article is published under CC BY 4.0 by Wikinews Contributors.\n\n"
        "Text licensed under a Creative Commons Attribution licence; photo by Peter Olsen.\n\n"
        "Copyright 2024 Nordic Press Agency. All rights reserved.\n\n"
        "Berg said the bridge would carry 20,000 cars a day."
    )
    names = _names(found)
    assert "Anna Berg" in names
    assert not names & {
        "CC BY",
        "CC",
        "Wikinews Contributors",
        "Creative Commons",
        "Peter Olsen",
        "Nordic Press Agency",
    }


def test_a_shouted_quote_is_not_a_person() -> None:
    found = entities_of(
        'Donald Trump posted "I WON THIS ELECTION, BY A LOT!" on Saturday, his aides said.\n\n'
        "Trump repeated the claim at a rally in Georgia."
    )
    names = _names(found)
    assert "Donald Trump" in names
    assert not [n for n in names if "WON" in n or "ELECTION" in n or n == "BY A LOT"]


def test_a_place_that_is_a_mistranslated_surname_is_dropped() -> None:
    found = entities_of(
        "Prime Minister Mohammed Shia al-Sudani met the envoy in Baghdad, officials said.\n\n"
        "Farhad Alaaldin, Sudan's foreign affairs adviser, said Sudan was unlikely to respond.",
    )
    assert not [e for e in found if e.name == "Sudan" and e.kind == "place"]
    assert [e for e in found if e.name == "Baghdad" and e.kind == "place"]


def test_a_real_place_beside_a_namesake_person_stays() -> None:
    found = entities_of(
        "Prime Minister Mohammed Shia al-Sudani flew to Sudan on Monday, officials said.\n\n"
        "Talks in Sudan were held with the army and the rival forces."
    )
    assert [e for e in found if e.name == "Sudan" and e.kind == "place"]
