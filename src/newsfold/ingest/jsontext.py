"""JSON from input (JSON Feed, JSON-LD) parsed within bounds: nesting depth, number size, lone surrogates replaced."""

from __future__ import annotations

import json
import re
from typing import Any

from newsfold.errors import InputError

# deeper than any real feed or JSON-LD block; what code walking a value may rely on
MAX_DEPTH = 64
# a lone \\uD800-\\uDFFF escape (not half of a pair): no encoder takes what it decodes to
_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def _depth_over(value: Any, limit: int) -> bool:
    """Whether a parsed value nests deeper than limit (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values() if isinstance(child, (dict, list)))
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item if isinstance(child, (dict, list)))
    return False


def load_json(data: bytes | str, location: str, *, what: str = "JSON", max_depth: int = MAX_DEPTH) -> Any:
    """A JSON value; InputError when malformed, nested deeper than max_depth or holding an over-long number."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(location, f"malformed {what} (not UTF-8: {exc.reason} at byte {exc.start})") from exc
    else:
        text = data
    if "\\u" in text:
        text = _LONE_SURROGATE.sub(r"\\ufffd", text)
    try:
        value = json.loads(text)
    except RecursionError as exc:
        raise InputError(location, f"malformed {what} (nested too deeply)") from exc
    except ValueError as exc:  # JSONDecodeError, and numbers past the int digit limit
        raise InputError(location, f"malformed {what} ({str(exc)[:200]})") from exc
    if _depth_over(value, max_depth):
        raise InputError(location, f"malformed {what} (nested deeper than {max_depth})")
    return value
