//! What the PostgreSQL tests read back: the journal straight from the database (as an
//! auditor would) and the board events they wait for.

use crate::board_event;
use dispatch_proto::v1;
use dispatch_store::Store;
use dispatch_store_postgres::PgStore;

/// Every journal entry, read from PostgreSQL directly (as an auditor would).
pub async fn journal(url: &str) -> Vec<dispatch_store::JournalEntry> {
    let store = PgStore::connect(url).await.expect("connect");
    let mut entries: Vec<dispatch_store::JournalEntry> = Vec::new();
    loop {
        let after = entries.last().map_or(0, |e| e.seq);
        let page = store.read_journal(after, 1000).await.expect("read");
        if page.is_empty() {
            break;
        }
        entries.extend(page);
    }
    store.close().await;
    entries
}

pub fn snapshot_seq(m: &v1::BoardEvent) -> u64 {
    match &m.kind {
        Some(v1::board_event::Kind::Snapshot(s)) => s.seq,
        other => panic!("expected a snapshot, got {other:?}"),
    }
}

pub fn triaged(m: &v1::BoardEvent, incident_id: &str) -> Option<()> {
    match board_event(m).and_then(|e| e.kind.as_ref()) {
        Some(v1::event::Kind::IncidentTriaged(t)) if t.incident_id == incident_id => Some(()),
        _ => None,
    }
}

/// The sequence of the ack of `assignment_id`, if `m` is it.
pub fn acknowledged(m: &v1::BoardEvent, assignment_id: &str) -> Option<u64> {
    let e = board_event(m)?;
    match &e.kind {
        Some(v1::event::Kind::AssignmentAcknowledged(a)) if a.assignment_id == assignment_id => {
            Some(e.seq)
        }
        _ => None,
    }
}
