-- 0005 (PostgreSQL dialect): the triage of each analysed (or failed) assembly group: its priority for the reading
-- worklist, a one-line summary and the findings the notices carry. The same step as sqlite/0005_triage.sql.
-- One row per group, replaced when the group is analysed again (version names the analysis it comes from).
CREATE TABLE study_triage (
    called_ae     text        NOT NULL,
    group_uid     text        NOT NULL,
    -- The analysis this triage comes from (the analyse job's id): notices are keyed by it.
    version       bigint      NOT NULL,
    -- 'failed' is its own priority: an analysis that failed is never shown as routine.
    priority      text        NOT NULL CHECK (priority IN ('stat', 'urgent', 'routine', 'failed')),
    -- Worklist order: stat 0, urgent 1, failed 2, routine 3.
    priority_rank integer     NOT NULL CHECK (priority_rank BETWEEN 0 AND 3),
    summary       text        NOT NULL,
    -- The rule that decided, or NULL (no rule matched: routine; failed).
    rule          text,
    modality      text,
    -- {"narrative": ..., "findings": [{phrase, code, scheme, meaning, confidence, regions}]}
    findings      jsonb       NOT NULL,
    decided_at    timestamptz NOT NULL,
    PRIMARY KEY (called_ae, group_uid)
);
CREATE INDEX study_triage_by_rank ON study_triage (priority_rank, decided_at);
