-- Users (web UI sign-in) and API tokens (Bearer). Secrets are never stored: passwords as PBKDF2 hashes, tokens as
-- SHA-256 of a 256-bit random secret (a fast hash is right for high-entropy tokens; a KDF protects passwords).
CREATE TABLE app_user (
    id              bigserial PRIMARY KEY,
    username        varchar(100) NOT NULL,
    password_hash   varchar(300),
    role            varchar(16)  NOT NULL,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT app_user_username_unique UNIQUE (username),
    CONSTRAINT app_user_role_check CHECK (role IN ('ADMIN', 'MEMBER', 'VIEWER', 'EXECUTOR'))
);

CREATE TABLE api_token (
    id              bigserial PRIMARY KEY,
    user_id         bigint       NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    name            varchar(200) NOT NULL,
    role            varchar(16)  NOT NULL,
    token_hash      varchar(64)  NOT NULL,
    expires_at      timestamptz,
    revoked_at      timestamptz,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT api_token_hash_unique UNIQUE (token_hash),
    CONSTRAINT api_token_role_check CHECK (role IN ('ADMIN', 'MEMBER', 'VIEWER', 'EXECUTOR'))
);

-- who created a study (members manage their own); NULL for studies created before authentication existed
ALTER TABLE study ADD COLUMN owner_id bigint REFERENCES app_user (id) ON DELETE SET NULL;
