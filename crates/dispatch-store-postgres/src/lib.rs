//! The PostgreSQL backend of the dispatch [`Store`], for several server replicas on one
//! database (PostgreSQL 15+).
//!
//! Every replica writes; PostgreSQL orders the writes. A write transaction locks the one row
//! of `journal_head` (`FOR UPDATE`), catches the writer up with the entries after its own
//! last sequence, lets it decide its round against that state, inserts the entries with the
//! next contiguous sequence numbers, moves the head and commits (see
//! [`Store::commit_decided`]). So sequence order is commit order, readers never see a gap,
//! and no writer decides on stale state. After the commit a `NOTIFY` on [`CHANNEL`] carries
//! the new head; [`PgStore::listen`] gives each replica its wake-ups.
//!
//! [`harness`] starts a throwaway PostgreSQL for tests.

pub mod harness;
mod rows;

use dispatch_store::{
    AuditEvent, AuditRecord, Batch, CadReceipt, Chain, CommandRecord, DataKey, JournalEntry, Keys,
    Loaded, Locked, Store, StoreError,
};
use rows::{Encoded, decode, seq};
use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use sqlx::{PgConnection, PgPool, Row};
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!();

/// The notification channel that carries the journal's new head after each commit.
pub const CHANNEL: &str = "dispatch_journal";

#[derive(Clone, Debug)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects and applies migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects without touching the schema.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Other(format!("database_url: {e}")))?
            .application_name("dispatch-server");
        let pool = PgPoolOptions::new()
            .max_connections(8)
            // A request waits this long for a connection while PostgreSQL is away, then is
            // refused as unavailable (never answered with a false success).
            .acquire_timeout(Duration::from_secs(3))
            .connect_with(options)
            .await
            .map_err(store_error)?;
        Ok(Self { pool })
    }

    /// Creates or upgrades the schema (sqlx migrations, each applied once).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        MIGRATOR
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Other(format!("migration failed: {e}")))
    }

    /// A dedicated connection that `LISTEN`s on [`CHANNEL`].
    pub async fn listen(&self) -> Result<JournalListener, StoreError> {
        let mut listener = PgListener::connect_with(&self.pool)
            .await
            .map_err(store_error)?;
        listener.listen(CHANNEL).await.map_err(store_error)?;
        Ok(JournalListener { listener })
    }
}

/// Why a replica should read the journal again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wake {
    /// A commit moved the head to this sequence.
    Committed(u64),
    /// The listening connection was lost: notifications may have been missed meanwhile.
    Reconnect,
}

pub struct JournalListener {
    listener: PgListener,
}

impl JournalListener {
    /// The next reason to read the journal. After a `Reconnect` the next call connects again
    /// (waiting a second between failed attempts).
    pub async fn next(&mut self) -> Wake {
        match self.listener.try_recv().await {
            Ok(Some(n)) => Wake::Committed(n.payload().parse().unwrap_or(0)),
            Ok(None) => Wake::Reconnect,
            Err(e) => {
                tracing::warn!(error = %e, "journal listener: cannot reconnect yet");
                tokio::time::sleep(Duration::from_secs(1)).await;
                Wake::Reconnect
            }
        }
    }
}

