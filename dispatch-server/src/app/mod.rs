//! The use-cases: what the gRPC adapters call. The app owns the writer task, the committed
//! state readers see, and the hub that streams read.

mod error;
mod published;
mod report;
mod writer;

pub use error::AppError;
pub use published::Published;
pub use writer::{CadOutcome, Outcome};

use crate::clock::Clock;
use crate::hub::{Hub, JournalReader};
use dispatch_core::{Command, Policy, State};
use dispatch_store::{Store, StoreError};
use std::sync::{Arc, RwLock};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use writer::{Work, Writer};

#[derive(Clone)]
pub struct App {
    inner: Arc<Inner>,
}

struct Inner {
    published: Arc<RwLock<Published>>,
    hub: Hub,
    journal: Arc<dyn JournalReader>,
    work: mpsc::Sender<Work>,
    policy: Arc<Policy>,
    clock: Clock,
}

impl App {
    /// Loads the state from the store and starts the writer. The writer stops when every
    /// `App` clone is dropped; await the handle to know it has finished its last commit.
    pub async fn start<S: Store>(
        store: S,
        policy: Policy,
        max_batch: usize,
        clock: Clock,
    ) -> Result<(App, JoinHandle<()>), StoreError> {
        let loaded = store.load().await?;
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
        let writer = Writer::new(
            store.clone(),
            policy.clone(),
            published.clone(),
            hub.clone(),
            max_batch,
            clock.clone(),
        );
        let handle = tokio::spawn(writer.run(rx));
        let app = App {
            inner: Arc::new(Inner {
                published,
                hub,
                journal: store,
                work: tx,
                policy,
                clock,
            }),
        };
        Ok((app, handle))
    }

    /// The clock every use-case reads (the wall clock, or a test's manual one).
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    pub fn policy(&self) -> &Policy {
        &self.inner.policy
    }

    pub fn hub(&self) -> &Hub {
        &self.inner.hub
    }

    pub fn journal(&self) -> Arc<dyn JournalReader> {
        self.inner.journal.clone()
    }

    /// Reads the committed state and the sequence it reflects.
    pub fn read<R>(&self, f: impl FnOnce(&State, u64) -> R) -> R {
        let p = self
            .inner
            .published
            .read()
            .unwrap_or_else(|e| e.into_inner());
        f(&p.state, p.seq)
    }

    /// A CAD event, idempotent by (source, event id).
    pub async fn cad_event(
        &self,
        source: String,
        event_id: String,
        command: Command,
    ) -> Result<CadOutcome, AppError> {
        let (reply, rx) = oneshot::channel();
        self.send(Work::Cad {
            source,
            event_id,
            command,
            reply,
        })
        .await?;
        rx.await.map_err(|_| AppError::ShuttingDown)?
    }

    /// A client command, idempotent by command id. The fingerprint says what the command is,
    /// so that re-using an id for another command is refused.
    pub async fn command(
        &self,
        command_id: String,
        fingerprint: String,
        command: Command,
    ) -> Result<Outcome, AppError> {
        let (reply, rx) = oneshot::channel();
        self.send(Work::Command {
            command_id,
            fingerprint,
            command,
            reply,
        })
        .await?;
        rx.await.map_err(|_| AppError::ShuttingDown)?
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
