//! The committed state that readers see: snapshots for streams, replies to commands.

use super::hub::Hub;
use dispatch_core::State;
use dispatch_store::JournalEntry;
use std::sync::{Arc, RwLock};

#[derive(Debug, Default)]
pub struct Published {
    pub state: State,
    /// The journal sequence that `state` reflects.
    pub seq: u64,
}

/// Makes committed entries visible: applies those after `seq`, in order, and hands them to
/// the hub. The writer and (on a shared store) the journal follower both call it; entries
/// already published by the other are skipped. The hub is fed under the lock, so streams get
/// batches in sequence order whoever publishes them.
pub(crate) fn advance(published: &RwLock<Published>, hub: &Hub, entries: Vec<JournalEntry>) {
    let mut p = published.write().unwrap_or_else(|e| e.into_inner());
    let mut fresh = Vec::with_capacity(entries.len());
    for entry in entries {
        if entry.seq <= p.seq {
            continue;
        }
        if entry.seq != p.seq + 1 {
            // Never expected: the follower reads the journal again from `seq` on its next poll.
            tracing::error!(
                seq = entry.seq,
                after = p.seq,
                "journal gap while publishing"
            );
            break;
        }
        p.state.apply(&entry.event, entry.at);
        p.seq = entry.seq;
        fresh.push(entry);
    }
    if !fresh.is_empty() {
        hub.publish(Arc::new(fresh));
    }
}
