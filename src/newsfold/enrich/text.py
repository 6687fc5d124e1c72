"""Text helpers the enrich stage shares: sentences, word tokens, name similarity (name keys: text.names)."""

from __future__ import annotations

from dataclasses import dataclass

from newsfold.model import Article
from newsfold.text.sentences import split_english_sentences
from newsfold.text.words import written_words


def words_of(text: str) -> frozenset[str]:
    """A word list written as one string, as a set."""
    return frozenset(text.split())


STOPWORDS = words_of(
    """a an the and or but if then so of in on at to for from by with about as into over after before under between
    through during without within against among than that this these those it its is are was were be been being
    has have had do does did will would can could should may might must shall not no nor he she they we you i me
    him her them us our your their his my who whom whose which what when where why how all any both each few
    more most other some such only own same too very s t just also there here said says say told one two three
    up out new last week year years now yet still meanwhile however although though while since because even many
    much every according despite later earlier today yesterday tomorrow instead perhaps indeed thus hence"""
)


@dataclass(slots=True, frozen=True)
class Sentence:
    """One sentence of an article's body, with its place in the text."""

    text: str
    article_id: str
    index: int
    paragraph: int


def article_sentences(article: Article, *, roles: tuple[str, ...] = ("body", "quote")) -> list[Sentence]:
    """The sentences of an article's body paragraphs, in order."""
    out: list[Sentence] = []
    article_id = article.id
    for number, paragraph in enumerate(p for p in article.paragraphs if p.role in roles):
        for text in split_english_sentences(paragraph.text):
            out.append(Sentence(text=text, article_id=article_id, index=len(out), paragraph=number))
    return out


def content_words(text: str) -> list[str]:
    """Lower-cased word tokens without stopwords or numbers-only tokens, lightly stemmed."""
    out = []
    for word in written_words(text.lower()):
        if word in STOPWORDS or len(word) < 2:
            continue
        out.append(stem(word))
    return out


def stem(word: str) -> str:
    """A light suffix stripper (plural, -ing, -ed) so inflections meet; not a full stemmer."""
    for suffix, keep in (("ies", 4), ("ing", 5), ("ed", 4), ("es", 5), ("s", 4)):
        if word.endswith(suffix) and len(word) >= keep + len(suffix) - 1 and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


_VOWELS = str.maketrans("", "", "aeiou ")


def consonants(key: str) -> str:
    """A key without its vowels (and spaces): Mohammed/Muhammad -> mhmd."""
    return key.translate(_VOWELS)


def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity of two strings (1.0 equal, 0.0 nothing shared)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    size = len(b)
    reach = max(len(a), size) // 2 - 1
    used = bytearray(size)
    matches_a: list[str] = []
    find = b.find
    for i, char in enumerate(a):
        # the first unused position of char in b within reach (str.find in C, not a loop over the window)
        end = min(size, i + reach + 1)
        j = find(char, max(0, i - reach), end)
        while j >= 0 and used[j]:
            j = find(char, j + 1, end)
        if j >= 0:
            used[j] = 1
            matches_a.append(char)
    if not matches_a:
        return 0.0
    matches_b = [char for char, hit in zip(b, used, strict=True) if hit]
    transpositions = sum(x != y for x, y in zip(matches_a, matches_b, strict=True)) / 2
    m = len(matches_a)
    jaro = (m / len(a) + m / size + (m - transpositions) / m) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


def similar_names(a: str, b: str) -> bool:
    """Whether two name keys are spellings of one name (transliteration variants, vowel shifts)."""
    if a == b:
        return True
    if not a or not b:
        return False
    shared = consonants(a)
    if shared == consonants(b) and len(shared) >= 3 and jaro_winkler(a, b) >= 0.75:
        return True
    return min(len(a), len(b)) >= 6 and jaro_winkler(a, b) >= 0.94
