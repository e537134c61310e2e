//! Crash safety: the server is killed with SIGKILL mid-flow and started again on the same
//! SQLite file. The team's console resubscribes with the last sequence it saw and gets every
//! event it missed exactly once; the CAD re-sends its events and nothing changes; the ack,
//! check-in and follow-up reminder timers that were armed before the crash still fire (the
//! reminder's due time passes while the server is down).

use dispatch_proto::v1;
use dispatch_tests::fixtures::{self, command_id};
use dispatch_tests::*;
use std::collections::HashSet;

async fn board_seq(channel: tonic::transport::Channel, token: &str) -> u64 {
    let mut board = DispatchClient::new(channel)
        .watch_board(authed(v1::WatchRequest { after_seq: 0 }, token))
        .await
        .expect("board")
        .into_inner();
    match next(&mut board).await.kind {
        Some(v1::board_event::Kind::Snapshot(s)) => s.seq,
        other => panic!("expected a snapshot, got {other:?}"),
    }
}

#[tokio::test]
async fn after_sigkill_a_console_resumes_exactly_and_cad_resends_change_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut settings, t) = test_settings(dir.path());
    settings.policy.ack_window_secs = 3;
    settings.policy.max_repushes = 1;
    settings.policy.check_in_after_secs = 2;

    // --- first life ---
    let server = ChildServer::start(env!("CARGO_BIN_EXE_e2e-server"), &settings, dir.path());
    let ch = connect(server.addr).await;
    let mut cad = CadIngestClient::new(ch.clone());
    let mut unit = ResponderClient::new(ch.clone())
        .subscribe(authed(
            v1::SubscribeRequest {
                team_id: "PSR-1".into(),
                after_seq: 0,
            },
            t.unit("PSR-1"),
        ))
        .await
        .expect("subscribe")
        .into_inner();
    let mut last_seen = match next(&mut unit).await.kind {
        Some(v1::responder_event::Kind::Snapshot(s)) => s.seq,
        other => panic!("expected a snapshot, got {other:?}"),
    };
    let created = fixtures::crisis_call("C-77", "cad-1");
    let receipt = cad
        .submit(authed(created.clone(), &t.cad))
        .await
        .expect("submit")
        .into_inner();
    let assigned = DispatchClient::new(ch.clone())
        .assign(authed(
            v1::AssignRequest {
                command_id: command_id(),
                incident_id: receipt.incident_id.clone(),
                team_id: "PSR-1".into(),
            },
            &t.dispatcher,
        ))
        .await
        .expect("assign")
        .into_inner();
    let assignment_id = assigned.assignment.expect("assignment").id;
    let (made_seq, _) = until(&mut unit, |m| match responder_event(m) {
        Some(e) if matches!(e.kind, Some(v1::event::Kind::AssignmentMade(_))) => Some(e.seq),
        _ => None,
    })
    .await;
    last_seen = last_seen.max(made_seq);
    // The console loses its connection; the CAD keeps talking.
    drop(unit);
    let update = fixtures::narrative("C-77", "cad-2", "SUBJ NOW SITTING ON BENCH, CALMER");
    cad.submit(authed(update.clone(), &t.cad))
        .await
        .expect("narrative");
    // Another team is on scene elsewhere: its check-in timer is armed when the server dies.
    let other = cad
        .submit(authed(fixtures::crisis_call("C-78", "cad-3"), &t.cad))
        .await
        .expect("second call")
        .into_inner();
    assign(&ch, &t.dispatcher, &other.incident_id, "PSR-2").await;
    ResponderClient::new(ch.clone())
        .update_status(authed(
            status_request(v1::TeamStatus::OnScene),
            t.unit("PSR-2"),
        ))
        .await
        .expect("on scene");
    let on_scene_seq = board_seq(ch.clone(), &t.dispatcher).await;
    // A follow-up falls due while the server is down: its reminder must still come.
    let due = dispatch_server::clock::now().plus_millis(300);
    let task = FollowUpsClient::new(ch.clone())
        .create(authed(
            v1::CreateFollowUpRequest {
                command_id: command_id(),
                incident_id: receipt.incident_id.clone(),
                kind: v1::FollowUpKind::PhoneCheckIn as i32,
                due_at: Some(dispatch_proto::convert::to_proto_time(due)),
                assignee: "peer-1".into(),
                person_ref: String::new(),
            },
            &t.supervisor,
        ))
        .await
        .expect("create follow-up")
        .into_inner();
    let task_id = task.task.expect("task").id;
    server.kill();
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;

    // --- second life, same database ---
    let server = ChildServer::start(env!("CARGO_BIN_EXE_e2e-server"), &settings, dir.path());
    let ch = connect(server.addr).await;
    let mut cad = CadIngestClient::new(ch.clone());
    // The reminder of the follow-up that fell due while the server was down comes first
    // (before the re-sent CAD events are compared with the journal).
    let mut queue = FollowUpsClient::new(ch.clone())
        .watch_queue(authed(
            v1::WatchRequest {
                after_seq: task.seq,
            },
            &t.supervisor,
        ))
        .await
        .expect("queue")
        .into_inner();
    let (overdue, _) = until(&mut queue, |m| {
        match queue_event(m).and_then(|e| e.kind.clone()) {
            Some(v1::event::Kind::FollowUpOverdue(o)) => Some(o),
            _ => None,
        }
    })
    .await;
    assert_eq!(overdue.task_id, task_id);
    let before = board_seq(ch.clone(), &t.dispatcher).await;
    for event in [created, update] {
        let again = cad
            .submit(authed(event, &t.cad))
            .await
            .expect("resend")
            .into_inner();
        assert!(again.duplicate, "{again:?}");
        assert_eq!(again.incident_id, receipt.incident_id);
    }
    assert_eq!(
        board_seq(ch.clone(), &t.dispatcher).await,
        before,
        "re-sent CAD events change nothing"
    );

    let mut unit = ResponderClient::new(ch.clone())
        .subscribe(authed(
            v1::SubscribeRequest {
                team_id: "PSR-1".into(),
                after_seq: last_seen,
            },
            t.unit("PSR-1"),
        ))
        .await
        .expect("resubscribe")
        .into_inner();
    let mut seqs = Vec::new();
    let mut narratives = 0;
    let mut repushes = 0;
    // Read until the armed ack timer has fired (it was set before the crash).
    while repushes == 0 {
        let m = next(&mut unit).await;
        let e = responder_event(&m)
            .expect("no snapshot when resuming")
            .clone();
        seqs.push(e.seq);
        match e.kind {
            Some(v1::event::Kind::NarrativeAdded(n)) => {
                assert_eq!(n.lines[0].text, "SUBJ NOW SITTING ON BENCH, CALMER");
                narratives += 1;
            }
            Some(v1::event::Kind::AssignmentRepushed(r)) => {
                assert_eq!(r.assignment_id, assignment_id);
                repushes += 1;
            }
            Some(v1::event::Kind::AssignmentMade(_)) => panic!("the assignment was already seen"),
            _ => {}
        }
    }
    assert_eq!(narratives, 1, "the missed narrative arrives once");
    assert!(
        seqs.iter().all(|s| *s > last_seen),
        "nothing already seen is sent again: {seqs:?}"
    );
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "in order, no repeats: {seqs:?}"
    );

    // The team acknowledges after the restart; the ack arrives once and no timer fires after it.
    ResponderClient::new(ch.clone())
        .acknowledge(authed(
            v1::AcknowledgeRequest {
                command_id: command_id(),
                assignment_id: assignment_id.clone(),
            },
            t.unit("PSR-1"),
        ))
        .await
        .expect("ack");
    let (acked, skipped) = until(&mut unit, |m| match responder_event(m) {
        Some(e) if matches!(e.kind, Some(v1::event::Kind::AssignmentAcknowledged(_))) => {
            Some(e.seq)
        }
        _ => None,
    })
    .await;
    let mut all: HashSet<u64> = seqs.into_iter().collect();
    for m in &skipped {
        let seq = responder_event(m).expect("event").seq;
        assert!(all.insert(seq), "seq {seq} delivered twice");
    }
    assert!(all.insert(acked));
    // The check-in timer armed before the crash fires after it.
    let mut psr2 = subscribe_unit(&ch, t.unit("PSR-2"), on_scene_seq).await;
    until(&mut psr2, |m| {
        match responder_event(m).and_then(|e| e.kind.clone()) {
            Some(v1::event::Kind::CheckInRequested(r)) => Some(r),
            _ => None,
        }
    })
    .await;
    server.kill();
}
