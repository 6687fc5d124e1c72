"""Tests of newsfold.fold.link."""
