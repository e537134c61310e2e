//! The real server on a real, throwaway PostgreSQL: one server that restarts, then three
//! replicas (separate `serve` processes) on one database, one of them SIGKILLed under CAD
//! load. These tests fail, never skip, without PostgreSQL (the harness says what to install).

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

/// Every journal entry, read from PostgreSQL directly (as an auditor would).
async fn journal(url: &str) -> Vec<dispatch_store::JournalEntry> {
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

fn snapshot_seq(m: &v1::BoardEvent) -> u64 {
    match &m.kind {
        Some(v1::board_event::Kind::Snapshot(s)) => s.seq,
        other => panic!("expected a snapshot, got {other:?}"),
    }
}

fn triaged(m: &v1::BoardEvent, incident_id: &str) -> Option<()> {
    match board_event(m).and_then(|e| e.kind.as_ref()) {
        Some(v1::event::Kind::IncidentTriaged(t)) if t.incident_id == incident_id => Some(()),
        _ => None,
    }
}

/// The sequence of the ack of `assignment_id`, if `m` is it.
fn acknowledged(m: &v1::BoardEvent, assignment_id: &str) -> Option<u64> {
    let e = board_event(m)?;
    match &e.kind {
        Some(v1::event::Kind::AssignmentAcknowledged(a)) if a.assignment_id == assignment_id => {
            Some(e.seq)
        }
        _ => None,
    }
}

#[tokio::test]
async fn on_postgres_a_cad_call_reaches_a_subscriber_and_survives_a_restart() {
    let pg = PgServer::start();
    let url = pg.database("dispatch").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut settings, t) = test_settings(dir.path());
    settings.database_url = Some(url.clone());

    let server = ChildServer::start(SERVER, &settings, dir.path());
    let ch = connect(server.addr).await;
    let mut board = watch_board(&ch, &t.dispatcher, 0).await;
    snapshot_seq(&next(&mut board).await);
    let call = fixtures::crisis_call("C-501", "pg-1");
    let receipt = CadIngestClient::new(ch.clone())
        .submit(authed(call.clone(), &t.cad))
        .await
        .expect("submit")
        .into_inner();
    assert!(!receipt.duplicate);
    until(&mut board, |m| triaged(m, &receipt.incident_id)).await;
    server.kill();
    assert!(
        !settings.database_path().exists(),
        "with a database_url nothing is written to SQLite"
    );

    // Started again on the same database: the call is there and a re-send changes nothing.
    let server = ChildServer::start(SERVER, &settings, dir.path());
    let ch = connect(server.addr).await;
    let again = CadIngestClient::new(ch.clone())
        .submit(authed(call, &t.cad))
        .await
        .expect("resubmit")
        .into_inner();
    assert!(again.duplicate);
    assert_eq!(
        (again.seq, &again.incident_id),
        (receipt.seq, &receipt.incident_id)
    );
    let mut board = watch_board(&ch, &t.dispatcher, 0).await;
    match next(&mut board).await.kind {
        Some(v1::board_event::Kind::Snapshot(s)) => {
            assert!(s.incidents.iter().any(|i| i.id == receipt.incident_id));
            assert_eq!(s.teams.len(), 3);
        }
        other => panic!("expected a snapshot, got {other:?}"),
    }
    let entries = journal(&url).await;
    let received = entries
        .iter()
        .filter(|e| matches!(e.event, dispatch_core::Event::IncidentReceived { .. }))
        .count();
    assert_eq!(received, 1);
    // The roster registered once, though two server lives registered it at start.
    let registered = entries
        .iter()
        .filter(|e| matches!(e.event, dispatch_core::Event::TeamRegistered { .. }))
        .count();
    assert_eq!(registered, 3);
    server.kill();
}

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

/// What the floor sees: the board, the follow-up queue and the utilization report.
async fn views(
    ch: &tonic::transport::Channel,
    t: &Tokens,
    period_start: i64,
) -> (v1::BoardSnapshot, v1::QueueSnapshot, v1::UtilizationReport) {
    let board = match next(&mut watch_board(ch, &t.dispatcher, 0).await)
        .await
        .kind
    {
        Some(v1::board_event::Kind::Snapshot(s)) => s,
        other => panic!("expected a snapshot, got {other:?}"),
    };
    let mut queue = FollowUpsClient::new(ch.clone())
        .watch_queue(authed(v1::WatchRequest { after_seq: 0 }, &t.supervisor))
        .await
        .expect("queue")
        .into_inner();
    let queue = match next(&mut queue).await.kind {
        Some(v1::follow_up_event::Kind::Snapshot(s)) => s,
        other => panic!("expected the queue snapshot, got {other:?}"),
    };
    let mut report = dispatch_proto::v1::reports_client::ReportsClient::new(ch.clone())
        .utilization(authed(
            v1::UtilizationRequest {
                from: Some(prost_types::Timestamp {
                    seconds: period_start,
                    nanos: 0,
                }),
                to: Some(prost_types::Timestamp {
                    seconds: period_start + 2 * 86_400,
                    nanos: 0,
                }),
            },
            &t.supervisor,
        ))
        .await
        .expect("report")
        .into_inner();
    // When it was computed is all that may differ.
    report.as_of = None;
    (board, queue, report)
}

