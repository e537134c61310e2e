//! The dispatcher's board: ranking, assigning, declining, acks on behalf, the team board.

use super::*;

#[test]
fn the_dispatcher_sees_the_most_urgent_call_first_and_assigns_a_recommended_team() {
    let mut m = model(Mode::Dispatcher);
    let fx = update(
        &mut m,
        board_snapshot(
            20,
            vec![
                call("inc-old", "C-1", 3, 30),
                call("inc-urgent", "C-2", 1, 2),
            ],
            vec![],
        ),
    );
    assert_eq!(
        fx,
        vec![Effect::Recommend("inc-urgent".into())],
        "priority before age"
    );
    update(
        &mut m,
        recommendations("inc-urgent", &[("PSR-1", 800.0), ("PSR-2", 4000.0)]),
    );
    update(&mut m, key('a'));
    assert_eq!(
        m.overlay,
        Some(Overlay::ConfirmAssign {
            incident_id: "inc-urgent".into(),
            team_id: "PSR-1".into()
        })
    );
    update(&mut m, key('2'));
    let fx = update(&mut m, code(KeyCode::Enter));
    assert_eq!(
        sent(&fx)[0].1,
        Command::Assign {
            incident_id: "inc-urgent".into(),
            team_id: "PSR-2".into()
        }
    );
    // Moving down asks for the next call's recommendations.
    let fx = update(&mut m, code(KeyCode::Down));
    assert_eq!(fx, vec![Effect::Recommend("inc-old".into())]);
    assert_eq!(
        m.recommendations, None,
        "the old call's list is not shown for the new one"
    );
}

#[test]
fn a_not_eligible_call_is_declined_to_its_route_with_a_reason() {
    let mut m = model(Mode::Dispatcher);
    update(
        &mut m,
        board_snapshot(20, vec![police_call("inc-9", "C-9", 4)], vec![]),
    );
    update(&mut m, key('d'));
    update(&mut m, code(KeyCode::Enter));
    assert!(
        matches!(&m.overlay, Some(Overlay::Form(f)) if f.error.as_deref().is_some_and(|e| e.starts_with("reason")))
    );
    update(&mut m, code(KeyCode::Tab));
    type_text(&mut m, "knife seen");
    let fx = update(&mut m, code(KeyCode::Enter));
    assert_eq!(
        sent(&fx)[0].1,
        Command::Decline {
            incident_id: "inc-9".into(),
            route: v1::Route::Police,
            reason: "knife seen".into()
        }
    );
}

#[test]
fn unacknowledged_assignments_are_acked_on_behalf_with_channel_and_note() {
    let mut m = model(Mode::Dispatcher);
    let mut held = call("inc-1", "C-1001", 2, 3);
    held.status = v1::IncidentStatus::Assigned as i32;
    update(
        &mut m,
        board_snapshot(
            20,
            vec![held],
            vec![assignment("asg-1", "inc-1", "PSR-1", -1_000)],
        ),
    );
    assert_eq!(m.board.unacknowledged().len(), 1);
    update(&mut m, key('w'));
    update(&mut m, code(KeyCode::Right));
    update(&mut m, code(KeyCode::Tab));
    type_text(&mut m, "heard on ch 2");
    let fx = update(&mut m, code(KeyCode::Enter));
    assert_eq!(
        sent(&fx)[0].1,
        Command::AckOnBehalf {
            assignment_id: "asg-1".into(),
            channel: "phone".into(),
            note: "heard on ch 2".into()
        }
    );
}

#[test]
fn backup_requests_and_escalations_ring_the_dispatcher() {
    let mut m = model(Mode::Dispatcher);
    let mut held = call("inc-1", "C-1001", 2, 3);
    held.status = v1::IncidentStatus::OnScene as i32;
    update(&mut m, board_snapshot(20, vec![held], vec![]));
    let fx = update(
        &mut m,
        board_event(
            21,
            Kind::BackupRequested(v1::BackupRequested {
                incident_id: "inc-1".into(),
                team_id: "PSR-3".into(),
                urgent: true,
                note: String::new(),
            }),
        ),
    );
    assert!(fx.contains(&Effect::Bell));
    assert!(m.board.backups.contains_key("inc-1"));
    update(
        &mut m,
        board_event(
            22,
            Kind::IncidentCleared(v1::IncidentCleared {
                incident_id: "inc-1".into(),
                team_id: "PSR-3".into(),
                disposition: 1,
                encounter: None,
            }),
        ),
    );
    assert!(
        m.board.backups.is_empty(),
        "a cleared call's backup request is no longer pinned"
    );
}

