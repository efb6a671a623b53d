-- 0005 (SQLite dialect): the triage of each analysed (or failed) assembly group: its priority for the reading
-- worklist, a one-line summary and the findings the notices carry. The same step as postgresql/0005_triage.sql.
-- One row per group, replaced when the group is analysed again (version names the analysis it comes from).
CREATE TABLE study_triage (
    called_ae     TEXT    NOT NULL,
    group_uid     TEXT    NOT NULL,
    -- The analysis this triage comes from (the analyse job's id): notices are keyed by it.
    version       INTEGER NOT NULL,
    -- 'failed' is its own priority: an analysis that failed is never shown as routine.
    priority      TEXT    NOT NULL CHECK (priority IN ('stat', 'urgent', 'routine', 'failed')),
    -- Worklist order: stat 0, urgent 1, failed 2, routine 3.
    priority_rank INTEGER NOT NULL CHECK (priority_rank BETWEEN 0 AND 3),
    summary       TEXT    NOT NULL,
    -- The rule that decided, or NULL (no rule matched: routine; failed).
    rule          TEXT,
    modality      TEXT,
    -- JSON: {"narrative": ..., "findings": [{phrase, code, scheme, meaning, confidence, regions}]}
    findings      TEXT    NOT NULL CHECK (json_valid(findings)),
    decided_at    INTEGER NOT NULL,
    PRIMARY KEY (called_ae, group_uid)
) STRICT;
CREATE INDEX study_triage_by_rank ON study_triage (priority_rank, decided_at);
