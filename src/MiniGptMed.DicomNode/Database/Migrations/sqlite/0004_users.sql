-- 0004 (SQLite dialect): the admin console's and API's local users and their API keys (docs/http.md).
-- The same step as postgresql/0004_users.sql. Times are INTEGER milliseconds since the Unix epoch (UTC).

-- A password is kept only as its PBKDF2-HMAC-SHA256 hash (600,000 iterations, OWASP's 2023 figure for SHA-256)
-- in the self-describing form pbkdf2-sha256$ITERATIONS$SALT$HASH, so the count can rise without a migration.
CREATE TABLE users (
    name          TEXT    NOT NULL PRIMARY KEY,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'viewer')),
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;

-- Bearer keys for scripts. A key is 256 random bits shown once; only its SHA-256 is kept (a key is not a
-- password a person chose: a slow hash adds nothing to 256 bits of entropy and would slow every API call).
CREATE TABLE api_keys (
    id           INTEGER NOT NULL PRIMARY KEY,
    user_name    TEXT    NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    key_hash     TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER
) STRICT;
CREATE INDEX api_keys_by_user ON api_keys (user_name);