impl Store for PgStore {
    async fn commit(&self, batch: &Batch) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        let rows = Encoded::new(batch)?;
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        let head = lock_head(&mut tx).await?;
        write(&mut tx, head, batch, rows).await?;
        tx.commit().await.map_err(store_error)
    }

    async fn commit_decided<F>(
        &self,
        after: u64,
        keys: &Keys,
        decide: F,
    ) -> Result<Batch, StoreError>
    where
        F: FnOnce(Locked) -> Batch + Send,
    {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        let head = lock_head(&mut tx).await?;
        let missed = if head > after {
            read_journal(&mut tx, after, None).await?
        } else {
            Vec::new()
        };
        let receipts = find_cad_receipts(&mut tx, &keys.cad).await?;
        let commands = find_commands(&mut tx, &keys.commands).await?;
        // The missed entries' sealed fields need their incidents' keys, committed with them.
        let data_keys = if missed.is_empty() {
            Vec::new()
        } else {
            data_keys_after(&mut tx, after).await?
        };
        let batch = decide(Locked {
            missed,
            receipts,
            commands,
            data_keys,
        });
        if batch.is_empty() {
            // Nothing to write: the lock is released without a commit.
            drop(tx);
            return Ok(batch);
        }
        let rows = Encoded::new(&batch)?;
        write(&mut tx, head, &batch, rows).await?;
        // A lost connection here leaves the outcome unknown: it is reported as a failure,
        // and a resend is answered from the idempotency records if the commit did land.
        tx.commit().await.map_err(store_error)?;
        Ok(batch)
    }

    async fn load(&self) -> Result<Loaded, StoreError> {
        // One snapshot: the projections are written in the same transactions as the journal.
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        let last_seq: i64 = sqlx::query("SELECT seq FROM journal_head WHERE id = 1")
            .fetch_one(&mut *tx)
            .await
            .map_err(store_error)?
            .try_get(0)
            .map_err(store_error)?;
        let loaded = Loaded {
            last_seq: u64::try_from(last_seq).unwrap_or(0),
            incidents: bodies(&mut tx, "SELECT body FROM incidents").await?,
            teams: bodies(&mut tx, "SELECT body FROM teams ORDER BY id").await?,
            assignments: bodies(&mut tx, "SELECT body FROM assignments").await?,
            tasks: bodies(&mut tx, "SELECT body FROM follow_ups").await?,
        };
        tx.commit().await.map_err(store_error)?;
        Ok(loaded)
    }

    async fn read_journal(&self, after: u64, limit: u32) -> Result<Vec<JournalEntry>, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(store_error)?;
        read_journal(&mut conn, after, Some(limit)).await
    }

    async fn find_cad_receipts(
        &self,
        keys: &[(String, String)],
    ) -> Result<Vec<CadReceipt>, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.pool.acquire().await.map_err(store_error)?;
        find_cad_receipts(&mut conn, keys).await
    }

    async fn find_commands(
        &self,
        command_ids: &[String],
    ) -> Result<Vec<CommandRecord>, StoreError> {
        if command_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.pool.acquire().await.map_err(store_error)?;
        find_commands(&mut conn, command_ids).await
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
            "SELECT seq, body, prev_hash, hash FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(seq(after))
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

    async fn audit_head(&self) -> Result<Chain, StoreError> {
        let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await
            .map_err(store_error)?;
        chain_of(&row)
    }

    async fn load_data_keys(&self) -> Result<Vec<DataKey>, StoreError> {
        let rows = sqlx::query("SELECT incident_id, wrapped FROM data_keys")
            .fetch_all(&self.pool)
            .await
            .map_err(store_error)?;
        data_keys_of(&rows)
    }

    async fn find_data_keys(
        &self,
        incidents: &[dispatch_core::IncidentId],
    ) -> Result<Vec<DataKey>, StoreError> {
        if incidents.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<&str> = incidents.iter().map(|i| i.as_str()).collect();
        let rows = sqlx::query(
            "SELECT incident_id, wrapped FROM data_keys WHERE incident_id = ANY($1::text[])",
        )
        .bind(ids)
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        data_keys_of(&rows)
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}

impl PgStore {
    /// Copies audit records exactly as another store holds them (`migrate-store`), so that
    /// the chain verifies here as it did there; only into an empty audit trail.
    pub async fn import_audit(&self, records: &[AuditRecord]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
            .fetch_one(&mut *tx)
            .await
            .map_err(store_error)?;
        let mut chain = chain_of(&row)?;
        let mut rows = Vec::with_capacity(records.len());
        for r in records {
            if r.seq != chain.seq + 1 || r.prev_hash != chain.hash {
                return Err(StoreError::Conflict(format!(
                    "audit record {} does not continue the chain at {}",
                    r.seq, chain.seq
                )));
            }
            let event = r
                .event()
                .map_err(|e| StoreError::Corrupt(format!("audit record {}: {e}", r.seq)))?;
            chain = Chain {
                seq: r.seq,
                hash: r.hash.clone(),
            };
            rows.push((r.clone(), event.at.millis(), event.actor));
        }
        rows::insert_audit(&mut tx, &rows)
            .await
            .map_err(store_error)?;
        set_audit_head(&mut tx, &chain).await?;
        tx.commit().await.map_err(store_error)
    }
}

/// Chains `events` after the head and writes them in the caller's transaction. The head row
/// is locked first (`FOR UPDATE`), so appenders of every replica take turns and never fork
/// the chain.
async fn append_audit(conn: &mut PgConnection, events: &[AuditEvent]) -> Result<(), StoreError> {
    if events.is_empty() {
        return Ok(());
    }
    let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
        .fetch_one(&mut *conn)
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
    rows::insert_audit(&mut *conn, &records)
        .await
        .map_err(store_error)?;
    set_audit_head(conn, &chain).await
}

async fn set_audit_head(conn: &mut PgConnection, chain: &Chain) -> Result<(), StoreError> {
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(seq(chain.seq))
        .bind(&chain.hash)
        .execute(&mut *conn)
        .await
        .map_err(store_error)?;
    Ok(())
}

fn chain_of(row: &sqlx::postgres::PgRow) -> Result<Chain, StoreError> {
    let seq: i64 = row.try_get(0).map_err(store_error)?;
    Ok(Chain {
        seq: u64::try_from(seq).map_err(|_| StoreError::Corrupt(format!("audit head {seq}")))?,
        hash: row.try_get(1).map_err(store_error)?,
    })
}

/// The data keys of the incidents the journal names after `after`.
async fn data_keys_after(conn: &mut PgConnection, after: u64) -> Result<Vec<DataKey>, StoreError> {
    let rows = sqlx::query(
        "SELECT incident_id, wrapped FROM data_keys WHERE incident_id IN
           (SELECT incident_id FROM journal WHERE seq > $1 AND incident_id IS NOT NULL)",
    )
    .bind(seq(after))
    .fetch_all(&mut *conn)
    .await
    .map_err(store_error)?;
    data_keys_of(&rows)
}

fn data_keys_of(rows: &[sqlx::postgres::PgRow]) -> Result<Vec<DataKey>, StoreError> {
    rows.iter()
        .map(|row| {
            Ok(DataKey {
                incident_id: dispatch_core::IncidentId(row.try_get(0).map_err(store_error)?),
                wrapped: row.try_get(1).map_err(store_error)?,
            })
        })
        .collect()
}

/// Takes the journal's write lock; returns the last committed sequence.
async fn lock_head(conn: &mut PgConnection) -> Result<u64, StoreError> {
    let head: i64 = sqlx::query("SELECT seq FROM journal_head WHERE id = 1 FOR UPDATE")
        .fetch_one(&mut *conn)
        .await
        .map_err(store_error)?
        .try_get(0)
        .map_err(store_error)?;
    u64::try_from(head).map_err(|_| StoreError::Corrupt(format!("journal head {head}")))
}

/// Writes a batch under the lock taken at `head`, moves the head and queues the notification
/// (PostgreSQL delivers it at commit, never for a rolled-back transaction).
async fn write(
    conn: &mut PgConnection,
    head: u64,
    batch: &Batch,
    rows: Encoded,
) -> Result<(), StoreError> {
    let last = match (batch.entries.first(), batch.entries.last()) {
        (Some(first), Some(last)) => {
            let contiguous = batch.entries.windows(2).all(|w| w[1].seq == w[0].seq + 1);
            if first.seq != head + 1 || !contiguous {
                return Err(StoreError::Conflict(format!(
                    "journal head is {head}; a batch must continue it without a gap (got {}..={})",
                    first.seq, last.seq
                )));
            }
            Some(last.seq)
        }
        _ => None,
    };
    rows.insert(conn).await.map_err(store_error)?;
    // The batch's audit records, chained in the same transaction as its events.
    append_audit(conn, &batch.audit).await?;
    if let Some(last) = last {
        sqlx::query("UPDATE journal_head SET seq = $1 WHERE id = 1")
            .bind(seq(last))
            .execute(&mut *conn)
            .await
            .map_err(store_error)?;
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(last.to_string())
            .execute(&mut *conn)
            .await
            .map_err(store_error)?;
    }
    Ok(())
}

async fn read_journal(
    conn: &mut PgConnection,
    after: u64,
    limit: Option<u32>,
) -> Result<Vec<JournalEntry>, StoreError> {
    let rows =
        sqlx::query("SELECT seq, at, body FROM journal WHERE seq > $1 ORDER BY seq LIMIT $2")
            .bind(seq(after))
            .bind(limit.map(i64::from))
            .fetch_all(&mut *conn)
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
    conn: &mut PgConnection,
    keys: &[(String, String)],
) -> Result<Vec<CadReceipt>, StoreError> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let (sources, event_ids): (Vec<&str>, Vec<&str>) =
        keys.iter().map(|(s, e)| (s.as_str(), e.as_str())).unzip();
    let rows = sqlx::query(
        "SELECT c.source, c.event_id, c.seq, c.incident_id FROM cad_events c
         JOIN UNNEST($1::text[], $2::text[]) AS k (source, event_id)
           ON c.source = k.source AND c.event_id = k.event_id",
    )
    .bind(sources)
    .bind(event_ids)
    .fetch_all(&mut *conn)
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
    conn: &mut PgConnection,
    command_ids: &[String],
) -> Result<Vec<CommandRecord>, StoreError> {
    if command_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query(
        "SELECT command_id, fingerprint, seq FROM commands WHERE command_id = ANY($1::text[])",
    )
    .bind(command_ids)
    .fetch_all(&mut *conn)
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

async fn bodies<T: serde::de::DeserializeOwned>(
    conn: &mut PgConnection,
    sql: &'static str,
) -> Result<Vec<T>, StoreError> {
    let rows = sqlx::query(sql)
        .fetch_all(&mut *conn)
        .await
        .map_err(store_error)?;
    rows.iter()
        .map(|row| decode(row.try_get::<&str, _>(0).map_err(store_error)?))
        .collect()
}

/// SQLSTATE classes that mean "try again later": connection exceptions (08), insufficient
/// resources (53), operator intervention such as a shutdown (57), a read-only standby
/// (25006), serialization failures and deadlocks (40).
fn transient(code: &str) -> bool {
    ["08", "53", "57", "40"].iter().any(|c| code.starts_with(c)) || code == "25006"
}

fn store_error(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict(db.message().to_owned())
        }
        sqlx::Error::Database(db) if db.code().is_some_and(|c| transient(&c)) => {
            StoreError::Unavailable(db.message().to_owned())
        }
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => StoreError::Unavailable(e.to_string()),
        sqlx::Error::Decode(_) | sqlx::Error::ColumnDecode { .. } => {
            StoreError::Corrupt(e.to_string())
        }
        _ => StoreError::Other(e.to_string()),
    }
}
