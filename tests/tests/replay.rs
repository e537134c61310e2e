//! `cad-bridge replay` against the real server: real public calls (samples in
//! crates/cad-bridge/data/replay/, sources noted there) go through triage, and the replay's
//! counts match, call for call, what the dispatcher's board shows. A second run changes
//! nothing.

use cad_bridge::nature_map::{NatureMap, render_rules};
use cad_bridge::replay::{self, Report, Source, Speed, SubmitError, Target, Window};
use dispatch_core::triage::TriageConfig;
use dispatch_proto::v1;
use dispatch_server::config::{Overrides, Settings};
use dispatch_tests::*;
use std::collections::HashMap;

const SD: &str = include_str!("../../crates/cad-bridge/data/replay/sdpd-2023-01-03-0800-1000.csv");
const SPD: &str =
    include_str!("../../crates/cad-bridge/data/replay/spd-calls-denny-blaine-2018-2023.csv");
const UCSD: &str = include_str!("../../crates/cad-bridge/data/replay/ucsd-pd-calls-first-200.csv");

fn seattle_rules() -> TriageConfig {
    let mut rules: TriageConfig =
        toml::from_str(include_str!("../../deploy/triage/seattle.toml")).expect("seattle rules");
    // Tests run at any hour.
    rules.service_hours = Some(dispatch_core::hours::ServiceHours::always());
    rules
}

async fn replay_file(
    server: &TestServer,
    source: &str,
    data: &str,
    rules: &TriageConfig,
    token: &str,
) -> Result<(usize, Report), SubmitError> {
    let source = Source::load(source, rules).expect("built-in source");
    let plan = replay::plan(data.as_bytes(), &source, rules, Window::default()).expect("plan");
    let calls = plan.timeline.iter().filter(|t| t.is_created()).count();
    let target = Target {
        channel: server.channel().await,
        token: token.to_owned(),
        streams: 8,
    };
    replay::run(plan, &target, Speed::Max)
        .await
        .map(|r| (calls, r))
}

/// The board's view: every incident's latest triage decision, folded from the snapshot and
/// the events up to the journal's end.
async fn board_decisions(server: &TestServer) -> HashMap<String, i32> {
    let ch = server.channel().await;
    let mut board = watch_board(&ch, &server.tokens.dispatcher, 0).await;
    let end = server.journal_seq();
    let mut decisions = HashMap::new();
    let decision = |t: &Option<v1::TriageDecision>| t.as_ref().map_or(0, |t| t.decision);
    let mut seen = 0;
    while seen < end {
        match next(&mut board).await.kind {
            Some(v1::board_event::Kind::Snapshot(s)) => {
                for i in &s.incidents {
                    decisions.insert(i.id.clone(), decision(&i.triage));
                }
                seen = s.seq;
            }
            Some(v1::board_event::Kind::Event(e)) => {
                match &e.kind {
                    Some(v1::event::Kind::IncidentReceived(r)) => {
                        let i = r.incident.as_ref().expect("incident");
                        decisions.insert(i.id.clone(), decision(&i.triage));
                    }
                    Some(v1::event::Kind::IncidentTriaged(t)) => {
                        decisions.insert(t.incident_id.clone(), decision(&t.triage));
                    }
                    _ => {}
                }
                seen = e.seq;
            }
            None => {}
        }
    }
    decisions
}

fn count(decisions: &HashMap<String, i32>, d: v1::Decision) -> usize {
    decisions.values().filter(|v| **v == d as i32).count()
}

async fn check_replay_matches_board(
    server: &TestServer,
    source: &str,
    data: &str,
    rules: &TriageConfig,
) -> Report {
    let t = server.tokens.clone();
    let (calls, report) = replay_file(server, source, data, rules, &t.cad)
        .await
        .expect("replay runs");
    // Counts and line numbers only: the report never carries call contents.
    eprintln!("{report}");
    assert!(report.failures.is_empty(), "{report}");
    assert_eq!(report.sent, calls, "{report}");
    assert_eq!(report.already_known, 0);
    // Real data gives every kind of decision; otherwise this test would prove little.
    assert!(
        report.eligible > 0 && report.review > 0 && report.declined > 0,
        "{report}"
    );
    assert_eq!(
        report.eligible + report.review + report.declined,
        report.sent
    );

    let board = board_decisions(server).await;
    assert_eq!(board.len(), report.sent, "one incident per call sent");
    assert_eq!(
        count(&board, v1::Decision::Eligible),
        report.eligible,
        "{report}"
    );
    assert_eq!(
        count(&board, v1::Decision::Review),
        report.review,
        "{report}"
    );
    assert_eq!(
        count(&board, v1::Decision::NotEligible),
        report.declined,
        "{report}"
    );

    // The same file again: every call is known, the counts are the same, nothing is written.
    let seq = server.journal_seq();
    let (_, again) = replay_file(server, source, data, rules, &t.cad)
        .await
        .expect("second replay runs");
    assert_eq!(again.already_known, calls, "{again}");
    assert_eq!(
        (again.sent, again.eligible, again.review, again.declined),
        (report.sent, report.eligible, report.review, report.declined)
    );
    assert_eq!(server.journal_seq(), seq, "a re-run changes nothing");
    report
}

#[tokio::test]
async fn real_san_diego_calls_replayed_at_max_speed_match_the_board() {
    let server = TestServer::start().await;
    let rules = TriageConfig::default();
    check_replay_matches_board(&server, "sandiego", SD, &rules).await;
    server.stop().await;
}

/// The UCSD log is the one source with dispatchers' words: the summaries go in as
/// narratives and the narrative screen reads them.
#[tokio::test]
async fn real_ucsd_calls_with_their_summaries_match_the_board() {
    let server = TestServer::start().await;
    let rules = TriageConfig::default();
    let report = check_replay_matches_board(&server, "ucsd", UCSD, &rules).await;
    assert!(
        !report.skipped.is_empty(),
        "rows with an unknown time are reported"
    );
    server.stop().await;
}

