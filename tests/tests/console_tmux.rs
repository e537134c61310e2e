//! The console end to end, as a person uses it: the real `dispatch-console` binary in a real
//! terminal (tmux: keys typed with send-keys, the screen read with capture-pane) against the
//! real server. A team acknowledges a new assignment, goes en route and on scene, clears the
//! call through the form; the server's state is then checked over gRPC. A second test kills
//! the server under the console: the console says so, keeps a command made offline, and sends
//! it once the server is back.
//!
//! tmux is required (`apt-get install tmux`): without it these tests fail, they do not skip.

use dispatch_proto::v1;
use dispatch_tests::fixtures;
use dispatch_tests::*;
use std::process::Command;
use std::time::{Duration, Instant};
use tokio_stream::StreamExt;

/// One tmux server of our own (its socket in a temporary directory), running one console.
struct Tmux {
    socket: String,
    _dir: tempfile::TempDir,
}

impl Tmux {
    fn start(console_args: &[&str]) -> Tmux {
        let dir = tempfile::tempdir().expect("tempdir");
        let socket = dir.path().join("tmux").to_string_lossy().into_owned();
        let console = env!("CARGO_BIN_EXE_console");
        // The pane outlives the console so that a crash leaves its message on screen.
        let mut script = format!("'{console}'");
        for a in console_args {
            script.push_str(&format!(" '{a}'"));
        }
        script.push_str("; echo \"console exited with $?\"; sleep 300");
        let status = Command::new("tmux")
            .args([
                "-S",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "console",
            ])
            .args(["-x", "100", "-y", "30"])
            .args(["sh", "-c", &script])
            .env_remove("NO_COLOR")
            .env_remove("DISPATCH_CONSOLE_CONFIG")
            .env("HOME", "/nonexistent")
            .status()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot run tmux ({e}): these tests need it; install it (apt-get install tmux)"
                )
            });
        assert!(status.success(), "tmux new-session failed: {status}");
        Tmux { socket, _dir: dir }
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-S", &self.socket])
            .args(args)
            .output()
            .expect("tmux");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "console"])
    }

    /// Keys by tmux name: "a", "Tab", "Right", "Space", "Enter".
    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", "console", k]);
        }
    }

    fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "console", "-l", text]);
    }

    /// Waits until the screen shows `text` (the console redraws on every change and every
    /// second); panics with the screen after [`PATIENCE`].
    async fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            if start.elapsed() > PATIENCE {
                panic!("the console did not show {text:?} within {PATIENCE:?}; screen:\n{s}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-S", &self.socket, "kill-server"])
            .status();
    }
}

