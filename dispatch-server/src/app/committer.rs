//! The committer: the second stage of the write pipeline. It writes each decided batch in
//! one transaction, in order; only then does it apply the batch to the state readers see,
//! hand it to the hub, and answer the callers. A failed commit fails that batch and every
//! batch decided on top of it, and tells the writer to roll back.

use super::error::AppError;
use super::published::Published;
use super::writer::{CadOutcome, Outcome, Pending, clone_store_error, copy_error};
use crate::hub::Hub;
use dispatch_store::{Batch, Store, StoreError};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use tokio::sync::mpsc;
use tracing::{debug, error};

/// What the writer hands over: a batch and who is waiting for it.
pub(crate) struct Decided {
    pub epoch: u64,
    /// The journal sequence after this batch.
    pub seq: u64,
    pub batch: Batch,
    pub pending: Vec<Pending>,
    /// Requests that repeat one earlier in the same batch (index into `pending`).
    pub repeats: Vec<(usize, Pending)>,
}

/// Shared between the two stages.
#[derive(Debug, Default)]
pub(crate) struct Control {
    /// Set by the committer when a commit failed; the writer rolls back and clears it.
    pub failed: AtomicBool,
}

pub(crate) struct Committer<S: Store> {
    pub store: Arc<S>,
    pub published: Arc<RwLock<Published>>,
    pub hub: Hub,
    pub control: Arc<Control>,
}

impl<S: Store> Committer<S> {
    pub async fn run(self, mut rx: mpsc::Receiver<Decided>) {
        let mut failed_epoch: Option<u64> = None;
        while let Some(decided) = rx.recv().await {
            if failed_epoch.is_some_and(|f| decided.epoch <= f) {
                // Decided on top of a batch that was not written: it must not be written.
                answer_all(
                    decided.pending,
                    decided.repeats,
                    Some(&StoreError::Unavailable("an earlier write failed".into())),
                );
                continue;
            }
            match self.store.commit(&decided.batch).await {
                Ok(()) => {
                    self.publish(decided.batch, decided.seq);
                    answer_all(decided.pending, decided.repeats, None);
                }
                Err(e) => {
                    error!(error = %e, "group commit failed; nothing of this batch is applied");
                    failed_epoch = Some(decided.epoch);
                    self.control.failed.store(true, Ordering::SeqCst);
                    answer_all(decided.pending, decided.repeats, Some(&e));
                }
            }
        }
        debug!("committer stopped");
    }

    fn publish(&self, batch: Batch, seq: u64) {
        if batch.entries.is_empty() {
            return;
        }
        {
            let mut p = self.published.write().unwrap_or_else(|e| e.into_inner());
            for e in &batch.entries {
                p.state.apply(&e.event, e.at);
            }
            p.seq = seq;
        }
        self.hub.publish(Arc::new(batch.entries));
    }
}

/// Sends every answer; with `failure`, every request of the batch gets it (even duplicates,
/// whose first may have been in the failed batch): retrying is always safe.
fn answer_all(
    mut pending: Vec<Pending>,
    repeats: Vec<(usize, Pending)>,
    failure: Option<&StoreError>,
) {
    if let Some(e) = failure {
        let fail = || AppError::Store(clone_store_error(e));
        pending = pending
            .into_iter()
            .map(|p| match p {
                Pending::Cad(tx, _) => Pending::Cad(tx, Err(fail())),
                Pending::Command(tx, _) => Pending::Command(tx, Err(fail())),
                Pending::System(tx, _) => Pending::System(tx, Err(fail())),
            })
            .collect();
    }
    let mut answers = Vec::with_capacity(repeats.len());
    for (first, repeat) in repeats {
        answers.push(match (&pending[first], repeat) {
            (Pending::Cad(_, r), Pending::Cad(tx, _)) => Pending::Cad(
                tx,
                r.as_ref()
                    .map(|o| CadOutcome {
                        duplicate: true,
                        ..o.clone()
                    })
                    .map_err(copy_error),
            ),
            (Pending::Command(_, r), Pending::Command(tx, _)) => Pending::Command(
                tx,
                r.as_ref()
                    .map(|o| Outcome {
                        duplicate: true,
                        ..o.clone()
                    })
                    .map_err(copy_error),
            ),
            (_, other) => other,
        });
    }
    for p in pending.into_iter().chain(answers) {
        // A caller that went away does not need its answer.
        let _ = match p {
            Pending::Cad(tx, r) => tx.send(r).map_err(|_| ()),
            Pending::Command(tx, r) => tx.send(r).map_err(|_| ()),
            Pending::System(tx, r) => tx.send(r).map_err(|_| ()),
        };
    }
}
