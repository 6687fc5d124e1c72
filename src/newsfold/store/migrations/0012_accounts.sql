-- Local accounts (docs/accounts.md): a user has a name, an argon2 password hash (NULL for a user known only from a
-- trusted reverse proxy's header) and an admin flag. Tokens (web sessions, API logins) are stored only as sha256
-- digests of the secret the client holds; expires is ISO-8601 UTC, NULL for a token that does not expire.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    admin INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL
);
CREATE TABLE user_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('web', 'greader', 'fever')),
    created TEXT NOT NULL,
    expires TEXT
);
CREATE INDEX user_tokens_user ON user_tokens (user_id, kind);
