"""Extraction: raw pages (HTML or scraped text) to articles with text, metadata and provenance."""

from newsfold.extract.dispatch import extract

__all__ = ["extract"]
