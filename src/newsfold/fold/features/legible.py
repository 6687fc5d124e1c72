"""Whether the lead encoder reads a text as words: a small learned test over how its sentencepiece model scores it.

Text the encoder cannot read (random words, letters of a known script strung together) is cut into rare pieces and
embeds close to every other such text (55 pages of random Cyrillic or Arabic words: one story of 55). Real text
scores far better under the sentencepiece unigram model than the same text with each word's letters reversed;
random words score about the same either way, whatever the script. A logistic regression over that gain, the
score per character and the characters per piece (benchmarks/train_reading.py: itn-dev's blurbs in 55 languages
against random words and shuffled letters made from each of them, fit on one half of the topics and scored on the
other) decides; its weights ship as newsfold/data/reading_model.json.
"""

from __future__ import annotations

import numpy as np
import sentencepiece
from numpy.typing import NDArray

from newsfold.errors import ConfigError
from newsfold.learned import Logistic, logistic_file, weights_file

READING_FEATURES = ("order_gain", "score_per_char", "chars_per_piece")


def scrambled(text: str) -> str:
    """The text with each word's characters reversed (an unspaced run, such as a Chinese sentence, reversed whole):
    the same letters, none of the order a language gives them."""
    return " ".join(word[::-1] for word in text.split())


class PieceScores:
    """A sentencepiece model's log-probability of a text, an unknown piece scored as the model's rarest piece."""

    def __init__(self, processor: sentencepiece.SentencePieceProcessor) -> None:
        """Read every piece's score once."""
        self._sp = processor
        scores = np.array([processor.GetScore(i) for i in range(processor.GetPieceSize())], dtype=np.float64)
        scores[processor.unk_id()] = scores.min()
        self._scores = scores

    def score(self, text: str) -> tuple[float, int]:
        """The text's summed piece scores and its number of pieces."""
        ids: list[int] = self._sp.encode(text)
        return float(self._scores[ids].sum()) if ids else 0.0, len(ids)

    def features(self, text: str) -> NDArray[np.float64]:
        """READING_FEATURES of a text: the score a character gains over its scrambled twin, the score a character,
        and the characters a piece (spaces not counted)."""
        chars = max(len(text) - text.count(" "), 1)
        score, pieces = self.score(text)
        twin, _ = self.score(scrambled(text))
        return np.array([(score - twin) / chars, score / chars, chars / max(pieces, 1)], dtype=np.float64)


# the reading test's model: a logistic regression over READING_FEATURES (accepts: the encoder reads the text)
ReadingModel = Logistic


def load_reading_model(path: str = "") -> ReadingModel:
    """The reading model of a JSON file (empty: the one shipped with newsfold)."""
    source, weights = weights_file(path, "reading_model.json", "reading model", ConfigError)
    return logistic_file(weights, READING_FEATURES, f"reading model {source}", ConfigError)
