//! The store conformance suite against a real, throwaway PostgreSQL; then what only a shared
//! store must do: writers that catch up under the journal lock, and the notification.

use dispatch_core::{Event, Team, TeamId, TeamStatus, Timestamp};
use dispatch_store::{Batch, JournalEntry, Keys, Store, StoreError};
use dispatch_store_postgres::harness::PgServer;
use dispatch_store_postgres::{PgStore, Wake};

#[tokio::test]
async fn postgres_store_passes_the_conformance_suite() {
    let pg = PgServer::start();
    let url = pg.database("conformance").await;
    let store = PgStore::open(&url).await.expect("open");
    dispatch_store::conformance::run_all(&store).await;
    store.close().await;
    // Opening again keeps everything (migrations are not re-applied).
    let again = PgStore::open(&url).await.expect("reopen");
    let loaded = again.load().await.expect("load");
    assert_eq!(loaded.last_seq, 155);
    let head = again.audit_head().await.expect("head");
    assert_eq!(head.seq, 103, "the audit chain survives a reopen");
    again.close().await;
}

fn team(id: &str) -> Team {
    Team {
        id: TeamId::new(id),
        members: vec![],
        languages: vec![],
        position: None,
        status: TeamStatus::Available,
        status_since: Timestamp(1),
        incident_id: None,
        assignment_id: None,
        check_in: None,
        last_cleared_at: None,
    }
}

fn registered(seq: u64, id: &str) -> JournalEntry {
    JournalEntry {
        seq,
        at: Timestamp(seq as i64),
        event: Event::TeamRegistered { team: team(id) },
    }
}

/// Two writers on one database: the one that is behind is handed what it missed under the
/// lock and continues the sequence; a batch that does not continue the head is refused.
#[tokio::test]
async fn a_writer_that_is_behind_catches_up_under_the_lock() {
    let pg = PgServer::start();
    let url = pg.database("writers").await;
    let a = PgStore::open(&url).await.expect("a");
    let b = PgStore::open(&url).await.expect("b");
    let mut listener = b.listen().await.expect("listen");

    // A commits 1 and 2 while B knows nothing.
    for seq in 1..=2 {
        let batch = a
            .commit_decided(seq - 1, &Keys::default(), |locked| {
                assert!(locked.missed.is_empty());
                Batch {
                    entries: vec![registered(seq, &format!("A-{seq}"))],
                    ..Batch::default()
                }
            })
            .await
            .expect("a commits");
        assert_eq!(batch.entries[0].seq, seq);
    }
    assert_eq!(listener.next().await, Wake::Committed(1));
    assert_eq!(listener.next().await, Wake::Committed(2));

    // B, still at 0, is told about 1 and 2 before it decides, and writes 3.
    let written = b
        .commit_decided(0, &Keys::default(), |locked| {
            let seqs: Vec<u64> = locked.missed.iter().map(|e| e.seq).collect();
            assert_eq!(seqs, vec![1, 2]);
            Batch {
                entries: vec![registered(3, "B-3")],
                ..Batch::default()
            }
        })
        .await
        .expect("b commits after catching up");
    assert_eq!(written.entries.len(), 1);
    assert_eq!(listener.next().await, Wake::Committed(3));

    // A batch numbered from a stale head is refused whole.
    match a
        .commit(&Batch {
            entries: vec![registered(3, "stale")],
            ..Batch::default()
        })
        .await
    {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("expected a conflict, got {other:?}"),
    }
    let seqs: Vec<u64> = a
        .read_journal(0, 100)
        .await
        .expect("journal")
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(seqs, vec![1, 2, 3]);
    assert_eq!(a.load().await.expect("load").last_seq, 3);
}

/// The audit trail is append-only in PostgreSQL too: UPDATE, DELETE and TRUNCATE are refused.
#[tokio::test]
async fn the_audit_trail_refuses_edits() {
    let pg = PgServer::start();
    let url = pg.database("append_only").await;
    let store = PgStore::open(&url).await.expect("open");
    let event = dispatch_store::AuditEvent {
        at: Timestamp(1),
        actor: "Jo".into(),
        role: "dispatcher".into(),
        action: dispatch_store::AuditAction::Read,
        operation: "/x/Y".into(),
        incident_ids: vec![],
        task_ids: vec![],
        peer: None,
        outcome: "ok".into(),
        recipient: None,
    };
    store.append_audit(&[event]).await.expect("append");
    let pool = sqlx::PgPool::connect(&url).await.expect("pool");
    for sql in [
        "UPDATE audit SET actor = 'Mallory'",
        "DELETE FROM audit",
        "TRUNCATE audit",
    ] {
        let err = sqlx::query(sql).execute(&pool).await.expect_err("refused");
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(store.read_audit(0, 10).await.expect("read").len(), 1);
    pool.close().await;
    store.close().await;
}
