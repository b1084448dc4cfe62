-- trial_by_state (study_id, state, number) served the queries that name a finished state. On a young table (before
-- the first autoanalyze) the planner costed it the same as trial_number_unique for "study_id = ? and number = ?"
-- (the lookup and row lock of one trial on every tell) and could pick it; a prepared statement then kept that plan,
-- which reads every index entry of the study: a per-request cost growing with the study. As a partial index over
-- the finished states only, no query without such a state can use it. Pending trials are in trial_pending.
DROP INDEX trial_by_state;
CREATE INDEX trial_finished ON trial (study_id, state, number)
    WHERE state IN ('COMPLETED', 'PRUNED', 'FAILED', 'INFEASIBLE');
