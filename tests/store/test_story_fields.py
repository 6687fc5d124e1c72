"""A story's metadata row: refresh_story writes StoryFields' values in the order of its fields."""

from __future__ import annotations

from dataclasses import astuple, fields

from newsfold.store.stories import StoryFields


def test_columns_are_the_fields_in_order() -> None:
    """columns() holds every field, in declaration order (a field added to the class and not to columns fails)."""
    values = [f"value {i}" for i in range(len(fields(StoryFields)))]
    story = StoryFields(*values)  # type: ignore[arg-type]  # distinct strings show the order, whatever the types
    assert story.columns() == astuple(story) == tuple(values)
