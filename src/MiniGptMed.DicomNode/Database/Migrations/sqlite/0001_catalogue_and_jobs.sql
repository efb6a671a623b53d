-- 0001 (SQLite dialect): the catalogue of received instances, the studies being assembled, the job queue.
-- The same step as postgresql/0001_catalogue_and_jobs.sql. Times are INTEGER milliseconds since the Unix epoch
-- (UTC): they compare and index as numbers, and SQLite has no timestamp type. STRICT tables refuse a value of the
-- wrong type instead of storing it as written.

-- One row per stored instance; the SOP Instance UID is the identity (PS3.3 C.12.1.1.1), so the same instance
-- received again replaces its row.
CREATE TABLE instances (
    sop_instance_uid    TEXT    NOT NULL PRIMARY KEY,
    sop_class_uid       TEXT    NOT NULL,
    study_instance_uid  TEXT    NOT NULL,
    series_instance_uid TEXT    NOT NULL,
    modality            TEXT,
    body_part           TEXT,
    series_description  TEXT,
    series_number       INTEGER,
    instance_number     INTEGER,
    calling_ae          TEXT    NOT NULL,
    called_ae           TEXT    NOT NULL,
    peer_address        TEXT,
    received_at         INTEGER NOT NULL,
    path                TEXT    NOT NULL,
    size                INTEGER NOT NULL,
    -- The assembly group this row counts in (studies.group_uid): its study or its series UID.
    group_uid           TEXT    NOT NULL
) STRICT;
CREATE INDEX instances_by_group ON instances (called_ae, group_uid);
CREATE INDEX instances_by_study ON instances (study_instance_uid, series_instance_uid);

-- One row per listening AE and assembly group (a study, or a series for AEs that assemble by series).
CREATE TABLE studies (
    called_ae          TEXT    NOT NULL,
    group_uid          TEXT    NOT NULL,
    group_level        TEXT    NOT NULL CHECK (group_level IN ('study', 'series')),
    study_instance_uid TEXT    NOT NULL,
    first_received_at  INTEGER NOT NULL,
    last_received_at   INTEGER NOT NULL,
    instance_count     INTEGER NOT NULL,
    state              TEXT    NOT NULL DEFAULT 'receiving'
                       CHECK (state IN ('receiving', 'stable', 'analysing', 'analysed', 'failed', 'ignored')),
    state_changed_at   INTEGER NOT NULL,
    PRIMARY KEY (called_ae, group_uid)
) STRICT;
CREATE INDEX studies_by_state ON studies (state, last_received_at);
CREATE INDEX studies_by_study ON studies (study_instance_uid);

-- The durable work queue (docs/database.md): one table, explicit states, a lease per claim, errors kept.
CREATE TABLE jobs (
    id               INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    kind             TEXT    NOT NULL,
    idempotency_key  TEXT    NOT NULL UNIQUE,
    payload          TEXT    NOT NULL CHECK (json_valid(payload)),
    state            TEXT    NOT NULL
                     CHECK (state IN ('pending', 'running', 'succeeded', 'retrying', 'dead_letter', 'cancelled')),
    priority         INTEGER NOT NULL DEFAULT 4 CHECK (priority BETWEEN 0 AND 9),
    attempt          INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL CHECK (max_attempts >= 1),
    scheduled_at     INTEGER NOT NULL,
    lease_owner      TEXT,
    lease_expires_at INTEGER,
    errors           TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(errors)),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    finished_at      INTEGER
) STRICT;
-- The claim's order (priority, then time) over the claimable states only.
CREATE INDEX jobs_claimable ON jobs (kind, priority, scheduled_at, id) WHERE state IN ('pending', 'retrying');
CREATE INDEX jobs_leases ON jobs (lease_expires_at) WHERE state = 'running';
CREATE INDEX jobs_finished ON jobs (state, finished_at) WHERE finished_at IS NOT NULL;
