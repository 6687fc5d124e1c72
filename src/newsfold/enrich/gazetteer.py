"""Known names and their kinds: countries from CLDR (via babel) and what the store has learnt across sources."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache

from babel import Locale, UnknownLocaleError

from newsfold.enrich.bounded import remembered
from newsfold.model import Article, EntityKind
from newsfold.store import enrichment as enrichment_db
from newsfold.store.base import Connection
from newsfold.text.names import span_key

# Common short forms CLDR does not list as territories.
EXTRA_PLACES = ("America", "Britain", "Great Britain", "Holland", "Korea", "Europe", "Middle East")
KINDS: tuple[EntityKind, ...] = ("person", "organization", "place", "other")
# endings that make a place's adjective or people (Iraq -> Iraqi, Iran -> Iranian, Japan -> Japanese)
DEMONYM_SUFFIXES = ("ian", "ean", "an", "ese", "ish", "i", "n", "ic")
MAX_KEYS = 200_000  # name keys remembered by a gazetteer before it forgets them all and starts again


@cache
def territories(code: str) -> tuple[tuple[str, str, str | None], ...]:
    """CLDR's territories in one language, read once per process: (code, name, English name); () when unknown."""
    try:
        names = Locale.parse(code).territories
        english = Locale.parse("en").territories
    except (UnknownLocaleError, ValueError):
        return ()
    return tuple((territory, name, english.get(territory)) for territory, name in names.items())


def demonym_keys(place: str) -> Iterator[str]:
    """The one-word keys read as a place's adjective or people: its key with a demonym ending, added to it whole or
    to it without its last letter (iraq -> iraqi, kenia -> kenian), keeping at least its first three letters."""
    if " " in place:
        return
    prefix = place[: max(3, len(place) - 1)]
    for suffix in DEMONYM_SUFFIXES:
        for key in (place + suffix, place[:-1] + suffix):
            if key != place and key.startswith(prefix):
                yield key


@dataclass(slots=True)
class Gazetteer:
    """Name keys with their kind; country names in several languages with their English name; country codes."""

    kinds: dict[str, EntityKind] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    english: dict[str, str] = field(default_factory=dict)
    languages: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    demonyms: set[str] = field(default_factory=set)
    lookups: list[tuple[str, EntityKind | None]] | None = None
    _keys: dict[str, str] = field(default_factory=dict, repr=False)
    # country names by their initials, made from codes when it last had _initials_of entries (codes only grows)
    _initials: dict[str, str] = field(default_factory=dict, repr=False)
    _initials_of: int = field(default=-1, repr=False)

    @classmethod
    def default(cls, languages: tuple[str, ...] = ("en",)) -> Gazetteer:
        """Country and region names in each language (and English), from CLDR."""
        gazetteer = cls()
        for code in ("en", *languages):
            gazetteer.add_language(code)
        for name in EXTRA_PLACES:
            gazetteer.add(name, "place")
        return gazetteer

    def copy(self) -> Gazetteer:
        """A gazetteer knowing what this one knows, to learn more on its own (the memory of name keys, a pure
        function's answers, is shared)."""
        return replace(
            self,
            kinds=dict(self.kinds),
            codes=dict(self.codes),
            english=dict(self.english),
            languages=set(self.languages),
            places=set(self.places),
            demonyms=set(self.demonyms),
            lookups=None,
        )

    def add_language(self, code: str | None) -> None:
        """Add CLDR's country and region names in one language (once), each tied to its English name."""
        code = (code or "en").split("-")[0]
        if code in self.languages:
            return
        self.languages.add(code)
        for territory, name, english in territories(code):
            self.add(name, "place")
            if english:
                self.english.setdefault(self.key(name), english)
            if code == "en" and territory.isalpha():
                self.codes.setdefault(territory, name)

    def key(self, name: str) -> str:
        """A name's key (text.names.span_key), remembered: the same names are looked up again and again."""
        return remembered(self._keys, name, span_key, MAX_KEYS)

    def english_name(self, name: str) -> str | None:
        """A country's or region's English name from its name in any added language (Irak -> Iraq)."""
        return self.english.get(self.key(name))

    def add(self, name: str, kind: EntityKind) -> None:
        """Record a name's kind (the first kind recorded for a key wins); a new place brings its demonyms."""
        key = self.key(name)
        if key and self.kinds.setdefault(key, kind) == kind and kind == "place" and key not in self.places:
            self.places.add(key)
            self.demonyms.update(demonym_keys(key))

    def kind_of(self, name: str) -> EntityKind | None:
        """The kind recorded for a name, or None (noted in lookups while a recogniser's lookups are recorded)."""
        key = self.key(name)
        kind = self.kinds.get(key)
        if self.lookups is not None:
            self.lookups.append((key, kind))
        return kind

    def answers(self, lookups: Iterable[tuple[str, EntityKind | None]]) -> bool:
        """Whether this gazetteer gives every one of these recorded lookups the same answer now."""
        kinds = self.kinds
        return all(kinds.get(key) == kind for key, kind in lookups)

    def country(self, acronym: str) -> str | None:
        """The country an acronym stands for (U.S. -> United States), by code or by initials."""
        return self._by_initials().get(acronym.replace(".", "").upper())

    def _by_initials(self) -> dict[str, str]:
        """Each initials of a country name of two or more capitalised words, with the first such name in codes'
        order (what a scan of codes for the initials finds first); made again only after codes grew."""
        if self._initials_of != len(self.codes):
            table: dict[str, str] = {}
            for name in self.codes.values():
                words = [w for w in name.split() if w[:1].isupper()]
                if len(words) >= 2:
                    table.setdefault("".join(w[0] for w in words), name)
            self._initials, self._initials_of = table, len(self.codes)  # a new table: a copy may share the old
        return self._initials

    def learn(self, conn: Connection, limit: int = 20000) -> None:
        """Add what the store knows: entities seen in several stories, datelines, authors and outlets."""
        for known in enrichment_db.entities_in_several_stories(conn, limit):
            if known.kind in KINDS and known.kind != "other":
                self.add(known.name, known.kind)
                for alias in known.aliases:
                    if " " in alias:
                        self.add(alias, known.kind)
        for dateline in enrichment_db.recent_datelines(conn, limit):
            self.add(dateline_place(dateline), "place")
        for outlet in enrichment_db.recent_outlet_names(conn, limit):
            self.add(outlet, "organization")
        for authors in enrichment_db.recent_authors(conn, limit):
            for author in authors:
                if " " in author:
                    self.add(author, "person")

    def learn_article(self, article: Article) -> None:
        """Add what one article tells as learn() reads it from the store: its dateline's place, its outlet's name,
        its authors' names."""
        if article.dateline is not None:
            self.add(dateline_place(article.dateline), "place")
        if article.source.name is not None:
            self.add(article.source.name, "organization")
        for author in article.authors:
            if " " in author:
                self.add(author, "person")


def dateline_place(dateline: str) -> str:
    """The place a dateline names ("BAGHDAD, Iraq" -> "Baghdad")."""
    return dateline.split(",", maxsplit=1)[0].split("/", maxsplit=1)[0].strip().title()
