//! Several replicas (separate `serve` processes) on one throwaway PostgreSQL: one floor served
//! by three, one SIGKILLed under CAD load; a race for one team; timers firing once; sealing and
//! one audit chain across replicas. These tests fail, never skip, without PostgreSQL.

use dispatch_proto::v1;
use dispatch_store::Store;
use dispatch_store_postgres::PgStore;
use dispatch_tests::fixtures::{self, command_id};
use dispatch_tests::postgres::PgServer;
use dispatch_tests::*;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const SERVER: &str = env!("CARGO_BIN_EXE_e2e-server");
use dispatch_tests::pg_reads::{acknowledged, journal, snapshot_seq, triaged};

/// Reads a board stream until it has seen `want` incidents received; returns the sequence
/// numbers of every event it got, and the incident ids.
async fn drain_board(
    board: &mut tonic::Streaming<v1::BoardEvent>,
    want: usize,
    seqs: &mut Vec<u64>,
    incidents: &mut Vec<String>,
) {
    while incidents.len() < want {
        let m = next(board).await;
        if let Some(e) = board_event(&m) {
            seqs.push(e.seq);
            if let Some(v1::event::Kind::IncidentReceived(r)) = &e.kind {
                incidents.push(r.incident.as_ref().expect("incident").id.clone());
            }
        }
    }
}

