-- Folding state: each folded article's features (LSH band keys, lead embedding), the edges that joined it, and
-- corpus statistics (document frequencies), so a new process rebuilds exactly the index a running one holds.
CREATE TABLE fold_docs (
    doc INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL UNIQUE,
    grp TEXT NOT NULL,
    at REAL,
    text_hash TEXT,
    bands BLOB NOT NULL,
    embedding BLOB
);
CREATE INDEX fold_docs_hash ON fold_docs (text_hash);

CREATE TABLE fold_edges (
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    relation TEXT NOT NULL CHECK (relation IN ('copy', 'report')),
    score REAL NOT NULL,
    PRIMARY KEY (a, b)
);
CREATE INDEX fold_edges_b ON fold_edges (b);

CREATE TABLE fold_state (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
