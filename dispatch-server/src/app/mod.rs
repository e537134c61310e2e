//! The use-case layer: one named operation for every write and every read a transport needs
//! (`dispatch`, `responder`, `follow_ups`, `cad`, `report`), returning domain values. Ids are
//! minted here (`ids`) and access rules live here (`access`), so a transport only
//! authenticates, converts, calls one operation and converts back. The app owns the writer
//! task, the committed state readers see, the hub that feeds streams, and the timers.

pub mod access;
mod audit;
mod cad;
mod dispatch;
mod error;
mod feed;
mod follow_ups;
mod follower;
mod hub;
mod ids;
mod published;
mod report;
mod responder;
mod timers;
mod writer;

pub use audit::{Actor, ExportFilter, Verified};
pub use cad::{CadCall, QueuedCad, Submitted};
pub use dispatch::Board;
pub use error::AppError;
pub use feed::Feed;
pub use follow_ups::Queue;
pub use follower::follow_journal;
pub use hub::stream_channel;
pub use published::Published;
pub use responder::{TeamCard, TeamNews};
pub use timers::run_timers;
pub use writer::{CadOutcome, Outcome};

use crate::clock::Clock;
use crate::privacy::{PrivacyError, Vault};
use audit::{AuditLog, AuditReader};
use dispatch_core::{Command, Policy, State, Timestamp};
use dispatch_store::{Store, StoreError};
use hub::{Hub, JournalReader, OpenedJournal};
use std::sync::{Arc, RwLock};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use writer::{Safeguards, Work, Writer};

/// Why the app could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Privacy(#[from] PrivacyError),
}

/// What a write did: what it is about as committed (read back after the commit) and the
/// journal sequence that holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct Applied<T> {
    pub value: T,
    pub seq: u64,
    /// When it was read back (what "overdue" is judged against).
    pub as_of: Timestamp,
}

#[derive(Clone)]
pub struct App {
    inner: Arc<Inner>,
}

struct Inner {
    published: Arc<RwLock<Published>>,
    hub: Hub,
    journal: Arc<dyn JournalReader>,
    audit: AuditLog,
    audit_store: Arc<dyn AuditReader>,
    work: mpsc::Sender<Work>,
    policy: Arc<Policy>,
    clock: Clock,
    /// Whether the store answered its last read (the journal follower's, on a shared store);
    /// the health service says NOT_SERVING while it does not.
    store_up: tokio::sync::watch::Sender<bool>,
}

impl App {
    /// Loads the state from the store and starts the writer and the audit appender. Both
    /// stop when every `App` clone is dropped; await the handle to know the last commit and
    /// the last audit record are written.
    pub async fn start<S: Store>(
        store: S,
        policy: Policy,
        max_batch: usize,
        clock: Clock,
        vault: Arc<Vault>,
    ) -> Result<(App, JoinHandle<()>), StartError> {
        let mut loaded = store.load().await?;
        // The stored copies are sealed; the state is plain text (see `privacy`).
        vault.load_keys(store.load_data_keys().await?)?;
        loaded.incidents.iter_mut().for_each(|i| vault.open(i));
        loaded.tasks.iter_mut().for_each(|t| vault.open(t));
        let state = State::from_parts(
            loaded.incidents,
            loaded.teams,
            loaded.assignments,
            loaded.tasks,
        );
        let published = Arc::new(RwLock::new(Published {
            state,
            seq: loaded.last_seq,
        }));
        let store = Arc::new(store);
        let policy = Arc::new(policy);
        let hub = Hub::default();
        let (tx, rx) = mpsc::channel(max_batch.max(1) * 4);
        let (audit, audit_rx) = AuditLog::new(clock.clone());
        let writer = Writer::new(
            store.clone(),
            policy.clone(),
            published.clone(),
            hub.clone(),
            max_batch,
            clock.clone(),
            Safeguards {
                audit: audit.clone(),
                vault: vault.clone(),
            },
        );
        let appender = tokio::spawn(audit::run_appender(store.clone(), audit_rx));
        let writer = tokio::spawn(writer.run(rx));
        let handle = tokio::spawn(async move {
            let _ = writer.await;
            let _ = appender.await;
        });
        let app = App {
            inner: Arc::new(Inner {
                published,
                hub,
                journal: Arc::new(OpenedJournal {
                    store: store.clone(),
                    vault,
                }),
                audit,
                audit_store: store,
                work: tx,
                policy,
                clock,
                store_up: tokio::sync::watch::Sender::new(true),
            }),
        };
        Ok((app, handle))
    }

    /// Changes when the store stops or starts answering (see `follow_journal`).
    pub fn store_up(&self) -> tokio::sync::watch::Receiver<bool> {
        self.inner.store_up.subscribe()
    }

    /// The last journal sequence readers see.
    pub fn last_seq(&self) -> u64 {
        self.read(|_, seq| seq)
    }

    /// The clock every use-case reads (the wall clock, or a test's manual one).
    fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    fn policy(&self) -> &Policy {
        &self.inner.policy
    }

    fn hub(&self) -> &Hub {
        &self.inner.hub
    }

    fn journal(&self) -> Arc<dyn JournalReader> {
        self.inner.journal.clone()
    }

    /// Reads the committed state and the sequence it reflects.
    fn read<R>(&self, f: impl FnOnce(&State, u64) -> R) -> R {
        let p = self
            .inner
            .published
            .read()
            .unwrap_or_else(|e| e.into_inner());
        f(&p.state, p.seq)
    }

    /// A client command, idempotent by command id. Its fingerprint says what the command is,
    /// so that re-using an id for another command is refused.
    async fn command(
        &self,
        actor: &Actor,
        command_id: String,
        command: Command,
    ) -> Result<Outcome, AppError> {
        let fingerprint = ids::fingerprint(&command);
        let (reply, rx) = oneshot::channel();
        self.send(Work::Command {
            actor: actor.clone(),
            command_id,
            fingerprint,
            command,
            reply,
        })
        .await?;
        rx.await.map_err(|_| AppError::ShuttingDown)?
    }

    /// Runs a client command, then reads back what it is about from the committed state.
    async fn command_then<T>(
        &self,
        actor: &Actor,
        command_id: String,
        command: Command,
        read_back: impl FnOnce(&State) -> T,
    ) -> Result<Applied<T>, AppError> {
        let outcome = self.command(actor, command_id, command).await?;
        let value = self.read(|state, _| read_back(state));
        Ok(Applied {
            value,
            seq: outcome.seq,
            as_of: self.clock().now(),
        })
    }

    /// A timer's command, idempotent by an id derived from the timer: with several replicas
    /// every one fires it, and it takes effect once.
    pub(crate) async fn timer(
        &self,
        timer_id: String,
        command: Command,
    ) -> Result<Outcome, AppError> {
        // On the audit trail as the server's own change, and only when it changed something
        // (see the writer): a timer another replica fired first records nothing here.
        let actor = Actor {
            holder: audit::SERVER.into(),
            role: "server".into(),
            peer: None,
            operation: command.name().into(),
        };
        self.command(&actor, timer_id, command).await
    }

    /// A command from the server itself (timers, roster); waits for it to be durable.
    pub async fn system(&self, command: Command) -> Result<u64, AppError> {
        let (reply, rx) = oneshot::channel();
        self.send(Work::System {
            command,
            reply: Some(reply),
        })
        .await?;
        rx.await.map_err(|_| AppError::ShuttingDown)?
    }

    async fn send(&self, work: Work) -> Result<(), AppError> {
        self.inner
            .work
            .send(work)
            .await
            .map_err(|_| AppError::ShuttingDown)
    }
}
