//! The main job: `dispatch-server demo` starts on a fresh database, prints a token per role,
//! and its CAD feed keeps real call types arriving on the dispatcher's board.

use dispatch_proto::v1;
use dispatch_tests::*;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// The demo started as a person would; what its banner said.
struct Demo {
    child: std::process::Child,
    addr: std::net::SocketAddr,
    tokens: std::collections::HashMap<String, String>,
    banner: Vec<String>,
}

fn start_demo(calls_per_hour: &str) -> Demo {
    let mut child = Command::new(env!("CARGO_BIN_EXE_e2e-server"))
        .args([
            "demo",
            "--listen",
            "127.0.0.1:0",
            "--calls-per-hour",
            calls_per_hour,
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
    let mut banner = Vec::new();
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
        let done = line.starts_with("Ctrl-C");
        banner.push(line);
        if done {
            break;
        }
    }
    Demo {
        child,
        addr: addr.expect("the demo says where it listens"),
        tokens,
        banner,
    }
}

/// Issue 16: at night the board stayed empty for minutes and the first calls were thefts.
/// Now the first calls come at once, one of them for the crisis team, whatever the rate.
#[tokio::test]
async fn the_demo_opens_with_calls_at_once_one_of_them_eligible() {
    let Demo {
        mut child,
        addr,
        tokens,
        banner,
    } = start_demo("0.5");
    let console: Vec<&String> = banner
        .iter()
        .filter(|l| l.contains("--token dsp_"))
        .collect();
    assert!(!console.is_empty(), "{banner:?}");
    for line in console {
        // The console beside the server's binary when it is built, else `cargo run` of
        // the same profile (so a release demo never starts a second, debug build).
        let command = line.split_whitespace().next().unwrap_or_default();
        assert!(
            command == "cargo" || std::path::Path::new(command).is_file(),
            "{line}"
        );
    }
    let mut board = watch_board(&connect(addr).await, &tokens["dispatcher"], 0).await;
    let mut received = 0;
    let mut eligible = 0;
    while received < 4 {
        let (kind, _) = until(&mut board, |m| board_event(m).and_then(|e| e.kind.clone())).await;
        match kind {
            v1::event::Kind::IncidentReceived(_) => received += 1,
            v1::event::Kind::IncidentTriaged(t)
                if t.triage
                    .as_ref()
                    .is_some_and(|t| t.decision == v1::Decision::Eligible as i32) =>
            {
                eligible += 1
            }
            _ => {}
        }
    }
    assert!(
        eligible >= 1,
        "one of the opening calls is for the crisis team"
    );
    let _ = child.kill();
    let _ = child.wait();
}

#[tokio::test]
async fn the_demo_prints_tokens_and_its_feed_reaches_the_board() {
    let Demo {
        mut child,
        addr,
        tokens,
        ..
    } = start_demo("36000");
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
    let mut board = watch_board(&connect(addr).await, &tokens["dispatcher"], 0).await;
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
