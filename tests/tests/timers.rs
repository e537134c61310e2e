//! An unacknowledged assignment is pushed to the team again, then escalated to the dispatcher
//! board; the dispatcher acknowledges on the team's behalf and no timer fires after that.

use dispatch_proto::v1;
use dispatch_tests::fixtures::{self, command_id};
use dispatch_tests::*;

#[tokio::test]
async fn a_missing_ack_is_pushed_again_then_escalated_and_acked_on_behalf() {
    let server = TestServer::start_with(|s| {
        s.policy.ack_window_secs = 1;
        s.policy.max_repushes = 1;
    })
    .await;
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
    let (escalated, skipped) = until(&mut board, |m| {
        match board_event(m).and_then(|e| e.kind.clone()) {
            Some(v1::event::Kind::AssignmentEscalated(e)) => Some(e),
            _ => None,
        }
    })
    .await;
    assert_eq!(escalated.team_id, "PSR-3");
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
