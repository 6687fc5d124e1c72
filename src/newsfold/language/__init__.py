"""Languages: identification per document and paragraph; translation for the reader."""

from newsfold.language.identify import LanguageStep, identify

__all__ = ["LanguageStep", "identify"]
