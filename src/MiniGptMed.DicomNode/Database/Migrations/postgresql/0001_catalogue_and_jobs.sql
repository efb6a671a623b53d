-- 0001 (PostgreSQL dialect): the catalogue of received instances, the studies being assembled, the job queue.
-- The same step as sqlite/0001_catalogue_and_jobs.sql; times are timestamptz, JSON is jsonb.

-- One row per stored instance; the SOP Instance UID is the identity (PS3.3 C.12.1.1.1), so the same instance
-- received again replaces its row.
CREATE TABLE instances (
    sop_instance_uid    text        NOT NULL PRIMARY KEY,
    sop_class_uid       text        NOT NULL,
    study_instance_uid  text        NOT NULL,
    series_instance_uid text        NOT NULL,
    modality            text,
    body_part           text,
    series_description  text,
    series_number       integer,
    instance_number     integer,
    calling_ae          text        NOT NULL,
    called_ae           text        NOT NULL,
    peer_address        text,
    received_at         timestamptz NOT NULL,
    path                text        NOT NULL,
    size                bigint      NOT NULL,
    -- The assembly group this row counts in (studies.group_uid): its study or its series UID.
    group_uid           text        NOT NULL
);
CREATE INDEX instances_by_group ON instances (called_ae, group_uid);
CREATE INDEX instances_by_study ON instances (study_instance_uid, series_instance_uid);

-- One row per listening AE and assembly group (a study, or a series for AEs that assemble by series).
CREATE TABLE studies (
    called_ae          text        NOT NULL,
    group_uid          text        NOT NULL,
    group_level        text        NOT NULL CHECK (group_level IN ('study', 'series')),
    study_instance_uid text        NOT NULL,
    first_received_at  timestamptz NOT NULL,
    last_received_at   timestamptz NOT NULL,
    instance_count     integer     NOT NULL,
    state              text        NOT NULL DEFAULT 'receiving'
                       CHECK (state IN ('receiving', 'stable', 'analysing', 'analysed', 'failed', 'ignored')),
    state_changed_at   timestamptz NOT NULL,
    PRIMARY KEY (called_ae, group_uid)
);
CREATE INDEX studies_by_state ON studies (state, last_received_at);
CREATE INDEX studies_by_study ON studies (study_instance_uid);

-- The durable work queue (docs/database.md): one table, explicit states, a lease per claim, errors kept.
CREATE TABLE jobs (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind             text        NOT NULL,
    idempotency_key  text        NOT NULL UNIQUE,
    payload          jsonb       NOT NULL,
    state            text        NOT NULL
                     CHECK (state IN ('pending', 'running', 'succeeded', 'retrying', 'dead_letter', 'cancelled')),
    priority         smallint    NOT NULL DEFAULT 4 CHECK (priority BETWEEN 0 AND 9),
    attempt          integer     NOT NULL DEFAULT 0,
    max_attempts     integer     NOT NULL CHECK (max_attempts >= 1),
    scheduled_at     timestamptz NOT NULL,
    lease_owner      text,
    lease_expires_at timestamptz,
    errors           jsonb       NOT NULL DEFAULT '[]'::jsonb,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    finished_at      timestamptz
);
-- The claim's order (priority, then time) over the claimable states only: FOR UPDATE SKIP LOCKED walks it.
CREATE INDEX jobs_claimable ON jobs (kind, priority, scheduled_at, id) WHERE state IN ('pending', 'retrying');
CREATE INDEX jobs_leases ON jobs (lease_expires_at) WHERE state = 'running';
CREATE INDEX jobs_finished ON jobs (state, finished_at) WHERE finished_at IS NOT NULL;
