"""Readers that turn files, directories and other inputs into RawInput values."""

from newsfold.ingest.files import iter_inputs

__all__ = ["iter_inputs"]