#[tokio::test]
async fn three_replicas_on_one_database_serve_one_floor_and_lose_nothing_when_one_dies() {
    let pg = PgServer::start();
    let url = pg.database("dispatch").await;
    let dirs: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let (mut settings, t) = test_settings(dirs[0].path());
    settings.database_url = Some(url.clone());
    let replicas: Vec<ChildServer> = dirs
        .iter()
        .map(|d| ChildServer::start(SERVER, &settings, d.path()))
        .collect();
    let mut replicas = replicas.into_iter();
    let (a, b, c) = (
        replicas.next().unwrap(),
        replicas.next().unwrap(),
        replicas.next().unwrap(),
    );
    let (ch_a, ch_b, ch_c) = (
        connect(a.addr).await,
        connect(b.addr).await,
        connect(c.addr).await,
    );

    // A dispatcher's board on A and on B; team PSR-1's console on C.
    let mut board_a = watch_board(&ch_a, &t.dispatcher, 0).await;
    let mut board_b = watch_board(&ch_b, &t.dispatcher, 0).await;
    snapshot_seq(&next(&mut board_a).await);
    snapshot_seq(&next(&mut board_b).await);
    let mut unit = subscribe_unit(&ch_c, t.unit("PSR-1"), 0).await;
    next(&mut unit).await;

    // A CAD event submitted on A reaches the board on B.
    let receipt = CadIngestClient::new(ch_a.clone())
        .submit(authed(fixtures::crisis_call("C-1", "r-1"), &t.cad))
        .await
        .expect("submit on A")
        .into_inner();
    until(&mut board_b, |m| triaged(m, &receipt.incident_id)).await;

    // The dispatcher on B assigns PSR-1, whose console on C gets it; the team acks on C and
    // both boards see the ack.
    let assignment = assign(&ch_b, &t.dispatcher, &receipt.incident_id, "PSR-1").await;
    until(&mut unit, |m| {
        match responder_event(m).and_then(|e| e.kind.as_ref()) {
            Some(v1::event::Kind::AssignmentMade(made))
                if made
                    .assignment
                    .as_ref()
                    .is_some_and(|a| a.id == assignment.id) =>
            {
                Some(())
            }
            _ => None,
        }
    })
    .await;
    ResponderClient::new(ch_c.clone())
        .acknowledge(authed(
            v1::AcknowledgeRequest {
                command_id: command_id(),
                assignment_id: assignment.id.clone(),
            },
            t.unit("PSR-1"),
        ))
        .await
        .expect("ack on C");
    let (ack_seq, _) = until(&mut board_a, |m| acknowledged(m, &assignment.id)).await;
    until(&mut board_b, |m| acknowledged(m, &assignment.id)).await;

    // CAD load on C, which is SIGKILLed mid-traffic; the CAD moves to A and re-sends what
    // was not acknowledged.
    const CALLS: usize = 150;
    let accepted = Arc::new(AtomicUsize::new(0));
    let load = {
        let (ch_c, ch_a, cad, accepted) =
            (ch_c.clone(), ch_a.clone(), t.cad.clone(), accepted.clone());
        tokio::spawn(async move {
            let mut receipts: HashMap<String, (String, bool)> = HashMap::new();
            let mut on_c = true;
            let mut accepted_on_c = 0;
            for n in 0..CALLS {
                let event = fixtures::crisis_call(&format!("L-{n}"), &format!("load-{n}"));
                loop {
                    let ch = if on_c { ch_c.clone() } else { ch_a.clone() };
                    match CadIngestClient::new(ch)
                        .submit(authed(event.clone(), &cad))
                        .await
                    {
                        Ok(r) => {
                            accepted_on_c += usize::from(on_c);
                            let r = r.into_inner();
                            receipts.insert(r.event_id.clone(), (r.incident_id, r.duplicate));
                            accepted.fetch_add(1, Ordering::SeqCst);
                            break;
                        }
                        Err(status) => {
                            assert!(on_c, "A failed too: {status:?}");
                            on_c = false;
                        }
                    }
                }
            }
            (receipts, accepted_on_c)
        })
    };
    while accepted.load(Ordering::SeqCst) < CALLS / 3 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    c.kill();
    let (receipts, accepted_on_c) = tokio::time::timeout(PATIENCE * 3, load)
        .await
        .expect("the load finishes")
        .expect("load task");
    assert_eq!(
        receipts.len(),
        CALLS,
        "every call was accepted by some replica"
    );
    assert!(
        (CALLS / 3..CALLS).contains(&accepted_on_c),
        "C took calls until it was killed, A the rest ({accepted_on_c} on C)"
    );

    // Every acknowledged call is in the journal, once.
    let entries = journal(&url).await;
    let seqs: Vec<u64> = entries.iter().map(|e| e.seq).collect();
    assert_eq!(
        seqs,
        (1..=seqs.len() as u64).collect::<Vec<_>>(),
        "the journal has no gap"
    );
    let mut calls: HashMap<String, String> = HashMap::new();
    for e in &entries {
        if let dispatch_core::Event::IncidentReceived { incident } = &e.event {
            let previous = calls.insert(incident.call_number.clone(), incident.id.to_string());
            assert!(
                previous.is_none(),
                "call {} received twice",
                incident.call_number
            );
        }
    }
    for n in 0..CALLS {
        let (incident_id, _) = &receipts[&format!("load-{n}")];
        assert_eq!(
            calls.get(&format!("L-{n}")),
            Some(incident_id),
            "acknowledged call L-{n} is in the journal under the incident its receipt named"
        );
    }

    // The consoles on the surviving replicas see every call, in the same order, with no gap
    // or duplicate between them.
    let (mut seen_a, mut seen_b) = ((Vec::new(), Vec::new()), (Vec::new(), Vec::new()));
    drain_board(&mut board_a, CALLS, &mut seen_a.0, &mut seen_a.1).await;
    drain_board(&mut board_b, CALLS, &mut seen_b.0, &mut seen_b.1).await;
    for (seqs, incidents) in [&seen_a, &seen_b] {
        assert!(
            seqs.windows(2).all(|w| w[0] < w[1]),
            "in order, no duplicate"
        );
        let unique: HashSet<&String> = incidents.iter().collect();
        assert_eq!(unique.len(), CALLS);
    }
    assert_eq!(
        seen_a.1, seen_b.1,
        "both boards got the calls in the same order"
    );
    let last = *seen_a.0.last().expect("events");
    let expected: Vec<u64> = entries
        .iter()
        .filter(|e| e.seq > ack_seq && e.seq <= last)
        .filter(|e| !e.event.audience().follow_up)
        .map(|e| e.seq)
        .collect();
    assert_eq!(
        seen_a.0, expected,
        "board A saw every board event of the journal after the ack"
    );
    drop((a, b));
}

