-- 0003 (SQLite dialect): the administrable configuration (listening AEs, known sources, destinations, analysis
-- rules), its audit, and the version every node polls. The same step as postgresql/0003_administration.sql.
-- appsettings.json seeds these tables once (config_state.seeded_at); afterwards the database is the truth.

-- One row per item; definition is the item as JSON (Administration/*.cs, camelCase), so a field added later needs
-- no migration. position orders the analysis rules (first match wins); 0 for the other kinds.
CREATE TABLE config_items (
    kind       TEXT    NOT NULL CHECK (kind IN ('ae', 'source', 'destination', 'rule')),
    name       TEXT    NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    definition TEXT    NOT NULL CHECK (json_valid(definition)),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (kind, name)
) STRICT;

-- The audit of every change: when, who (OS user, HTTP user, 'appsettings' for the seed), what, before and after.
CREATE TABLE config_changes (
    id      INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    at      INTEGER NOT NULL,
    actor   TEXT    NOT NULL,
    kind    TEXT    NOT NULL CHECK (kind IN ('ae', 'source', 'destination', 'rule')),
    name    TEXT    NOT NULL,
    action  TEXT    NOT NULL CHECK (action IN ('add', 'update', 'remove')),
    before  TEXT    CHECK (before IS NULL OR json_valid(before)),
    after   TEXT    CHECK (after IS NULL OR json_valid(after)),
    version INTEGER NOT NULL
) STRICT;
CREATE INDEX config_changes_by_item ON config_changes (kind, name, id);

-- One row: the configuration's version (bumped by every change, polled by the nodes) and when appsettings seeded it.
CREATE TABLE config_state (
    id        INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    version   INTEGER NOT NULL,
    seeded_at INTEGER
) STRICT;
INSERT INTO config_state (id, version, seeded_at) VALUES (1, 0, NULL);
