-- What a story page needs beyond its rows, computed when the story changes (web/precomputed.py): the copy
-- differences and the related story ids. stamp says which members (and relations) they were computed from.
CREATE TABLE story_pages (
    story_id TEXT PRIMARY KEY,
    stamp TEXT NOT NULL,
    comparisons TEXT NOT NULL,
    related TEXT NOT NULL,
    computed_at TEXT NOT NULL
);
