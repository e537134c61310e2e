//! Persistence of the dispatch system: an append-only journal with a global sequence, the
//! projections (incidents, teams, assignments, follow-up tasks) written in the same
//! transaction, and the idempotency records of CAD events and client commands.
//!
//! One [`Store`] trait, one crate per database backend, one conformance suite
//! ([`conformance`], feature `conformance`) run against every backend.

use dispatch_core::{Assignment, Event, FollowUpTask, Incident, IncidentId, Team, Timestamp};
use std::future::Future;
use thiserror::Error;

pub mod audit;
#[cfg(feature = "conformance")]
pub mod conformance;

pub use audit::{AuditAction, AuditEvent, AuditRecord, Chain};

/// One event as the journal holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct JournalEntry {
    pub seq: u64,
    pub at: Timestamp,
    pub event: Event,
}

/// That a CAD event was applied: re-sent events are answered from here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CadReceipt {
    pub source: String,
    pub event_id: String,
    /// The sequence of the event's last journal entry, or of the journal when it had none.
    pub seq: u64,
    pub incident_id: Option<IncidentId>,
}

/// That a client command was applied. The fingerprint says what the command was, so that a
/// command id re-used for a different command is caught.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandRecord {
    pub command_id: String,
    pub fingerprint: String,
    pub seq: u64,
}

/// Everything one group commit writes, in one transaction.
#[derive(Clone, Debug, Default)]
pub struct Batch {
    pub entries: Vec<JournalEntry>,
    pub cad_receipts: Vec<CadReceipt>,
    pub commands: Vec<CommandRecord>,
    /// The projections as they stand after the batch (only the changed rows).
    pub incidents: Vec<Incident>,
    pub teams: Vec<Team>,
    pub assignments: Vec<Assignment>,
    pub tasks: Vec<FollowUpTask>,
    /// The audit records of the batch's requests (applied or refused), chained in the same
    /// transaction: a change is never durable without its record, nor its record without it.
    pub audit: Vec<AuditEvent>,
    /// New incidents' data keys, wrapped by the master key (encryption at rest): written with
    /// the first entry they encrypt.
    pub data_keys: Vec<DataKey>,
}

/// One incident's data key as stored: wrapped (encrypted) by the master key. The store never
/// sees a key in clear.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataKey {
    pub incident_id: IncidentId,
    /// The master key's id, a colon, and the sealed key (opaque to the store).
    pub wrapped: String,
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
            && self.cad_receipts.is_empty()
            && self.commands.is_empty()
            && self.audit.is_empty()
            && self.data_keys.is_empty()
    }
}

/// The projections as loaded at start.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    pub last_seq: u64,
    pub incidents: Vec<Incident>,
    pub teams: Vec<Team>,
    pub assignments: Vec<Assignment>,
    pub tasks: Vec<FollowUpTask>,
}

/// The idempotency keys of one round of requests.
#[derive(Clone, Debug, Default)]
pub struct Keys {
    pub cad: Vec<(String, String)>,
    pub commands: Vec<String>,
}

/// What a writer learns before it decides a round (see [`Store::commit_decided`]): the
/// entries other writers committed after its own last sequence, and the stored idempotency
/// records among the round's keys.
#[derive(Clone, Debug, Default)]
pub struct Locked {
    pub missed: Vec<JournalEntry>,
    pub receipts: Vec<CadReceipt>,
    pub commands: Vec<CommandRecord>,
    /// The data keys (wrapped) of the incidents `missed` names: what another replica
    /// committed with them, needed to open their sealed fields.
    pub data_keys: Vec<DataKey>,
}

#[derive(Clone, Debug, Error)]
pub enum StoreError {
    /// A unique key already exists (an idempotency key, a sequence number).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database cannot be reached or is out of space; retrying later may work.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// Stored data does not decode: a bug or a damaged database.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("store error: {0}")]
    Other(String),
}

/// The persistence every backend provides. Writes go through [`Store::commit`] or
/// [`Store::commit_decided`] only, one writer per process, so that the journal's sequence has
/// no gaps; a store shared by several processes orders their writers itself.
pub trait Store: Send + Sync + 'static {
    /// Writes a batch atomically: all of it or none of it.
    fn commit(&self, batch: &Batch) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Loads the projections and the last journal sequence.
    fn load(&self) -> impl Future<Output = Result<Loaded, StoreError>> + Send;

    /// Journal entries with `seq > after`, in order, at most `limit`.
    fn read_journal(
        &self,
        after: u64,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<JournalEntry>, StoreError>> + Send;

    /// The receipts of the given (source, event id) pairs that were applied.
    fn find_cad_receipts(
        &self,
        keys: &[(String, String)],
    ) -> impl Future<Output = Result<Vec<CadReceipt>, StoreError>> + Send;

    /// The records of the given command ids that were applied.
    fn find_commands(
        &self,
        command_ids: &[String],
    ) -> impl Future<Output = Result<Vec<CommandRecord>, StoreError>> + Send;

    /// One writer's round, for stores that several server processes share: under the
    /// journal's write lock, hands `decide` the entries committed after `after` and the stored
    /// records of `keys`, then commits the batch it returns. The default (a store with one
    /// writer, nothing to catch up) looks the keys up, decides and commits. On an error
    /// nothing of the batch is applied, or (connection lost in COMMIT) it is not known
    /// whether it was: the caller never reports it as a success.
    fn commit_decided<F>(
        &self,
        after: u64,
        keys: &Keys,
        decide: F,
    ) -> impl Future<Output = Result<Batch, StoreError>> + Send
    where
        F: FnOnce(Locked) -> Batch + Send,
    {
        let _ = after;
        async move {
            let receipts = self.find_cad_receipts(&keys.cad).await?;
            let commands = self.find_commands(&keys.commands).await?;
            let batch = decide(Locked {
                missed: Vec::new(),
                receipts,
                commands,
                data_keys: Vec::new(),
            });
            self.commit(&batch).await?;
            Ok(batch)
        }
    }

    /// Appends audit records on their own (reads, refusals), chained after the last one.
    fn append_audit(
        &self,
        events: &[AuditEvent],
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Audit records with `seq > after`, in order, at most `limit`, exactly as stored.
    fn read_audit(
        &self,
        after: u64,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<AuditRecord>, StoreError>> + Send;

    /// The end of the audit chain as the store's head records it.
    fn audit_head(&self) -> impl Future<Output = Result<Chain, StoreError>> + Send;

    /// Every stored data key (wrapped), to unwrap at start.
    fn load_data_keys(&self) -> impl Future<Output = Result<Vec<DataKey>, StoreError>> + Send;

    /// The stored data keys of these incidents (those another replica of a shared store
    /// created). The default filters [`Store::load_data_keys`].
    fn find_data_keys(
        &self,
        incidents: &[IncidentId],
    ) -> impl Future<Output = Result<Vec<DataKey>, StoreError>> + Send {
        async move {
            let mut keys = self.load_data_keys().await?;
            keys.retain(|k| incidents.contains(&k.incident_id));
            Ok(keys)
        }
    }

    /// Closes connections; pending writes are finished first.
    fn close(&self) -> impl Future<Output = ()> + Send;
}
