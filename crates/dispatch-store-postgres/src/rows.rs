//! How a batch becomes rows: one statement per table, whatever the batch's size, with every
//! column bound as an array and expanded by `UNNEST` (PostgreSQL's cheapest multi-row insert
//! short of COPY). Statements are constants; values are always bound.

use dispatch_core::{Assignment, FollowUpTask, Incident, Team};
use dispatch_store::{Batch, CadReceipt, CommandRecord, JournalEntry, StoreError};
use serde::Serialize;
use sqlx::PgConnection;

pub(crate) fn encode<T: Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Other(format!("encode: {e}")))
}

pub(crate) fn decode<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, StoreError> {
    serde_json::from_str(body).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(crate) fn seq(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// A serde name of a unit enum value ("queued", "awaiting_ack"), for the status columns.
fn name<T: Serialize>(value: &T) -> Result<String, StoreError> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        Ok(other) => Ok(other.to_string()),
        Err(e) => Err(StoreError::Other(format!("encode: {e}"))),
    }
}

const JOURNAL: &str = "INSERT INTO journal (seq, at, kind, incident_id, team_id, body)
     SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])";
const CAD_EVENTS: &str = "INSERT INTO cad_events (source, event_id, seq, incident_id)
     SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[], $4::text[])";
const COMMANDS: &str = "INSERT INTO commands (command_id, fingerprint, seq)
     SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[])";
const INCIDENTS: &str = "INSERT INTO incidents (id, source, call_number, status, updated_at, body)
     SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[])
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, body = excluded.body";
const TEAMS: &str = "INSERT INTO teams (id, status, body)
     SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[])
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, body = excluded.body";
const ASSIGNMENTS: &str = "INSERT INTO assignments (id, incident_id, team_id, status, ack_deadline, body)
     SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[])
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, ack_deadline = excluded.ack_deadline, body = excluded.body";
const DATA_KEYS: &str = "INSERT INTO data_keys (incident_id, wrapped)
     SELECT * FROM UNNEST($1::text[], $2::text[])";
const AUDIT: &str = "INSERT INTO audit (seq, at, actor, body, prev_hash, hash)
     SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])";
const FOLLOW_UPS: &str = "INSERT INTO follow_ups (id, incident_id, assignee, status, due_at, body)
     SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[])
     ON CONFLICT (id) DO UPDATE SET assignee = excluded.assignee, status = excluded.status, due_at = excluded.due_at, body = excluded.body";

/// A batch's rows, encoded before the transaction starts so that the lock is held for the
/// writes only.
/// Each table is a tuple of its columns, in the statement's order.
#[allow(clippy::type_complexity)]
#[derive(Default)]
pub(crate) struct Encoded {
    journal: (
        Vec<i64>,
        Vec<i64>,
        Vec<String>,
        Vec<Option<String>>,
        Vec<Option<String>>,
        Vec<String>,
    ),
    receipts: (Vec<String>, Vec<String>, Vec<i64>, Vec<Option<String>>),
    commands: (Vec<String>, Vec<String>, Vec<i64>),
    incidents: (
        Vec<String>,
        Vec<String>,
        Vec<String>,
        Vec<String>,
        Vec<i64>,
        Vec<String>,
    ),
    teams: (Vec<String>, Vec<String>, Vec<String>),
    assignments: (
        Vec<String>,
        Vec<String>,
        Vec<String>,
        Vec<String>,
        Vec<Option<i64>>,
        Vec<String>,
    ),
    tasks: (
        Vec<String>,
        Vec<String>,
        Vec<Option<String>>,
        Vec<String>,
        Vec<i64>,
        Vec<String>,
    ),
    data_keys: (Vec<String>, Vec<String>),
}

impl Encoded {
    pub fn new(batch: &Batch) -> Result<Self, StoreError> {
        let mut rows = Encoded::default();
        for e in &batch.entries {
            rows.journal(e)?;
        }
        batch.cad_receipts.iter().for_each(|r| rows.receipt(r));
        batch.commands.iter().for_each(|c| rows.command(c));
        for i in &batch.incidents {
            rows.incident(i)?;
        }
        for t in &batch.teams {
            rows.team(t)?;
        }
        for a in &batch.assignments {
            rows.assignment(a)?;
        }
        for t in &batch.tasks {
            rows.task(t)?;
        }
        for k in &batch.data_keys {
            rows.data_keys.0.push(k.incident_id.to_string());
            rows.data_keys.1.push(k.wrapped.clone());
        }
        Ok(rows)
    }

    fn journal(&mut self, e: &JournalEntry) -> Result<(), StoreError> {
        let audience = e.event.audience();
        let j = &mut self.journal;
        j.0.push(seq(e.seq));
        j.1.push(e.at.millis());
        j.2.push(e.event.name().to_owned());
        j.3.push(audience.incident_id.map(ToString::to_string));
        j.4.push(audience.team_id.map(ToString::to_string));
        j.5.push(encode(&e.event)?);
        Ok(())
    }

    fn receipt(&mut self, r: &CadReceipt) {
        let c = &mut self.receipts;
        c.0.push(r.source.clone());
        c.1.push(r.event_id.clone());
        c.2.push(seq(r.seq));
        c.3.push(r.incident_id.as_ref().map(ToString::to_string));
    }

