//! How a batch becomes rows: each table's rows go in as few multi-row `INSERT ... VALUES`
//! statements as possible (chunks of 64, 32, ... 1 rows), because per-statement overhead,
//! not fsync, dominates SQLite writes once commits are grouped. The statements are built from
//! constant fragments and `?` placeholders only; values are always bound.

use dispatch_core::{Assignment, FollowUpTask, Incident, Team};
use dispatch_store::{CadReceipt, CommandRecord, JournalEntry, StoreError};
use serde::Serialize;
use sqlx::{AssertSqlSafe, SqliteConnection};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

pub(crate) fn encode<T: Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Other(format!("encode: {e}")))
}

pub(crate) fn decode<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, StoreError> {
    serde_json::from_str(body).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// One bound value.
pub(crate) enum Param {
    Int(i64),
    OptInt(Option<i64>),
    Text(String),
    OptText(Option<String>),
}

/// One table's insert: `head` + `VALUES (?, ...), ...` + `tail`.
pub(crate) struct Table {
    pub head: &'static str,
    pub columns: usize,
    pub tail: &'static str,
}

pub(crate) const JOURNAL: Table = Table {
    head: "INSERT INTO journal (seq, at, kind, incident_id, team_id, body)",
    columns: 6,
    tail: "",
};
pub(crate) const CAD_EVENTS: Table = Table {
    head: "INSERT INTO cad_events (source, event_id, seq, incident_id)",
    columns: 4,
    tail: "",
};
pub(crate) const COMMANDS: Table = Table {
    head: "INSERT INTO commands (command_id, fingerprint, seq)",
    columns: 3,
    tail: "",
};
pub(crate) const INCIDENTS: Table = Table {
    head: "INSERT INTO incidents (id, source, call_number, status, updated_at, body)",
    columns: 6,
    tail: " ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, body = excluded.body",
};
pub(crate) const TEAMS: Table = Table {
    head: "INSERT INTO teams (id, status, body)",
    columns: 3,
    tail: " ON CONFLICT (id) DO UPDATE SET status = excluded.status, body = excluded.body",
};
pub(crate) const ASSIGNMENTS: Table = Table {
    head: "INSERT INTO assignments (id, incident_id, team_id, status, ack_deadline, body)",
    columns: 6,
    tail: " ON CONFLICT (id) DO UPDATE SET status = excluded.status, ack_deadline = excluded.ack_deadline, body = excluded.body",
};
pub(crate) const FOLLOW_UPS: Table = Table {
    head: "INSERT INTO follow_ups (id, incident_id, assignee, status, due_at, body)",
    columns: 6,
    tail: " ON CONFLICT (id) DO UPDATE SET assignee = excluded.assignee, status = excluded.status, due_at = excluded.due_at, body = excluded.body",
};

pub(crate) const AUDIT: Table = Table {
    head: "INSERT INTO audit (seq, at, actor, body, prev_hash, hash)",
    columns: 6,
    tail: "",
};

pub(crate) const DATA_KEYS: Table = Table {
    head: "INSERT INTO data_keys (incident_id, wrapped)",
    columns: 2,
    tail: "",
};

const CHUNKS: [usize; 7] = [64, 32, 16, 8, 4, 2, 1];

/// Built statements by (table, row count).
type Statements = Mutex<HashMap<(&'static str, usize), Arc<str>>>;

/// The statement for `rows` rows of `table`, built once.
fn statement(table: &Table, rows: usize) -> Arc<str> {
    static CACHE: OnceLock<Statements> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    cache
        .entry((table.head, rows))
        .or_insert_with(|| {
            let row = format!("({})", vec!["?"; table.columns].join(", "));
            Arc::from(format!(
                "{} VALUES {}{}",
                table.head,
                vec![row; rows].join(", "),
                table.tail
            ))
        })
        .clone()
}

pub(crate) async fn insert(
    conn: &mut SqliteConnection,
    table: &Table,
    rows: Vec<Vec<Param>>,
) -> Result<(), sqlx::Error> {
    let mut remaining = rows.len();
    let mut rows = rows.into_iter();
    while remaining > 0 {
        let n = CHUNKS.into_iter().find(|c| *c <= remaining).unwrap_or(1);
        let mut query = sqlx::query(AssertSqlSafe(statement(table, n)));
        for value in rows.by_ref().take(n).flatten() {
            query = match value {
                Param::Int(v) => query.bind(v),
                Param::OptInt(v) => query.bind(v),
                Param::Text(v) => query.bind(v),
                Param::OptText(v) => query.bind(v),
            };
        }
        query.execute(&mut *conn).await?;
        remaining -= n;
    }
    Ok(())
}

fn seq(v: u64) -> Param {
    Param::Int(i64::try_from(v).unwrap_or(i64::MAX))
}

/// A serde name of a unit enum value ("queued", "awaiting_ack"), for the status columns.
fn name<T: Serialize>(value: &T) -> Result<Param, StoreError> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Ok(Param::Text(s)),
        Ok(other) => Ok(Param::Text(other.to_string())),
        Err(e) => Err(StoreError::Other(format!("encode: {e}"))),
    }
}

