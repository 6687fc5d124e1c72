"""Text cut for translation: sentences and paragraphs (newsfold.text.sentences), too-long token runs in chunks.

Argos Translate's default splitter (stanza) downloads a model on first use, and a translation model works best on
one sentence at a time, so newsfold splits sentences itself: rules, no model.
"""

from __future__ import annotations


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
