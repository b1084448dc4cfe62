-- Sextant schema, owned by Flyway (Hibernate only validates).
-- Numbers that may be non-finite are float8 (PostgreSQL keeps Infinity, -Infinity and NaN explicitly);
-- JSON documents (spaces, options, params, metadata, designer state) are jsonb, with non-finite numbers, where
-- they can occur, written as the strings "Infinity", "-Infinity", "NaN".

CREATE TABLE study (
    id                 bigserial PRIMARY KEY,
    name               varchar(200) NOT NULL,
    space              jsonb        NOT NULL,
    objectives         jsonb        NOT NULL,
    constraints        jsonb        NOT NULL DEFAULT '[]',
    algorithm          varchar(100) NOT NULL,
    algorithm_options  jsonb        NOT NULL DEFAULT '{}',
    evaluator          varchar(100),
    evaluator_config   jsonb,
    max_trials         bigint,
    max_parallel       integer,
    max_attempts       integer      NOT NULL DEFAULT 1,
    state              varchar(16)  NOT NULL,
    -- trials issued so far = next_number - 1; numbers are allocated under the study row lock, so they are gapless
    next_number        bigint       NOT NULL DEFAULT 1,
    designer_state     jsonb,
    version            bigint       NOT NULL DEFAULT 0,
    created_at         timestamptz  NOT NULL DEFAULT now(),
    updated_at         timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT study_name_unique UNIQUE (name),
    CONSTRAINT study_state_check CHECK (state IN ('ACTIVE', 'PAUSED', 'COMPLETED')),
    CONSTRAINT study_limits_check CHECK ((max_trials IS NULL OR max_trials > 0)
        AND (max_parallel IS NULL OR max_parallel > 0) AND max_attempts > 0)
);
CREATE INDEX study_runnable ON study (id) WHERE state = 'ACTIVE' AND evaluator IS NOT NULL;

CREATE TABLE trial (
    id                 bigserial PRIMARY KEY,
    study_id           bigint       NOT NULL REFERENCES study (id) ON DELETE CASCADE,
    number             bigint       NOT NULL,
    state              varchar(16)  NOT NULL,
    params             jsonb        NOT NULL,
    -- one value per objective, in the study's objective order; NULL until finished
    objective_values   float8[],
    -- every final metric reported (objectives and constraint metrics), by name
    metrics            jsonb,
    attempt            integer      NOT NULL DEFAULT 1,
    worker_id          varchar(200),
    executor_id        varchar(64),
    lease_expires_at   timestamptz,
    failure_reason     text,
    metadata           jsonb        NOT NULL DEFAULT '{}',
    created_at         timestamptz  NOT NULL DEFAULT now(),
    started_at         timestamptz,
    finished_at        timestamptz,
    CONSTRAINT trial_number_unique UNIQUE (study_id, number),
    CONSTRAINT trial_state_check CHECK (state IN ('WAITING', 'RUNNING', 'COMPLETED', 'PRUNED', 'FAILED', 'INFEASIBLE'))
);
-- pending trials are few; these partial indexes keep per-request work independent of the study's size
CREATE INDEX trial_pending ON trial (study_id, number) WHERE state IN ('WAITING', 'RUNNING');
CREATE INDEX trial_worker ON trial (study_id, worker_id) WHERE state = 'RUNNING' AND worker_id IS NOT NULL;
CREATE INDEX trial_leases ON trial (lease_expires_at) WHERE state = 'RUNNING' AND lease_expires_at IS NOT NULL;
CREATE INDEX trial_by_state ON trial (study_id, state, number);

CREATE TABLE measurement (
    trial_id           bigint       NOT NULL REFERENCES trial (id) ON DELETE CASCADE,
    step               bigint       NOT NULL,
    metrics            jsonb        NOT NULL,
    created_at         timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (trial_id, step)
);

CREATE TABLE executor (
    id                 varchar(64)  PRIMARY KEY,
    name               varchar(200) NOT NULL,
    slots              integer      NOT NULL,
    cpu_cores          integer      NOT NULL,
    gpus               jsonb        NOT NULL DEFAULT '[]',
    labels             jsonb        NOT NULL DEFAULT '{}',
    state              varchar(16)  NOT NULL,
    registered_at      timestamptz  NOT NULL DEFAULT now(),
    last_seen_at       timestamptz  NOT NULL DEFAULT now()
);
