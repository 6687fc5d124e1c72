-- Reading: what each user has read, saved and hidden, their subscriptions and filters, and a stable number per story.
-- Times are ISO-8601 UTC text with microseconds (store/reader_state.py: stamp), compared as text.

-- Every story's item number (the Google Reader and Fever APIs' item ids), given in the order stories were created;
-- grown is when the story last gained a source (a read story comes back when the user asks for that).
CREATE TABLE reader_items (
    id INTEGER PRIMARY KEY,
    story_id TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL,
    sources INTEGER NOT NULL DEFAULT 0,
    grown TEXT
);
INSERT INTO reader_items (story_id, created, sources) SELECT id, created, sources FROM stories ORDER BY created, id;

-- One user's state on one story: read is 1 (read), 0 (marked unread), NULL (neither: the watermarks decide).
CREATE TABLE reader_state (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    story_id TEXT NOT NULL,
    read INTEGER,
    read_at TEXT,
    saved_at TEXT,
    hidden_at TEXT,
    PRIMARY KEY (user_id, story_id)
);
CREATE INDEX reader_state_story ON reader_state (story_id);
CREATE INDEX reader_state_saved ON reader_state (user_id, saved_at);

-- "Mark all as read": every story created up to up_to is read, for all sources (source_id 0) or for one source.
CREATE TABLE reader_marks (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL,
    up_to TEXT NOT NULL,
    marked TEXT NOT NULL,
    PRIMARY KEY (user_id, source_id)
);

-- The sources a user follows, with their own title and category (label).
CREATE TABLE reader_subscriptions (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    title TEXT,
    category TEXT,
    added TEXT NOT NULL,
    PRIMARY KEY (user_id, source_id)
);
CREATE INDEX reader_subscriptions_source ON reader_subscriptions (source_id);

-- A user's filters: stories whose title holds a keyword are left out; with any language (kind) filter, only stories
-- in one of those languages (of one of those kinds) are listed.
CREATE TABLE reader_filters (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    field TEXT NOT NULL CHECK (field IN ('keyword', 'language', 'kind')),
    value TEXT NOT NULL,
    PRIMARY KEY (user_id, field, value)
);

-- A user's reading preferences.
CREATE TABLE reader_prefs (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    unread_on_new_sources INTEGER NOT NULL DEFAULT 0
);

-- A story's members by the page they were read from, to find the source (source_items.url) each came from.
CREATE INDEX articles_origin ON articles (origin_location);
