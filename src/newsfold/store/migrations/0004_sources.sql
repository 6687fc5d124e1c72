-- Sources: the registry, each source's health and conditional-GET state, pages already seen, takedowns.
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'auto' CHECK (kind IN ('auto', 'feed', 'sitemap', 'page')),
    language TEXT,
    category TEXT,
    interval INTEGER NOT NULL DEFAULT 1800,
    added TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    last_fetch TEXT,
    next_fetch TEXT,
    last_success TEXT,
    last_error TEXT,
    last_error_at TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    items_new INTEGER NOT NULL DEFAULT 0,
    blocked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sources_due ON sources (blocked, next_fetch);
CREATE INDEX sources_name ON sources (name COLLATE NOCASE);

-- Entry and page URLs a source has led to, so each page is fetched once.
CREATE TABLE source_items (
    url TEXT PRIMARY KEY,
    source_id INTEGER REFERENCES sources (id) ON DELETE SET NULL,
    first_seen TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'ok'
);
CREATE INDEX source_items_source ON source_items (source_id);

-- Every takedown, with its time, target and reason.
CREATE TABLE takedowns (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('url', 'source')),
    target TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    actor TEXT NOT NULL DEFAULT 'cli',
    removed INTEGER NOT NULL DEFAULT 0
);

-- What may not come back: URLs (normalised) and source names (lower-cased).
CREATE TABLE blocklist (
    kind TEXT NOT NULL CHECK (kind IN ('url', 'source')),
    value TEXT NOT NULL,
    takedown_id INTEGER REFERENCES takedowns (id),
    PRIMARY KEY (kind, value)
);
