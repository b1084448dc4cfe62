-- Executor pools: an executor registered with a pool leases only trials of studies whose resources.pool names it
-- (the study side lives in the study's resources JSON); null is the default pool, which leases only studies that
-- name none. Existing executors stay in the default pool, so nothing changes for them.
alter table executor add column pool varchar(64);
