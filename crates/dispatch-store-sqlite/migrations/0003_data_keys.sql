-- Encryption at rest (issue 14): each incident's data key, wrapped by the master key (which
-- is not in the database). Destroying a row makes that incident's free text unreadable
-- everywhere, backups included, once the backups holding the row are gone too.
CREATE TABLE data_keys (
    incident_id TEXT PRIMARY KEY,
    wrapped     TEXT NOT NULL
) WITHOUT ROWID;
