"""The enrich stage: highlights, entities (people, organisations, places) and timelines of stories."""

from newsfold.enrich.story import StoryEnricher, StoryEnrichment

__all__ = ["StoryEnricher", "StoryEnrichment"]
