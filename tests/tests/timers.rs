//! The server's timers, on a manual clock the tests move (no sleeping): an unacknowledged
//! assignment is pushed again then escalated; a quiet team on scene is asked to check in then
//! reported; an overdue follow-up is recalled.

use dispatch_proto::v1;
use dispatch_tests::fixtures::{self, command_id};
use dispatch_tests::*;

#[tokio::test]
async fn a_missing_ack_is_pushed_again_then_escalated_and_acked_on_behalf() {
    let server = TestServer::start_with_manual_clock(|s| s.policy.max_repushes = 1).await;
    let minute = std::time::Duration::from_secs(60);
    let t = server.tokens.clone();
    let ch = server.channel().await;
    let mut dispatch = DispatchClient::new(ch.clone());
    let mut board = dispatch
        .watch_board(authed(v1::WatchRequest { after_seq: 0 }, &t.dispatcher))
        .await
        .expect("board")
        .into_inner();
    next(&mut board).await;
    let receipt = CadIngestClient::new(ch.clone())
        .submit(authed(fixtures::crisis_call("C-5", "e-5"), &t.cad))
        .await
        .expect("submit")
        .into_inner();
    let a = dispatch
        .assign(authed(
            v1::AssignRequest {
                command_id: command_id(),
                incident_id: receipt.incident_id,
                team_id: "PSR-3".into(),
            },
            &t.dispatcher,
        ))
        .await
        .expect("assign")
        .into_inner()
        .assignment
        .expect("assignment");

    server.clock.advance(minute);
    let (repushed, _) = until(&mut board, |m| {
        match board_event(m).and_then(|e| e.kind.clone()) {
            Some(v1::event::Kind::AssignmentRepushed(r)) => Some(r),
            _ => None,
        }
    })
    .await;
    assert_eq!(
        (repushed.assignment_id.as_str(), repushed.repushes),
        (a.id.as_str(), 1)
    );
    server.clock.advance(minute);
    let (escalated, skipped) = until(&mut board, |m| {
        match board_event(m).and_then(|e| e.kind.clone()) {
            Some(v1::event::Kind::AssignmentEscalated(e)) => Some(e),
            _ => None,
        }
    })
    .await;
    assert_eq!(escalated.team_id, "PSR-3");
    assert!(
        ["PSR-1", "PSR-2"].contains(&escalated.suggested_team_id.as_str()),
        "the next-best available team is suggested: {escalated:?}"
    );
    assert!(
        skipped.iter().all(|m| !matches!(
            board_event(m).and_then(|e| e.kind.clone()),
            Some(v1::event::Kind::AssignmentRepushed(_))
        )),
        "one re-push only"
    );

    let acked = dispatch
        .ack_on_behalf(authed(
            v1::AckOnBehalfRequest {
                command_id: command_id(),
                assignment_id: a.id.clone(),
                channel: "radio".into(),
                note: "PSR-3 copied on channel 2".into(),
            },
            &t.dispatcher,
        ))
        .await
        .expect("ack on behalf")
        .into_inner()
        .assignment
        .expect("assignment");
    assert_eq!(acked.status, v1::AssignmentStatus::Acknowledged as i32);
    let ack = acked.ack.expect("ack");
    assert!(ack.by_dispatcher);
    assert_eq!(ack.channel, "radio");
    assert!(acked.ack_deadline.is_none(), "no deadline after an ack");
    server.stop().await;
}

