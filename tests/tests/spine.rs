//! The dispatch spine end to end, over gRPC against the real server and a real SQLite file:
//! a CAD call (and its duplicate) → triage on the board → assignment → the team's stream →
//! ack, en route, on scene, clear → a follow-up task in the peer's queue → completed.

use dispatch_proto::v1;
use dispatch_tests::fixtures::{self, command_id};
use dispatch_tests::*;

#[tokio::test]
async fn a_call_goes_from_the_cad_to_a_team_and_on_to_a_peer() {
    let server = TestServer::start().await;
    let t = server.tokens.clone();
    let ch = server.channel().await;
    let mut cad = CadIngestClient::new(ch.clone());
    let mut dispatch = DispatchClient::new(ch.clone());
    let mut responder = ResponderClient::new(ch.clone());
    let mut follow_ups = FollowUpsClient::new(ch.clone());

    // Everyone opens their screen first.
    let mut board = dispatch
        .watch_board(authed(v1::WatchRequest { after_seq: 0 }, &t.dispatcher))
        .await
        .expect("board")
        .into_inner();
    let snapshot = match next(&mut board).await.kind {
        Some(v1::board_event::Kind::Snapshot(s)) => s,
        other => panic!("expected a snapshot, got {other:?}"),
    };
    assert_eq!(snapshot.teams.len(), 3);
    assert!(snapshot.incidents.is_empty());
    let mut unit = responder
        .subscribe(authed(
            v1::SubscribeRequest {
                team_id: String::new(),
                after_seq: 0,
            },
            t.unit("PSR-1"),
        ))
        .await
        .expect("unit stream")
        .into_inner();
    match next(&mut unit).await.kind {
        Some(v1::responder_event::Kind::Snapshot(s)) => {
            assert_eq!(s.team.expect("team").id, "PSR-1");
            assert!(s.incident.is_none());
        }
        other => panic!("expected the team's snapshot, got {other:?}"),
    }
    let mut queue = follow_ups
        .watch_queue(authed(v1::WatchRequest { after_seq: 0 }, t.peer("peer-1")))
        .await
        .expect("queue")
        .into_inner();
    match next(&mut queue).await.kind {
        Some(v1::follow_up_event::Kind::Snapshot(s)) => assert!(s.tasks.is_empty()),
        other => panic!("expected the queue snapshot, got {other:?}"),
    }

    // The CAD sends a call, then sends it again (at-least-once delivery).
    let call = fixtures::crisis_call("C-1001", "evt-1");
    let first = cad
        .submit(authed(call.clone(), &t.cad))
        .await
        .expect("submit")
        .into_inner();
    assert!(!first.duplicate);
    assert!(first.seq > 0);
    assert!(!first.incident_id.is_empty());
    let triage = first.triage.expect("triage in the receipt");
    assert_eq!(triage.decision, v1::Decision::Eligible as i32);
    assert_eq!(triage.route, v1::Route::CrisisTeam as i32);
    let seq_after_first = server.journal_seq();
    let again = cad
        .submit(authed(call, &t.cad))
        .await
        .expect("resubmit")
        .into_inner();
    assert!(again.duplicate);
    assert_eq!(
        (again.seq, &again.incident_id),
        (first.seq, &first.incident_id)
    );
    assert_eq!(
        server.journal_seq(),
        seq_after_first,
        "a re-sent CAD event changes nothing"
    );

    // The board shows it, triaged and queued for the crisis team.
    let (triaged, _) = until(&mut board, |m| {
        match board_event(m).and_then(|e| e.kind.clone()) {
            Some(v1::event::Kind::IncidentTriaged(t)) => Some(t),
            _ => None,
        }
    })
    .await;
    assert_eq!(triaged.incident_id, first.incident_id);
    assert_eq!(triaged.status, v1::IncidentStatus::Queued as i32);
    assert_eq!(
        triaged.triage.expect("triage").decision,
        v1::Decision::Eligible as i32
    );

    // The dispatcher asks for a recommendation and assigns the nearest team.
    let recs = dispatch
        .recommend(authed(
            v1::IncidentRef {
                incident_id: first.incident_id.clone(),
            },
            &t.dispatcher,
        ))
        .await
        .expect("recommend")
        .into_inner();
    assert_eq!(recs.teams[0].team_id, "PSR-1", "PSR-1 is two blocks away");
    let assigned = dispatch
        .assign(authed(
            v1::AssignRequest {
                command_id: command_id(),
                incident_id: first.incident_id.clone(),
                team_id: "PSR-1".into(),
            },
            &t.dispatcher,
        ))
        .await
        .expect("assign")
        .into_inner();
    let assignment = assigned.assignment.expect("assignment");
    assert_eq!(assignment.status, v1::AssignmentStatus::AwaitingAck as i32);
    assert!(assignment.ack_deadline.is_some());

    // The team's terminal gets the assignment with the whole card.
    let (made, _) = until(&mut unit, |m| {
        match responder_event(m).and_then(|e| e.kind.clone()) {
            Some(v1::event::Kind::AssignmentMade(a)) => Some(a),
            _ => None,
        }
    })
    .await;
    assert_eq!(
        made.assignment.as_ref().expect("assignment").id,
        assignment.id
    );
    let card = made.incident.expect("incident card");
    let details = card.details.expect("details");
    assert_eq!(
        details.location.expect("location").address,
        "700 BLOCK SW 5TH AVE"
    );
    assert_eq!(details.caller.expect("caller").callback, "503-555-0100");

    // Ack, en route, on scene, clear.
    let ack = responder
        .acknowledge(authed(
            v1::AcknowledgeRequest {
                command_id: command_id(),
                assignment_id: assignment.id.clone(),
            },
            t.unit("PSR-1"),
        ))
        .await
        .expect("ack")
        .into_inner();
    assert_eq!(
        ack.assignment.expect("a").status,
        v1::AssignmentStatus::Acknowledged as i32
    );
    for status in [v1::TeamStatus::EnRoute, v1::TeamStatus::OnScene] {
        let reply = responder
            .update_status(authed(
                v1::UpdateStatusRequest {
                    command_id: command_id(),
                    status: status as i32,
                    position: None,
                    team_id: String::new(),
                },
                t.unit("PSR-1"),
            ))
            .await
            .expect("status")
            .into_inner();
        assert_eq!(reply.team.expect("team").status, status as i32);
    }
    let cleared = responder
        .clear(authed(
            v1::ClearRequest {
                command_id: command_id(),
                disposition: v1::Disposition::ConnectedToServices as i32,
                encounter: Some(v1::Encounter {
                    notes: "talked with subj, accepted shelter bed".into(),
                    services_provided: vec!["crisis counseling".into()],
                    referrals: vec![v1::Referral {
                        category: v1::ResourceCategory::Shelter as i32,
                        status: v1::ReferralStatus::Made as i32,
                        note: String::new(),
                    }],
                    consents_to_follow_up: true,
                    person_ref: String::new(),
                }),
            },
            t.unit("PSR-1"),
        ))
        .await
        .expect("clear")
        .into_inner();
    assert_eq!(
        cleared.incident.expect("incident").status,
        v1::IncidentStatus::Cleared as i32
    );
    assert_eq!(
        cleared.follow_ups.len(),
        1,
        "connected to services → one peer visit"
    );
    let task = &cleared.follow_ups[0];
    assert_eq!(task.kind, v1::FollowUpKind::InPersonVisit as i32);
    assert_eq!(task.assignee, "peer-1", "the peer who was there follows up");

    // The board sees the team available again.
    until(&mut board, |m| {
        match board_event(m).and_then(|e| e.kind.clone()) {
            Some(v1::event::Kind::AssignmentEnded(e))
                if e.status == v1::AssignmentStatus::Completed as i32 =>
            {
                Some(())
            }
            _ => None,
        }
    })
    .await;

    // The task appears in the peer's queue; the peer records an attempt and completes it.
    let (created, _) = until(&mut queue, |m| {
        match queue_event(m).and_then(|e| e.kind.clone()) {
            Some(v1::event::Kind::FollowUpCreated(c)) => c.task,
            _ => None,
        }
    })
    .await;
    assert_eq!(created.id, task.id);
    let attempt = follow_ups
        .record_attempt(authed(
            v1::AttemptRequest {
                command_id: command_id(),
                task_id: task.id.clone(),
                result: v1::AttemptResult::Reached as i32,
                note: "met at shelter".into(),
                referrals: vec![],
            },
            t.peer("peer-1"),
        ))
        .await
        .expect("attempt")
        .into_inner();
    assert_eq!(attempt.task.expect("task").attempts.len(), 1);
    let done = follow_ups
        .complete(authed(
            v1::CompleteRequest {
                command_id: command_id(),
                task_id: task.id.clone(),
                outcome: v1::TaskOutcome::Done as i32,
                measures: Some(v1::OutcomeMeasures {
                    connected_to_services: true,
                    ..Default::default()
                }),
            },
            t.peer("peer-1"),
        ))
        .await
        .expect("complete")
        .into_inner();
    assert_eq!(
        done.task.expect("task").status,
        v1::FollowUpStatus::Done as i32
    );
    until(&mut queue, |m| {
        match queue_event(m).and_then(|e| e.kind.clone()) {
            Some(v1::event::Kind::FollowUpCompleted(c)) if c.task_id == task.id => Some(()),
            _ => None,
        }
    })
    .await;

    server.stop().await;
}

