-- Lines that recur across the pages of one source (menus, slogans, promos): learned by extraction, per source.
CREATE TABLE furniture_sources (
    source TEXT PRIMARY KEY,
    pages INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE furniture_lines (
    source TEXT NOT NULL,
    line_key TEXT NOT NULL,
    pages INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source, line_key)
);
-- pages already counted, so that ingesting a page again teaches nothing
CREATE TABLE furniture_pages (
    digest TEXT PRIMARY KEY,
    source TEXT NOT NULL
);
