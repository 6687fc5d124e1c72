"""Sentence splitting for translation: paragraphs kept, numbers, abbreviations, initials and quotes intact.

Argos Translate's default splitter (stanza) downloads a model on first use, and a translation model works best on
one sentence at a time, so newsfold splits sentences itself: rules, no model.
"""

from __future__ import annotations

import re

# Words after which a full stop does not end a sentence (lower case, without the stop).
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "mt",
        "ft",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "rep",
        "pres",
        "rev",
        "hon",
        "no",
        "nos",
        "vol",
        "vols",
        "fig",
        "figs",
        "p",
        "pp",
        "ch",
        "art",
        "sec",
        "para",
        "ed",
        "eds",
        "est",
        "approx",
        "dept",
        "univ",
        "corp",
        "inc",
        "ltd",
        "co",
        "bros",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "vs",
        "etc",
        "al",
        "cf",
        "ibid",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "bzw",
        "ca",
        "dt",
        "evtl",
        "ggf",
        "inkl",
        "nr",
        "str",
        "usw",
        "vgl",
        "z.b",
        "d.h",
        "u.a",
        "s.o",
        "mme",
        "mlle",
        "mm",
        "env",
        "cf",
        "av",
        "sra",
        "srta",
        "dña",
        "pág",
    ]
)

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


def chunk_pieces(pieces: list[str], limit: int) -> list[list[str]]:
    """Cut a too-long token sequence into parts of at most limit, preferring cuts after punctuation."""
    if limit < 1:
        raise ValueError("limit must be positive")
    chunks: list[list[str]] = []
    current: list[str] = []
    for piece in pieces:
        current.append(piece)
        if len(current) >= limit:
            cut = _last_punctuation(current, limit // 2)
            chunks.append(current[:cut])
            current = current[cut:]
    if current:
        chunks.append(current)
    return chunks


def _last_punctuation(pieces: list[str], minimum: int) -> int:
    """Index just after the last comma-like piece at or past minimum, else the length (a hard cut)."""
    for index in range(len(pieces) - 1, minimum - 1, -1):
        if pieces[index].strip("▁") in {",", ";", ":", "،", "、", "，", "；", "-", "–", "—"}:
            return index + 1
    return len(pieces)