#[tokio::test]
async fn a_quiet_team_on_scene_is_asked_to_check_in_and_silence_alerts_the_board() {
    let server = TestServer::start_with_manual_clock(|_| {}).await;
    let (after, grace) = (
        std::time::Duration::from_secs(20 * 60),
        std::time::Duration::from_secs(120),
    );
    let t = server.tokens.clone();
    let ch = server.channel().await;
    let receipt = CadIngestClient::new(ch.clone())
        .submit(authed(fixtures::crisis_call("Q-1", "q-1"), &t.cad))
        .await
        .expect("submit")
        .into_inner();
    assign(&ch, &t.dispatcher, &receipt.incident_id.clone(), "PSR-2").await;
    let mut responder = ResponderClient::new(ch.clone());
    let mut unit = responder
        .subscribe(authed(
            v1::SubscribeRequest {
                team_id: String::new(),
                after_seq: server.journal_seq(),
            },
            t.unit("PSR-2"),
        ))
        .await
        .expect("unit")
        .into_inner();
    let mut board = watch_board(&ch, &t.dispatcher, server.journal_seq()).await;
    let status = status_request;
    responder
        .update_status(authed(status(v1::TeamStatus::OnScene), t.unit("PSR-2")))
        .await
        .expect("on scene");

    // Asked once; answering (any update) restarts the clock instead of alerting.
    server.clock.advance(after);
    until(&mut unit, |m| {
        match responder_event(m).and_then(|e| e.kind.clone()) {
            Some(v1::event::Kind::CheckInRequested(r)) => Some(r),
            _ => None,
        }
    })
    .await;
    responder
        .update_status(authed(status(v1::TeamStatus::Unspecified), t.unit("PSR-2")))
        .await
        .expect("check in");
    server.clock.advance(after);
    let (next, skipped) = until(&mut unit, |m| {
        match responder_event(m).and_then(|e| e.kind.clone()) {
            Some(v1::event::Kind::CheckInRequested(_)) => Some("requested"),
            Some(v1::event::Kind::CheckInMissed(_)) => Some("missed"),
            _ => None,
        }
    })
    .await;
    assert_eq!(
        next, "requested",
        "after a check-in the team is asked again, not reported missing"
    );
    assert!(skipped.iter().any(|m| matches!(
        responder_event(m).and_then(|e| e.kind.clone()),
        Some(v1::event::Kind::TeamCheckedIn(_))
    )));

    // Silence this time: the dispatcher is alerted, once.
    server.clock.advance(grace);
    let (missed, _) = until(&mut board, |m| {
        match board_event(m).and_then(|e| e.kind.clone()) {
            Some(v1::event::Kind::CheckInMissed(c)) => Some(c),
            _ => None,
        }
    })
    .await;
    assert_eq!(
        (missed.team_id.as_str(), missed.incident_id.as_str()),
        ("PSR-2", receipt.incident_id.as_str())
    );
    server.stop().await;
}

#[tokio::test]
async fn an_overdue_follow_up_reminds_its_peer_and_the_supervisor_once() {
    let server = TestServer::start_with_manual_clock(|_| {}).await;
    let t = server.tokens.clone();
    let ch = server.channel().await;
    let receipt = CadIngestClient::new(ch.clone())
        .submit(authed(fixtures::crisis_call("F-1", "f-1"), &t.cad))
        .await
        .expect("submit")
        .into_inner();
    let mut follow_ups = FollowUpsClient::new(ch.clone());
    let mut queue = follow_ups
        .watch_queue(authed(
            v1::WatchRequest {
                after_seq: server.journal_seq(),
            },
            &t.supervisor,
        ))
        .await
        .expect("queue")
        .into_inner();
    let in_an_hour = server.clock.now().plus_hours(1);
    let task = follow_ups
        .create(authed(
            v1::CreateFollowUpRequest {
                command_id: command_id(),
                incident_id: receipt.incident_id.clone(),
                kind: v1::FollowUpKind::PhoneCheckIn as i32,
                due_at: Some(dispatch_proto::convert::to_proto_time(in_an_hour)),
                assignee: "peer-2".into(),
                person_ref: String::new(),
            },
            t.peer("peer-2"),
        ))
        .await
        .expect("create")
        .into_inner()
        .task
        .expect("task");
    server.clock.advance(std::time::Duration::from_secs(3600));
    let (overdue, _) = until(&mut queue, |m| {
        match queue_event(m).and_then(|e| e.kind.clone()) {
            Some(v1::event::Kind::FollowUpOverdue(o)) => Some(o),
            _ => None,
        }
    })
    .await;
    assert_eq!(
        (overdue.task_id.as_str(), overdue.assignee.as_str()),
        (task.id.as_str(), "peer-2")
    );
    server.stop().await;
}
