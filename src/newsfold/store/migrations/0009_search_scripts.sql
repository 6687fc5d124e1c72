-- Search in every script (store/search.py, store/scripts.py).
-- 1. The word index keeps combining marks inside words (categories 'L* N* Co M*'): the default categories split
--    Hindi, Tamil, Thai, Sinhala... words at every vowel sign, so a word was searched as its scattered consonants.
-- 2. Text in scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar, Tibetan, Yi) or
--    whose words carry particles and postpositions joined to them (Hangul, the Indic scripts): the ranges of
--    scripts.SPACELESS_RANGES, stored once in search_scripts.pattern, is indexed a second time by trigram, so a
--    word of 3+ characters is found anywhere inside a run; articles.spaceless = 1 marks the articles that have such
--    text (a 1-2 character word is matched with LIKE over those articles only). store/articles.py sets it on insert
--    (a regular expression: GLOB costs ~1 ms a kilobyte of text that does not match); the triggers compute it by
--    GLOB when a writer left it NULL, and again whenever title or text change. articles_trgm indexes only those
--    articles: never run its 'rebuild' command, which would index every article.
-- Both indexes are rebuilt here for an existing store.
DROP TRIGGER articles_fts_insert;
DROP TRIGGER articles_fts_delete;
DROP TRIGGER articles_fts_update;
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text, content = 'articles', content_rowid = 'seq',
    tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
);
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
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

CREATE TABLE search_scripts (pattern TEXT NOT NULL);
INSERT INTO search_scripts (pattern) VALUES (
    '*[' ||
    char(0x0900) || '-' || char(0x0dff) ||
    char(0x0e00) || '-' || char(0x0e7f) ||
    char(0x0e80) || '-' || char(0x0eff) ||
    char(0x0f00) || '-' || char(0x0fff) ||
    char(0x1000) || '-' || char(0x109f) ||
    char(0x1100) || '-' || char(0x11ff) ||
    char(0x1780) || '-' || char(0x17ff) ||
    char(0x2e80) || '-' || char(0x2fdf) ||
    char(0x3005) || '-' || char(0x3007) ||
    char(0x3040) || '-' || char(0x30ff) ||
    char(0x3100) || '-' || char(0x31bf) ||
    char(0x31f0) || '-' || char(0x31ff) ||
    char(0x3400) || '-' || char(0x4dbf) ||
    char(0x4e00) || '-' || char(0x9fff) ||
    char(0xa000) || '-' || char(0xa4cf) ||
    char(0xa960) || '-' || char(0xa97f) ||
    char(0xac00) || '-' || char(0xd7ff) ||
    char(0xf900) || '-' || char(0xfaff) ||
    char(0xff66) || '-' || char(0xffdc) ||
    char(0x20000) || '-' || char(0x3134f) ||
    ']*'
);
ALTER TABLE articles ADD COLUMN spaceless INTEGER;
UPDATE articles SET spaceless = (
    text GLOB (SELECT pattern FROM search_scripts) OR coalesce(title, '') GLOB (SELECT pattern FROM search_scripts)
);
CREATE INDEX articles_spaceless ON articles (seq) WHERE spaceless = 1;
CREATE VIRTUAL TABLE articles_trgm USING fts5 (
    title, text, content = 'articles', content_rowid = 'seq', tokenize = 'trigram'
);
INSERT INTO articles_trgm (rowid, title, text) SELECT seq, title, text FROM articles WHERE spaceless = 1;
CREATE TRIGGER articles_trgm_insert AFTER INSERT ON articles BEGIN
    UPDATE articles SET spaceless = (
        new.text GLOB (SELECT pattern FROM search_scripts)
        OR coalesce(new.title, '') GLOB (SELECT pattern FROM search_scripts)
    ) WHERE new.spaceless IS NULL AND seq = new.seq;
    INSERT INTO articles_trgm (rowid, title, text) SELECT seq, title, text FROM articles WHERE seq = new.seq AND spaceless = 1;
END;
CREATE TRIGGER articles_trgm_delete AFTER DELETE ON articles WHEN old.spaceless = 1 BEGIN
    INSERT INTO articles_trgm (articles_trgm, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
END;
CREATE TRIGGER articles_trgm_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_trgm (articles_trgm, rowid, title, text)
        SELECT 'delete', old.seq, old.title, old.text WHERE old.spaceless = 1;
    UPDATE articles SET spaceless = (
        new.text GLOB (SELECT pattern FROM search_scripts)
        OR coalesce(new.title, '') GLOB (SELECT pattern FROM search_scripts)
    ) WHERE seq = new.seq;
    INSERT INTO articles_trgm (rowid, title, text) SELECT seq, title, text FROM articles WHERE seq = new.seq AND spaceless = 1;
END;