/// The server runs the built-in rules with the SDPD map merged in (what `cad-bridge
/// nature-rules --map sdpd --server-config` writes): the agency's own codes go in unchanged,
/// the board still matches, and the administrative codes the plain rules could only send to
/// review now land in the family the map names.
#[tokio::test]
async fn with_the_sdpd_map_merged_into_the_servers_rules_the_board_still_matches() {
    let plain = TriageConfig {
        service_hours: Some(dispatch_core::hours::ServiceHours::always()),
        ..TriageConfig::default()
    };
    let map = NatureMap::built_in("sdpd", &plain).unwrap().unwrap();
    let mut merged = plain.clone();
    map.merge_into(&mut merged);

    // The fragment the CLI prints is a server configuration that yields exactly these rules.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dispatch.toml");
    std::fs::write(&path, render_rules(&merged, true).unwrap()).unwrap();
    let settings = Settings::load(Some(&path), [], &Overrides::default()).expect("config loads");
    assert_eq!(settings.policy.triage, merged);

    let server_rules = merged.clone();
    let server = TestServer::start_with(move |s| s.policy.triage = server_rules).await;
    let with_map = check_replay_matches_board(&server, "sandiego", SD, &merged).await;
    server.stop().await;

    let server = TestServer::start().await;
    let without = check_replay_matches_board(&server, "sandiego", SD, &plain).await;
    server.stop().await;
    assert!(
        with_map.review < without.review,
        "merged rules: {with_map}\nplain rules: {without}"
    );
    assert_eq!(
        with_map.eligible, without.eligible,
        "the eligible codes are known either way"
    );
}

#[tokio::test]
async fn real_seattle_calls_under_seattle_rules_match_the_board() {
    let rules = seattle_rules();
    let server_rules = rules.clone();
    let server = TestServer::start_with(move |s| s.policy.triage = server_rules).await;
    check_replay_matches_board(&server, "seattle", SPD, &rules).await;
    server.stop().await;
}

#[tokio::test]
async fn a_token_that_is_not_the_cads_stops_the_replay_with_a_clear_error() {
    let server = TestServer::start().await;
    let rules = TriageConfig::default();
    let dispatcher = server.tokens.dispatcher.clone();
    let err = replay_file(&server, "sandiego", SD, &rules, &dispatcher)
        .await
        .expect_err("a dispatcher may not submit CAD events");
    assert!(matches!(err, SubmitError::Refused(_)), "{err}");
    assert!(err.to_string().contains("role cad"), "{err}");
    let err = replay_file(&server, "sandiego", SD, &rules, "not-a-token")
        .await
        .expect_err("unknown token");
    assert!(matches!(err, SubmitError::Refused(_)), "{err}");
    server.stop().await;
}

/// The board's snapshot: every open incident's triage decision.
async fn snapshot_decisions(ch: &tonic::transport::Channel, token: &str) -> HashMap<String, i32> {
    let mut board = watch_board(ch, token, 0).await;
    match next(&mut board).await.kind {
        Some(v1::board_event::Kind::Snapshot(s)) => s
            .incidents
            .iter()
            .map(|i| (i.id.clone(), i.triage.as_ref().map_or(0, |t| t.decision)))
            .collect(),
        other => panic!("expected a snapshot, got {other:?}"),
    }
}

/// At-least-once in, exactly-once effect: the server is SIGKILLed in the middle of a paced
/// replay and started again on the same database and port; the replay reopens its stream,
/// re-sends what had no receipt, and ends with every call in and the board agreeing.
#[tokio::test]
async fn a_server_killed_mid_replay_loses_nothing_once_it_is_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut settings, t) = test_settings(dir.path());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    settings.listen = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let server = ChildServer::start(env!("CARGO_BIN_EXE_e2e-server"), &settings, dir.path());
    let ch = connect(server.addr).await;

    let rules = TriageConfig::default();
    let source = Source::load("sandiego", &rules).unwrap();
    let plan = replay::plan(SD.as_bytes(), &source, &rules, Window::default()).unwrap();
    let calls = plan.timeline.len();
    let target = Target {
        channel: ch.clone(),
        token: t.cad.clone(),
        streams: 4,
    };
    let (sent_tx, mut sent_rx) = tokio::sync::watch::channel(0usize);
    // Two hours of calls in about three seconds.
    let replaying = tokio::spawn(async move {
        let mut progress = |r: &Report| {
            let _ = sent_tx.send(r.sent);
        };
        replay::run_with_progress(plan, &target, Speed::Times(2400.0), &mut progress).await
    });
    sent_rx
        .wait_for(|sent| *sent >= 30)
        .await
        .expect("the replay is under way");
    server.kill();
    let server = ChildServer::start(env!("CARGO_BIN_EXE_e2e-server"), &settings, dir.path());
    assert_eq!(server.addr.port(), port);

    let report = replaying.await.expect("task").expect("replay ends");
    eprintln!("{report}");
    assert!(report.failures.is_empty(), "{report}");
    assert!(
        report.reconnects >= 1,
        "the kill broke the stream: {report}"
    );
    assert_eq!(report.sent, calls, "{report}");
    let board = snapshot_decisions(&ch, &t.dispatcher).await;
    assert_eq!(board.len(), calls, "one incident per call, none twice");
    assert_eq!(count(&board, v1::Decision::Eligible), report.eligible);
    assert_eq!(count(&board, v1::Decision::Review), report.review);
    assert_eq!(count(&board, v1::Decision::NotEligible), report.declined);
    server.kill();
}
