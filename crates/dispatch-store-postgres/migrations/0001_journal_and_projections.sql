-- The journal: every event, in order, never updated or deleted. Sequences are contiguous:
-- they are handed out under the lock on `journal_head`, so commit order is sequence order.
CREATE TABLE journal (
    seq         BIGINT  PRIMARY KEY,
    at          BIGINT  NOT NULL,
    kind        TEXT    NOT NULL,
    incident_id TEXT,
    team_id     TEXT,
    body        TEXT    NOT NULL
);
CREATE INDEX journal_incident ON journal (incident_id) WHERE incident_id IS NOT NULL;

-- The one row every write transaction locks (FOR UPDATE): the last sequence committed.
CREATE TABLE journal_head (
    id  SMALLINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT   NOT NULL
);
INSERT INTO journal_head (id, seq) VALUES (1, 0);

-- Idempotency of CAD events: (source, event_id) applied once.
CREATE TABLE cad_events (
    source      TEXT    NOT NULL,
    event_id    TEXT    NOT NULL,
    seq         BIGINT  NOT NULL,
    incident_id TEXT,
    PRIMARY KEY (source, event_id)
);

-- Idempotency of client commands (and of timers, by an id derived from the timer).
CREATE TABLE commands (
    command_id  TEXT    PRIMARY KEY,
    fingerprint TEXT    NOT NULL,
    seq         BIGINT  NOT NULL
);

-- Projections: the current state of each entity (body = JSON), with the columns queries use.
CREATE TABLE incidents (
    id          TEXT    PRIMARY KEY,
    source      TEXT    NOT NULL,
    call_number TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    updated_at  BIGINT  NOT NULL,
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
    ack_deadline BIGINT,
    body         TEXT    NOT NULL
);
CREATE INDEX assignments_pending ON assignments (ack_deadline) WHERE ack_deadline IS NOT NULL;

CREATE TABLE follow_ups (
    id          TEXT    PRIMARY KEY,
    incident_id TEXT    NOT NULL,
    assignee    TEXT,
    status      TEXT    NOT NULL,
    due_at      BIGINT  NOT NULL,
    body        TEXT    NOT NULL
);
CREATE INDEX follow_ups_due ON follow_ups (due_at);
