"""Known names and their kinds: countries from CLDR (via babel) and what the store has learnt across sources."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from babel import Locale, UnknownLocaleError

from newsfold.enrich.text import span_key
from newsfold.model import EntityKind

# Common short forms CLDR does not list as territories.
EXTRA_PLACES = ("America", "Britain", "Great Britain", "Holland", "Korea", "Europe", "Middle East")
KINDS: tuple[EntityKind, ...] = ("person", "organization", "place", "other")


@dataclass(slots=True)
class Gazetteer:
    """Name keys with their kind; country names in several languages with their English name; country codes."""

    kinds: dict[str, EntityKind] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    english: dict[str, str] = field(default_factory=dict)
    languages: set[str] = field(default_factory=set)

    @classmethod
    def default(cls, languages: tuple[str, ...] = ("en",)) -> Gazetteer:
        """Country and region names in each language (and English), from CLDR."""
        gazetteer = cls()
        for code in ("en", *languages):
            gazetteer.add_language(code)
        for name in EXTRA_PLACES:
            gazetteer.add(name, "place")
        return gazetteer

    def add_language(self, code: str | None) -> None:
        """Add CLDR's country and region names in one language (once), each tied to its English name."""
        code = (code or "en").split("-")[0]
        if code in self.languages:
            return
        self.languages.add(code)
        try:
            territories = Locale.parse(code).territories
            names = Locale.parse("en").territories
        except (UnknownLocaleError, ValueError):
            return
        for territory, name in territories.items():
            self.add(name, "place")
            english = names.get(territory)
            if english:
                self.english.setdefault(span_key(name), english)
            if code == "en" and territory.isalpha():
                self.codes.setdefault(territory, name)

    def english_name(self, name: str) -> str | None:
        """A country's or region's English name from its name in any added language (Irak -> Iraq)."""
        return self.english.get(span_key(name))

    def add(self, name: str, kind: EntityKind) -> None:
        """Record a name's kind (the first kind recorded for a key wins)."""
        key = span_key(name)
        if key:
            self.kinds.setdefault(key, kind)

    def kind_of(self, name: str) -> EntityKind | None:
        """The kind recorded for a name, or None."""
        return self.kinds.get(span_key(name))

    def country(self, acronym: str) -> str | None:
        """The country an acronym stands for (U.S. -> United States), by code or by initials."""
        letters = acronym.replace(".", "").upper()
        for name in self.codes.values():
            words = [w for w in name.split() if w[:1].isupper()]
            if len(words) >= 2 and "".join(w[0] for w in words) == letters:
                return name
        return None

    def learn(self, conn: sqlite3.Connection, limit: int = 20000) -> None:
        """Add what the store knows: entities seen in several stories, datelines, authors and outlets."""
        for row in conn.execute(
            "SELECT e.name, e.kind, e.aliases FROM entities e WHERE e.stories >= 2 ORDER BY e.stories DESC LIMIT ?",
            (limit,),
        ):
            if row["kind"] in KINDS and row["kind"] != "other":
                self.add(row["name"], row["kind"])
                for alias in json.loads(row["aliases"]):
                    if " " in alias:
                        self.add(alias, row["kind"])
        for row in conn.execute(
            "SELECT DISTINCT dateline FROM articles WHERE dateline IS NOT NULL ORDER BY seq DESC LIMIT ?", (limit,)
        ):
            self.add(str(row[0]).split(",")[0].split("/")[0].strip().title(), "place")
        for row in conn.execute(
            "SELECT DISTINCT source_name FROM articles WHERE source_name IS NOT NULL ORDER BY seq DESC LIMIT ?",
            (limit,),
        ):
            self.add(str(row[0]), "organization")
        for row in conn.execute(
            "SELECT authors FROM articles WHERE authors != '[]' ORDER BY seq DESC LIMIT ?", (limit,)
        ):
            for author in json.loads(row[0]):
                if " " in author:
                    self.add(author, "person")
