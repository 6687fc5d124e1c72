"""WARC archives, streamed with warcio: each HTML response record becomes a RawInput, in constant memory.

warcio reads header lines without a bound (a small .warc.gz can inflate to a gigabyte-long header line), so the
archive is read through a reader that caps every line and the lines read in a row without a payload between them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeadersParserException

from newsfold.errors import InputError
from newsfold.model import Origin, RawInput
from newsfold.text.dates import parse_iso

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
# a header line longer than this, or more lines than this in a row without a payload, is not a WARC archive
MAX_LINE = 64 * 1024
MAX_LINES_IN_A_ROW = 4096


class WarcLimitError(Exception):
    """A WARC archive broke a line limit (raised inside warcio's reading, caught below)."""


class _CappedReader(DecompressingBufferedReader):  # type: ignore[misc]
    """warcio's reader with every line capped and the lines read in a row counted."""

    lines_in_a_row = 0

    def readline(self, length: int | None = None) -> bytes:
        """One line, refusing one longer than MAX_LINE and too many header lines in a row."""
        self.lines_in_a_row += 1
        if self.lines_in_a_row > MAX_LINES_IN_A_ROW:
            raise WarcLimitError(f"more than {MAX_LINES_IN_A_ROW} header lines in a row")
        cap = MAX_LINE + 1 if not length or length < 0 else min(length, MAX_LINE + 1)
        line: bytes = super().readline(cap)
        if len(line) > MAX_LINE:
            raise WarcLimitError(f"a header line over {MAX_LINE} bytes")
        return line

    def read(self, length: int | None = None) -> bytes:
        """Read payload bytes (which ends a run of header lines)."""
        self.lines_in_a_row = 0
        data: bytes = super().read(length)
        return data


class _Loader(ArcWarcRecordLoader):  # type: ignore[misc]
    """warcio's record loader, for records without a target URI too (warcio calls None.startswith on them)."""

    def load_http_headers(self, rec_type: str, uri: str | None, stream: BinaryIO, length: int | None) -> object:
        """HTTP headers of a record that has a target URI; none otherwise."""
        if uri is None:
            return None
        return super().load_http_headers(rec_type, uri, stream, length)


class _CappedIterator(ArchiveIterator):  # type: ignore[misc]
    """warcio's archive iterator reading through a _CappedReader with a _Loader."""

    def __init__(self, stream: BinaryIO) -> None:
        """Iterate over stream's records."""
        super().__init__(stream)
        self.reader = _CappedReader(self.fh, block_size=16384)
        self.loader = _Loader(verify_http=False, arc2warc=False)  # as ArchiveIterator makes its own


def is_warc(path: Path) -> bool:
    """Whether a file name says WARC (.warc, .warc.gz)."""
    name = path.name.lower()
    return name.endswith((".warc", ".warc.gz"))


def _read_capped(stream: BinaryIO, limit: int) -> bytes | None:
    """Read a record's payload up to limit bytes; None when it is longer (the rest is skipped by warcio)."""
    data = stream.read(limit + 1)
    return None if len(data) > limit else data


def iter_warc_stream(
    stream: BinaryIO,
    location: str,
    *,
    max_bytes: int = 20 * 1024 * 1024,
    on_record: Callable[[int], None] | None = None,
) -> Iterator[RawInput | InputError]:
    """Yield a RawInput per HTML response record of a WARC stream (gzip or not), one record in memory at a time."""
    index = 0
    try:
        for record in _CappedIterator(stream):
            if on_record:
                on_record(1)
            if record.format != "warc":
                yield InputError(location, f"not a readable WARC archive ({record.format} record found)")
                return
            if record.rec_type != "response" or record.http_headers is None:
                continue
            status = record.http_headers.get_statuscode()
            content_type = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
            if status != "200" or content_type not in HTML_TYPES:
                continue
            target = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{location}#{target or index}"
            data = _read_capped(record.content_stream(), max_bytes)
            index += 1
            if data is None:
                yield InputError(where, f"record over the {max_bytes} byte limit")
                continue
            if not data.strip():
                continue
            charset = None
            for part in (record.http_headers.get_header("Content-Type") or "").split(";")[1:]:
                key, _, value = part.partition("=")
                if key.strip().lower() == "charset":
                    charset = value.strip().strip('"') or None
            yield RawInput(
                origin=Origin(
                    location=target or where,
                    index=0,
                    fetched=parse_iso(record.rec_headers.get_header("WARC-Date")),
                    media_type="text/html",
                ),
                data=data,
                media_type="text/html",
                charset=charset,
                url=target,
            )
    except (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError) as exc:
        yield InputError(location, f"not a readable WARC archive ({str(exc)[:200]})")
    except WarcLimitError as exc:
        yield InputError(location, f"not a readable WARC archive ({exc})")


def iter_warc(
    path: Path, *, max_bytes: int = 20 * 1024 * 1024, on_record: Callable[[int], None] | None = None
) -> Iterator[RawInput | InputError]:
    """Stream the HTML pages of a WARC file."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputError(str(path), exc.strerror or "cannot read")
        return
    with handle:
        yield from iter_warc_stream(handle, str(path), max_bytes=max_bytes, on_record=on_record)
