"""The reader's site, JSON API and feeds."""
