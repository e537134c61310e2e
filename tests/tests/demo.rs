//! The main job: `dispatch-server demo` starts on a fresh database, prints a token per role,
//! and its CAD feed keeps real call types arriving on the dispatcher's board.

use dispatch_proto::v1;
use dispatch_tests::*;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test]
async fn the_demo_prints_tokens_and_its_feed_reaches_the_board() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_e2e-server"))
        .args([
            "demo",
            "--listen",
            "127.0.0.1:0",
            "--calls-per-hour",
            "36000",
            "--seed",
            "11",
        ])
        .env_remove("DISPATCH_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the demo");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut addr = None;
    let mut tokens = std::collections::HashMap::new();
    for line in lines.by_ref() {
        let line = line.expect("banner line");
        if let Some(a) = line.strip_prefix("dispatch-server demo listening on ") {
            addr = a.trim().parse::<std::net::SocketAddr>().ok();
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if let [role, token] = words.as_slice()
            && token.starts_with("dsp_")
        {
            tokens.insert((*role).to_owned(), (*token).to_owned());
        }
        if line.starts_with("Ctrl-C") {
            break;
        }
    }
    let addr = addr.expect("the demo says where it listens");
    for role in [
        "cad",
        "dispatcher",
        "supervisor",
        "unit:PSR-1",
        "unit:PSR-2",
        "unit:PSR-3",
        "unit:PSR-4",
        "peer:peer-1",
    ] {
        assert!(
            tokens.contains_key(role),
            "no token printed for {role}: {tokens:?}"
        );
    }
    let mut board = DispatchClient::new(connect(addr).await)
        .watch_board(authed(
            v1::WatchRequest { after_seq: 0 },
            &tokens["dispatcher"],
        ))
        .await
        .expect("board")
        .into_inner();
    match next(&mut board).await.kind {
        Some(v1::board_event::Kind::Snapshot(s)) => {
            let mut teams: Vec<String> = s.teams.iter().map(|t| t.id.clone()).collect();
            teams.sort();
            assert_eq!(teams, ["PSR-1", "PSR-2", "PSR-3", "PSR-4"]);
            let psr2 = s.teams.iter().find(|t| t.id == "PSR-2").expect("PSR-2");
            assert!(
                psr2.languages.iter().any(|l| l == "es"),
                "one team speaks Spanish"
            );
            assert!(s.teams.iter().all(|t| t.members.len() == 3));
        }
        other => panic!("expected a snapshot, got {other:?}"),
    }
    let sample = include_str!("../../crates/cad-bridge/data/seattle-calls-sample.csv");
    for _ in 0..3 {
        let (incident, _) = until(&mut board, |m| {
            match board_event(m).and_then(|e| e.kind.clone()) {
                Some(v1::event::Kind::IncidentReceived(r)) => r.incident,
                _ => None,
            }
        })
        .await;
        let details = incident.details.expect("details");
        assert!(
            sample.contains(&details.nature_text),
            "{} is a real Seattle call type",
            details.nature_text
        );
        assert!(!details.narrative.is_empty());
        let loc = details.location.expect("location");
        let (lat, lon) = (loc.lat.expect("lat"), loc.lon.expect("lon"));
        assert!(
            (45.4..45.7).contains(&lat) && (-122.8..-122.5).contains(&lon),
            "in Portland: {lat},{lon}"
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}
