-- Enrichment: entities known across stories (with their spellings), where they are named, and story timelines. (the twin of migrations/0005_enrich.sql)
-- Story highlights live in stories.highlights (0001); publisher highlights stay on articles.highlights.
CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'organization', 'place', 'other')),
    key TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',
    mentions INTEGER NOT NULL DEFAULT 0,
    stories INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT,
    last_seen TEXT
);
CREATE INDEX entities_key ON entities (kind, key);

CREATE TABLE entity_aliases (
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    PRIMARY KEY (key, kind, entity_id)
);
CREATE INDEX entity_aliases_entity ON entity_aliases (entity_id);

-- One row per entity and article: how often the article names it, and example sentences.
CREATE TABLE entity_mentions (
    entity_id TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    story_id TEXT NOT NULL,
    name TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',
    mentions INTEGER NOT NULL,
    sentences TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (entity_id, article_id)
);
CREATE INDEX entity_mentions_story ON entity_mentions (story_id);
CREATE INDEX entity_mentions_article ON entity_mentions (article_id);

-- Dated events: every article's (in_timeline = 0 for those merged into another copy's event).
CREATE TABLE events (
    story_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    date TEXT NOT NULL,
    precision TEXT NOT NULL CHECK (precision IN ('day', 'month', 'year')),
    text TEXT NOT NULL,
    confidence DOUBLE PRECISION NOT NULL,
    expression TEXT,
    in_timeline INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX events_story ON events (story_id, in_timeline, date);
