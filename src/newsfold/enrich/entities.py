"""Entities of a story: mentions grouped across spellings, languages and acronyms, with kinds and counts."""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

from newsfold.enrich.gazetteer import Gazetteer, demonym_keys
from newsfold.enrich.recognize import CONNECTORS, NORP, Mention
from newsfold.enrich.text import similar_names
from newsfold.model import Entity, EntityKind
from newsfold.text.names import span_key

MAX_SENTENCES = 5


@dataclass(slots=True)
class Form:
    """One spelling (by key) with its mentions."""

    key: str
    names: Counter[str] = field(default_factory=Counter)
    mentions: list[Mention] = field(default_factory=list)
    votes: Counter[str] = field(default_factory=Counter)
    acronym: bool = False
    display: str | None = None

    @property
    def tokens(self) -> list[str]:
        """The key's words."""
        return self.key.split()


class _Union:
    """Union-find over form indexes."""

    def __init__(self, size: int) -> None:
        """size singletons."""
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        """The representative of i's group."""
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        """Put a and b in one group."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _kind(votes: Counter[str]) -> EntityKind | None:
    """The kind with the most (positive) votes, or None."""
    best = [(n, k) for k, n in votes.items() if n > 0 and k in ("person", "organization", "place", "other")]
    if not best:
        return None
    return cast(EntityKind, max(best)[1])


def _compatible(a: Counter[str], b: Counter[str]) -> bool:
    """Whether two vote tallies may name one thing (undecided fits anything)."""
    ka, kb = _kind(a), _kind(b)
    return ka is None or kb is None or ka == kb


def _initials(form: Form) -> str:
    """The initials of a multi-word name's capitalised words (connectors left out)."""
    name = form.names.most_common(1)[0][0]
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in CONNECTORS and w.lower() != "and"]
    return "".join(w[0] for w in words if w[0].isupper())


def entity_id(kind: str, name: str) -> str:
    """A stable id for an entity: its kind and its name's key."""
    return hashlib.sha1(f"{kind}\x00{span_key(name)}".encode()).hexdigest()[:12]


def _lean_on_organisations(forms: list[Form]) -> None:
    """A name read as a person only by default, sharing a word with a clear organisation, is one too."""
    words = {w for f in forms if f.votes["organization"] >= 3 and len(f.tokens) >= 2 for w in f.tokens if len(w) > 3}
    for form in forms:
        weak_person = 0 < form.votes["person"] <= 2 * len(form.mentions) and form.votes["organization"] <= 0
        if len(form.tokens) >= 2 and weak_person and set(form.tokens) & words:
            form.votes["organization"] += form.votes["person"] + 1


_PLACE_PREPOSITION = (
    r"\b(?:in|from|to|into|across|near|at|inside|outside|throughout|around|toward|towards)\s+(?:the\s+)?"
)


def _before_connector(tokens: list[str]) -> list[str]:
    """A name's key words up to its first connector ("Amy Klobuchar of Minnesota": amy klobuchar)."""
    for index, token in enumerate(tokens):
        if token in CONNECTORS:
            return tokens[:index]
    return tokens


def _without_mistranslated_places(
    kept: list[tuple[Entity, list[Mention]]], gazetteer: Gazetteer
) -> list[tuple[Entity, list[Mention]]]:
    """Drop a "place" that is a person's name mistranslated (Sudan for al-Sudani, Sudani's adviser).

    The evidence is general: the place's key is the key of a surname of a person the same story names, or that
    surname without its Arabic nisba ending (-i: Sudani = of Sudan), and no sentence puts the name where a place
    goes (after in, from, to, near...). A real place named beside a namesake person is placed somewhere.
    """
    surnames = {
        tokens[-1]
        for entity, _ in kept
        if entity.kind == "person"
        for name in (entity.name, *entity.aliases)
        if (tokens := _before_connector(gazetteer.key(name).split()))
    }
    out = []
    for entity, mentions in kept:
        if entity.kind == "place":
            key = gazetteer.key(entity.name)
            # the sentences are searched only for a place that shares a key with a person's surname (rare)
            if (key in surnames or key + "i" in surnames) and not any(
                re.search(_PLACE_PREPOSITION + re.escape(spelling) + r"\b", mention.sentence)
                for mention in mentions
                for spelling in (entity.name, *entity.aliases)
            ):
                continue
        out.append((entity, mentions))
    return out


