"""Bytes to text: detect binary data and the real encoding (pages lie about their charset)."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from newsfold.errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", re.IGNORECASE)
_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.IGNORECASE | re.DOTALL
)


# bytes below 32 other than tab, newline, vertical tab, form feed and carriage return
_CONTROL_BYTES = bytes(b for b in range(32) if not 9 <= b <= 13)


def looks_like_html(text: str) -> bool:
    """True when text opens like an HTML document."""
    return bool(_HTML_START.match(text[:4096]))


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a meta tag within its first 4 KB, if any."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace").lower() if match else None


def looks_binary(data: bytes) -> bool:
    """True when the bytes are not text in any encoding a page would use (NULs, control bytes)."""
    head = data[:8192]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > max(8, len(head) // 100)


_SURROGATES = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text with lone surrogates (which no encoder takes) replaced by U+FFFD."""
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


def text_codec(name: str | None) -> str | None:
    """The codec a charset name means when it is a known text encoding, else None ("undefined", "bogus", "rot13")."""
    if not name:
        return None
    try:
        info = codecs.lookup(name.strip())
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in ("undefined", "utf-7"):
        return None
    return info.name


def decode(data: bytes, location: str, declared: str | None = None) -> str:
    """Decode bytes to text: BOM, then strict UTF-8, then the declared charset (when a real one), then detection."""
    if not data.strip():
        raise InputError(location, "empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return clean_text(data.decode(encoding, errors="replace"))
    if looks_binary(data):
        raise InputError(location, "binary file, not text or HTML")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    codec = text_codec(declared) or text_codec(declared_charset(data))
    if codec:
        try:
            return clean_text(data.decode(codec))
        except UnicodeError:
            pass
    best = from_bytes(data[:200_000]).best()
    codec = text_codec(best.encoding) if best is not None else None
    if codec is None:
        raise InputError(location, "unknown text encoding")
    return clean_text(data.decode(codec, errors="replace"))