/// Two dispatchers on two replicas give the same team two different calls at the same
/// moment: both are decided on caught-up state, one after the other, so exactly one wins and
/// the other is refused (a team has one incident at most), as on one server. (Assigning one
/// call to two teams is not a conflict in the domain: the second is a reassignment.)
#[tokio::test]
async fn two_replicas_giving_one_team_two_calls_at_once_let_exactly_one_win() {
    let pg = PgServer::start();
    let url = pg.database("dispatch").await;
    let dirs: Vec<tempfile::TempDir> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let (mut settings, t) = test_settings(dirs[0].path());
    settings.database_url = Some(url.clone());
    // A free team for each round.
    const ROUNDS: usize = 5;
    let template = settings.teams[0].clone();
    for n in 0..ROUNDS {
        let mut team = template.clone();
        team.id = format!("RACE-{n}");
        settings.teams.push(team);
    }
    let a = ChildServer::start(SERVER, &settings, dirs[0].path());
    let b = ChildServer::start(SERVER, &settings, dirs[1].path());
    let (ch_a, ch_b) = (connect(a.addr).await, connect(b.addr).await);
    let mut board_b = watch_board(&ch_b, &t.dispatcher, 0).await;
    next(&mut board_b).await;
    for round in 0..ROUNDS {
        let mut incidents = Vec::new();
        for side in ["a", "b"] {
            let receipt = CadIngestClient::new(ch_a.clone())
                .submit(authed(
                    fixtures::crisis_call(
                        &format!("R-{round}-{side}"),
                        &format!("race-{round}-{side}"),
                    ),
                    &t.cad,
                ))
                .await
                .expect("submit")
                .into_inner();
            // B must know the call before its dispatcher can assign it.
            until(&mut board_b, |m| triaged(m, &receipt.incident_id)).await;
            incidents.push(receipt.incident_id);
        }
        let team = format!("RACE-{round}");
        let request = |incident_id: &str| {
            authed(
                v1::AssignRequest {
                    command_id: command_id(),
                    incident_id: incident_id.into(),
                    team_id: team.clone(),
                },
                &t.dispatcher,
            )
        };
        let (mut client_a, mut client_b) = (
            DispatchClient::new(ch_a.clone()),
            DispatchClient::new(ch_b.clone()),
        );
        let (on_a, on_b) = tokio::join!(
            client_a.assign(request(&incidents[0])),
            client_b.assign(request(&incidents[1])),
        );
        let refused: Vec<tonic::Status> =
            [on_a, on_b].into_iter().filter_map(Result::err).collect();
        assert_eq!(
            refused.len(),
            1,
            "exactly one assignment wins (round {round})"
        );
        assert_eq!(
            refused[0].code(),
            tonic::Code::FailedPrecondition,
            "{:?}",
            refused[0]
        );
    }
    let made = journal(&url)
        .await
        .iter()
        .filter(|e| matches!(e.event, dispatch_core::Event::AssignmentMade { .. }))
        .count();
    assert_eq!(made, ROUNDS);
    drop((a, b));
}

/// Ack timers with three replicas: every replica arms and fires them, each takes effect
/// once (one re-push, then one escalation to the dispatcher).
#[tokio::test]
async fn with_three_replicas_each_timer_fires_once() {
    let pg = PgServer::start();
    let url = pg.database("dispatch").await;
    let dirs: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let (mut settings, t) = test_settings(dirs[0].path());
    settings.database_url = Some(url.clone());
    settings.policy.ack_window_secs = 1;
    settings.policy.max_repushes = 1;
    let replicas: Vec<ChildServer> = dirs
        .iter()
        .map(|d| ChildServer::start(SERVER, &settings, d.path()))
        .collect();
    let ch = connect(replicas[1].addr).await;
    let mut board = watch_board(&ch, &t.dispatcher, 0).await;
    next(&mut board).await;
    let receipt = CadIngestClient::new(ch.clone())
        .submit(authed(fixtures::crisis_call("T-1", "timer-1"), &t.cad))
        .await
        .expect("submit")
        .into_inner();
    let assignment = assign(&ch, &t.dispatcher, &receipt.incident_id, "PSR-1").await;
    // Nobody acks: one re-push, then the escalation.
    until(&mut board, |m| {
        match board_event(m).and_then(|e| e.kind.as_ref()) {
            Some(v1::event::Kind::AssignmentEscalated(e)) if e.assignment_id == assignment.id => {
                Some(())
            }
            _ => None,
        }
    })
    .await;
    // Past every replica's next timer check, then count.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let entries = journal(&url).await;
    let count =
        |f: fn(&dispatch_core::Event) -> bool| entries.iter().filter(|e| f(&e.event)).count();
    assert_eq!(
        count(|e| matches!(e, dispatch_core::Event::AssignmentRepushed { .. })),
        1,
        "one re-push"
    );
    assert_eq!(
        count(|e| matches!(e, dispatch_core::Event::AssignmentEscalated { .. })),
        1,
        "one escalation"
    );
    drop(replicas);
}

