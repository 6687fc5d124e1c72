"""Files and directories (recursive) as inputs: size-capped, typed by name and content."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from newsfold.errors import InputError
from newsfold.ingest import sourcefiles
from newsfold.ingest.warc import is_warc, iter_warc
from newsfold.model import Origin, RawInput
from newsfold.pipeline import contained

if TYPE_CHECKING:
    from newsfold.ingest.fetch import Fetcher

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt": "text/plain", ".text": "text/plain", ".html": "text/html", ".htm": "text/html"}
# suffixes a directory walk takes (files named on the command line are always tried)
WALK_SUFFIXES = {*TEXT_SUFFIXES, "", ".warc", ".gz", ".opml", ".rss", ".atom"}
SOURCE_SUFFIXES = (".opml", ".rss", ".atom", ".xml", ".json")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def media_type_for(path: Path, head: bytes) -> str:
    """Guess a file's media type from its name, then from its first bytes."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return TEXT_SUFFIXES[suffix]
    sniff = head[:1024].lstrip().lower()
    if sniff.startswith((b"<!doctype html", b"<html")) or b"<body" in sniff:
        return "text/html"
    return "text/plain"


def _walk(root: Path) -> Iterator[Path]:
    """Every readable-looking file below root, in a stable order, hidden entries skipped."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith(".") or path.suffix.lower() not in WALK_SUFFIXES:
                continue
            if path.suffix.lower() == ".gz" and not name.lower().endswith(".warc.gz"):
                continue
            yield path


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> RawInput:
    """Read one file as a RawInput, or raise InputError naming it and the reason."""
    location = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(location, exc.strerror or "cannot read") from exc
    if size == 0:
        raise InputError(location, "empty file")
    if size > max_bytes:
        raise InputError(location, f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(location, exc.strerror or "cannot read") from exc
    media_type = media_type_for(path, data)
    return RawInput(origin=Origin(location=location, media_type=media_type), data=data, media_type=media_type)


def is_url(value: str) -> bool:
    """Whether an ingest argument is an http(s) URL rather than a path."""
    return value.lower().startswith(("http://", "https://"))


def expand_paths(paths: Iterable[str]) -> Iterator[Path | tuple[str, str]]:
    """Every file the paths name (directories walked), or (path, reason) for a path that yields none."""
    for raw_path in paths:
        path = Path(raw_path)
        if not path.exists():
            yield (raw_path, "no such file or directory")
        elif path.is_dir():
            found = False
            for file in _walk(path):
                found = True
                yield file
            if not found:
                yield (raw_path, "directory holds no readable files (.txt, .html, .htm, .warc, feeds)")
        else:
            yield path


def _one_file(path: Path, max_bytes: int, fetcher: Fetcher | None) -> Iterator[RawInput | InputError]:
    """The inputs of one file: a WARC archive's pages, a feed's or OPML list's articles, or the file itself."""

    if is_warc(path):
        yield from iter_warc(path, max_bytes=max_bytes)
        return
    try:
        raw = read_file(path, max_bytes)
    except InputError as exc:
        yield exc
        return
    if path.suffix.lower() in SOURCE_SUFFIXES or raw.media_type != "text/html":
        found = sourcefiles.source_file_inputs(raw, fetcher)
        if found is not None:
            yield from found
            return
    yield raw


def count_inputs(paths: Iterable[str], limit: int = 1_000_000) -> int | None:
    """How many files, URLs and unreadable paths iter_inputs will go through (None past limit): a progress total."""
    total = 0
    for raw_path in paths:
        total += 1 if is_url(raw_path) else sum(1 for _ in expand_paths([raw_path]))
        if total > limit:
            return None
    return total


def iter_inputs(
    paths: Iterable[str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    fetcher: Fetcher | None = None,
    on_done: Callable[[], None] | None = None,
) -> Iterator[RawInput | InputError]:
    """Yield a RawInput per readable input under paths (files, directories, WARC, feeds, OPML, URLs) or an error.

    URLs, and feed entries or OPML sources that must be fetched, go through fetcher (an error when there is none).
    on_done is called each time one of what count_inputs counts has given all its inputs (for a progress bar).
    """

    for raw_path in paths:
        if is_url(raw_path):
            yield from contained(raw_path, sourcefiles.url_inputs(raw_path, fetcher))
            if on_done is not None:
                on_done()
            continue
        for found in expand_paths([raw_path]):
            if isinstance(found, tuple):
                yield InputError(*found)
            else:
                # whatever one file's reader raises fails that file only
                yield from contained(str(found), _one_file(found, max_bytes, fetcher))
            if on_done is not None:
                on_done()
