"""Folding: copies and reports of the same story grouped, with provenance."""

from newsfold.fold.folder import Folder

__all__ = ["Folder"]
