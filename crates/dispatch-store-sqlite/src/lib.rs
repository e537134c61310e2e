//! The SQLite backend of the dispatch [`Store`]: WAL, foreign keys on, a busy timeout, fsync
//! on every commit (`synchronous = FULL`), migrations applied on open.
//!
//! Each group commit is one transaction of a handful of multi-row statements (see `rows`).

mod export;
mod rows;

use dispatch_store::{
    AuditEvent, AuditRecord, Batch, CadReceipt, Chain, CommandRecord, DataKey, JournalEntry,
    Loaded, Store, StoreError,
};
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
        // Encode everything before the transaction starts, so it is held for the writes only.
        let tables = [
            (&JOURNAL, journal_rows(&batch.entries)?),
            (&CAD_EVENTS, receipt_rows(&batch.cad_receipts)),
            (&COMMANDS, command_rows(&batch.commands)),
            (&INCIDENTS, incident_rows(&batch.incidents)?),
            (&TEAMS, team_rows(&batch.teams)?),
            (&ASSIGNMENTS, assignment_rows(&batch.assignments)?),
            (&FOLLOW_UPS, task_rows(&batch.tasks)?),
            (&DATA_KEYS, data_key_rows(&batch.data_keys)),
        ];
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        for (table, rows) in tables {
            insert(&mut tx, table, rows).await.map_err(store_error)?;
        }
        append_audit(&mut tx, &batch.audit).await?;
        tx.commit().await.map_err(store_error)
    }

    async fn append_audit(&self, events: &[AuditEvent]) -> Result<(), StoreError> {
        if events.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        append_audit(&mut tx, events).await?;
        tx.commit().await.map_err(store_error)
    }

    async fn read_audit(&self, after: u64, limit: u32) -> Result<Vec<AuditRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, body, prev_hash, hash FROM audit WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )
        .bind(i64::try_from(after).unwrap_or(i64::MAX))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        rows.iter()
            .map(|row| {
                let seq: i64 = row.try_get(0).map_err(store_error)?;
                Ok(AuditRecord {
                    seq: u64::try_from(seq)
                        .map_err(|_| StoreError::Corrupt(format!("audit seq {seq}")))?,
                    body: row.try_get(1).map_err(store_error)?,
                    prev_hash: row.try_get(2).map_err(store_error)?,
                    hash: row.try_get(3).map_err(store_error)?,
                })
            })
            .collect()
    }

    async fn load_data_keys(&self) -> Result<Vec<DataKey>, StoreError> {
        let rows = sqlx::query("SELECT incident_id, wrapped FROM data_keys")
            .fetch_all(&self.pool)
            .await
            .map_err(store_error)?;
        rows.iter()
            .map(|row| {
                Ok(DataKey {
                    incident_id: dispatch_core::IncidentId(row.try_get(0).map_err(store_error)?),
                    wrapped: row.try_get(1).map_err(store_error)?,
                })
            })
            .collect()
    }

    async fn audit_head(&self) -> Result<Chain, StoreError> {
        let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await
            .map_err(store_error)?;
        chain_of(&row)
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

/// Chains `events` after the head and writes them in `tx`. The head is written first, so
/// the transaction holds SQLite's write lock before it reads where the chain ends: two
/// appenders take turns and never fork the chain.
async fn append_audit(
    tx: &mut sqlx::SqliteConnection,
    events: &[AuditEvent],
) -> Result<(), StoreError> {
    if events.is_empty() {
        return Ok(());
    }
    let row = sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut *tx)
        .await
        .map_err(store_error)?;
    let mut chain = chain_of(&row)?;
    let records = events
        .iter()
        .map(|e| {
            let record = chain
                .link(e)
                .map_err(|err| StoreError::Other(format!("encode audit: {err}")))?;
            Ok((record, e.at.millis(), e.actor.clone()))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    insert(&mut *tx, &AUDIT, audit_rows(&records))
        .await
        .map_err(store_error)?;
    sqlx::query("UPDATE audit_head SET seq = ?1, hash = ?2 WHERE id = 1")
        .bind(i64::try_from(chain.seq).unwrap_or(i64::MAX))
        .bind(chain.hash)
        .execute(&mut *tx)
        .await
        .map_err(store_error)?;
    Ok(())
}

fn chain_of(row: &sqlx::sqlite::SqliteRow) -> Result<Chain, StoreError> {
    let seq: i64 = row.try_get(0).map_err(store_error)?;
    Ok(Chain {
        seq: u64::try_from(seq).map_err(|_| StoreError::Corrupt(format!("audit head {seq}")))?,
        hash: row.try_get(1).map_err(store_error)?,
    })
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
