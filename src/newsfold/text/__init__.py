"""Text helpers every stage shares, below all of them: sentences, words, abbreviations."""
