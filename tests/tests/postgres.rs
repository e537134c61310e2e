//! The real server on a real, throwaway PostgreSQL: one server that restarts, one whose
//! PostgreSQL restarts under load, and a SQLite program migrated to it. These tests fail, never
//! skip, without PostgreSQL (the harness says what to install). Several replicas on one
//! database: `postgres_replicas.rs`.

use dispatch_proto::v1;
use dispatch_store::Store;
use dispatch_store_postgres::PgStore;
use dispatch_tests::fixtures;
use dispatch_tests::postgres::PgServer;
use dispatch_tests::*;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const SERVER: &str = env!("CARGO_BIN_EXE_e2e-server");
use dispatch_tests::pg_reads::{journal, snapshot_seq, triaged};

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
