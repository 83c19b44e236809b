-- 0003: nonces of authentication headers (issue #14), remembered for twice the time window so a
-- captured `X-Qingfeng-Auth` header cannot be sent again.
CREATE TABLE auth_nonces (
    device_id     TEXT NOT NULL,
    nonce         BLOB NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    PRIMARY KEY (device_id, nonce)
) STRICT;
CREATE INDEX auth_nonces_expiry ON auth_nonces (expires_at_ms);
