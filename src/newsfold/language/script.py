"""Writing systems: which script a text is in, and the language a script alone implies."""

from __future__ import annotations

import re
from collections import Counter

import regex

# Scripts that one language (in news, practically) owns: enough to name the language from a few characters.
SCRIPT_LANGUAGE: dict[str, str] = {
    "HANGUL": "ko",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "THAI": "th",
    "GREEK": "el",
    "ARMENIAN": "hy",
    "GEORGIAN": "ka",
    "HEBREW": "he",
    "KHMER": "km",
    "LAO": "lo",
    "MYANMAR": "my",
    "SINHALA": "si",
    "TAMIL": "ta",
    "TELUGU": "te",
    "KANNADA": "kn",
    "MALAYALAM": "ml",
    "GUJARATI": "gu",
    "GURMUKHI": "pa",
    "ORIYA": "or",
    "ETHIOPIC": "am",
    "TIBETAN": "bo",
}

# the scripts counted: those that imply a language, and the common ones that do not
_NAMED = (*SCRIPT_LANGUAGE, "LATIN", "CYRILLIC", "ARABIC", "DEVANAGARI", "BENGALI")


# Runs of letters of each script by their Unicode Script property (the regex library: one pass per script present,
# in C; runs, not letters, so that a word is one match)
_PROPERTY = {"HAN": "Han", "HANGUL": "Hangul", "ORIYA": "Oriya", "ETHIOPIC": "Ethiopic", "MYANMAR": "Myanmar"}
_SCRIPT_PATTERNS = {
    script: regex.compile(
        rf"[\p{{Script={_PROPERTY.get(script, script.title())}}}&&\p{{Alphabetic}}&&\p{{L}}]+", regex.V1
    )
    for script in ("LATIN", *(s for s in _NAMED if s != "LATIN"), "HAN")
}
# any letter outside ASCII and Latin: only then are the other scripts counted
_OTHER_LETTER = re.compile("[^\x00-\u024f\u1e00-\u1eff\u2000-\u206f]")


def scripts(text: str) -> Counter[str]:
    """How many letters of text each script has (a regular expression per script present, not a loop per
    character: text that is all Latin costs two passes)."""
    counts: Counter[str] = Counter()
    latin = sum(map(len, _SCRIPT_PATTERNS["LATIN"].findall(text)))
    if latin:
        counts["LATIN"] = latin
    if _OTHER_LETTER.search(text) is None:
        return counts
    for script, pattern in _SCRIPT_PATTERNS.items():
        if script != "LATIN":
            found = sum(map(len, pattern.findall(text)))
            if found:
                counts[script] += found
    return counts


def dominant_script(text: str) -> str | None:
    """The script of most of text's letters, or None when it has none."""
    return dominant_of(scripts(text))


def dominant_of(counts: Counter[str]) -> str | None:
    """The script of most letters given scripts()'s counts, or None when there are none."""
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def language_from_script(text: str) -> str | None:
    """The language text's script implies, where only one language writes it; None when the script is shared."""
    return language_of(scripts(text))


def language_of(counts: Counter[str]) -> str | None:
    """The language that scripts()'s counts imply (see language_from_script)."""
    if not counts:
        return None
    if counts["HIRAGANA"] + counts["KATAKANA"]:
        return "ja"  # kana only occur in Japanese, whatever share of kanji surrounds them
    script, count = counts.most_common(1)[0]
    if count * 2 < sum(counts.values()):
        return None
    return SCRIPT_LANGUAGE.get(script)