#[test]
fn the_selection_stays_on_its_call_when_a_more_urgent_one_arrives() {
    let mut m = model(Mode::Dispatcher);
    update(
        &mut m,
        board_snapshot(
            20,
            vec![call("inc-a", "C-1", 2, 5), call("inc-b", "C-2", 3, 9)],
            vec![],
        ),
    );
    update(&mut m, code(KeyCode::Down));
    assert_eq!(m.selected_call().map(|c| c.id.as_str()), Some("inc-b"));
    let fx = update(
        &mut m,
        board_event(
            21,
            Kind::IncidentReceived(v1::IncidentReceived {
                incident: Some(call("inc-c", "C-3", 1, 0)),
            }),
        ),
    );
    assert_eq!(m.selected_call().map(|c| c.id.as_str()), Some("inc-b"));
    assert!(
        fx.is_empty(),
        "no new recommendation request: the selection did not change"
    );
    // The selected call goes (assigned elsewhere): the row at its place is selected.
    update(
        &mut m,
        board_event(
            22,
            Kind::IncidentCancelled(v1::IncidentCancelled {
                incident_id: "inc-b".into(),
                team_id: String::new(),
                reason: String::new(),
            }),
        ),
    );
    assert_eq!(m.selected_call().map(|c| c.id.as_str()), Some("inc-a"));
}

#[test]
fn a_call_not_eligible_for_a_team_is_not_offered_for_assignment() {
    let mut m = model(Mode::Dispatcher);
    update(
        &mut m,
        board_snapshot(20, vec![police_call("inc-9", "C-9", 4)], vec![]),
    );
    update(&mut m, recommendations("inc-9", &[("PSR-1", 800.0)]));
    update(&mut m, key('a'));
    assert!(m.overlay.is_none());
    assert!(m.flash.as_ref().unwrap().text.contains("[d] declines"));
}

#[test]
fn the_board_follows_assignment_ack_and_end_like_the_server() {
    let mut m = model(Mode::Dispatcher);
    update(
        &mut m,
        board_snapshot(20, vec![call("inc-1", "C-1", 2, 5)], vec![]),
    );
    update(
        &mut m,
        board_event(
            21,
            Kind::AssignmentMade(v1::AssignmentMade {
                premise_history: Vec::new(),
                assignment: Some(assignment("asg-1", "inc-1", "PSR-1", 60_000)),
                incident: Some(call("inc-1", "C-1", 2, 5)),
            }),
        ),
    );
    let team = |m: &Model| m.board.teams["PSR-1"].clone();
    assert_eq!(team(&m).status(), v1::TeamStatus::Dispatched);
    assert_eq!(
        m.board.incidents["inc-1"].status(),
        v1::IncidentStatus::Assigned
    );
    assert!(
        m.board.queue().is_empty(),
        "an assigned call is off the queue"
    );
    update(
        &mut m,
        board_event(
            22,
            Kind::AssignmentAcknowledged(v1::AssignmentAcknowledged {
                assignment_id: "asg-1".into(),
                team_id: "PSR-1".into(),
                incident_id: "inc-1".into(),
                ack: None,
            }),
        ),
    );
    assert_eq!(team(&m).status(), v1::TeamStatus::Acknowledged);
    // Reassigned: the call goes back on the queue and the team is free.
    update(
        &mut m,
        board_event(
            23,
            Kind::AssignmentEnded(v1::AssignmentEnded {
                assignment_id: "asg-1".into(),
                team_id: "PSR-1".into(),
                incident_id: "inc-1".into(),
                status: v1::AssignmentStatus::Reassigned as i32,
            }),
        ),
    );
    assert_eq!(team(&m).status(), v1::TeamStatus::Available);
    assert!(team(&m).incident_id.is_empty());
    assert_eq!(m.board.queue().len(), 1);
}

#[test]
fn a_calls_rank_is_its_place_in_the_queue() {
    let mut m = model(Mode::Dispatcher);
    let mut calls: Vec<v1::Incident> = (0..40)
        .map(|n| {
            call(
                &format!("inc-{n:02}"),
                &format!("C-{n}"),
                (n % 6) as u32,
                (n * 7 % 13) as i64,
            )
        })
        .collect();
    calls.push(police_call("inc-p", "C-P", 3));
    let mut held = call("inc-held", "C-H", 1, 1);
    held.status = v1::IncidentStatus::OnScene as i32;
    calls.push(held);
    update(&mut m, board_snapshot(20, calls, vec![]));
    let q: Vec<String> = m.board.queue().iter().map(|i| i.id.clone()).collect();
    assert_eq!(q.len(), 41, "a call a team holds is not waiting");
    for (n, id) in q.iter().enumerate() {
        assert_eq!(m.board.rank(id), Some(n), "{id}");
    }
    assert_eq!(m.board.rank("inc-held"), None);
}

#[test]
fn the_dispatcher_takes_a_team_out_of_service() {
    let mut m = model(Mode::Dispatcher);
    update(&mut m, board_snapshot(20, vec![], vec![]));
    update(&mut m, key('s'));
    update(&mut m, key('3'));
    update(&mut m, code(KeyCode::Tab));
    update(&mut m, key('2'));
    let fx = update(&mut m, code(KeyCode::Enter));
    assert_eq!(
        sent(&fx)[0].1,
        Command::SetTeamStatus {
            team_id: "PSR-3".into(),
            status: v1::TeamStatus::OutOfService
        }
    );
    assert_eq!(
        m.flash.as_ref().unwrap().text,
        "sending: PSR-3 out of service"
    );
}