#[tokio::test]
async fn migrate_store_copies_a_sqlite_program_to_postgres_with_the_same_board_queue_and_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut settings, t) = test_settings(dir.path());

    // A program on SQLite: one call worked and cleared (follow-ups created), one waiting.
    let server = ChildServer::start(SERVER, &settings, dir.path());
    let ch = connect(server.addr).await;
    call_on_scene(&ch, &t, "M-1", "PSR-1").await;
    clear(
        &ch,
        t.unit("PSR-1"),
        v1::Encounter {
            notes: "talked with subj, accepted shelter bed".into(),
            services_provided: vec!["crisis counseling".into()],
            referrals: vec![v1::Referral {
                category: v1::ResourceCategory::Shelter as i32,
                status: v1::ReferralStatus::Made as i32,
                note: String::new(),
            }],
            consents_to_follow_up: true,
            person_ref: String::new(),
        },
    )
    .await;
    let waiting = fixtures::crisis_call("M-2", "e-M-2");
    let first = CadIngestClient::new(ch.clone())
        .submit(authed(waiting.clone(), &t.cad))
        .await
        .expect("submit")
        .into_inner();
    // The report's period: from yesterday to tomorrow, the same before and after.
    let period_start = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
        - 86_400;
    let before = views(&ch, &t, period_start).await;
    assert!(
        !before.1.tasks.is_empty(),
        "the cleared call made follow-ups"
    );
    server.kill();

    let pg = PgServer::start();
    let url = pg.database("migrated").await;
    let out = std::process::Command::new(SERVER)
        .args(["migrate-store", "--from"])
        .arg(settings.database_path())
        .args(["--to", &url])
        .output()
        .expect("run migrate-store");
    assert!(
        out.status.success(),
        "migrate-store failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The audit trail is copied as it was (same chain, same head) with the data keys.
    let sqlite = dispatch_store_sqlite::SqliteStore::open(&settings.database_path())
        .await
        .expect("open sqlite");
    let copied = PgStore::connect(&url).await.expect("connect");
    let head = sqlite.audit_head().await.expect("sqlite head");
    assert!(head.seq > 0);
    assert_eq!(copied.audit_head().await.expect("pg head"), head);
    assert_eq!(
        copied.read_audit(0, 100_000).await.expect("pg audit"),
        sqlite.read_audit(0, 100_000).await.expect("sqlite audit")
    );
    let mut keys = sqlite.load_data_keys().await.expect("sqlite keys");
    let mut pg_keys = copied.load_data_keys().await.expect("pg keys");
    keys.sort_by(|a, b| a.incident_id.cmp(&b.incident_id));
    pg_keys.sort_by(|a, b| a.incident_id.cmp(&b.incident_id));
    assert!(!keys.is_empty());
    assert_eq!(pg_keys, keys);
    sqlite.close().await;
    copied.close().await;

    // The PostgreSQL server opens the copied sealed text with the same key_file.
    settings.database_url = Some(url.clone());
    let server = ChildServer::start(SERVER, &settings, dir.path());
    let ch = connect(server.addr).await;
    let after = views(&ch, &t, period_start).await;
    assert_eq!(after.0, before.0, "the board");
    assert_eq!(after.1, before.1, "the follow-up queue");
    assert_eq!(after.2, before.2, "the utilization report");
    // The CAD's re-send is answered from the copied receipts.
    let again = CadIngestClient::new(ch.clone())
        .submit(authed(waiting, &t.cad))
        .await
        .expect("resubmit")
        .into_inner();
    assert!(again.duplicate);
    assert_eq!(again.incident_id, first.incident_id);

    // A second copy into the same database is refused.
    let out = std::process::Command::new(SERVER)
        .args(["migrate-store", "--from"])
        .arg(settings.database_path())
        .args(["--to", &url])
        .output()
        .expect("run migrate-store");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
    server.kill();
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

/// PostgreSQL stopped as a crash would stop it, under CAD load: the server says NOT_SERVING,
/// refuses writes with UNAVAILABLE (never a false success), writes again within 5 s of
/// PostgreSQL being back, and every acknowledged call is in the journal once.
#[tokio::test]
async fn when_postgres_restarts_under_load_nothing_acknowledged_is_lost() {
    use tonic_health::pb::health_check_response::ServingStatus;
    use tonic_health::pb::{HealthCheckRequest, health_client::HealthClient};
    let pg = PgServer::start();
    let url = pg.database("dispatch").await;
    let dir = tempfile::tempdir().unwrap();
    let (mut settings, t) = test_settings(dir.path());
    settings.database_url = Some(url.clone());
    let server = ChildServer::start(SERVER, &settings, dir.path());
    let ch = connect(server.addr).await;
    let health = |ch: tonic::transport::Channel| async move {
        HealthClient::new(ch)
            .check(HealthCheckRequest {
                service: String::new(),
            })
            .await
            .expect("health")
            .into_inner()
            .status
    };
    assert_eq!(health(ch.clone()).await, ServingStatus::Serving as i32);

    let acked = Arc::new(AtomicUsize::new(0));
    let refusals = Arc::new(AtomicUsize::new(0));
    let stop = tokio_util::sync::CancellationToken::new();
    let load = {
        let (ch, cad, acked, refusals, stop) = (
            ch.clone(),
            t.cad.clone(),
            acked.clone(),
            refusals.clone(),
            stop.clone(),
        );
        tokio::spawn(async move {
            let mut receipts: HashMap<String, String> = HashMap::new();
            let mut n = 0;
            while !stop.is_cancelled() {
                let event = fixtures::crisis_call(&format!("P-{n}"), &format!("pg-{n}"));
                // The CAD re-sends an event until it is acknowledged.
                loop {
                    match CadIngestClient::new(ch.clone())
                        .submit(authed(event.clone(), &cad))
                        .await
                    {
                        Ok(r) => {
                            receipts.insert(event.event_id.clone(), r.into_inner().incident_id);
                            acked.fetch_add(1, Ordering::SeqCst);
                            break;
                        }
                        Err(status) => {
                            assert_eq!(status.code(), tonic::Code::Unavailable, "{status:?}");
                            refusals.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        }
                    }
                }
                n += 1;
            }
            receipts
        })
    };
    let wait_for = |what: &'static str, limit: std::time::Duration| {
        let deadline = std::time::Instant::now() + limit;
        move || {
            assert!(
                std::time::Instant::now() < deadline,
                "{what} took over {limit:?}"
            )
        }
    };
    while acked.load(Ordering::SeqCst) < 20 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    pg.stop_immediate();
    let stopped = std::time::Instant::now();
    let check = wait_for("NOT_SERVING", std::time::Duration::from_secs(5));
    while health(ch.clone()).await != ServingStatus::NotServing as i32 {
        check();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let check = wait_for("a refused write", std::time::Duration::from_secs(10));
    while refusals.load(Ordering::SeqCst) == 0 {
        check();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    eprintln!(
        "NOT_SERVING {:?} after PostgreSQL stopped",
        stopped.elapsed()
    );
    let during = acked.load(Ordering::SeqCst);
    pg.restart();
    let restarted = std::time::Instant::now();
    let check = wait_for(
        "writing again after PostgreSQL is back",
        std::time::Duration::from_secs(5),
    );
    while acked.load(Ordering::SeqCst) <= during {
        check();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    eprintln!(
        "writing again {:?} after PostgreSQL restarted",
        restarted.elapsed()
    );
    let check = wait_for("SERVING again", std::time::Duration::from_secs(5));
    while health(ch.clone()).await != ServingStatus::Serving as i32 {
        check();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let after = acked.load(Ordering::SeqCst);
    while acked.load(Ordering::SeqCst) < after + 20 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    stop.cancel();
    let receipts = load.await.expect("load");
    let mut calls: HashMap<String, String> = HashMap::new();
    for e in journal(&url).await {
        if let dispatch_core::Event::IncidentReceived { incident } = e.event {
            assert!(
                calls
                    .insert(incident.call_number.clone(), incident.id.to_string())
                    .is_none(),
                "call {} received twice",
                incident.call_number
            );
        }
    }
    for (event_id, incident_id) in &receipts {
        let call = format!("P-{}", event_id.trim_start_matches("pg-"));
        assert_eq!(
            calls.get(&call),
            Some(incident_id),
            "acknowledged {event_id} is in the journal"
        );
    }
    drop(server);
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
