"""A page's titles and highlights in the reader's language: added beside the originals, never replacing them.

Every value a page shows keeps its field; a translation is added as `<field>_translated` (a title:
{"text", "language", "model", "machine_translated": true, "source_language"}; a list of highlights: a list of those),
and the page gets a "reader" summary: the language, the models used and the one-line notes where no model exists.
Texts are rendered in one batch per source language, through the translation cache (eager translation fills it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from babel import Locale, UnknownLocaleError

from newsfold.language.majority import highlights_language
from newsfold.language.reader import ReaderTranslator, Rendering
from newsfold.store import languages as languages_db
from newsfold.store.base import Connection

if TYPE_CHECKING:
    from newsfold.web.page_value import Twin

SUFFIX = "_translated"
# a value in the JSON contract's shape (serialize: a story card, an article, a search hit, a comparison's row):
# translations are filed into it beside the originals, as `<field>_translated`
Shown = dict[str, Any]


@dataclass(slots=True, frozen=True)
class ReaderSummary:
    """What a translated page says of its translation: the language, the models used, the notes, the counts."""

    language: str | None
    models: list[str]
    notes: list[str]
    translated: int
    untranslated: list[str]


@dataclass(slots=True)
class _Wanted:
    """One text a page asks for: where its translation goes (holder[key], or holder[key][index])."""

    holder: Shown
    key: str
    text: str
    source: str | None
    index: int | None = None


def translated_json(rendering: Rendering, source: str | None) -> Shown:
    """A machine translation as the JSON twins show it."""
    return {
        "text": rendering.text,
        "language": rendering.language,
        "model": rendering.model,
        "machine_translated": True,
        "source_language": source,
    }


@dataclass(slots=True)
class PageTranslation:
    """Collects a page's texts, renders them in the reader's language in batches, and files the results."""

    translator: ReaderTranslator
    target: str | None
    _wanted: list[_Wanted] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    translated: int = 0
    untranslated: list[str] = field(default_factory=list)

    def title(self, holder: Shown, key: str, source: str | None) -> None:
        """Ask for holder[key] (a text) in the reader's language, as holder[key + '_translated']."""
        text = holder.get(key)
        if self.target is not None and isinstance(text, str) and text.strip():
            self._wanted.append(_Wanted(holder, key, text, source))

    def texts(self, holder: Shown, key: str, source: str | None) -> None:
        """Ask for the list holder[key] in the reader's language, as a list holder[key + '_translated']."""
        items = holder.get(key)
        if self.target is None or not isinstance(items, list):
            return
        for index, text in enumerate(items):
            if isinstance(text, str) and text.strip():
                self._wanted.append(_Wanted(holder, key, text, source, index))

    def text(self, holder: Shown, key: str, text: str, source: str | None) -> None:
        """Ask for a text shown as holder[key] (a snippet without its marks), as holder[key + "_translated"]."""
        if self.target is not None and text.strip():
            self._wanted.append(_Wanted(holder, key, text, source))

    def item(self, holder: Shown, key: str, index: int, source: str | None) -> None:
        """Ask for one text of the list holder[key] (in a language of its own), filed at the same index."""
        items = holder.get(key)
        if self.target is None or not isinstance(items, list) or index >= len(items):
            return
        text = items[index]
        if isinstance(text, str) and text.strip():
            self._wanted.append(_Wanted(holder, key, text, source, index))

    def apply(self) -> ReaderSummary:
        """Render everything asked for and file it; the page's reader summary."""
        target = self.target
        groups: dict[str | None, list[_Wanted]] = defaultdict(list)
        for wanted in self._wanted:
            groups[wanted.source].append(wanted)
        for source, items in groups.items():
            if target is None or source is None or source == target:
                continue
            if not self.translator.can_translate(source, target):
                # no model for the pair: the originals stay, and the page says so once (untranslated_note)
                if source not in self.untranslated:
                    self.untranslated.append(source)
                continue
            renderings = self.translator.render_many([w.text for w in items], source, target)
            for wanted, rendering in zip(items, renderings, strict=True):
                self._file(wanted, rendering)
        self._wanted.clear()
        notes = list(self.notes)
        if target is not None and self.untranslated:
            notes.insert(0, untranslated_note(sorted(self.untranslated), target))
        return ReaderSummary(target, self.models, notes, self.translated, sorted(self.untranslated))

    def _file(self, wanted: _Wanted, rendering: Rendering) -> None:
        """Put one rendering where it was asked for (a note, once, where it is not a translation)."""
        if not rendering.translated:
            if rendering.note and rendering.note not in self.notes:
                self.notes.append(rendering.note)
            return
        if rendering.model and rendering.model not in self.models:
            self.models.append(rendering.model)
        self.translated += 1
        value = translated_json(rendering, wanted.source)
        name = wanted.key + SUFFIX
        if wanted.index is None:
            wanted.holder[name] = value
            return
        slots = wanted.holder.setdefault(name, [None] * len(wanted.holder[wanted.key]))
        slots[wanted.index] = value


