"""Folding's features compared through the pivot translation where the encoder does not cover a language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from newsfold.fold.features.features import Features, compared_texts
from newsfold.fold.features.text import NAME_KEYS, name_keys, names
from newsfold.language.pivot import PivotComparer
from newsfold.model import Article
from newsfold.store.base import Connection


def compared(items: Sequence[Features], pivot: PivotComparer | None, conn: Connection | None = None) -> list[Features]:
    """The items, those in a language the encoder does not cover (and a model translates) with their lead and first
    sentences in the pivot translation, and the names and name keys of that translation added: what the encoder
    embeds and what candidates are found by. The language stays the article's own (a translation is a copy)."""
    out = list(items)
    if pivot is None:
        return out
    rows: dict[str, list[int]] = {}
    for row, item in enumerate(items):
        if item.language is not None and pivot.translator(item.language) is not None:
            rows.setdefault(item.language, []).append(row)
    for language, members in rows.items():
        texts = [text for row in members for text in (items[row].lead, *items[row].sentences)]
        done = pivot.comparable(texts, language, conn)
        if not done or done[0].translated_by is None:
            continue  # the model failed (logged): compared as they are
        start = 0
        for row in members:
            item = items[row]
            end = start + 1 + len(item.sentences)
            lead, *rest = (c.text for c in done[start:end])
            start = end
            said = "\n".join((lead, *rest))
            keys = dict.fromkeys((*name_keys(said), *item.name_keys))
            out[row] = replace(
                item,
                lead=lead,
                sentences=tuple(rest),
                names=item.names | names(said),
                name_keys=tuple(keys)[:NAME_KEYS],
            )
    return out


def keep_compared(
    conn: Connection, articles: Sequence[Article], items: Sequence[Features], pivot: PivotComparer
) -> None:
    """Keep in the store's translation cache the translations that items (compared() of articles, in order, made in
    any process) carry, so that features recomputed from the store later are not translated again."""
    for article, item in zip(articles, items, strict=True):
        if item.language is None or pivot.translator(item.language) is None:
            continue
        original_lead, original_sentences = compared_texts(article)
        if item.lead != original_lead and len(item.sentences) == len(original_sentences):
            pivot.keep(conn, item.language, (original_lead, *original_sentences), (item.lead, *item.sentences))
