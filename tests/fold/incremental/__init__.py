"""Tests of newsfold.fold.incremental."""
