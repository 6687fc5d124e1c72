"""Files and directories (recursive) as inputs: size-capped, typed by name and content."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from newsfold.errors import InputError
from newsfold.model import Origin, RawInput

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt": "text/plain", ".text": "text/plain", ".html": "text/html", ".htm": "text/html"}
# suffixes a directory walk takes (files named on the command line are always tried)
WALK_SUFFIXES = {*TEXT_SUFFIXES, ""}
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
            if not name.startswith(".") and path.suffix.lower() in WALK_SUFFIXES:
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
                yield (raw_path, "directory holds no readable files (.txt, .html, .htm)")
        else:
            yield path


def iter_inputs(paths: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawInput | InputError]:
    """Yield a RawInput per readable file under paths and an InputError per unreadable one."""
    for found in expand_paths(paths):
        if isinstance(found, tuple):
            yield InputError(*found)
            continue
        try:
            yield read_file(found, max_bytes)
        except InputError as exc:
            yield exc
