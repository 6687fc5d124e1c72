-- Stories whose story hooks (enrichment, eager translation, stored pages) have not finished since a batch changed
-- them: written in the batch's own transaction, removed once every hook is done, rerun on the next start and by
-- `newsfold repair`, so a kill between a batch's commit and its hooks loses no derived data.
CREATE TABLE pending_hooks (
    story_id TEXT PRIMARY KEY,
    since TEXT NOT NULL
);
-- The input each stored document was read from (its place, its index within it and a hash of its bytes; see
-- docs/reliability.md), so the same input read again is the same article whatever extraction learned since.
CREATE TABLE input_keys (
    key TEXT PRIMARY KEY,
    article_id TEXT NOT NULL
);
CREATE INDEX input_keys_article ON input_keys (article_id);
