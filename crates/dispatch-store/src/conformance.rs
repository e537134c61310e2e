//! The conformance suite: the same story run against every backend. A backend's test calls
//! [`run_all`] with a fresh, empty store.

use crate::audit::{AuditAction, AuditEvent, Chain, Verifier};
use crate::{Batch, CadReceipt, CommandRecord, DataKey, JournalEntry, Store, StoreError};
use dispatch_core::*;

fn team(id: &str) -> Team {
    Team {
        id: TeamId::new(id),
        members: vec![Member {
            name: "A. Rivera".into(),
            role: MemberRole::Peer,
            peer_id: Some(PeerId::new("p1")),
        }],
        languages: vec!["es".into()],
        position: Some(GeoPoint {
            lat: 45.52,
            lon: -122.68,
        }),
        status: TeamStatus::Available,
        status_since: Timestamp(1),
        incident_id: None,
        assignment_id: None,
        check_in: None,
        last_cleared_at: None,
    }
}

fn batch_for(seq: u64, team_id: &str, event_id: &str) -> Batch {
    let t = team(team_id);
    Batch {
        entries: vec![JournalEntry {
            seq,
            at: Timestamp(seq as i64 * 10),
            event: Event::TeamRegistered { team: t.clone() },
        }],
        cad_receipts: vec![CadReceipt {
            source: "cad".into(),
            event_id: event_id.into(),
            seq,
            incident_id: Some(IncidentId::new(format!("inc-{seq}"))),
        }],
        commands: vec![CommandRecord {
            command_id: format!("cmd-{event_id}"),
            fingerprint: "register".into(),
            seq,
        }],
        teams: vec![t],
        ..Batch::default()
    }
}

/// Commits, reads back, and checks idempotency keys and atomicity.
pub async fn run_all<S: Store>(store: &S) {
    let empty = store.load().await.expect("load empty");
    assert_eq!(empty.last_seq, 0);
    assert!(empty.teams.is_empty());

    store
        .commit(&batch_for(1, "PSR-1", "e1"))
        .await
        .expect("first commit");
    store
        .commit(&batch_for(2, "PSR-2", "e2"))
        .await
        .expect("second commit");

    let loaded = store.load().await.expect("load");
    assert_eq!(loaded.last_seq, 2);
    assert_eq!(loaded.teams, vec![team("PSR-1"), team("PSR-2")]);

    let journal = store.read_journal(0, 10).await.expect("journal");
    assert_eq!(
        journal.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_eq!(
        journal[1].event,
        Event::TeamRegistered {
            team: team("PSR-2")
        }
    );
    assert_eq!(journal[1].at, Timestamp(20));
    assert_eq!(store.read_journal(1, 10).await.expect("after 1").len(), 1);
    assert_eq!(store.read_journal(0, 1).await.expect("limit").len(), 1);

    let found = store
        .find_cad_receipts(&[("cad".into(), "e2".into()), ("cad".into(), "nope".into())])
        .await
        .expect("receipts");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].seq, 2);
    assert_eq!(found[0].incident_id, Some(IncidentId::new("inc-2")));
    let cmds = store
        .find_commands(&["cmd-e1".into(), "cmd-x".into()])
        .await
        .expect("commands");
    assert_eq!(cmds.len(), 1);
    assert_eq!(cmds[0].fingerprint, "register");

    // A batch re-using an idempotency key fails as a whole: nothing of it is written.
    let mut dup = batch_for(3, "PSR-3", "e1");
    dup.commands.clear();
    match store.commit(&dup).await {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("expected a conflict, got {other:?}"),
    }
    let after = store.load().await.expect("load after conflict");
    assert_eq!(
        after.last_seq, 2,
        "the journal must not change on a failed commit"
    );
    assert_eq!(after.teams.len(), 2);

    // Projections are upserts: the newest row wins.
    let mut moved = team("PSR-1");
    moved.status = TeamStatus::OutOfService;
    let update = Batch {
        entries: vec![JournalEntry {
            seq: 3,
            at: Timestamp(30),
            event: Event::TeamRegistered {
                team: moved.clone(),
            },
        }],
        teams: vec![moved.clone()],
        ..Batch::default()
    };
    store.commit(&update).await.expect("update");
    let loaded = store.load().await.expect("load");
    assert_eq!(loaded.teams[0], moved);
    assert_eq!(loaded.last_seq, 3);

    // A large group commit (more rows than any one statement takes) lands whole and in order.
    let big: Vec<Team> = (0..150).map(|n| team(&format!("B-{n:03}"))).collect();
    let batch = Batch {
        entries: big
            .iter()
            .enumerate()
            .map(|(i, t)| JournalEntry {
                seq: 4 + i as u64,
                at: Timestamp(40),
                event: Event::TeamRegistered { team: t.clone() },
            })
            .collect(),
        teams: big.clone(),
        ..Batch::default()
    };
    store.commit(&batch).await.expect("big commit");
    let journal = store.read_journal(3, 1000).await.expect("journal");
    assert_eq!(
        journal.iter().map(|e| e.seq).collect::<Vec<_>>(),
        (4..154).collect::<Vec<u64>>()
    );
    let loaded = store.load().await.expect("load");
    assert_eq!(loaded.last_seq, 153);
    assert_eq!(loaded.teams.len(), 152);

    audit_trail(store).await;
    data_keys(store).await;
}