class EntityResolver:
    """Groups mentions into entities: same key, acronyms, short forms of longer names, spelling variants."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        """Judge with this gazetteer (country names and codes, store knowledge)."""
        self.gazetteer = gazetteer

    def resolve(self, mentions: Sequence[Mention]) -> list[Entity]:
        """Entities from mentions, most mentioned first; stray one-off names of unknown kind are left out."""
        return [entity for entity, _ in self.resolve_groups(mentions)]

    def resolve_groups(self, mentions: Sequence[Mention]) -> list[tuple[Entity, list[Mention]]]:
        """Entities with the mentions that name them, most mentioned first."""
        forms = self._forms(mentions)
        union = _Union(len(forms))
        self._link_acronyms(forms, union)
        self._link_variants(forms, union)
        self._link_short_forms(forms, union)
        groups: dict[int, list[Form]] = defaultdict(list)
        for index, form in enumerate(forms):
            groups[union.find(index)].append(form)
        kept: list[tuple[Entity, list[Mention]]] = []
        for group in groups.values():
            entity = self._entity(group)
            if entity is not None:
                kept.append((entity, [m for form in group for m in form.mentions]))
        kept = _without_mistranslated_places(kept, self.gazetteer)
        kept.sort(key=lambda pair: (-pair[0].mentions, pair[0].name))
        return kept

    def _forms(self, mentions: Sequence[Mention]) -> list[Form]:
        """Mentions grouped by key, demonyms left out."""
        by_key: dict[str, Form] = {}
        for mention in mentions:
            key = self.gazetteer.key(mention.name)
            if not key:
                continue
            form = by_key.setdefault(key, Form(key=key))
            form.names[mention.name] += 1
            form.mentions.append(mention)
            form.votes.update(mention.votes)
            form.acronym = form.acronym or mention.acronym
        known = self.gazetteer.places
        # the demonyms of the places this story names, beside the gazetteer's (kept as its places are added)
        named = {d for f in by_key.values() if _kind(f.votes) == "place" for d in demonym_keys(f.key)}
        surnames = {f.tokens[-1] for f in by_key.values() if len(f.tokens) >= 2}
        _lean_on_organisations(list(by_key.values()))
        out = []
        for form in by_key.values():
            one_word = len(form.tokens) == 1 and form.key not in surnames and form.key not in known
            if one_word and self._demonym(form.key, named):
                continue
            if all(m.initial for m in form.mentions) and _kind(form.votes) is None and form.key not in surnames:
                continue
            out.append(form)
        return out

    def _demonym(self, key: str, named: set[str]) -> bool:
        """Whether a one-word key is a people's name or an adjective of a place (Iraqi, Iranian, Shiite): of a place
        the gazetteer knows, or of one among named (the demonyms of the story's own places)."""
        if key in NORP or key.rstrip("s") in NORP:
            return True
        if key.endswith("s") and self._demonym(key[:-1], named):
            return True
        return key in self.gazetteer.demonyms or key in named

    def _link_acronyms(self, forms: list[Form], union: _Union) -> None:
        """PMF with Popular Mobilization Forces, IRGC with (IRGC) after its name, U.S. with United States."""
        explicit: dict[str, int] = {}
        for index, form in enumerate(forms):
            for mention in form.mentions:
                if mention.expansion:
                    explicit[mention.expansion.replace(".", "").upper()] = index
        initials: dict[int, str] | None = None  # the multi-word forms' initials, made once when an acronym asks
        for index, form in enumerate(forms):
            if not form.acronym:
                continue
            letters = form.names.most_common(1)[0][0].replace(".", "").upper()
            if letters in explicit:
                union.join(index, explicit[letters])
                continue
            country = self.gazetteer.country(letters)
            if country:
                form.votes = Counter({"place": 6 + 4 * len(form.mentions)})
                form.display = country
                for other, candidate in enumerate(forms):
                    if candidate.key == self.gazetteer.key(country):
                        union.join(index, other)
                continue
            if initials is None:
                initials = {k: _initials(c).upper() for k, c in enumerate(forms) if len(c.tokens) >= 2}
            matches = [other for other, letters_of in initials.items() if letters_of == letters]
            if len({union.find(m) for m in matches}) == 1:
                union.join(index, matches[0])

    def _link_short_forms(self, forms: list[Form], union: _Union) -> None:
        """A one-word name joins the one longer name it ends (Sudani -> Mohammed Shia al-Sudani)."""
        endings: dict[str, list[int]] = defaultdict(list)
        for other, candidate in enumerate(forms):
            if len(candidate.tokens) >= 2 and candidate.tokens[-1] and _kind(candidate.votes) in (None, "person"):
                endings[candidate.tokens[-1][0]].append(other)
        for index, form in enumerate(forms):
            if len(form.tokens) != 1 or form.acronym or _kind(form.votes) not in (None, "person"):
                continue
            matches = [
                other for other in endings.get(form.key[0], []) if similar_names(form.key, forms[other].tokens[-1])
            ]
            roots = {union.find(m) for m in matches}
            if len(roots) == 1:
                union.join(index, matches[0])

    def _link_variants(self, forms: list[Form], union: _Union) -> None:
        """Spelling variants of one name, same number of words and kinds that fit (Soudani = Sudani)."""
        countries: dict[str, int] = {}
        for index, form in enumerate(forms):
            english = None if form.acronym else self.gazetteer.english_name(form.key)
            if english and _kind(form.votes) == "place":
                union.join(index, countries.setdefault(english, index))
        buckets: dict[tuple[int, str], list[int]] = defaultdict(list)
        for index, form in enumerate(forms):
            if not form.acronym:
                buckets[(len(form.tokens), form.key[0])].append(index)
        for members in buckets.values():
            for n, a in enumerate(members):
                for b in members[n + 1 :]:
                    fa, fb = forms[a], forms[b]
                    if not _compatible(fa.votes, fb.votes):
                        continue
                    if all(similar_names(x, y) for x, y in zip(fa.tokens, fb.tokens, strict=True)):
                        union.join(a, b)

    def _entity(self, group: list[Form]) -> Entity | None:
        """One entity from a group of forms: its kind, best name, aliases, count and example sentences."""
        votes: Counter[str] = Counter()
        for form in group:
            votes.update(form.votes)
        mentions = [m for form in group for m in form.mentions]
        kind = _kind(votes)
        if kind is None and all(f.acronym for f in group):
            kind = "organization"
        if kind is None:
            kind = "other"
        if kind == "other" and len(mentions) < 2:
            return None
        if all(len(f.key) < 2 for f in group):
            return None
        name = self._name(group, kind)
        spellings = {n for f in group for n in f.names}
        if kind == "place":
            spellings |= {e for f in group if (e := self.gazetteer.english_name(f.key))}
        aliases = sorted(spellings - {name})
        sentences = list(dict.fromkeys(m.sentence for m in mentions))[:MAX_SENTENCES]
        return Entity(
            id=entity_id(kind, name),
            name=name,
            kind=kind,
            aliases=aliases,
            mentions=len(mentions),
            sentences=sentences,
        )

    @staticmethod
    def _name(group: list[Form], kind: EntityKind) -> str:
        """The name to show: a country's full name, an acronym's expansion, a person's fullest name."""
        for form in group:
            if form.display:
                return form.display
        spelled = [f for f in group if not f.acronym] or group
        best = max(
            spelled,
            key=lambda f: (len(f.tokens) if kind in ("person", "organization") else 0, sum(f.names.values())),
        )
        return best.names.most_common(1)[0][0]
