"""The entity index (/entities) and each entity's page (/entities/{id}: the stories naming it over time), with twins."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import ClassVar

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsfold.errors import NotFoundError
from newsfold.language.reader import ReaderTranslator
from newsfold.store import languages as languages_db
from newsfold.store.base import Connection
from newsfold.store.enrichment import EntityEntry, entity_index, entity_page
from newsfold.web.cursor import next_offset, offset_from
from newsfold.web.errors import BadRequestError
from newsfold.web.params import check_limit, text
from newsfold.web.routes import Lang, answer, twins
from newsfold.web.site import Site
from newsfold.web.translated import PageTranslation, ReaderSummary, Shown, translate_page

ENTITY_KINDS = ("person", "organization", "place", "other")


@dataclass(frozen=True)
class EntitiesPage:
    """The entity index: entities by the number of stories naming them, or those a name search finds."""

    template: ClassVar[str] = "entities.html"
    family: ClassVar[str] = "entities"
    query: str | None
    kind: str | None
    total: int
    entities: list[EntityEntry]
    next: str | None

    def in_language(self, conn: Connection, translator: ReaderTranslator, target: str | None) -> EntitiesPage:
        """The index as it is: names are not translated."""
        return self


@dataclass(frozen=True)
class EntityPage:
    """An entity (the story contract's fields), when it was first and last named, and the stories naming it."""

    template: ClassVar[str] = "entity.html"
    family: ClassVar[str] = "entity"
    id: str
    name: str
    kind: str
    aliases: list[str]
    mentions: int
    first_seen: str | None
    last_seen: str | None
    stories: list[Shown]
    reader: ReaderSummary | None = None

    def in_language(self, conn: Connection, translator: ReaderTranslator, target: str | None) -> EntityPage:
        """The entity with its stories' titles and the sentences naming it also in the reader's language."""

        def ask(page: PageTranslation) -> None:
            """Ask for each story's title and sentences, each in its own language."""
            titles = {s["id"]: languages_db.title_language(conn, s["id"], s["title"]) for s in self.stories}
            sentences = languages_db.entity_sentence_languages(conn, self.id)
            for story in self.stories:
                page.title(story, "title", titles.get(story["id"]))
                for index, sentence in enumerate(story.get("sentences") or []):
                    page.item(story, "sentences", index, sentences.get((story["id"], sentence)))

        return translate_page(self, translator, target, ask)


def entity_view(conn: Connection, entity_id: str) -> EntityPage:
    """An entity and the stories that name it; NotFoundError if unknown."""
    found = entity_page(conn, entity_id)
    if found is None:
        raise NotFoundError(f"entity {entity_id} not found")
    entity = found.entity
    stories = [asdict(story) for story in found.stories]
    return EntityPage(
        entity.id,
        entity.name,
        entity.kind,
        list(entity.aliases),
        entity.mentions,
        found.first_seen,
        found.last_seen,
        stories,
    )


def entities_view(conn: Connection, q: str | None, kind: str | None, limit: int, cursor: str | None) -> EntitiesPage:
    """The entity index: entities by the number of stories naming them, or those a name search finds."""
    offset = offset_from(cursor)
    found, total = entity_index(conn, q, kind, limit, offset)
    return EntitiesPage(q, kind, total, found, next_offset(offset, limit, len(found)))


def _index_params(q: str | None, kind: str | None, limit: int) -> tuple[str | None, str | None]:
    """The index's checked parameters, or BadRequestError naming the wrong one."""
    check_limit(limit)
    if kind and kind not in ENTITY_KINDS:
        raise BadRequestError(f"kind: {kind[:20]!r} is not one of {', '.join(ENTITY_KINDS)}")
    return text(q, "q"), kind or None


def entities_router(site: Site) -> APIRouter:
    """The routes of the entity index and of each entity, and their twins."""
    router = APIRouter()

    @twins(router, "/entities")
    async def entities(
        request: Request, q: str | None = None, kind: str | None = None, limit: int = 50, cursor: str | None = None
    ) -> Response:
        """The entity index: `q` finds entities by name, spelling or transliteration; `kind` filters."""
        query, checked = _index_params(q, kind, limit)
        return await answer(
            site,
            request,
            None,
            lambda conn: entities_view(conn, query, checked, limit, cursor),
            context=lambda conn, page: {"kinds": ENTITY_KINDS},
        )

    @twins(router, "/entities/{entity_id}")
    async def entity(request: Request, entity_id: str, lang: Lang = None) -> Response:
        """An entity and the stories naming it over time; `lang` adds the story titles in a reader language."""
        return await answer(site, request, lang, lambda conn: entity_view(conn, entity_id))

    return router
