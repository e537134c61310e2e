//! How batch rows are encoded as the JSON arrays the commit statements expand with
//! `json_each`, and how stored JSON bodies are decoded.

use dispatch_core::{Assignment, FollowUpTask, Incident, Team};
use dispatch_store::{CadReceipt, CommandRecord, JournalEntry, StoreError};
use serde::Serialize;

pub(crate) fn encode<T: Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Other(format!("encode: {e}")))
}

pub(crate) fn decode<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, StoreError> {
    serde_json::from_str(body).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Each body travels as a JSON string inside the row, so SQLite stores it byte for byte.
fn body<T: Serialize>(value: &T) -> Result<String, StoreError> {
    encode(value)
}

pub(crate) fn journal_rows(entries: &[JournalEntry]) -> Result<String, StoreError> {
    #[derive(Serialize)]
    struct Row<'a> {
        seq: u64,
        at: i64,
        kind: &'a str,
        incident_id: Option<&'a str>,
        team_id: Option<&'a str>,
        body: String,
    }
    let rows = entries
        .iter()
        .map(|e| {
            let audience = e.event.audience();
            Ok(Row {
                seq: e.seq,
                at: e.at.millis(),
                kind: e.event.name(),
                incident_id: audience.incident_id.map(|i| i.as_str()),
                team_id: audience.team_id.map(|t| t.as_str()),
                body: body(&e.event)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    encode(&rows)
}

pub(crate) fn receipt_rows(receipts: &[CadReceipt]) -> Result<String, StoreError> {
    #[derive(Serialize)]
    struct Row<'a> {
        source: &'a str,
        event_id: &'a str,
        seq: u64,
        incident_id: Option<&'a str>,
    }
    encode(
        &receipts
            .iter()
            .map(|r| Row {
                source: &r.source,
                event_id: &r.event_id,
                seq: r.seq,
                incident_id: r.incident_id.as_ref().map(|i| i.as_str()),
            })
            .collect::<Vec<_>>(),
    )
}

pub(crate) fn command_rows(commands: &[CommandRecord]) -> Result<String, StoreError> {
    #[derive(Serialize)]
    struct Row<'a> {
        command_id: &'a str,
        fingerprint: &'a str,
        seq: u64,
    }
    encode(
        &commands
            .iter()
            .map(|c| Row {
                command_id: &c.command_id,
                fingerprint: &c.fingerprint,
                seq: c.seq,
            })
            .collect::<Vec<_>>(),
    )
}

/// A serde name of a unit enum value ("queued", "awaiting_ack"), for the status columns.
fn name<T: Serialize>(value: &T) -> Result<String, StoreError> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        Ok(other) => Ok(other.to_string()),
        Err(e) => Err(StoreError::Other(format!("encode: {e}"))),
    }
}

pub(crate) fn incident_rows(incidents: &[Incident]) -> Result<String, StoreError> {
    #[derive(Serialize)]
    struct Row<'a> {
        id: &'a str,
        source: &'a str,
        call_number: &'a str,
        status: String,
        updated_at: i64,
        body: String,
    }
    let rows = incidents
        .iter()
        .map(|i| {
            Ok(Row {
                id: i.id.as_str(),
                source: &i.source,
                call_number: &i.call_number,
                status: name(&i.status)?,
                updated_at: i.updated_at.millis(),
                body: body(i)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    encode(&rows)
}

pub(crate) fn team_rows(teams: &[Team]) -> Result<String, StoreError> {
    #[derive(Serialize)]
    struct Row<'a> {
        id: &'a str,
        status: String,
        body: String,
    }
    let rows = teams
        .iter()
        .map(|t| {
            Ok(Row {
                id: t.id.as_str(),
                status: name(&t.status)?,
                body: body(t)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    encode(&rows)
}

pub(crate) fn assignment_rows(assignments: &[Assignment]) -> Result<String, StoreError> {
    #[derive(Serialize)]
    struct Row<'a> {
        id: &'a str,
        incident_id: &'a str,
        team_id: &'a str,
        status: String,
        ack_deadline: Option<i64>,
        body: String,
    }
    let rows = assignments
        .iter()
        .map(|a| {
            Ok(Row {
                id: a.id.as_str(),
                incident_id: a.incident_id.as_str(),
                team_id: a.team_id.as_str(),
                status: name(&a.status)?,
                ack_deadline: a.ack_deadline.map(|d| d.millis()),
                body: body(a)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    encode(&rows)
}

pub(crate) fn task_rows(tasks: &[FollowUpTask]) -> Result<String, StoreError> {
    #[derive(Serialize)]
    struct Row<'a> {
        id: &'a str,
        incident_id: &'a str,
        assignee: Option<&'a str>,
        status: String,
        due_at: i64,
        body: String,
    }
    let rows = tasks
        .iter()
        .map(|t| {
            Ok(Row {
                id: t.id.as_str(),
                incident_id: t.incident_id.as_str(),
                assignee: t.assignee.as_ref().map(|a| a.as_str()),
                status: name(&t.status)?,
                due_at: t.due_at.millis(),
                body: body(t)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    encode(&rows)
}
