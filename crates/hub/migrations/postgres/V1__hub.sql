-- The hub's store on PostgreSQL: the same tables as the SQLite store (migrations/0001_hub.sql),
-- in PostgreSQL's types. Applied and checked by refinery (src/postgres.rs); append-only: later
-- changes go into new numbered files V2__…, V3__….

-- Small settings of this hub (its key id, its algorithm).
CREATE TABLE meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- The directory. feed_head is the last feed_seq handed out in this office's feed; appending to
-- a feed updates this row first, so its row lock orders every append to one office's feed and a
-- rolled-back append leaves no gap.
CREATE TABLE offices (
    code          text   PRIMARY KEY,
    name          text   NOT NULL,
    level         text   NOT NULL CHECK (level IN ('province', 'prefecture', 'county')),
    parent_code   text   REFERENCES offices (code),
    created_at_ms bigint NOT NULL,
    feed_head     bigint NOT NULL DEFAULT 0 CHECK (feed_head >= 0)
);

-- One-time enrollment tokens, kept only as SHA-256.
CREATE TABLE tokens (
    token_sha256  bytea  PRIMARY KEY CHECK (length(token_sha256) = 32),
    office_code   text   NOT NULL REFERENCES offices (code),
    issued_at_ms  bigint NOT NULL,
    expires_at_ms bigint NOT NULL,
    used_at_ms    bigint,
    used_by       text
);

-- Certificate serials come from a sequence: unique across hub processes without a lock.
CREATE SEQUENCE cert_serials;

CREATE TABLE devices (
    device_id      text   PRIMARY KEY,
    office_code    text   NOT NULL REFERENCES offices (code),
    alg            text   NOT NULL,
    public_key     bytea  NOT NULL,
    key_id         text   NOT NULL,
    cert_serial    bigint NOT NULL UNIQUE,
    enrolled_at_ms bigint NOT NULL,
    revoked_at_ms  bigint,
    revoke_reason  text
);

-- The last event the hub holds of each chain (client devices and the hub's own).
CREATE TABLE heads (
    device_id   text   PRIMARY KEY,
    office_code text   NOT NULL,
    seq         bigint NOT NULL,
    hash        bytea  NOT NULL CHECK (length(hash) = 32),
    hlc         bigint NOT NULL
);

-- Every origin's whole chain. status 0: accepted and routed; 1: held in the chain but refused.
CREATE TABLE events (
    pos            bigint   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id             text     NOT NULL,
    origin_office  text     NOT NULL,
    origin_device  text     NOT NULL,
    seq            bigint   NOT NULL CHECK (seq >= 1),
    hlc            bigint   NOT NULL,
    actor          text     NOT NULL,
    kind           text     NOT NULL,
    aggregate      text     NOT NULL,
    payload        bytea    NOT NULL,
    prev           bytea    NOT NULL CHECK (length(prev) = 32),
    hash           bytea    NOT NULL CHECK (length(hash) = 32),
    status         smallint NOT NULL DEFAULT 0 CHECK (status IN (0, 1)),
    received_at_ms bigint   NOT NULL,
    CONSTRAINT events_device_seq UNIQUE (origin_device, seq)
);
-- Replicas key events by id, so two accepted events must never share one.
CREATE UNIQUE INDEX events_id ON events (id) WHERE status = 0;
CREATE INDEX events_aggregate ON events (aggregate, pos) WHERE status = 0;
CREATE INDEX events_office_kind ON events (origin_office, kind, pos) WHERE status = 0;

CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only';
END;
$$;
CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();

-- Ownership: the current owner and epoch, every office that ever owned the aggregate, and every
-- office whose feed carries it (owners and their ancestors).
CREATE TABLE aggregates (
    id     text   PRIMARY KEY,
    owner  text   NOT NULL,
    epoch  bigint NOT NULL,
    owners text[] NOT NULL,
    access text[] NOT NULL
);

-- Each office's feed: feed_seq counts from 1 per office, without gaps.
CREATE TABLE feed (
    office_code text   NOT NULL,
    feed_seq    bigint NOT NULL,
    pos         bigint NOT NULL REFERENCES events (pos),
    PRIMARY KEY (office_code, feed_seq)
);

-- Final receipts by change set id: the same change set again gets the same signed bytes.
CREATE TABLE receipts (
    changeset_id bytea  PRIMARY KEY CHECK (length(changeset_id) = 32),
    device_id    text   NOT NULL,
    first_seq    bigint NOT NULL,
    last_seq     bigint NOT NULL,
    outcome      text   NOT NULL,
    signed       bytea  NOT NULL,
    at_ms        bigint NOT NULL
);
CREATE INDEX receipts_device ON receipts (device_id, first_seq);

-- Change sets whose prerequisite has not arrived yet, as received.
CREATE TABLE waiting (
    changeset_id   bytea  PRIMARY KEY CHECK (length(changeset_id) = 32),
    device_id      text   NOT NULL,
    first_seq      bigint NOT NULL,
    last_seq       bigint NOT NULL,
    signed         bytea  NOT NULL,
    received_at_ms bigint NOT NULL
);
CREATE INDEX waiting_device ON waiting (device_id, first_seq);

CREATE TABLE alarms (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at_ms       bigint NOT NULL,
    kind        text   NOT NULL,
    office_code text,
    device_id   text,
    detail      text   NOT NULL
);
