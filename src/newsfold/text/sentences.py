"""Sentences, split in one place.

split_sentences is the multilingual splitter (numbers, abbreviations, initials, quotes, CJK and Indic stops);
split_english_sentences (highlights, entities, timelines), alignment_sentences (the difference view) and
stop_sentences (folding's lead and aligned sentences) are the older rules those stages are measured with: of 4,452
development paragraphs the first two split 1,647 and 1,858 otherwise than split_sentences (benchmarks/sentences.py),
and folding's pair model was trained on stop_sentences, so they move to it only with their stages' figures measured
again (docs/architecture.md).
"""

from __future__ import annotations

import re

from newsfold.text.abbreviations import ABBREVIATIONS, ENGLISH_ABBREVIATIONS

# A sentence ends at . ! ? … (and the full-width and Indic forms), with closing quotes and brackets it carries.
_END = re.compile(r"""([.!?…]+|[。！？]+|[।॥؟۔])(["'”’»)\]」』]*)(\s*)""")
_CJK_END = frozenset("。！？")
_OPENERS = "\"'“‘«(["


def _last_word(text: str) -> str:
    """The word just before the end of text (letters, digits and inner dots), lower case."""
    match = re.search(r"([\w.]+)$", text)
    return match.group(1).lower() if match else ""


# Month names that follow an ordinal written as a number and a full stop ("am 3. Mai").
_MONTHS = frozenset(
    [
        "januar",
        "jänner",
        "februar",
        "märz",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "dezember",
    ]
)


def _is_boundary(before: str, mark: str, after: str) -> bool:
    """Whether a sentence mark between before and after ends a sentence."""
    stripped = after.lstrip()
    if stripped and stripped[0].islower():
        return False  # '"Stop!" he said.', "Yes... and then": the sentence goes on
    if mark != "." and not mark.endswith("."):
        return True
    word = _last_word(before)
    if word.isdigit() and len(word) <= 2 and stripped.split(" ", 1)[0].lower().strip(",.") in _MONTHS:
        return False
    if word.rstrip(".") in ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isalpha() and word.upper() == before[-1:]:
        return False  # an initial: "J. Smith", "U. S."
    if re.fullmatch(r"(?:\w\.)+\w", word):
        return False  # "U.S", "e.g" written as initials
    if not stripped:
        return True
    first = stripped[0]
    if first.isdigit() and word.isdigit():
        return False  # "3. place" in an enumeration, or a sentence going on in lower case
    return first.isupper() or first in _OPENERS or not first.isalpha()


def split_sentences(text: str) -> list[str]:
    """The sentences of one paragraph, each stripped, none empty; text without a boundary is one sentence."""
    text = " ".join(text.split())
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end(2)
        mark = match.group(1)
        if not match.group(3) and match.end() != len(text) and mark[-1] not in _CJK_END:
            continue  # "3.5", "www.example.com": no space after the stop
        if not _is_boundary(text[start : match.start(1)], mark, text[match.end() :]):
            continue
        sentence = text[start:end].strip()
        if sentence:
            sentences.append(sentence)
        start = match.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines (single line breaks join lines of one paragraph)."""
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


_EN_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+")
_EN_INITIALS = re.compile(r"(?:\b\w\.)+$", re.UNICODE)
_ALIGN_BOUNDARY = re.compile(r"(?<=[.!?…»”\"])\s+(?=[\"“«A-ZÀ-ÖØ-Þ0-9])")


def split_english_sentences(paragraph: str) -> list[str]:
    """Split one paragraph into sentences, keeping abbreviations and initials (U.S., Gen., J.) inside (the rules
    highlights, entities and timelines are measured with)."""
    out: list[str] = []
    start = 0
    for match in _EN_BOUNDARY.finditer(paragraph):
        end = match.end()
        head = paragraph[start : match.start() + 1]
        rest = paragraph[end:]
        if not rest or not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"'“‘«("):
            continue
        last = head.rsplit(None, 1)[-1] if head.strip() else ""
        bare = last.rstrip(".").lstrip("(\"'“‘").lower()
        if head.endswith(".") and (bare in ENGLISH_ABBREVIATIONS or (_EN_INITIALS.search(last) and len(bare) <= 4)):
            continue
        piece = paragraph[start:end].strip()
        if piece:
            out.append(piece)
        start = end
    tail = paragraph[start:].strip()
    if tail:
        out.append(tail)
    return out


def alignment_sentences(text: str) -> list[str]:
    """Split text into sentences, paragraph by paragraph, at every stop before a capital (the units two versions
    of a text are aligned in)."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        out.extend(s.strip() for s in _ALIGN_BOUNDARY.split(paragraph.strip()) if s.strip())
    return out


# a sentence ends at . ! ? before a space, and at a CJK full stop with or without one (one look-behind per position:
# an alternation of two look-behinds made splitting ~1.8x slower)
_STOP = re.compile(r"(?<=[.!?。！？])(?:\s+|(?<=[。！？]))")


def stop_sentences(text: str) -> list[str]:
    """The pieces of text between stops (. ! ? before a space, CJK stops anywhere), none empty, no abbreviation
    rule: folding's units (the lead, the first sentences it aligns), cheap because folding splits every article and
    kept as they are because the shipped pair model was trained on them."""
    return [piece for piece in _STOP.split(text) if piece]
