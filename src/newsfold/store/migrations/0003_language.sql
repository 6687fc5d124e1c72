-- Machine translations, cached: the same text is never translated twice by the same model into the same language.
CREATE TABLE translations (
    text_hash TEXT NOT NULL,
    model TEXT NOT NULL,
    target TEXT NOT NULL,
    source TEXT,
    translation TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (text_hash, model, target)
) WITHOUT ROWID;
