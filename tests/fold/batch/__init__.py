"""Tests of newsfold.fold.batch."""
