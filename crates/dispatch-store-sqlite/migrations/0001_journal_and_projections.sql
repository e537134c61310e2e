-- The journal: every event, in order, never updated or deleted.
CREATE TABLE journal (
    seq         INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    incident_id TEXT,
    team_id     TEXT,
    body        TEXT    NOT NULL
);
CREATE INDEX journal_incident ON journal (incident_id) WHERE incident_id IS NOT NULL;

-- Idempotency of CAD events: (source, event_id) applied once.
CREATE TABLE cad_events (
    source      TEXT    NOT NULL,
    event_id    TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    incident_id TEXT,
    PRIMARY KEY (source, event_id)
) WITHOUT ROWID;

-- Idempotency of client commands.
CREATE TABLE commands (
    command_id  TEXT    PRIMARY KEY,
    fingerprint TEXT    NOT NULL,
    seq         INTEGER NOT NULL
) WITHOUT ROWID;

-- Projections: the current state of each entity (body = JSON), with the columns queries use.
CREATE TABLE incidents (
    id          TEXT    PRIMARY KEY,
    source      TEXT    NOT NULL,
    call_number TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    body        TEXT    NOT NULL,
    UNIQUE (source, call_number)
);

CREATE TABLE teams (
    id          TEXT    PRIMARY KEY,
    status      TEXT    NOT NULL,
    body        TEXT    NOT NULL
);

CREATE TABLE assignments (
    id           TEXT    PRIMARY KEY,
    incident_id  TEXT    NOT NULL,
    team_id      TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    -- Stored so that ack timers survive a restart.
    ack_deadline INTEGER,
    body         TEXT    NOT NULL
);
CREATE INDEX assignments_pending ON assignments (ack_deadline) WHERE ack_deadline IS NOT NULL;

CREATE TABLE follow_ups (
    id          TEXT    PRIMARY KEY,
    incident_id TEXT    NOT NULL,
    assignee    TEXT,
    status      TEXT    NOT NULL,
    due_at      INTEGER NOT NULL,
    body        TEXT    NOT NULL
);
CREATE INDEX follow_ups_due ON follow_ups (due_at);
