"""One input read: extracted, run through the steps between extraction and folding, each document keyed by where
it came from; the same in the ingest process and in an extraction worker."""

from __future__ import annotations

import logging
import os

from newsfold.errors import InputError
from newsfold.extract.dispatch import Extractor
from newsfold.ingest.takedowns import match_key
from newsfold.model import Article, RawInput, input_key
from newsfold.pipeline import Chain, failed_input

log = logging.getLogger(__name__)


def where_from(raw: RawInput) -> str:
    """Where an input was read from, as its identity names it: its URL (normalised for matching) or its absolute
    path (a WARC record or feed entry without a URL: the archive's or feed's location)."""
    location = raw.url or raw.origin.location
    if location.lower().startswith(("http://", "https://")):
        return match_key(location) or location
    return os.path.abspath(location)


def read_input(extractor: Extractor, chain: Chain, item: RawInput) -> list[Article] | InputError:
    """One input's documents, extracted and run through the steps, each with its input's key; or why it could not
    be read (whatever extraction or a step raised: the one per-input boundary, in this process or a worker)."""
    location = item.origin.location
    try:
        documents = chain(extractor(item))
        where = where_from(item)
    except InputError as exc:
        return exc
    except Exception as exc:  # the per-input boundary: one input's failure never ends the run
        log.debug("%s: unexpected failure while extracting it", location, exc_info=True)
        return failed_input(location, exc)
    for document in documents:
        document.input_key = input_key(where, document.origin.index, item.data)
    return documents
