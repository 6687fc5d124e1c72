"""Which stories are news and which are press releases: one definition, as SQL the listings filter with.

A story is a press release when none of its members is a news article and at least one is a press release; every
other story (news, or neither) belongs to the news listings. The same rule, on members' kinds, is `story_kind`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

StoryKind = Literal["news", "press_release", "other"]


def story_kind(kinds: Iterable[str | None]) -> StoryKind:
    """A story's kind from its members' kinds: news if any is an article, else press release if any is one."""
    found = set(kinds)
    if "article" in found:
        return "news"
    if "press_release" in found:
        return "press_release"
    return "other"


def press_release_story(story_id: str) -> str:
    """SQL true when the story whose id is the expression story_id is a press release (story_kind's rule)."""
    return (
        f"(EXISTS (SELECT 1 FROM articles pk WHERE pk.story_id = {story_id} AND pk.kind = 'press_release') "
        f"AND NOT EXISTS (SELECT 1 FROM articles nk WHERE nk.story_id = {story_id} AND nk.kind = 'article'))"
    )


def of_kind(story_id: str, kind: Literal["news", "press_release"]) -> str:
    """SQL true when the story is listed with kind: the press releases, or the news listings (everything else)."""
    press = press_release_story(story_id)
    return press if kind == "press_release" else f"NOT {press}"
