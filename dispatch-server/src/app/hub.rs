//! The fan-out hub: every committed batch goes to the open streams it concerns (the board, a
//! team, the follow-up queue), each through its own bounded buffer. A stream that falls
//! behind is resynced from the journal, never silently skipped: when its buffer is full the
//! batch is dropped for it and it is marked lagged, and it then reads the missing sequence
//! range from the store before going live again.

use dispatch_core::TeamId;
use dispatch_store::{JournalEntry, StoreError};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;
use tracing::debug;

pub type Entries = Arc<Vec<JournalEntry>>;

/// How many committed batches a stream may fall behind before it resyncs from the journal.
const CAPACITY: usize = 1024;
/// Journal page size when catching up.
const PAGE: u32 = 1000;

/// What a subscriber listens to. A batch wakes only the subscribers it concerns, so a
/// thousand team consoles cost nothing for the events of other teams.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Topic {
    /// Everything (timers).
    All,
    /// Incidents, teams and assignments (the dispatcher's board).
    Board,
    /// What concerns one team.
    Team(TeamId),
    /// Follow-up tasks.
    FollowUps,
}

struct Sub {
    tx: mpsc::Sender<Entries>,
    lagged: Arc<AtomicBool>,
}

#[derive(Default)]
struct Routes {
    next_id: u64,
    all: HashMap<u64, Sub>,
    board: HashMap<u64, Sub>,
    follow_ups: HashMap<u64, Sub>,
    teams: HashMap<TeamId, HashMap<u64, Sub>>,
}

#[derive(Clone, Default)]
pub struct Hub {
    routes: Arc<Mutex<Routes>>,
    capacity: Option<usize>,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub").finish_non_exhaustive()
    }
}