#[tokio::test]
async fn a_repeated_command_id_acts_once_and_a_reused_one_is_refused() {
    let server = TestServer::start().await;
    let t = server.tokens.clone();
    let ch = server.channel().await;
    let mut cad = CadIngestClient::new(ch.clone());
    let mut dispatch = DispatchClient::new(ch);
    let receipt = cad
        .submit(authed(fixtures::crisis_call("C-2", "e-2"), &t.cad))
        .await
        .expect("submit")
        .into_inner();
    let id = command_id();
    let request = v1::AssignRequest {
        command_id: id.clone(),
        incident_id: receipt.incident_id.clone(),
        team_id: "PSR-2".into(),
    };
    let first = dispatch
        .assign(authed(request.clone(), &t.dispatcher))
        .await
        .expect("assign")
        .into_inner();
    let seq = server.journal_seq();
    let second = dispatch
        .assign(authed(request, &t.dispatcher))
        .await
        .expect("same command again")
        .into_inner();
    assert_eq!(
        first.assignment.expect("a").id,
        second.assignment.expect("a").id
    );
    assert_eq!(server.journal_seq(), seq, "the repeat changed nothing");
    let other = v1::AssignRequest {
        command_id: id,
        incident_id: receipt.incident_id,
        team_id: "PSR-3".into(),
    };
    let err = dispatch
        .assign(authed(other, &t.dispatcher))
        .await
        .expect_err("reused id");
    assert_eq!(err.code(), tonic::Code::AlreadyExists);
    assert!(err.message().contains("command_id"), "{}", err.message());
    server.stop().await;
}

