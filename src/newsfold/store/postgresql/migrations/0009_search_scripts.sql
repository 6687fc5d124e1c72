-- Search in every script (the twin of migrations/0009_search_scripts.sql, store/search.py, store/scripts.py).
-- The word index needs no change here (to_tsvector keeps combining marks inside words). Articles with text in a
-- script written without spaces (the ranges of scripts.SPACELESS_RANGES, stored once in search_scripts.pattern as a
-- regular expression) are marked spaceless = 1 (store/articles.py sets it on insert; the trigger computes it when a
-- writer left it NULL, and again whenever title or text change); their words are found with LIKE, which a pg_trgm
-- GIN index answers where that extension can be installed.
CREATE TABLE search_scripts (pattern TEXT NOT NULL);
INSERT INTO search_scripts (pattern) VALUES (
    '[' ||
    '\u0900-\u0dff' ||
    '\u0e00-\u0e7f' ||
    '\u0e80-\u0eff' ||
    '\u0f00-\u0fff' ||
    '\u1000-\u109f' ||
    '\u1100-\u11ff' ||
    '\u1780-\u17ff' ||
    '\u2e80-\u2fdf' ||
    '\u3005-\u3007' ||
    '\u3040-\u30ff' ||
    '\u3100-\u31bf' ||
    '\u31f0-\u31ff' ||
    '\u3400-\u4dbf' ||
    '\u4e00-\u9fff' ||
    '\ua000-\ua4cf' ||
    '\ua960-\ua97f' ||
    '\uac00-\ud7ff' ||
    '\uf900-\ufaff' ||
    '\uff66-\uffdc' ||
    '\U00020000-\U0003134f' ||
    ']'
);
ALTER TABLE articles ADD COLUMN spaceless INTEGER;
UPDATE articles SET spaceless = (
    text ~ (SELECT pattern FROM search_scripts) OR coalesce(title, '') ~ (SELECT pattern FROM search_scripts)
)::int;
CREATE INDEX articles_spaceless ON articles (seq) WHERE spaceless = 1;

CREATE FUNCTION articles_spaceless() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' OR NEW.spaceless IS NULL THEN
        NEW.spaceless := (
            NEW.text ~ (SELECT pattern FROM search_scripts)
            OR coalesce(NEW.title, '') ~ (SELECT pattern FROM search_scripts)
        )::int;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER articles_spaceless_insert BEFORE INSERT ON articles
    FOR EACH ROW EXECUTE FUNCTION articles_spaceless();
CREATE TRIGGER articles_spaceless_update BEFORE UPDATE OF title, text ON articles
    FOR EACH ROW EXECUTE FUNCTION articles_spaceless();

DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available: words in scripts without spaces are found by a scan';
END
$$;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX articles_trgm_title ON articles USING gin (title gin_trgm_ops) WHERE spaceless = 1;
        CREATE INDEX articles_trgm_text ON articles USING gin (text gin_trgm_ops) WHERE spaceless = 1;
    END IF;
END
$$;