impl Hub {
    #[cfg(test)]
    fn with_capacity(capacity: usize) -> Self {
        Self {
            routes: Arc::default(),
            capacity: Some(capacity),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Routes> {
        self.routes.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Hands a committed batch to every subscriber it concerns. Never blocks: a subscriber
    /// whose buffer is full is marked lagged and will resync from the journal.
    pub fn publish(&self, entries: Entries) {
        let routes = self.lock();
        let mut board = false;
        let mut follow_ups = false;
        let mut teams: Vec<&TeamId> = Vec::new();
        for entry in entries.iter() {
            let audience = entry.event.audience();
            if audience.follow_up {
                follow_ups = true;
            } else {
                board = true;
            }
            if let Some(team) = audience.team_id
                && !teams.contains(&team)
            {
                teams.push(team);
            }
        }
        let deliver = |sub: &Sub| {
            if let Err(mpsc::error::TrySendError::Full(_)) = sub.tx.try_send(entries.clone()) {
                sub.lagged.store(true, Ordering::SeqCst);
            }
        };
        routes.all.values().for_each(deliver);
        if board {
            routes.board.values().for_each(deliver);
        }
        if follow_ups {
            routes.follow_ups.values().for_each(deliver);
        }
        for team in teams {
            if let Some(subs) = routes.teams.get(team) {
                subs.values().for_each(deliver);
            }
        }
    }

    pub fn subscribe(&self, topic: Topic) -> Subscription {
        let (tx, rx) = mpsc::channel(self.capacity.unwrap_or(CAPACITY));
        let lagged = Arc::new(AtomicBool::new(false));
        let sub = Sub {
            tx,
            lagged: lagged.clone(),
        };
        let mut routes = self.lock();
        routes.next_id += 1;
        let id = routes.next_id;
        match &topic {
            Topic::All => routes.all.insert(id, sub),
            Topic::Board => routes.board.insert(id, sub),
            Topic::FollowUps => routes.follow_ups.insert(id, sub),
            Topic::Team(team) => routes
                .teams
                .entry(team.clone())
                .or_default()
                .insert(id, sub),
        };
        Subscription {
            id,
            topic,
            routes: Arc::downgrade(&self.routes),
            rx,
            lagged,
        }
    }
}

/// One subscriber's buffer of committed batches. Dropping it unsubscribes.
pub struct Subscription {
    id: u64,
    topic: Topic,
    routes: std::sync::Weak<Mutex<Routes>>,
    rx: mpsc::Receiver<Entries>,
    lagged: Arc<AtomicBool>,
}

/// What a subscriber gets next.
pub enum Delivery {
    Entries(Entries),
    /// Batches were dropped for this subscriber: read the journal to catch up.
    Lagged,
}

impl Subscription {
    /// The next batch, `Lagged` when some were dropped, `None` when the hub is gone.
    pub async fn recv(&mut self) -> Option<Delivery> {
        if self.lagged.swap(false, Ordering::SeqCst) {
            return Some(Delivery::Lagged);
        }
        self.rx.recv().await.map(Delivery::Entries)
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let Some(routes) = self.routes.upgrade() else {
            return;
        };
        let mut routes = routes.lock().unwrap_or_else(|e| e.into_inner());
        match &self.topic {
            Topic::All => {
                routes.all.remove(&self.id);
            }
            Topic::Board => {
                routes.board.remove(&self.id);
            }
            Topic::FollowUps => {
                routes.follow_ups.remove(&self.id);
            }
            Topic::Team(team) => {
                if let Some(subs) = routes.teams.get_mut(team) {
                    subs.remove(&self.id);
                    if subs.is_empty() {
                        routes.teams.remove(team);
                    }
                }
            }
        }
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

/// The journal as the app reads it: sealed fields opened (see `privacy`).
pub struct OpenedJournal<S> {
    pub store: Arc<S>,
    pub vault: Arc<crate::privacy::Vault>,
}

impl<S: dispatch_store::Store> JournalReader for OpenedJournal<S> {
    fn read(&self, after: u64, limit: u32) -> BoxFuture<'_, Result<Vec<JournalEntry>, StoreError>> {
        Box::pin(self.vault.read_opened(&*self.store, after, limit))
    }
}

/// Feeds one stream: the journal after `after`, then live batches, each entry exactly once
/// and in order. `map` turns an entry into zero or one message for the caller (it sees every
/// entry by reference, so entries the caller may not see cost nothing to skip); the stream
/// ends when the caller goes away. `rx` must have been subscribed before `after` was read.
pub async fn follow<M, F>(
    journal: Arc<dyn JournalReader>,
    mut rx: Subscription,
    mut after: u64,
    mut map: F,
    tx: mpsc::Sender<M>,
) -> Result<(), StoreError>
where
    F: FnMut(&JournalEntry) -> Option<M>,
{
    match catch_up(&*journal, after, &mut map, &tx).await? {
        Some(seq) => after = seq,
        None => return Ok(()),
    }
    loop {
        match rx.recv().await {
            Some(Delivery::Entries(entries)) => {
                for entry in entries.iter() {
                    if entry.seq <= after {
                        continue;
                    }
                    after = entry.seq;
                    if let Some(message) = map(entry)
                        && tx.send(message).await.is_err()
                    {
                        return Ok(());
                    }
                }
            }
            Some(Delivery::Lagged) => {
                debug!(after, "stream fell behind; resyncing from the journal");
                match catch_up(&*journal, after, &mut map, &tx).await? {
                    Some(seq) => after = seq,
                    None => return Ok(()),
                }
            }
            None => return Ok(()),
        }
    }
}

/// Sends every journal entry after `after`; returns the last sequence seen, or `None` when the
/// caller went away.
async fn catch_up<M, F>(
    journal: &dyn JournalReader,
    mut after: u64,
    map: &mut F,
    tx: &mpsc::Sender<M>,
) -> Result<Option<u64>, StoreError>
where
    F: FnMut(&JournalEntry) -> Option<M>,
{
    loop {
        let page = journal.read(after, PAGE).await?;
        let done = page.len() < PAGE as usize;
        for entry in &page {
            after = entry.seq;
            if let Some(message) = map(entry)
                && tx.send(message).await.is_err()
            {
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

#[cfg(test)]
mod tests {
    use super::*;
    use dispatch_core::{Event, Team, TeamId, TeamStatus, Timestamp};
    use dispatch_store::{Batch, Store};

    fn entry(seq: u64) -> JournalEntry {
        let team = Team {
            id: TeamId::new(format!("T-{seq}")),
            members: vec![],
            languages: vec![],
            position: None,
            status: TeamStatus::Available,
            status_since: Timestamp(0),
            incident_id: None,
            assignment_id: None,
            check_in: None,
            last_cleared_at: None,
        };
        JournalEntry {
            seq,
            at: Timestamp(0),
            event: Event::TeamRegistered { team },
        }
    }

    /// A stream that stops reading while the hub moves on far past its buffer still gets
    /// every entry, once, in order: it is resynced from the journal (a real SQLite file).
    #[tokio::test]
    async fn a_slow_stream_is_resynced_from_the_journal_not_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(
            dispatch_store_sqlite::SqliteStore::open(&dir.path().join("t.db"))
                .await
                .unwrap(),
        );
        let hub = Hub::with_capacity(4);
        let rx = hub.subscribe(Topic::Board);
        // The console reads nothing until the hub is far past its buffer.
        let (tx, mut slow_console) = mpsc::channel::<u64>(1);
        let journal: Arc<dyn JournalReader> = store.clone();
        let follower = tokio::spawn(follow(journal, rx, 0, |e: &JournalEntry| Some(e.seq), tx));
        for seq in 1..=200u64 {
            let batch = Batch {
                entries: vec![entry(seq)],
                ..Batch::default()
            };
            store.commit(&batch).await.unwrap();
            hub.publish(Arc::new(batch.entries));
        }
        let mut received = Vec::new();
        let read = |received: &mut Vec<u64>, slow: &mut mpsc::Receiver<u64>, upto: usize| {
            while received.len() < upto {
                match slow.try_recv() {
                    Ok(seq) => received.push(seq),
                    Err(_) => break,
                }
            }
        };
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        while received.len() < 200 && tokio::time::Instant::now() < deadline {
            read(&mut received, &mut slow_console, 200);
            tokio::task::yield_now().await;
        }
        // One more live batch after the resync arrives too.
        let batch = Batch {
            entries: vec![entry(201)],
            ..Batch::default()
        };
        store.commit(&batch).await.unwrap();
        hub.publish(Arc::new(batch.entries));
        while received.len() < 201 && tokio::time::Instant::now() < deadline {
            read(&mut received, &mut slow_console, 201);
            tokio::task::yield_now().await;
        }
        drop(hub);
        drop(slow_console);
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), follower).await;
        assert_eq!(received, (1..=201).collect::<Vec<u64>>());
    }
}
