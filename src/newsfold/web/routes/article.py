"""The reader view of one article (/articles/{id}) and its JSON twin: cleaned text, paragraphs, metadata."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsfold.language.reader import ReaderTranslator, Rendering
from newsfold.model import Article
from newsfold.serialize import derived_title, document_json
from newsfold.store import articles as articles_db
from newsfold.store import stories as stories_db
from newsfold.store.base import Connection
from newsfold.web import queries
from newsfold.web.routes import Lang, answer, twins
from newsfold.web.site import Site
from newsfold.web.translated import PageTranslation, Shown, translated_json, untranslated_note


@dataclass(frozen=True)
class ArticlePage:
    """One article: its JSON twin (`extract --json`'s document with the article's place in its story) and the
    stored article it was made from; in a reader's language, the text rendered in it (`target`)."""

    template: ClassVar[str] = "article.html"
    family: ClassVar[str] = "article"
    article: Shown
    stored: Article
    target: str | None = None

    def to_json(self) -> Shown:
        """The twin: the article's document (its own shape, not the page value's fields)."""
        return self.article

    def in_language(self, conn: Connection, translator: ReaderTranslator, target: str | None) -> ArticlePage:
        """The article with its title, highlights and text also in the reader's language, and a reader summary."""
        if target is None:
            return self
        article = self.stored
        data = dict(self.article)
        rendering: Rendering | None = None
        if target != article.language:
            rendering = translator.render(article.full_text, article.language, target)
        data["rendering"] = rendering_json(rendering)
        page = PageTranslation(translator, target)
        page.title(data, "title", article.language)
        page.texts(data, "highlights", article.language)
        reader = page.apply()
        models, notes, untranslated = reader.models, reader.notes, reader.untranslated
        if rendering is not None and rendering.translated:
            data["text_translated"] = translated_json(rendering, article.language)
            models = list(dict.fromkeys([*models, *([rendering.model] if rendering.model else [])]))
        elif rendering is not None and article.language and not translator.can_translate(article.language, target):
            # the text has no model either: the page's one notice names its language
            note = untranslated_note([article.language], target)
            if data["rendering"] is not None:
                data["rendering"]["note"] = note
            if article.language not in untranslated:
                untranslated = sorted([*untranslated, article.language])
                notes = [n for n in notes if not n.startswith("Shown untranslated")]
                notes.insert(0, untranslated_note(untranslated, target))
        elif rendering is not None and rendering.note and rendering.note not in notes:
            notes = [*notes, rendering.note]
        data["reader"] = replace(reader, models=models, notes=notes, untranslated=untranslated)
        return replace(self, article=data, target=target)


def rendering_json(rendering: Rendering | None) -> dict[str, object] | None:
    """The article's text as rendered for a reader language, as the twin shows it (None: not asked for)."""
    if rendering is None:
        return None
    return {
        "language": rendering.language,
        "translated": rendering.translated,
        "model": rendering.model,
        "note": rendering.note,
        "text": rendering.text if rendering.translated else None,
    }


def article_view(conn: Connection, article_id: str) -> ArticlePage:
    """An article's cleaned text and metadata; NotFoundError if unknown."""
    article = queries.article_detail(conn, article_id)
    data = document_json(article)
    data["id"] = article.id
    data["story_id"] = article.story_id
    data["relation"] = article.relation
    data["copy_of"] = article.copy_of
    data["canonical_url"] = article.canonical_url
    data["contributors"] = list(article.contributors)
    known = {}
    if article.copy_of and not article.title:
        original = articles_db.get_article(conn, article.copy_of)
        known = {original.id: original} if original is not None else {}
    data["derived_title"] = derived_title(article, known)
    data["paragraphs"] = [{"text": p.text, "role": p.role, "language": p.language} for p in article.paragraphs]
    data["rendering"] = None
    return ArticlePage(data, article)


def article_router(site: Site) -> APIRouter:
    """The route of the article page and its twin."""
    router = APIRouter()

    def context(conn: Connection, page: ArticlePage) -> dict[str, object]:
        """The story the article belongs to, and the reader languages its page offers."""
        story_id = page.article["story_id"]
        story = stories_db.get_story(conn, story_id) if story_id else None
        return {"story": story, "target": page.target, "languages": site.offered_languages}

    @twins(router, "/articles/{article_id}")
    async def article(request: Request, article_id: str, lang: Lang = None) -> Response:
        """One article: cleaned text, paragraphs, metadata; `lang` renders it for a reader language."""
        return await answer(
            site,
            request,
            lang,
            lambda conn: article_view(conn, article_id),
            stamp_of=lambda conn: queries.article_stamp(conn, article_id),
            context=context,
        )

    return router
