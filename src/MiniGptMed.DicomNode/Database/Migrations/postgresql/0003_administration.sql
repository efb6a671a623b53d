-- 0003 (PostgreSQL dialect): the administrable configuration (listening AEs, known sources, destinations, analysis
-- rules), its audit, and the version every node polls. The same step as sqlite/0003_administration.sql.
-- appsettings.json seeds these tables once (config_state.seeded_at); afterwards the database is the truth.

CREATE TABLE config_items (
    kind       text        NOT NULL CHECK (kind IN ('ae', 'source', 'destination', 'rule')),
    name       text        NOT NULL,
    position   integer     NOT NULL DEFAULT 0,
    definition jsonb       NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (kind, name)
);

CREATE TABLE config_changes (
    id      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      timestamptz NOT NULL,
    actor   text        NOT NULL,
    kind    text        NOT NULL CHECK (kind IN ('ae', 'source', 'destination', 'rule')),
    name    text        NOT NULL,
    action  text        NOT NULL CHECK (action IN ('add', 'update', 'remove')),
    before  jsonb,
    after   jsonb,
    version bigint      NOT NULL
);
CREATE INDEX config_changes_by_item ON config_changes (kind, name, id);

-- One row; changes lock it (SELECT ... FOR UPDATE), so two nodes' changes are serialised and versions never repeat.
CREATE TABLE config_state (
    id        integer     NOT NULL PRIMARY KEY CHECK (id = 1),
    version   bigint      NOT NULL,
    seeded_at timestamptz
);
INSERT INTO config_state (id, version, seeded_at) VALUES (1, 0, NULL);
