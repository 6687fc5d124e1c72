"""Sentence splitting and transliteration-aware name keys."""

from __future__ import annotations

from newsfold.enrich.text import similar_names
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
