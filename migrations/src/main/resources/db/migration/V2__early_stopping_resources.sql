-- Per-study early stopping ({"rule": "median" | "asha" | "none", ...}) and resource needs ({"gpus": k, "labels": {}})
ALTER TABLE study ADD COLUMN early_stopping jsonb NOT NULL DEFAULT '{}';
ALTER TABLE study ADD COLUMN resources jsonb NOT NULL DEFAULT '{}';
-- GPU indices (on its executor) assigned to a trial's current attempt
ALTER TABLE trial ADD COLUMN gpus jsonb;
-- peers of a step for the stopping rules: measurements by step
CREATE INDEX measurement_step ON measurement (step, trial_id);