pub(crate) fn journal_rows(entries: &[JournalEntry]) -> Result<Vec<Vec<Param>>, StoreError> {
    entries
        .iter()
        .map(|e| {
            let audience = e.event.audience();
            Ok(vec![
                seq(e.seq),
                Param::Int(e.at.millis()),
                Param::Text(e.event.name().to_owned()),
                Param::OptText(audience.incident_id.map(ToString::to_string)),
                Param::OptText(audience.team_id.map(ToString::to_string)),
                Param::Text(encode(&e.event)?),
            ])
        })
        .collect()
}

pub(crate) fn audit_rows(
    records: &[(dispatch_store::AuditRecord, i64, String)],
) -> Vec<Vec<Param>> {
    records
        .iter()
        .map(|(r, at, actor)| {
            vec![
                seq(r.seq),
                Param::Int(*at),
                Param::Text(actor.clone()),
                Param::Text(r.body.clone()),
                Param::Text(r.prev_hash.clone()),
                Param::Text(r.hash.clone()),
            ]
        })
        .collect()
}

pub(crate) fn data_key_rows(keys: &[dispatch_store::DataKey]) -> Vec<Vec<Param>> {
    keys.iter()
        .map(|k| {
            vec![
                Param::Text(k.incident_id.to_string()),
                Param::Text(k.wrapped.clone()),
            ]
        })
        .collect()
}

pub(crate) fn receipt_rows(receipts: &[CadReceipt]) -> Vec<Vec<Param>> {
    receipts
        .iter()
        .map(|r| {
            vec![
                Param::Text(r.source.clone()),
                Param::Text(r.event_id.clone()),
                seq(r.seq),
                Param::OptText(r.incident_id.as_ref().map(ToString::to_string)),
            ]
        })
        .collect()
}

pub(crate) fn command_rows(commands: &[CommandRecord]) -> Vec<Vec<Param>> {
    commands
        .iter()
        .map(|c| {
            vec![
                Param::Text(c.command_id.clone()),
                Param::Text(c.fingerprint.clone()),
                seq(c.seq),
            ]
        })
        .collect()
}

pub(crate) fn incident_rows(incidents: &[Incident]) -> Result<Vec<Vec<Param>>, StoreError> {
    incidents
        .iter()
        .map(|i| {
            Ok(vec![
                Param::Text(i.id.to_string()),
                Param::Text(i.source.clone()),
                Param::Text(i.call_number.clone()),
                name(&i.status)?,
                Param::Int(i.updated_at.millis()),
                Param::Text(encode(i)?),
            ])
        })
        .collect()
}

pub(crate) fn team_rows(teams: &[Team]) -> Result<Vec<Vec<Param>>, StoreError> {
    teams
        .iter()
        .map(|t| {
            Ok(vec![
                Param::Text(t.id.to_string()),
                name(&t.status)?,
                Param::Text(encode(t)?),
            ])
        })
        .collect()
}

pub(crate) fn assignment_rows(assignments: &[Assignment]) -> Result<Vec<Vec<Param>>, StoreError> {
    assignments
        .iter()
        .map(|a| {
            Ok(vec![
                Param::Text(a.id.to_string()),
                Param::Text(a.incident_id.to_string()),
                Param::Text(a.team_id.to_string()),
                name(&a.status)?,
                Param::OptInt(a.ack_deadline.map(|d| d.millis())),
                Param::Text(encode(a)?),
            ])
        })
        .collect()
}

pub(crate) fn task_rows(tasks: &[FollowUpTask]) -> Result<Vec<Vec<Param>>, StoreError> {
    tasks
        .iter()
        .map(|t| {
            Ok(vec![
                Param::Text(t.id.to_string()),
                Param::Text(t.incident_id.to_string()),
                Param::OptText(t.assignee.as_ref().map(ToString::to_string)),
                name(&t.status)?,
                Param::Int(t.due_at.millis()),
                Param::Text(encode(t)?),
            ])
        })
        .collect()
}