def language_name(code: str) -> str:
    """A language's English name with its code ("German (de)"), or the code alone when CLDR does not know it."""
    try:
        name = Locale.parse("en").languages.get(code)
    except (UnknownLocaleError, ValueError):
        name = None
    return f"{name} ({code})" if name else code


def untranslated_note(languages: Sequence[str], target: str) -> str:
    """The one notice of a page showing texts in languages no installed model translates into the reader's."""
    names = ", ".join(language_name(code) for code in languages)
    return (
        f"Shown untranslated, in the original: {names}. No translation model into {language_name(target)} is "
        f"installed for {'it' if len(languages) == 1 else 'them'}; install one with "
        "`newsfold models install NAME_OR_PATH` (see `newsfold models list`)."
    )


def title_language(story: Shown) -> str | None:
    """The language of a story's title: its member's that bears it, else the story's only language."""
    for article in story.get("articles") or []:
        if article.get("title") == story.get("title") and article.get("language"):
            return str(article["language"])
    languages = story.get("languages") or []
    return str(languages[0]) if len(languages) == 1 else None


def publisher_languages(conn: Connection, stories: Sequence[Shown]) -> dict[str, str | None]:
    """For stories showing their publishers' highlights, the language of the member they come from."""
    wanted = [s for s in stories if s.get("publisher_highlights")]
    ids = [a["id"] for s in wanted for a in s.get("articles") or []]
    found = languages_db.articles_language_and_highlights(conn, ids)
    out: dict[str, str | None] = {}
    for story in wanted:
        shown = story["publisher_highlights"]
        for article in story.get("articles") or []:
            language, highlights = found.get(article["id"], (None, []))
            if highlights[: len(shown)] == shown:
                out[story["id"]] = language
                break
    return out


def story_cards(page: PageTranslation, conn: Connection, stories: Sequence[Shown]) -> None:
    """Ask for what a story card shows: the title and the (story's or publishers') highlights."""
    if page.target is None:
        return
    publishers = publisher_languages(conn, stories)
    for story in stories:
        story_parts(page, story, publishers.get(story["id"]))


def story_parts(page: PageTranslation, story: Shown, publisher_language: str | None) -> None:
    """Ask for a story's title, its highlights and its publishers' highlights (where shown)."""
    page.title(story, "title", title_language(story))
    members = [(a.get("language"), str(a.get("kind") or "article")) for a in story.get("articles") or []]
    page.texts(story, "highlights", highlights_language(members))
    page.texts(story, "publisher_highlights", publisher_language)


def article_titles(page: PageTranslation, items: Sequence[Shown], key: str = "title") -> None:
    """Ask for the titles of listed articles (each in its own language)."""
    for item in items:
        page.title(item, key, item.get("language"))


def search_snippets(page: PageTranslation, results: Sequence[Shown]) -> None:
    """Ask for the search results' snippets (their match marks left out) in the reader's language."""
    for result in results:
        plain = str(result.get("snippet") or "").replace("[[", "").replace("]]", "")
        page.text(result, "snippet", plain, result.get("language"))


Translatable = TypeVar("Translatable", bound="Twin")


def translate_page(
    value: Translatable, translator: ReaderTranslator, target: str | None, ask: Callable[[PageTranslation], None]
) -> Translatable:
    """A page value with its reader summary after ask asked for its texts (the value itself when target is None)."""
    if target is None:
        return value
    page = PageTranslation(translator, target)
    ask(page)
    return replace(value, reader=page.apply())
