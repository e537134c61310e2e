-- The audit trail (issue 14): append-only, each record chained to the one before by its
-- SHA-256 (see dispatch_store::audit). `body` is the record exactly as hashed; the other
-- columns are copies for selection.
CREATE TABLE audit (
    seq          BIGINT  PRIMARY KEY,
    at           BIGINT  NOT NULL,
    actor        TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL
);
CREATE INDEX audit_at ON audit (at);

-- The end of the chain: every transaction that appends locks it (SELECT ... FOR UPDATE)
-- before reading where the chain ends, so appenders on every replica take turns and the
-- chain never forks; compared at verification, so records cut off the end show.
CREATE TABLE audit_head (
    id   SMALLINT PRIMARY KEY CHECK (id = 1),
    seq  BIGINT   NOT NULL,
    hash TEXT     NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Append-only: editing, deleting or truncating records is refused (whoever can drop these
-- triggers, as the table's owner can, can edit the table; the chain then shows it).
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only';
END
$$;
CREATE TRIGGER audit_no_update_or_delete BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

-- Encryption at rest (issue 14): each incident's data key, wrapped by the master key (which
-- is not in the database). Written in the transaction of the first entry it seals.
CREATE TABLE data_keys (
    incident_id TEXT PRIMARY KEY,
    wrapped     TEXT NOT NULL
);
