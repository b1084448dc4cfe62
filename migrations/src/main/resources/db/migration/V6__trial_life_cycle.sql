-- Trial life cycle (issue 20): client heartbeats for ask/tell trials, a failed-trial limit, and studies that end
-- FAILED with a reason.
--   heartbeat_seconds: limits.heartbeatSeconds; a RUNNING trial issued through /suggestions must show a sign of life
--     (heartbeat or measurement) at least this often, else the reaper gives up its attempt. NULL: no requirement.
--     Its deadline is the trial's lease_expires_at (the column executor leases use), so one reaper handles both.
--   max_failed_trials: limits.maxFailedTrials; the study becomes FAILED once this many trials ended FAILED.
--   state_reason: why the study is in its state (set when it becomes FAILED).
ALTER TABLE study ADD COLUMN heartbeat_seconds integer;
ALTER TABLE study ADD COLUMN max_failed_trials integer;
ALTER TABLE study ADD COLUMN state_reason text;
ALTER TABLE study DROP CONSTRAINT study_state_check;
ALTER TABLE study ADD CONSTRAINT study_state_check CHECK (state IN ('ACTIVE', 'PAUSED', 'COMPLETED', 'FAILED'));
ALTER TABLE study ADD CONSTRAINT study_life_cycle_limits_check CHECK ((heartbeat_seconds IS NULL OR heartbeat_seconds > 0)
    AND (max_failed_trials IS NULL OR max_failed_trials > 0));
