-- Security (issue 19): the command capability, token-bounded rights, executor identity, sign-in links.

-- Running programs (the `command` evaluator) is a capability an admin grants to a user explicitly.
ALTER TABLE app_user ADD COLUMN may_run_commands boolean NOT NULL DEFAULT false;

-- Which studies the executors registered with an EXECUTOR token may lease: ALL (minted by an ADMIN) or OWN (only the
-- studies of the token's user). Earlier tokens get the scope their user's role gives.
ALTER TABLE api_token ADD COLUMN lease_scope varchar(8);
UPDATE api_token t SET lease_scope = CASE WHEN u.role = 'ADMIN' THEN 'ALL' ELSE 'OWN' END
  FROM app_user u WHERE u.id = t.user_id AND t.role = 'EXECUTOR';
ALTER TABLE api_token ADD CONSTRAINT api_token_lease_scope_check
  CHECK ((role = 'EXECUTOR') = (lease_scope IS NOT NULL) AND (lease_scope IS NULL OR lease_scope IN ('ALL', 'OWN')));

-- An executor belongs to the token that registered it (NULL: the in-process executor, which has no token);
-- lease_owner_id: it leases only that user's studies (NULL: every study).
ALTER TABLE executor ADD COLUMN token_id bigint REFERENCES api_token (id) ON DELETE CASCADE;
ALTER TABLE executor ADD COLUMN lease_owner_id bigint REFERENCES app_user (id) ON DELETE CASCADE;

-- The role the study was created with: a token of a lower role of the same user may not change it.
ALTER TABLE study ADD COLUMN owner_role varchar(16);
UPDATE study s SET owner_role = u.role FROM app_user u WHERE u.id = s.owner_id;

-- One-click sign-in links printed at start: they sign a browser in and nothing else (not API tokens), once.
CREATE TABLE sign_in_link (
    id           bigserial PRIMARY KEY,
    user_id      bigint      NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    secret_hash  varchar(64) NOT NULL,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT sign_in_link_hash_unique UNIQUE (secret_hash)
);

-- Earlier versions minted a 12-hour ADMIN API token named 'sign-in link' at every start and never revoked it.
UPDATE api_token SET revoked_at = now() WHERE name = 'sign-in link' AND revoked_at IS NULL;
