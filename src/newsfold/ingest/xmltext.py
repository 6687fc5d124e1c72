"""XML from input made readable by every XML reader: UTF-8 (a bogus declared encoding falls back to detection), and
no character XML forbids, raw or as a reference (a lone surrogate, a code point past U+10FFFF, a C0 control)."""

from __future__ import annotations

import re

from newsfold.ingest.decode import decode

_PROLOG = re.compile(r"""^(\s*<\?xml\b[^>]*?\bencoding\s*=\s*)(["'])([^"'>]*)\2""", re.IGNORECASE)
_PROLOG_BYTES = re.compile(rb"""^\s*<\?xml\b[^>]{0,200}?\bencoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""", re.I)
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def _allowed(code: int) -> bool:
    """Whether XML 1.0 allows a character (by code point)."""
    if code in (0x9, 0xA, 0xD):
        return True
    return 0x20 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF and code not in (0xFFFE, 0xFFFF)


def _fix_reference(match: re.Match[str]) -> str:
    """A character reference kept when XML allows its character, else the replacement character's reference."""
    hexa, decimal = match.group(1), match.group(2)
    digits = hexa if hexa is not None else decimal
    if len(digits.lstrip("0")) > 8:
        return "&#xFFFD;"
    code = int(digits, 16) if hexa is not None else int(digits)
    return match.group(0) if _allowed(code) else "&#xFFFD;"


def declared_encoding(data: bytes) -> str | None:
    """The encoding an XML prolog declares, if any."""
    match = _PROLOG_BYTES.match(data[:512])
    return match.group(1).decode("ascii").lower() if match else None


def clean_xml_text(text: str) -> str:
    """XML text with forbidden characters and references to them replaced by U+FFFD."""
    text = _FORBIDDEN.sub(REPLACEMENT, text)
    return _CHAR_REF.sub(_fix_reference, text) if "&#" in text else text


def xml_bytes(data: bytes, location: str) -> bytes:
    """An XML document as clean UTF-8 whose prolog says so; InputError when it is empty or binary."""
    text = clean_xml_text(decode(data, location, declared_encoding(data)))
    text = text.removeprefix("\ufeff")
    text = _PROLOG.sub(lambda m: f"{m.group(1)}{m.group(2)}utf-8{m.group(2)}", text, count=1)
    return text.encode("utf-8")
