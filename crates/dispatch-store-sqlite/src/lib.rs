//! The SQLite backend of the dispatch [`Store`]: WAL, foreign keys on, a busy timeout, fsync
//! on every commit (`synchronous = FULL`), migrations applied on open.
//!
//! Each group commit is one transaction of a handful of statements: rows travel as one JSON
//! array per table and are expanded with `json_each`, because per-statement overhead, not
//! fsync, dominates SQLite writes once commits are grouped.

mod rows;

use dispatch_store::{Batch, CadReceipt, CommandRecord, JournalEntry, Loaded, Store, StoreError};
use rows::*;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use std::path::Path;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!();

#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if missing) the database file and applies migrations.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(store_error)?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| StoreError::Other(format!("migration failed: {e}")))?;
        Ok(Self { pool })
    }
}

impl Store for SqliteStore {
    async fn commit(&self, batch: &Batch) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        if !batch.entries.is_empty() {
            sqlx::query(
                "INSERT INTO journal (seq, at, kind, incident_id, team_id, body)
                 SELECT value->>'seq', value->>'at', value->>'kind', value->>'incident_id',
                        value->>'team_id', value->>'body'
                 FROM json_each(?1)",
            )
            .bind(journal_rows(&batch.entries)?)
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        }
        if !batch.cad_receipts.is_empty() {
            sqlx::query(
                "INSERT INTO cad_events (source, event_id, seq, incident_id)
                 SELECT value->>'source', value->>'event_id', value->>'seq', value->>'incident_id'
                 FROM json_each(?1)",
            )
            .bind(receipt_rows(&batch.cad_receipts)?)
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        }
        if !batch.commands.is_empty() {
            sqlx::query(
                "INSERT INTO commands (command_id, fingerprint, seq)
                 SELECT value->>'command_id', value->>'fingerprint', value->>'seq'
                 FROM json_each(?1)",
            )
            .bind(command_rows(&batch.commands)?)
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        }
        if !batch.incidents.is_empty() {
            sqlx::query(
                "INSERT INTO incidents (id, source, call_number, status, updated_at, body)
                 SELECT value->>'id', value->>'source', value->>'call_number', value->>'status',
                        value->>'updated_at', value->>'body'
                 FROM json_each(?1) WHERE true
                 ON CONFLICT (id) DO UPDATE SET status = excluded.status,
                    updated_at = excluded.updated_at, body = excluded.body",
            )
            .bind(incident_rows(&batch.incidents)?)
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        }
        if !batch.teams.is_empty() {
            sqlx::query(
                "INSERT INTO teams (id, status, body)
                 SELECT value->>'id', value->>'status', value->>'body'
                 FROM json_each(?1) WHERE true
                 ON CONFLICT (id) DO UPDATE SET status = excluded.status, body = excluded.body",
            )
            .bind(team_rows(&batch.teams)?)
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        }
        if !batch.assignments.is_empty() {
            sqlx::query(
                "INSERT INTO assignments (id, incident_id, team_id, status, ack_deadline, body)
                 SELECT value->>'id', value->>'incident_id', value->>'team_id', value->>'status',
                        value->>'ack_deadline', value->>'body'
                 FROM json_each(?1) WHERE true
                 ON CONFLICT (id) DO UPDATE SET status = excluded.status,
                    ack_deadline = excluded.ack_deadline, body = excluded.body",
            )
            .bind(assignment_rows(&batch.assignments)?)
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        }
        if !batch.tasks.is_empty() {
            sqlx::query(
                "INSERT INTO follow_ups (id, incident_id, assignee, status, due_at, body)
                 SELECT value->>'id', value->>'incident_id', value->>'assignee', value->>'status',
                        value->>'due_at', value->>'body'
                 FROM json_each(?1) WHERE true
                 ON CONFLICT (id) DO UPDATE SET assignee = excluded.assignee,
                    status = excluded.status, due_at = excluded.due_at, body = excluded.body",
            )
            .bind(task_rows(&batch.tasks)?)
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        }
        tx.commit().await.map_err(store_error)
    }

    async fn load(&self) -> Result<Loaded, StoreError> {
        let last_seq: i64 = sqlx::query("SELECT COALESCE(MAX(seq), 0) FROM journal")
            .fetch_one(&self.pool)
            .await
            .map_err(store_error)?
            .try_get(0)
            .map_err(store_error)?;
        Ok(Loaded {
            last_seq: u64::try_from(last_seq).unwrap_or(0),
            incidents: self.bodies("SELECT body FROM incidents").await?,
            teams: self.bodies("SELECT body FROM teams ORDER BY id").await?,
            assignments: self.bodies("SELECT body FROM assignments").await?,
            tasks: self.bodies("SELECT body FROM follow_ups").await?,
        })
    }

    async fn read_journal(&self, after: u64, limit: u32) -> Result<Vec<JournalEntry>, StoreError> {
        let rows =
            sqlx::query("SELECT seq, at, body FROM journal WHERE seq > ?1 ORDER BY seq LIMIT ?2")
                .bind(i64::try_from(after).unwrap_or(i64::MAX))
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await
                .map_err(store_error)?;
        rows.iter()
            .map(|row| {
                let seq: i64 = row.try_get(0).map_err(store_error)?;
                let at: i64 = row.try_get(1).map_err(store_error)?;
                let body: &str = row.try_get(2).map_err(store_error)?;
                Ok(JournalEntry {
                    seq: u64::try_from(seq)
                        .map_err(|_| StoreError::Corrupt(format!("journal seq {seq}")))?,
                    at: dispatch_core::Timestamp(at),
                    event: decode(body)?,
                })
            })
            .collect()
    }

    async fn find_cad_receipts(
        &self,
        keys: &[(String, String)],
    ) -> Result<Vec<CadReceipt>, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(
            "SELECT c.source, c.event_id, c.seq, c.incident_id FROM cad_events c
             JOIN json_each(?1) k ON c.source = k.value->>0 AND c.event_id = k.value->>1",
        )
        .bind(encode(&keys)?)
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        rows.iter()
            .map(|row| {
                let seq: i64 = row.try_get(2).map_err(store_error)?;
                let incident: Option<String> = row.try_get(3).map_err(store_error)?;
                Ok(CadReceipt {
                    source: row.try_get(0).map_err(store_error)?,
                    event_id: row.try_get(1).map_err(store_error)?,
                    seq: u64::try_from(seq).unwrap_or(0),
                    incident_id: incident.map(dispatch_core::IncidentId),
                })
            })
            .collect()
    }

    async fn find_commands(
        &self,
        command_ids: &[String],
    ) -> Result<Vec<CommandRecord>, StoreError> {
        if command_ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(
            "SELECT command_id, fingerprint, seq FROM commands
             WHERE command_id IN (SELECT value FROM json_each(?1))",
        )
        .bind(encode(&command_ids)?)
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        rows.iter()
            .map(|row| {
                let seq: i64 = row.try_get(2).map_err(store_error)?;
                Ok(CommandRecord {
                    command_id: row.try_get(0).map_err(store_error)?,
                    fingerprint: row.try_get(1).map_err(store_error)?,
                    seq: u64::try_from(seq).unwrap_or(0),
                })
            })
            .collect()
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}

impl SqliteStore {
    async fn bodies<T: serde::de::DeserializeOwned>(
        &self,
        sql: &'static str,
    ) -> Result<Vec<T>, StoreError> {
        let rows = sqlx::query(sql)
            .fetch_all(&self.pool)
            .await
            .map_err(store_error)?;
        rows.iter()
            .map(|row| decode(row.try_get::<&str, _>(0).map_err(store_error)?))
            .collect()
    }
}

fn store_error(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict(db.message().to_owned())
        }
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => {
            StoreError::Unavailable(e.to_string())
        }
        sqlx::Error::Database(db)
            if db.message().contains("disk") || db.message().contains("full") =>
        {
            StoreError::Unavailable(db.message().to_owned())
        }
        sqlx::Error::Decode(_) | sqlx::Error::ColumnDecode { .. } => {
            StoreError::Corrupt(e.to_string())
        }
        _ => StoreError::Other(e.to_string()),
    }
}
