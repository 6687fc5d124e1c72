-- Articles, stories and the full-text index: the core of the store.
CREATE TABLE articles (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('article', 'press_release', 'other')),
    title TEXT,
    text TEXT NOT NULL,
    paragraphs TEXT NOT NULL,
    language TEXT,
    published TEXT,
    updated TEXT,
    authors TEXT NOT NULL DEFAULT '[]',
    contributors TEXT NOT NULL DEFAULT '[]',
    dateline TEXT,
    section TEXT,
    source_name TEXT,
    source_url TEXT,
    canonical_url TEXT,
    original TEXT,
    machine_translated INTEGER,
    highlights TEXT NOT NULL DEFAULT '[]',
    origin_location TEXT NOT NULL,
    origin_index INTEGER NOT NULL DEFAULT 0,
    fetched TEXT,
    ingested TEXT NOT NULL,
    story_id TEXT,
    relation TEXT CHECK (relation IS NULL OR relation IN ('original', 'copy', 'report')),
    copy_of TEXT,
    score REAL
);
CREATE INDEX articles_story ON articles (story_id);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_source ON articles (source_name, published);
CREATE INDEX articles_language ON articles (language);

CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    languages TEXT NOT NULL DEFAULT '[]',
    first_published TEXT,
    last_updated TEXT,
    original_name TEXT,
    original_url TEXT,
    highlights TEXT NOT NULL DEFAULT '[]',
    size INTEGER NOT NULL DEFAULT 0,
    sources INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    merged_into TEXT
);
CREATE INDEX stories_last ON stories (last_updated DESC, id);
CREATE INDEX stories_first ON stories (first_published);

CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text, content = 'articles', content_rowid = 'seq', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
