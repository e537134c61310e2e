//! The fan-out hub: every committed batch goes to every open stream, and each stream filters
//! what its caller may see. A stream that falls behind is resynced from the journal, never
//! silently skipped: tokio's broadcast reports `Lagged`, and the stream then reads the
//! missing sequence range from the store before going live again.

use dispatch_store::{JournalEntry, StoreError};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc};
use tracing::debug;

pub type Entries = Arc<Vec<JournalEntry>>;

/// How many committed batches a stream may fall behind before it resyncs from the journal.
const CAPACITY: usize = 4096;
/// Journal page size when catching up.
const PAGE: u32 = 1000;

#[derive(Clone, Debug)]
pub struct Hub {
    tx: broadcast::Sender<Entries>,
}

impl Default for Hub {
    fn default() -> Self {
        Self {
            tx: broadcast::channel(CAPACITY).0,
        }
    }
}

impl Hub {
    pub fn publish(&self, entries: Entries) {
        // No receiver is fine: nobody is watching.
        let _ = self.tx.send(entries);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Entries> {
        self.tx.subscribe()
    }
}

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Reading the journal, object-safe so that streams need not know the backend.
pub trait JournalReader: Send + Sync + 'static {
    fn read(&self, after: u64, limit: u32) -> BoxFuture<'_, Result<Vec<JournalEntry>, StoreError>>;
}

impl<S: dispatch_store::Store> JournalReader for S {
    fn read(&self, after: u64, limit: u32) -> BoxFuture<'_, Result<Vec<JournalEntry>, StoreError>> {
        Box::pin(self.read_journal(after, limit))
    }
}

/// Feeds one stream: the journal after `after`, then live batches, each entry exactly once
/// and in order; `send` turns an entry into zero or one message for the caller and returns
/// false when the caller is gone. `rx` must have been subscribed before `after` was read.
pub async fn follow<F, Fut>(
    journal: Arc<dyn JournalReader>,
    mut rx: broadcast::Receiver<Entries>,
    mut after: u64,
    mut send: F,
) -> Result<(), StoreError>
where
    F: FnMut(JournalEntry) -> Fut,
    Fut: Future<Output = bool>,
{
    match catch_up(&*journal, after, &mut send).await? {
        Some(seq) => after = seq,
        None => return Ok(()),
    }
    loop {
        match rx.recv().await {
            Ok(entries) => {
                for entry in entries.iter() {
                    if entry.seq <= after {
                        continue;
                    }
                    after = entry.seq;
                    if !send(entry.clone()).await {
                        return Ok(());
                    }
                }
            }
            Err(broadcast::error::RecvError::Lagged(skipped)) => {
                debug!(
                    skipped,
                    after, "stream fell behind; resyncing from the journal"
                );
                match catch_up(&*journal, after, &mut send).await? {
                    Some(seq) => after = seq,
                    None => return Ok(()),
                }
            }
            Err(broadcast::error::RecvError::Closed) => return Ok(()),
        }
    }
}

/// Sends every journal entry after `after`; returns the last sequence sent, or `None` when the
/// caller went away.
async fn catch_up<F, Fut>(
    journal: &dyn JournalReader,
    mut after: u64,
    send: &mut F,
) -> Result<Option<u64>, StoreError>
where
    F: FnMut(JournalEntry) -> Fut,
    Fut: Future<Output = bool>,
{
    loop {
        let page = journal.read(after, PAGE).await?;
        let done = page.len() < PAGE as usize;
        for entry in page {
            after = entry.seq;
            if !send(entry).await {
                return Ok(None);
            }
        }
        if done {
            return Ok(Some(after));
        }
    }
}

/// A bounded channel to the caller's gRPC stream: when it is full the feeding task waits,
/// the hub's buffer fills, and the stream is resynced from the journal.
pub fn stream_channel<T>() -> (mpsc::Sender<T>, mpsc::Receiver<T>) {
    mpsc::channel(256)
}