    fn command(&mut self, r: &CommandRecord) {
        let c = &mut self.commands;
        c.0.push(r.command_id.clone());
        c.1.push(r.fingerprint.clone());
        c.2.push(seq(r.seq));
    }

    fn incident(&mut self, i: &Incident) -> Result<(), StoreError> {
        let c = &mut self.incidents;
        c.0.push(i.id.to_string());
        c.1.push(i.source.clone());
        c.2.push(i.call_number.clone());
        c.3.push(name(&i.status)?);
        c.4.push(i.updated_at.millis());
        c.5.push(encode(i)?);
        Ok(())
    }

    fn team(&mut self, t: &Team) -> Result<(), StoreError> {
        let c = &mut self.teams;
        c.0.push(t.id.to_string());
        c.1.push(name(&t.status)?);
        c.2.push(encode(t)?);
        Ok(())
    }

    fn assignment(&mut self, a: &Assignment) -> Result<(), StoreError> {
        let c = &mut self.assignments;
        c.0.push(a.id.to_string());
        c.1.push(a.incident_id.to_string());
        c.2.push(a.team_id.to_string());
        c.3.push(name(&a.status)?);
        c.4.push(a.ack_deadline.map(|d| d.millis()));
        c.5.push(encode(a)?);
        Ok(())
    }

    fn task(&mut self, t: &FollowUpTask) -> Result<(), StoreError> {
        let c = &mut self.tasks;
        c.0.push(t.id.to_string());
        c.1.push(t.incident_id.to_string());
        c.2.push(t.assignee.as_ref().map(ToString::to_string));
        c.3.push(name(&t.status)?);
        c.4.push(t.due_at.millis());
        c.5.push(encode(t)?);
        Ok(())
    }

    /// Runs the inserts, one statement per table that has rows.
    pub async fn insert(self, conn: &mut PgConnection) -> Result<(), sqlx::Error> {
        let Encoded {
            journal: j,
            receipts: r,
            commands: c,
            incidents: i,
            teams: t,
            assignments: a,
            tasks: f,
            data_keys: k,
        } = self;
        if !j.0.is_empty() {
            sqlx::query(JOURNAL)
                .bind(j.0)
                .bind(j.1)
                .bind(j.2)
                .bind(j.3)
                .bind(j.4)
                .bind(j.5)
                .execute(&mut *conn)
                .await?;
        }
        if !r.0.is_empty() {
            sqlx::query(CAD_EVENTS)
                .bind(r.0)
                .bind(r.1)
                .bind(r.2)
                .bind(r.3)
                .execute(&mut *conn)
                .await?;
        }
        if !c.0.is_empty() {
            sqlx::query(COMMANDS)
                .bind(c.0)
                .bind(c.1)
                .bind(c.2)
                .execute(&mut *conn)
                .await?;
        }
        if !i.0.is_empty() {
            sqlx::query(INCIDENTS)
                .bind(i.0)
                .bind(i.1)
                .bind(i.2)
                .bind(i.3)
                .bind(i.4)
                .bind(i.5)
                .execute(&mut *conn)
                .await?;
        }
        if !t.0.is_empty() {
            sqlx::query(TEAMS)
                .bind(t.0)
                .bind(t.1)
                .bind(t.2)
                .execute(&mut *conn)
                .await?;
        }
        if !a.0.is_empty() {
            sqlx::query(ASSIGNMENTS)
                .bind(a.0)
                .bind(a.1)
                .bind(a.2)
                .bind(a.3)
                .bind(a.4)
                .bind(a.5)
                .execute(&mut *conn)
                .await?;
        }
        if !f.0.is_empty() {
            sqlx::query(FOLLOW_UPS)
                .bind(f.0)
                .bind(f.1)
                .bind(f.2)
                .bind(f.3)
                .bind(f.4)
                .bind(f.5)
                .execute(&mut *conn)
                .await?;
        }
        if !k.0.is_empty() {
            sqlx::query(DATA_KEYS)
                .bind(k.0)
                .bind(k.1)
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }
}

/// Inserts chained audit records (see `append_audit` in the crate root), or records copied
/// as they are (`migrate-store`).
pub(crate) async fn insert_audit(
    conn: &mut PgConnection,
    records: &[(dispatch_store::AuditRecord, i64, String)],
) -> Result<(), sqlx::Error> {
    if records.is_empty() {
        return Ok(());
    }
    let mut cols = (
        Vec::<i64>::new(),
        Vec::<i64>::new(),
        Vec::<String>::new(),
        Vec::<String>::new(),
        Vec::<String>::new(),
        Vec::<String>::new(),
    );
    for (r, at, actor) in records {
        cols.0.push(seq(r.seq));
        cols.1.push(*at);
        cols.2.push(actor.clone());
        cols.3.push(r.body.clone());
        cols.4.push(r.prev_hash.clone());
        cols.5.push(r.hash.clone());
    }
    sqlx::query(AUDIT)
        .bind(cols.0)
        .bind(cols.1)
        .bind(cols.2)
        .bind(cols.3)
        .bind(cols.4)
        .bind(cols.5)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
