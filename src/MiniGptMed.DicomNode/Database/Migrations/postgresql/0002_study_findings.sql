-- 0002 (PostgreSQL dialect): what the latest decision on a group covered. The same step as sqlite/0002_study_findings.sql.
-- findings: the short summary of the latest analysis (finding labels and counts, or "no findings"), shown by
-- `studies list|show`; labels are the model's phrases or the rule's prompts, never patient data.
-- covered_through: the last arrival (received_at) that the latest analysis or decision not to analyse covered;
-- an instance received after it is a late arrival, also when it landed while the analysis was running. NULL on rows
-- from before this step: they fall back to state_changed_at, as before.
ALTER TABLE studies ADD COLUMN findings text, ADD COLUMN covered_through timestamptz;