fn event_kind(m: &v1::BoardEvent) -> Option<&v1::event::Kind> {
    board_event(m).and_then(|e| e.kind.as_ref())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_acknowledges_and_clears_a_call_in_the_console() {
    let server = TestServer::start().await;
    let t = server.tokens.clone();
    let ch = server.channel().await;
    let mut board = watch_board(&ch, &t.dispatcher, 0).await;
    next(&mut board).await;

    // The team's terminal is on before the call comes; its mode comes from the token.
    let url = format!("http://{}", server.addr);
    let tmux = Tmux::start(&["--server", &url, "--token", t.unit("PSR-1")]);
    let s = tmux.wait_for("No assignment").await;
    assert!(s.contains("UNIT PSR-1"), "{s}");
    assert!(s.contains("connected"), "{s}");

    let receipt = CadIngestClient::new(ch.clone())
        .submit(authed(fixtures::crisis_call("C-7001", "evt-1"), &t.cad))
        .await
        .expect("submit")
        .into_inner();
    let incident = receipt.incident_id;
    let assignment = assign(&ch, &t.dispatcher, &incident, "PSR-1").await;

    // Loud, with the call's card and the ack countdown.
    let s = tmux.wait_for("NEW ASSIGNMENT").await;
    assert!(s.contains("left to acknowledge"), "{s}");
    assert!(s.contains("700 BLOCK SW 5TH AVE"), "{s}");
    assert!(s.contains("SW MORRISON ST / SW YAMHILL ST"), "{s}");
    assert!(s.contains("503-555-0100"), "{s}");

    tmux.keys(&["a"]);
    let (ack, _) = until(&mut board, |m| match event_kind(m) {
        Some(v1::event::Kind::AssignmentAcknowledged(a)) => Some(a.clone()),
        _ => None,
    })
    .await;
    assert_eq!(ack.assignment_id, assignment.id);
    assert!(
        !ack.ack.expect("ack").by_dispatcher,
        "the team acked, not the dispatcher"
    );
    tmux.wait_for("done: acknowledge").await;
    let s = tmux.screen();
    assert!(
        !s.contains("NEW ASSIGNMENT"),
        "the loud state ends with the ack:\n{s}"
    );

    for (key, status) in [
        ("e", v1::TeamStatus::EnRoute),
        ("o", v1::TeamStatus::OnScene),
    ] {
        tmux.keys(&[key]);
        until(&mut board, |m| match event_kind(m) {
            Some(v1::event::Kind::TeamStatusChanged(c))
                if c.team_id == "PSR-1" && c.status == status as i32 =>
            {
                Some(())
            }
            _ => None,
        })
        .await;
    }
    tmux.wait_for("on scene since").await;

    // The clear form: 11 connected to services; crisis counselling; housing and food
    // referrals; a note; consent to follow-up.
    tmux.keys(&["c"]);
    tmux.wait_for("Clear C-7001").await;
    tmux.keys(&["Right", "Right", "Tab", "Space", "Tab", "Space"]);
    tmux.keys(&["Right", "Right", "Right", "Right", "Right", "Space", "Tab"]);
    tmux.type_text("ate a meal, wants a shelter bed");
    tmux.keys(&["Tab", "Space"]);
    let s = tmux.wait_for("[x] yes").await;
    assert!(s.contains("‹ 11 connected to services ›"), "{s}");
    tmux.keys(&["Enter"]);

    let (cleared, _) = until(&mut board, |m| match event_kind(m) {
        Some(v1::event::Kind::IncidentCleared(c)) => Some(c.clone()),
        _ => None,
    })
    .await;
    assert_eq!(cleared.incident_id, incident);
    assert_eq!(cleared.team_id, "PSR-1");
    assert_eq!(
        cleared.disposition,
        v1::Disposition::ConnectedToServices as i32
    );
    let e = cleared.encounter.expect("encounter");
    assert_eq!(e.notes, "ate a meal, wants a shelter bed");
    assert_eq!(e.services_provided, vec!["crisis counselling"]);
    let categories: Vec<i32> = e.referrals.iter().map(|r| r.category).collect();
    assert_eq!(
        categories,
        vec![
            v1::ResourceCategory::Housing as i32,
            v1::ResourceCategory::Food as i32
        ]
    );
    assert!(e.consents_to_follow_up);
    tmux.wait_for("follow-up task(s) created").await;
    // The card goes when the team's stream says the assignment ended (just after the reply).
    tmux.wait_for("No assignment").await;

    // The server's state, read fresh: the call is off the board, the team is free, and the
    // follow-up policy queued work for a peer.
    let mut fresh = watch_board(&ch, &t.dispatcher, 0).await;
    match next(&mut fresh).await.kind {
        Some(v1::board_event::Kind::Snapshot(s)) => {
            assert!(s.incidents.iter().all(|i| i.id != incident), "still open");
            let psr1 = s.teams.iter().find(|t| t.id == "PSR-1").expect("PSR-1");
            assert!(psr1.incident_id.is_empty(), "{psr1:?}");
        }
        other => panic!("expected a snapshot, got {other:?}"),
    }
    let mut queue = FollowUpsClient::new(ch.clone())
        .watch_queue(authed(v1::WatchRequest { after_seq: 0 }, &t.supervisor))
        .await
        .expect("queue")
        .into_inner();
    match next(&mut queue).await.kind {
        Some(v1::follow_up_event::Kind::Snapshot(s)) => assert!(
            s.tasks.iter().any(|task| task.incident_id == incident),
            "no follow-up for the cleared call: {:?}",
            s.tasks
        ),
        other => panic!("expected a snapshot, got {other:?}"),
    }
    drop(tmux);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_made_offline_is_sent_once_when_the_server_is_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut settings, t) = test_settings(dir.path());
    let server = ChildServer::start(env!("CARGO_BIN_EXE_e2e-server"), &settings, dir.path());
    let addr = server.addr;
    settings.listen = addr;
    let ch = connect(addr).await;
    let receipt = CadIngestClient::new(ch.clone())
        .submit(authed(fixtures::crisis_call("C-7002", "evt-1"), &t.cad))
        .await
        .expect("submit")
        .into_inner();
    let url = format!("http://{addr}");
    let tmux = Tmux::start(&["--server", &url, "--token", t.unit("PSR-1")]);
    tmux.wait_for("No assignment").await;
    let assignment = assign(&ch, &t.dispatcher, &receipt.incident_id, "PSR-1").await;
    tmux.wait_for("NEW ASSIGNMENT").await;

    // The server dies; the console says so and keeps the ack it cannot deliver.
    server.kill();
    tmux.wait_for("RECONNECTING").await;
    tmux.keys(&["a"]);
    let s = tmux.wait_for("1 to send").await;
    assert!(s.contains("queued"), "{s}");

    // Back on the same port and database: the ack goes once, with its command id.
    let server = ChildServer::start(env!("CARGO_BIN_EXE_e2e-server"), &settings, dir.path());
    let s = tmux.wait_for("done: acknowledge").await;
    assert!(!s.contains("to send"), "{s}");
    let ch = connect(server.addr).await;
    let mut unit = subscribe_unit(&ch, t.unit("PSR-1"), 0).await;
    match next(&mut unit).await.kind {
        Some(v1::responder_event::Kind::Snapshot(s)) => {
            let a = s.assignment.expect("assignment");
            assert_eq!(a.id, assignment.id);
            assert_eq!(a.status, v1::AssignmentStatus::Acknowledged as i32);
            assert!(!a.ack.expect("ack").by_dispatcher);
        }
        other => panic!("expected a snapshot, got {other:?}"),
    }
    // Exactly one acknowledgement in the journal.
    let mut board = watch_board(&ch, &t.dispatcher, 1).await;
    let mut acks = 0;
    while let Ok(Some(Ok(m))) = tokio::time::timeout(Duration::from_millis(500), board.next()).await
    {
        if matches!(
            event_kind(&m),
            Some(v1::event::Kind::AssignmentAcknowledged(_))
        ) {
            acks += 1;
        }
    }
    assert_eq!(acks, 1);
    drop(tmux);
}
