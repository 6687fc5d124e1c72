"""Tests of newsfold.fold.features."""
