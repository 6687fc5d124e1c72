"""Sentences and leads: CJK full stops end a sentence with no space after them, and a first sentence cut short by
an abbreviation ("Gov.") takes the next sentence into the lead."""

from __future__ import annotations

from newsfold.fold.features.text import lead, sentences
from newsfold.model import Article, Origin, Paragraph


def test_chinese_sentences_are_split_at_full_stops_without_spaces() -> None:
    """A translation into Chinese keeps its sentences apart, so it can be aligned with the original's."""
    expected = (
        "州长周三表示，她不会考虑与部落签订契约。",
        "该团体将向她提供有关赌博的事实！",
        "会议将于下周在首都举行，届时将公布结果？",
    )
    assert sentences("".join(expected)) == expected


def test_a_short_first_sentence_takes_the_next_into_the_lead() -> None:
    """An untitled text starting "Gov. Kay Ivey said ..." leads with more than "Gov."; a full first sentence
    stays alone."""
    body = "Gov. Kay Ivey said on Wednesday that no tribal compact would be signed. The group meets next week."
    untitled = Article(origin=Origin("test:a"), title=None, paragraphs=[Paragraph(body)])
    assert lead(untitled) == "Gov. Kay Ivey said on Wednesday that no tribal compact would be signed."
    full = "The governor said on Wednesday that no compact would be signed. The group meets next week."
    titled = Article(origin=Origin("test:b"), title="No compact", paragraphs=[Paragraph(full)])
    assert lead(titled) == "No compact. The governor said on Wednesday that no compact would be signed."
