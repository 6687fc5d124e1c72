-- Machine translations, cached (the twin of migrations/0003_language.sql).
CREATE TABLE translations (
    text_hash TEXT NOT NULL,
    model TEXT NOT NULL,
    target TEXT NOT NULL,
    source TEXT,
    translation TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (text_hash, model, target)
);
