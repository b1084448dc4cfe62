-- What each executor has reported that the server accepted (GET /api/v1/executors, `./sextant slurm status`):
-- completed attempts and failed attempts (a failed attempt may be retried elsewhere). Counted per executor row, so
-- they go with it when it deregisters.
ALTER TABLE executor ADD COLUMN trials_completed bigint NOT NULL DEFAULT 0;
ALTER TABLE executor ADD COLUMN attempts_failed bigint NOT NULL DEFAULT 0;
