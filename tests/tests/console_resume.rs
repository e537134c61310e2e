//! The console's network layer against the real server killed and restarted under it: the
//! board stream says it is down, reconnects by itself, resumes after the last sequence it saw
//! (no second snapshot), and the console's board ends equal to the server's, every event
//! folded once.

use dispatch_console::app::{Msg, NetMsg};
use dispatch_console::clock::LocalTime;
use dispatch_console::net::{self, Backoff, Link};
use dispatch_console::state::StreamKind;
use dispatch_console::{Mode, Model, update};
use dispatch_proto::v1;
use dispatch_tests::fixtures;
use dispatch_tests::*;
use std::collections::BTreeSet;
use std::time::Duration;
use tokio::sync::mpsc;

async fn recv(rx: &mut mpsc::UnboundedReceiver<NetMsg>) -> NetMsg {
    tokio::time::timeout(PATIENCE, rx.recv())
        .await
        .expect("the stream said nothing in time")
        .expect("stream task ended")
}

fn seq_of(n: &NetMsg) -> Option<u64> {
    match n {
        NetMsg::Board(v1::BoardEvent {
            kind: Some(v1::board_event::Kind::Event(e)),
        }) => Some(e.seq),
        _ => None,
    }
}

fn is_snapshot(n: &NetMsg) -> bool {
    matches!(
        n,
        NetMsg::Board(v1::BoardEvent {
            kind: Some(v1::board_event::Kind::Snapshot(_))
        })
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_board_resumes_after_a_server_restart_missing_nothing_and_nothing_twice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut settings, t) = test_settings(dir.path());
    let server = ChildServer::start(env!("CARGO_BIN_EXE_e2e-server"), &settings, dir.path());
    settings.listen = server.addr;
    let url = format!("http://{}", server.addr);

    let link = Link::new(&url, &t.dispatcher).expect("link");
    let (tx, mut rx) = mpsc::unbounded_channel();
    let backoff = Backoff {
        first: Duration::from_millis(50),
        cap: Duration::from_millis(400),
    };
    let task = net::spawn_stream(StreamKind::Board, link, backoff, tx);
    let mut model = Model::new(Mode::Dispatcher, "test", 0, LocalTime::UTC);
    let mut seen = BTreeSet::new();
    let fold = |model: &mut Model, n: NetMsg, seen: &mut BTreeSet<u64>| {
        if let Some(s) = seq_of(&n) {
            assert!(seen.insert(s), "event {s} delivered twice");
        }
        update(model, Msg::Net(n));
    };

    assert_eq!(recv(&mut rx).await, NetMsg::Up(StreamKind::Board));
    let snapshot = recv(&mut rx).await;
    assert!(is_snapshot(&snapshot));
    fold(&mut model, snapshot, &mut seen);

    let ch = connect(server.addr).await;
    let first = CadIngestClient::new(ch.clone())
        .submit(authed(fixtures::crisis_call("C-801", "evt-1"), &t.cad))
        .await
        .expect("submit")
        .into_inner();
    while !model.board.incidents.contains_key(&first.incident_id) {
        let n = recv(&mut rx).await;
        fold(&mut model, n, &mut seen);
    }

    server.kill();
    loop {
        let n = recv(&mut rx).await;
        let down = matches!(n, NetMsg::Down { .. });
        fold(&mut model, n, &mut seen);
        if down {
            break;
        }
    }
    assert!(!model.conn.is_up());

    // Back on the same port and database; a call arrives before the console is back.
    let server = ChildServer::start(env!("CARGO_BIN_EXE_e2e-server"), &settings, dir.path());
    let ch = connect(server.addr).await;
    let second = CadIngestClient::new(ch.clone())
        .submit(authed(fixtures::crisis_call("C-802", "evt-2"), &t.cad))
        .await
        .expect("submit")
        .into_inner();
    let mut up_again = false;
    while !(up_again && model.board.incidents.contains_key(&second.incident_id)) {
        let n = recv(&mut rx).await;
        assert!(
            !is_snapshot(&n),
            "resumed by sequence, not from a new snapshot"
        );
        up_again |= n == NetMsg::Up(StreamKind::Board);
        fold(&mut model, n, &mut seen);
    }
    assert!(model.conn.is_up());

    // The console's board is the server's.
    let mut fresh = watch_board(&ch, &t.dispatcher, 0).await;
    let s = match next(&mut fresh).await.kind {
        Some(v1::board_event::Kind::Snapshot(s)) => s,
        other => panic!("expected a snapshot, got {other:?}"),
    };
    while model.board.seq < s.seq {
        let n = recv(&mut rx).await;
        assert!(!is_snapshot(&n));
        fold(&mut model, n, &mut seen);
    }
    assert_eq!(model.board.seq, s.seq);
    let ours: BTreeSet<&String> = model.board.incidents.keys().collect();
    let theirs: BTreeSet<&String> = s.incidents.iter().map(|i| &i.id).collect();
    assert_eq!(ours, theirs);
    for i in &s.incidents {
        assert_eq!(model.board.incidents[&i.id].status, i.status, "{}", i.id);
        assert_eq!(model.board.incidents[&i.id].triage, i.triage, "{}", i.id);
    }
    task.abort();
}
