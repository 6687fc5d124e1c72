"""Sentence splitting keeps numbers, abbreviations, initials, quotes and paragraphs intact."""

from __future__ import annotations

import pytest

from newsfold.language.split import chunk_pieces
from newsfold.text.sentences import split_paragraphs, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'U.S. officials said 3.5 percent. Mr. Smith said: "It is over." Then he left!',
            ["U.S. officials said 3.5 percent.", 'Mr. Smith said: "It is over."', "Then he left!"],
        ),
        ("It rose on Jan. 5. It was the highest since 2001.", ["It rose on Jan. 5.", "It was the highest since 2001."]),
        ("Er kam am 3. Mai. Dann ging er.", ["Er kam am 3. Mai.", "Dann ging er."]),
        (
            "J. R. R. Tolkien wrote it. See www.example.com now.",
            ["J. R. R. Tolkien wrote it.", "See www.example.com now."],
        ),
        ("他来了。她走了！真的吗？", ["他来了。", "她走了！", "真的吗？"]),
        ('"Stop!" he said. Is it? Yes.', ['"Stop!" he said.', "Is it?", "Yes."]),
        ("It costs $1,000.50 (e.g. rent) today. Next.", ["It costs $1,000.50 (e.g. rent) today.", "Next."]),
        ("no boundary at all", ["no boundary at all"]),
        ("   ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    """Each case splits where a reader would."""
    assert split_sentences(text) == expected


def test_split_paragraphs_keeps_blocks() -> None:
    """Blank lines separate paragraphs; single line breaks do not."""
    assert split_paragraphs("One.\nstill one.\n\n\n  Two.  \n") == ["One.\nstill one.", "Two."]


def test_chunk_prefers_commas_and_respects_limit() -> None:
    """Chunks never exceed the limit and end after a comma where one is near."""
    pieces = ["▁a", "▁b", ",", "▁c", "▁d", "▁e", "▁f", "▁g", "▁h", "▁i"]
    chunks = chunk_pieces(pieces, 5)
    assert all(len(chunk) <= 5 for chunk in chunks)
    assert chunks[0] == ["▁a", "▁b", ","]
    assert [p for chunk in chunks for p in chunk] == pieces
    with pytest.raises(ValueError, match="positive"):
        chunk_pieces(pieces, 0)
