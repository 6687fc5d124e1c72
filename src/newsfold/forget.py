"""What a removed article leaves behind that is no row of its own, taken away with it: its terms in folding's
document frequencies and the machine translations of its texts in the translation cache."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsfold.fold.incremental.forget import uncount
from newsfold.language.cache import text_hash
from newsfold.model import Article
from newsfold.store import articles as articles_db
from newsfold.store import integrity as integrity_db
from newsfold.store.base import Connection
from newsfold.text.sentences import split_english_sentences as enrich_sentences
from newsfold.text.sentences import split_paragraphs, split_sentences


@dataclass(slots=True)
class Forgotten:
    """What forgetting removed: documents taken out of the frequencies, cached translations deleted."""

    documents: int = 0
    translations: int = 0


def forget(conn: Connection, article_ids: Sequence[str]) -> Forgotten:
    """Before these stored articles are deleted: take their terms out of the document frequencies and delete the
    cached translations of their texts, except texts the other members of their stories still hold (a copy's
    paragraphs stay translated while the original is stored)."""
    removed = articles_db.get_articles(conn, list(article_ids))
    if not removed:
        return Forgotten()
    gone = {a.id for a in removed}
    stories = {a.story_id for a in removed if a.story_id}
    kept = [i for i in integrity_db.story_members(conn, stories) if i not in gone]
    texts = translated_texts(removed, integrity_db.event_texts(conn, sorted(gone)))
    texts -= translated_texts(articles_db.get_articles(conn, kept), integrity_db.event_texts(conn, kept))
    documents = uncount(conn, sorted(gone))
    return Forgotten(documents, integrity_db.forget_translations(conn, (text_hash(t) for t in texts)))


def translated_texts(articles: Iterable[Article], events: Iterable[str] = ()) -> set[str]:
    """Every text of these articles that newsfold may have sent to a translator: titles, datelines, whole texts
    (the CLI's), paragraphs (the reader's page), sentences (highlights, timeline events) by either splitter,
    highlights, and the texts of their events."""
    out = {e for e in events if e.strip()}
    for article in articles:
        out.update(t for t in (article.title, article.dateline, article.text, article.full_text) if t and t.strip())
        out.update(split_paragraphs(article.full_text))
        out.update(h for h in article.highlights if h.strip())
        for paragraph in article.paragraphs:
            out.add(paragraph.text)
            out.update(split_sentences(paragraph.text))
            out.update(enrich_sentences(paragraph.text))
    return out