/// Wrapped data keys land with their batch, not without it, and load back.
async fn data_keys<S: Store>(store: &S) {
    assert!(store.load_data_keys().await.expect("none yet").is_empty());
    let key = |id: &str| DataKey {
        incident_id: IncidentId::new(id),
        wrapped: format!("k1:{id}-sealed"),
    };
    let last = store.load().await.expect("load").last_seq;
    let mut batch = batch_for(last + 1, "K-1", "keys-1");
    batch.data_keys = vec![key("inc-k1"), key("inc-k2")];
    store.commit(&batch).await.expect("commit keys");
    let mut failed = batch_for(last + 2, "K-2", "keys-1");
    failed.commands.clear();
    failed.data_keys = vec![key("inc-k3")];
    assert!(store.commit(&failed).await.is_err());
    let mut keys = store.load_data_keys().await.expect("keys");
    keys.sort_by(|a, b| a.incident_id.cmp(&b.incident_id));
    assert_eq!(keys, vec![key("inc-k1"), key("inc-k2")]);
}

fn audit_event(actor: &str, incident: &str) -> AuditEvent {
    AuditEvent {
        at: Timestamp(1_000),
        actor: actor.into(),
        role: "dispatcher".into(),
        action: AuditAction::Update,
        operation: "/crisis.dispatch.v1.Dispatch/Assign".into(),
        incident_ids: vec![incident.into()],
        task_ids: vec![],
        peer: Some("127.0.0.1".into()),
        outcome: "ok".into(),
        recipient: None,
    }
}

/// The audit trail: records of a batch land with it (and not without it), records appended
/// on their own follow them, and the stored chain verifies up to the head.
async fn audit_trail<S: Store>(store: &S) {
    assert_eq!(store.audit_head().await.expect("head"), Chain::default());
    let last = store.load().await.expect("load").last_seq;

    let mut with_change = batch_for(last + 1, "A-1", "audit-1");
    with_change.audit = vec![audit_event("Jo", "inc-a"), audit_event("Jo", "inc-b")];
    store.commit(&with_change).await.expect("commit with audit");

    // A batch that fails writes none of its audit records.
    let mut refused = batch_for(last + 2, "A-2", "audit-1");
    refused.commands.clear();
    refused.audit = vec![audit_event("Mallory", "inc-c")];
    assert!(matches!(
        store.commit(&refused).await,
        Err(StoreError::Conflict(_))
    ));

    // A batch of audit records only (refused requests) is written too.
    let only = Batch {
        audit: vec![audit_event("Kim", "inc-d")],
        ..Batch::default()
    };
    store.commit(&only).await.expect("audit-only commit");
    let reads: Vec<AuditEvent> = (0..100)
        .map(|n| audit_event(&format!("reader-{n}"), "inc-e"))
        .collect();
    store.append_audit(&reads).await.expect("append");
    store.append_audit(&[]).await.expect("append nothing");

    let records = store.read_audit(0, 1000).await.expect("read audit");
    assert_eq!(records.len(), 103);
    let actors: Vec<String> = records
        .iter()
        .take(3)
        .map(|r| r.event().expect("decodes").actor)
        .collect();
    assert_eq!(actors, ["Jo", "Jo", "Kim"]);
    assert_eq!(records[0].event().expect("decodes"), with_change.audit[0]);
    assert_eq!(store.read_audit(100, 1000).await.expect("page").len(), 3);
    assert_eq!(store.read_audit(0, 10).await.expect("limit").len(), 10);

    let mut verifier = Verifier::default();
    for r in &records {
        verifier.check(r).expect("the chain is intact");
    }
    let head = store.audit_head().await.expect("head");
    assert_eq!(head.seq, 103);
    assert_eq!(verifier.finish(&head), Ok(103));
}
