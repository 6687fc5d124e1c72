"""Markup bounded before it is parsed: HTML parsers take time with the square of nesting depth and of a tag's
attributes, so one linear pass drops the tags nested deeper than a page ever needs and the attributes past a cap
(their text is kept)."""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

MAX_NESTING = 256
MAX_ATTRIBUTES = 64
# a tag this long may hold more attributes than the cap (shorter ones never do): only those are split up
LONG_TAG = 2048
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)([^>]*)>")
_LONG_TAG = re.compile(rf"<[a-zA-Z][^>]{{{LONG_TAG},}}>")
_ATTRIBUTE = re.compile(r"""\s*[^\s=/>"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?""")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
# elements a parser closes when a sibling of the same name opens
_IMPLIED_END = frozenset({"p", "li", "dt", "dd", "option", "tr", "td", "th", "rt", "rp"})
# elements whose content is text, not markup
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "noembed", "noframes", "plaintext"})
# how far down the open elements a closing tag looks for its element
_CLOSE_SEARCH = 32
# a tag's parts for the walk: closing slash, name, the rest
_TAG_PARTS = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*+)([^>]*+)>")
# a raw-text element's start tag; the lookahead (the first letters of _RAW_TEXT's names, under the same flags, so
# that it also lets through what IGNORECASE folds to them, such as U+017F for s) turns most '<' away before the
# alternation is tried: the matches of the pattern without it, in about 60% of the time
_RAW_FIRST = "".join(sorted({name[0] for name in _RAW_TEXT}))
_RAW_OPEN = re.compile(
    rf"<(?=[{_RAW_FIRST}])(" + "|".join(sorted(_RAW_TEXT)) + r")(?![a-zA-Z0-9:-])([^>]*)>", re.IGNORECASE
)
# every tag longer than LONG_TAG (and a few shorter ones): those the exact pass would cap
_CAPPED = re.compile(rf"<([a-zA-Z][a-zA-Z0-9:-]*+)[^>]{{{LONG_TAG - 2},}}>")
_TAG_START = re.compile(r"</?[a-zA-Z]")
_RAW_END = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in _RAW_TEXT}


def _cap_attributes(tag: str, name: str) -> str:
    """A long tag with only its first MAX_ATTRIBUTES attributes (one holding no more is left as it is)."""
    if most_attributes(tag) <= MAX_ATTRIBUTES:
        return tag
    return _capped(tag, name)


def _capped(tag: str, name: str) -> str:
    """_cap_attributes without the count that spares most tags the attribute scan (the exact answer)."""
    start = 1 + len(name)
    end = len(tag) - 1
    kept: list[str] = []
    position = start
    while len(kept) <= MAX_ATTRIBUTES:
        match = _ATTRIBUTE.match(tag, position, end)
        if match is None or match.end() == position:
            break
        kept.append(match.group(0))
        position = match.end()
    if len(kept) <= MAX_ATTRIBUTES:
        return tag
    return f"<{name}{''.join(kept[:MAX_ATTRIBUTES])}>"


def most_attributes(tag: str) -> int:
    """At least as many as the attributes _cap_attributes finds in a tag, counted in C: the first one, then each
    starts after a run of whitespace or right after a quote (a name cannot hold either, and a name or an unquoted
    value runs on to the next whitespace), so whitespace-separated pieces plus quotes bound them."""
    return len(tag.split()) + tag.count('"') + tag.count("'")


def _walk(tags: list[tuple[str, str, str]], stack: list[str]) -> bool:
    """The bounding pass's walk of the open elements over tags holding no raw-text element: whether it stays
    under MAX_NESTING."""
    limit, void, implied = MAX_NESTING, _VOID, _IMPLIED_END
    for closing, tag_name, rest in tags:
        name = tag_name if tag_name.islower() else tag_name.lower()
        if closing:
            if stack and stack[-1] == name:
                stack.pop()
                continue
            for depth in range(len(stack) - 2, max(-1, len(stack) - 1 - _CLOSE_SEARCH), -1):
                if stack[depth] == name:
                    del stack[depth:]
                    break
        elif name in void or rest.endswith("/"):
            continue
        else:
            if stack and stack[-1] == name and name in implied:
                stack.pop()
            if len(stack) >= limit:
                return False
            stack.append(name)
    return True


def _within_bounds(markup: str, long_tags: bool) -> bool:
    """Whether the bounding pass would leave the markup as it is: the same walk, over the stretches between
    raw-text elements, their tags found by one regular expression in C and nothing built; with long tags, none
    of those in the stretches holds more attributes than the cap. Where a tag could run into a raw-text element's
    start tag, it says no (the exact pass decides)."""
    stack: list[str] = []
    position = 0
    while True:
        raw = _RAW_OPEN.search(markup, position)
        while raw is not None and raw.group(2).endswith("/"):  # a self-closed one is a plain tag
            raw = _RAW_OPEN.search(markup, raw.end())
        stretch = markup[position : raw.start() if raw else len(markup)]
        if raw is not None and _TAG_START.search(stretch, stretch.rfind(">") + 1):
            return False
        if not _walk(_TAG_PARTS.findall(stretch), stack):
            return False
        if long_tags and any(_cap_attributes(m.group(0), m.group(1)) != m.group(0) for m in _CAPPED.finditer(stretch)):
            return False
        if raw is None:
            return True
        if len(stack) >= MAX_NESTING:
            return False
        end = _RAW_END[raw.group(1).lower()].search(markup, raw.end())
        if end is None:
            return True
        position = end.end()


def bound_markup(markup: str) -> str:  # noqa: PLR0912  one linear scanner over tags: a branch per tag shape
    """The markup with tags nested deeper than MAX_NESTING removed and long tags' attributes capped (linear)."""
    long_tags = _LONG_TAG.search(markup) is not None
    if (markup.count("<") <= MAX_NESTING and not long_tags) or _within_bounds(markup, long_tags):
        return markup
    out: list[str] = []
    stack: list[str] = []
    dropped: dict[str, int] = {}
    changed = 0
    last = 0
    position = 0
    while True:
        match = _TAG.search(markup, position)
        if match is None:
            break
        closing, name, rest = match.group(1), match.group(2).lower(), match.group(3)
        position = match.end()
        keep: str | None = match.group(0)
        if closing:
            if dropped.get(name):
                dropped[name] -= 1
                keep = None
            else:
                for depth in range(len(stack) - 1, max(-1, len(stack) - 1 - _CLOSE_SEARCH), -1):
                    if stack[depth] == name:
                        del stack[depth:]
                        break
        elif name in _VOID or rest.endswith("/"):
            pass
        else:
            if name in _IMPLIED_END and stack and stack[-1] == name:
                stack.pop()
            if len(stack) >= MAX_NESTING:
                dropped[name] = dropped.get(name, 0) + 1
                keep = None
            elif name in _RAW_TEXT:
                end = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(markup, position)
                position = end.end() if end else len(markup)
                keep = markup[match.start() : position]
            else:
                stack.append(name)
        if keep is not None and long_tags and len(keep) > LONG_TAG and not closing and name not in _RAW_TEXT:
            keep = _cap_attributes(keep, match.group(2))
        if keep != markup[match.start() : position]:
            changed += 1
            out.append(markup[last : match.start()])
            if keep:
                out.append(keep)
            last = position
    if not changed:
        return markup
    out.append(markup[last:])
    log.debug("markup bounded: %d tags dropped or cut", changed)
    return "".join(out)