/// Issue 14 on PostgreSQL with two replicas sharing the master key file: a narrative
/// submitted on A is stored sealed (journal, projections) with its data key, B opens it (it
/// fetches the key A created), and every request of both replicas is on one audit chain that
/// verifies up to its head.
#[tokio::test]
async fn on_postgres_two_replicas_seal_what_they_store_open_each_others_and_share_one_audit_chain()
{
    const NARRATIVE: &str = "SUBJ HUMMING ABOUT MARMALADE NEAR THE FERRY";
    let pg = PgServer::start();
    let url = pg.database("privacy").await;
    let dirs: Vec<tempfile::TempDir> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    // One data_dir in the settings: one key_file for both replicas.
    let (mut settings, t) = test_settings(dirs[0].path());
    settings.database_url = Some(url.clone());
    let a = ChildServer::start(SERVER, &settings, dirs[0].path());
    let b = ChildServer::start(SERVER, &settings, dirs[1].path());
    let (ch_a, ch_b) = (connect(a.addr).await, connect(b.addr).await);
    let mut board_b = watch_board(&ch_b, &t.dispatcher, 0).await;
    snapshot_seq(&next(&mut board_b).await);

    let mut call = fixtures::crisis_call("C-P1", "p-1");
    fixtures::created_mut(&mut call).narrative = vec![NARRATIVE.into()];
    let receipt = CadIngestClient::new(ch_a.clone())
        .submit(authed(call, &t.cad))
        .await
        .expect("submit on A")
        .into_inner();
    until(&mut board_b, |m| triaged(m, &receipt.incident_id)).await;
    // B opened A's sealed entry with the key A stored: a fresh board on B shows it plain.
    let mut again = watch_board(&ch_b, &t.dispatcher, 0).await;
    let snapshot = next(&mut again).await;
    assert!(format!("{snapshot:?}").contains(NARRATIVE), "{snapshot:?}");
    // B's writer decides on A's incident (it catches up under the lock, opened).
    assign(&ch_b, &t.dispatcher, &receipt.incident_id, "PSR-1").await;

    let store = PgStore::connect(&url).await.expect("connect");
    let stored = journal(&url).await;
    assert!(!stored.is_empty());
    assert!(
        !format!("{stored:?}").contains("MARMALADE"),
        "the journal holds the narrative in clear"
    );
    let loaded = store.load().await.expect("load");
    assert!(!format!("{:?}", loaded.incidents).contains("MARMALADE"));
    let keys = store.load_data_keys().await.expect("keys");
    assert!(
        keys.iter()
            .any(|k| k.incident_id.as_str() == receipt.incident_id),
        "{keys:?}"
    );

    // One chain for both replicas, intact up to the head, with the submit (A) and the
    // assignment (B) on it.
    drop(again);
    drop(board_b);
    a.kill();
    b.kill();
    let records = store.read_audit(0, 10_000).await.expect("audit");
    let mut verifier = dispatch_store::audit::Verifier::default();
    for r in &records {
        verifier.check(r).expect("chain intact");
    }
    let head = store.audit_head().await.expect("head");
    assert_eq!(verifier.finish(&head), Ok(records.len() as u64));
    let operations: Vec<String> = records
        .iter()
        .map(|r| r.event().expect("decodes").operation)
        .collect();
    assert!(
        operations.iter().any(|o| o.ends_with("CadIngest/Submit")),
        "{operations:?}"
    );
    assert!(
        operations.iter().any(|o| o.ends_with("Dispatch/Assign")),
        "{operations:?}"
    );
    store.close().await;
}
