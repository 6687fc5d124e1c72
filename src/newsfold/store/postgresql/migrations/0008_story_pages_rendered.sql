-- The story page rendered when its story changes (web/precomputed.py): the whole HTML page for the site's default
-- reader language and the story's JSON twin (/api/stories/{id}), zlib-compressed, with page_stamp saying what they
-- were built from (the story row, its members, the related stories, the language, the models, the templates); and
-- the related stories' cards (their summaries as listings show them) with related_stamp (those stories' rows).
ALTER TABLE story_pages ADD COLUMN page_stamp TEXT NOT NULL DEFAULT '';
ALTER TABLE story_pages ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE story_pages ADD COLUMN html BYTEA;
ALTER TABLE story_pages ADD COLUMN document BYTEA;
ALTER TABLE story_pages ADD COLUMN related_cards TEXT NOT NULL DEFAULT '[]';
ALTER TABLE story_pages ADD COLUMN related_stamp TEXT NOT NULL DEFAULT '';