#[tokio::test]
async fn a_knife_in_the_narrative_after_assignment_alerts_the_team_and_the_board_at_once() {
    let server = TestServer::start().await;
    let t = server.tokens.clone();
    let ch = server.channel().await;
    let mut cad = CadIngestClient::new(ch.clone());
    let receipt = cad
        .submit(authed(fixtures::crisis_call("K-1", "k-1"), &t.cad))
        .await
        .expect("submit")
        .into_inner();
    assign(&ch, &t.dispatcher, &receipt.incident_id.clone(), "PSR-1").await;
    let mut board = watch_board(&ch, &t.dispatcher, server.journal_seq()).await;
    let mut unit = subscribe_unit(&ch, t.unit("PSR-1"), server.journal_seq()).await;
    let update = cad
        .submit(authed(
            fixtures::narrative("K-1", "k-2", "RP NOW STS HE HAS A KNIFE"),
            &t.cad,
        ))
        .await
        .expect("narrative");
    assert_eq!(
        update.into_inner().triage.expect("triage").decision,
        v1::Decision::NotEligible as i32
    );
    for alert in [
        until(&mut unit, |m| {
            match responder_event(m).and_then(|e| e.kind.clone()) {
                Some(v1::event::Kind::SafetyAlert(a)) => Some(a),
                _ => None,
            }
        })
        .await
        .0,
        until(&mut board, |m| {
            match board_event(m).and_then(|e| e.kind.clone()) {
                Some(v1::event::Kind::SafetyAlert(a)) => Some(a),
                _ => None,
            }
        })
        .await
        .0,
    ] {
        assert_eq!(alert.incident_id, receipt.incident_id);
        let reason = alert
            .reasons
            .iter()
            .find(|r| r.rule.starts_with("narrative:weapon"))
            .expect("the weapon reason");
        assert!(reason.evidence.contains("KNIFE"), "{reason:?}");
    }
    server.stop().await;
}
