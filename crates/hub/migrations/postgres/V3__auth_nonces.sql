-- V3: nonces of authentication headers (issue #14), as the SQLite store's 0003_auth_nonces.sql:
-- remembered for twice the time window so a captured `X-Qingfeng-Auth` header cannot be sent
-- again, to either hub process. Append-only file.
CREATE TABLE auth_nonces (
    device_id     text   NOT NULL,
    nonce         bytea  NOT NULL,
    expires_at_ms bigint NOT NULL,
    PRIMARY KEY (device_id, nonce)
);
CREATE INDEX auth_nonces_expiry ON auth_nonces (expires_at_ms);
