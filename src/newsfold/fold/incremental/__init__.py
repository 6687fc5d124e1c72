"""The incremental fold: each new article placed in a story inside the ingest's write transaction."""
