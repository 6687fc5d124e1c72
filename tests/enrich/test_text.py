"""Sentence splitting and transliteration-aware name keys."""

from __future__ import annotations

import random

from newsfold.enrich.text import jaro_winkler, similar_names
from newsfold.text.names import name_key, span_key
from newsfold.text.sentences import split_english_sentences


def test_sentences_keep_abbreviations_and_initials() -> None:
    text = (
        "U.S. officials say Gen. Pat Ryder spoke. Sen. Chris Murphy (D-Conn.) said so in an interview. "
        "The U.S. Central Command agreed! Was it planned? Yes."
    )
    assert split_english_sentences(text) == [
        "U.S. officials say Gen. Pat Ryder spoke.",
        "Sen. Chris Murphy (D-Conn.) said so in an interview.",
        "The U.S. Central Command agreed!",
        "Was it planned?",
        "Yes.",
    ]


def test_sentences_after_quotes() -> None:
    assert split_english_sentences("“It’s all planned,” he said. “They want a scene.”") == [
        "“It’s all planned,” he said.",
        "“They want a scene.”",
    ]


def test_name_keys_meet_across_transliterations() -> None:
    assert name_key("Soudani") == name_key("Sudani") == name_key("al-Sudani")
    assert name_key("Akasha") == name_key("Akashat")
    assert name_key("Mounès") == name_key("Mounes")
    assert span_key("the Popular Mobilization Forces") == span_key("Popular Mobilization Forces")


def test_similar_names() -> None:
    assert similar_names(name_key("Mohammed"), name_key("Muhammad"))
    assert similar_names(name_key("Qassem"), name_key("Qasem"))
    assert not similar_names(name_key("Mansour"), name_key("Mounes"))
    assert not similar_names(name_key("Iran"), name_key("Iraq"))


def _jaro_winkler_by_definition(a: str, b: str) -> float:
    """Jaro-Winkler as first written: each character of a takes the first unused equal one of b within reach."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    reach = max(len(a), len(b)) // 2 - 1
    used = [False] * len(b)
    matches_a: list[str] = []
    for i, char in enumerate(a):
        for j in range(max(0, i - reach), min(len(b), i + reach + 1)):
            if not used[j] and b[j] == char:
                used[j] = True
                matches_a.append(char)
                break
    if not matches_a:
        return 0.0
    matches_b = [b[j] for j in range(len(b)) if used[j]]
    transpositions = sum(x != y for x, y in zip(matches_a, matches_b, strict=True)) / 2
    m = len(matches_a)
    jaro = (m / len(a) + m / len(b) + (m - transpositions) / m) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


def test_jaro_winkler_equals_its_definition_exactly() -> None:
    """The str.find version gives bit for bit the definition's value, on repeated letters and edits alike."""
    rng = random.Random(7)
    alphabet = "aabeiklmnorsu"
    pairs = [("a", "b"), ("ab", "ba"), ("martha", "marhta"), ("aaaa", "aa"), ("x", "xy"), ("abcabc", "cbacba")]
    for _ in range(20000):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        b = list(a)
        for _ in range(rng.randint(0, 4)):
            b.insert(rng.randint(0, len(b)), rng.choice(alphabet))
            if b and rng.random() < 0.5:
                b.pop(rng.randrange(len(b)))
        pairs.append((a, "".join(b)))
    for a, b in pairs:
        assert jaro_winkler(a, b) == _jaro_winkler_by_definition(a, b), (a, b)
