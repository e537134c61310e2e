//! Input handling and server events as state transitions.

use super::*;
use crate::clock::LocalTime;
use crate::fixtures::*;
use crate::state::outbox::Delivery;
use crossterm::event::{KeyCode, KeyModifiers};
use v1::event::Kind;

fn model(mode: Mode) -> Model {
    let mut m = Model::new(mode, "s", NOW, LocalTime::PACIFIC);
    for kind in mode.streams() {
        update(&mut m, Msg::Net(NetMsg::Up(*kind)));
    }
    m
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn type_text(m: &mut Model, text: &str) {
    for c in text.chars() {
        update(m, key(c));
    }
}

fn sent(fx: &[Effect]) -> Vec<(String, Command)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Send(o) => Some((o.id.clone(), o.command.clone())),
            _ => None,
        })
        .collect()
}

fn assigned_unit() -> Model {
    let mut m = model(Mode::Unit);
    let fx = update(
        &mut m,
        team_snapshot(
            10,
            v1::TeamStatus::Dispatched,
            Some(call("inc-1", "C-1001", 2, 3)),
            Some(assignment("asg-1", "inc-1", "PSR-1", 42_000)),
        ),
    );
    assert_eq!(fx, vec![Effect::Bell], "a waiting assignment rings");
    m
}

#[test]
fn a_new_assignment_is_loud_and_a_acknowledges_it() {
    let mut m = model(Mode::Unit);
    update(
        &mut m,
        team_snapshot(5, v1::TeamStatus::Available, None, None),
    );
    assert!(!m.team.awaiting_ack());
    let fx = update(
        &mut m,
        team_event(
            6,
            Kind::AssignmentMade(v1::AssignmentMade {
                premise_history: Vec::new(),
                assignment: Some(assignment("asg-1", "inc-1", "PSR-1", 42_000)),
                incident: Some(call("inc-1", "C-1001", 2, 3)),
            }),
        ),
    );
    assert!(fx.contains(&Effect::Bell));
    assert!(m.team.awaiting_ack());
    assert_eq!(m.team.ack_left_ms(NOW), Some(42_000));
    let fx = update(&mut m, key('a'));
    assert_eq!(
        sent(&fx),
        vec![(
            "s-1".to_owned(),
            Command::Acknowledge {
                assignment_id: "asg-1".into()
            }
        )]
    );
    update(
        &mut m,
        Msg::Net(NetMsg::Answered {
            id: "s-1".into(),
            result: Ok(String::new()),
        }),
    );
    assert_eq!(m.flash.as_ref().unwrap().text, "done: acknowledge");
    // The server's event ends the loud state.
    update(
        &mut m,
        team_event(
            7,
            Kind::AssignmentAcknowledged(v1::AssignmentAcknowledged {
                assignment_id: "asg-1".into(),
                team_id: "PSR-1".into(),
                incident_id: "inc-1".into(),
                ack: None,
            }),
        ),
    );
    assert!(!m.team.awaiting_ack());
    assert!(
        sent(&update(&mut m, key('a'))).is_empty(),
        "nothing left to ack"
    );
}

#[test]
fn offline_commands_wait_with_their_id_and_go_once_when_back() {
    let mut m = assigned_unit();
    update(
        &mut m,
        Msg::Net(NetMsg::Down {
            kind: StreamKind::Team,
            error: "connection refused".into(),
            retry_in_ms: 500,
        }),
    );
    let fx = update(&mut m, key('a'));
    assert!(sent(&fx).is_empty(), "nothing goes out while offline");
    assert!(
        m.flash
            .as_ref()
            .unwrap()
            .text
            .starts_with("OFFLINE: acknowledge is queued")
    );
    assert_eq!(m.outbox.waiting_count(), 1);
    let fx = update(&mut m, Msg::Net(NetMsg::Up(StreamKind::Team)));
    assert_eq!(
        sent(&fx),
        vec![(
            "s-1".to_owned(),
            Command::Acknowledge {
                assignment_id: "asg-1".into()
            }
        )],
        "the same command id goes when back"
    );
    // Lost again before the answer: the answer "unreachable" puts it back in the queue; the
    // next reconnect sends it again, still with the same id.
    update(
        &mut m,
        Msg::Net(NetMsg::Answered {
            id: "s-1".into(),
            result: Err(Failure::Unreachable("reset".into())),
        }),
    );
    let fx = update(&mut m, Msg::Net(NetMsg::Up(StreamKind::Team)));
    assert_eq!(sent(&fx).len(), 1);
    assert_eq!(sent(&fx)[0].0, "s-1");
    assert!(
        sent(&update(&mut m, Msg::Net(NetMsg::Up(StreamKind::Team)))).is_empty(),
        "once, not on every reconnect"
    );
}

#[test]
fn a_refused_command_says_why() {
    let mut m = assigned_unit();
    update(&mut m, key('a'));
    update(
        &mut m,
        Msg::Net(NetMsg::Answered {
            id: "s-1".into(),
            result: Err(Failure::Refused("assignment asg-1 was reassigned".into())),
        }),
    );
    let f = m.flash.clone().unwrap();
    assert_eq!(f.kind, FlashKind::Problem);
    assert_eq!(
        f.text,
        "REFUSED: acknowledge — assignment asg-1 was reassigned"
    );
    assert!(matches!(
        m.outbox.entries()[0].delivery,
        Delivery::Refused(_)
    ));
}

#[test]
fn events_seen_before_a_reconnect_are_not_folded_twice() {
    let mut m = assigned_unit();
    let line = Kind::NarrativeAdded(v1::NarrativeAdded {
        incident_id: "inc-1".into(),
        team_id: "PSR-1".into(),
        lines: vec![v1::NarrativeLine {
            at: ts(NOW),
            text: "SUBJ NOW SITTING ON CURB".into(),
        }],
    });
    update(&mut m, team_event(11, line.clone()));
    update(&mut m, team_event(11, line.clone()));
    update(&mut m, team_event(9, line));
    let n = &m
        .team
        .incident
        .as_ref()
        .unwrap()
        .details
        .as_ref()
        .unwrap()
        .narrative;
    assert_eq!(n.len(), 2);
    assert_eq!(m.team.narrative_seen, 1, "the new line is marked new");
}

#[test]
fn status_keys_send_statuses_with_the_position() {
    let mut m = assigned_unit();
    m.position = Some(v1::GeoPoint {
        lat: 45.51,
        lon: -122.66,
    });
    let fx = update(&mut m, key('e'));
    assert_eq!(
        sent(&fx)[0].1,
        Command::UpdateStatus {
            status: v1::TeamStatus::EnRoute,
            position: m.position
        }
    );
    let fx = update(&mut m, key('o'));
    assert_eq!(
        sent(&fx)[0].1,
        Command::UpdateStatus {
            status: v1::TeamStatus::OnScene,
            position: m.position
        }
    );
    let fx = update(&mut m, key('i'));
    assert_eq!(
        sent(&fx)[0].1,
        Command::UpdateStatus {
            status: v1::TeamStatus::Unspecified,
            position: None
        },
        "a check-in"
    );
}

#[test]
fn clear_opens_the_form_only_on_scene_and_sends_the_encounter() {
    let mut m = assigned_unit();
    update(&mut m, key('c'));
    assert!(m.overlay.is_none());
    assert!(m.flash.as_ref().unwrap().text.contains("on scene"));
    update(
        &mut m,
        team_event(
            12,
            Kind::TeamStatusChanged(v1::TeamStatusChanged {
                team_id: "PSR-1".into(),
                status: v1::TeamStatus::OnScene as i32,
                incident_id: "inc-1".into(),
            }),
        ),
    );
    update(&mut m, key('c'));
    assert!(matches!(m.overlay, Some(Overlay::Form(_))));
    // Keys go to the form now: 'a' does not acknowledge anything.
    update(&mut m, code(KeyCode::Right));
    update(&mut m, code(KeyCode::Tab));
    update(&mut m, code(KeyCode::Tab));
    update(&mut m, key(' '));
    update(&mut m, code(KeyCode::Tab));
    type_text(&mut m, "ate a meal");
    update(&mut m, code(KeyCode::Tab));
    update(&mut m, key(' '));
    let fx = update(&mut m, code(KeyCode::Enter));
    let (_, c) = sent(&fx).remove(0);
    let Command::Clear {
        disposition,
        encounter,
    } = c
    else {
        panic!("{c:?}")
    };
    assert_eq!(disposition, v1::Disposition::ResolvedOnScene);
    assert_eq!(encounter.notes, "ate a meal");
    assert_eq!(encounter.referrals.len(), 1);
    assert_eq!(
        encounter.referrals[0].category,
        v1::ResourceCategory::Housing as i32
    );
    assert!(encounter.consents_to_follow_up);
    assert!(m.overlay.is_none());
}

#[test]
fn backup_asks_to_confirm_and_escape_sends_nothing() {
    let mut m = assigned_unit();
    update(&mut m, key('b'));
    assert!(matches!(&m.overlay, Some(Overlay::Form(f)) if f.title.contains("POLICE BACKUP")));
    assert!(sent(&update(&mut m, code(KeyCode::Esc))).is_empty());
    assert!(m.overlay.is_none());
    update(&mut m, key('b'));
    let fx = update(&mut m, code(KeyCode::Enter));
    assert_eq!(
        sent(&fx)[0].1,
        Command::RequestBackup {
            urgent: true,
            note: String::new()
        }
    );
}

#[test]
fn quitting_needs_a_yes() {
    let mut m = model(Mode::Unit);
    update(&mut m, key('q'));
    assert_eq!(m.overlay, Some(Overlay::ConfirmQuit));
    assert!(update(&mut m, key('n')).is_empty());
    assert!(!m.quit);
    update(&mut m, key('q'));
    assert_eq!(update(&mut m, key('y')), vec![Effect::Quit]);
    let mut m = model(Mode::Peer);
    let ctrl_c = Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(update(&mut m, ctrl_c), vec![Effect::Quit]);
}

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
fn the_peer_queue_is_overdue_then_today_then_upcoming_and_records_attempts() {
    let mut m = model(Mode::Peer);
    update(
        &mut m,
        queue_snapshot(30, tasks().into_iter().rev().collect()),
    );
    let order: Vec<&str> = m
        .queue
        .ordered(m.now_ms, m.local)
        .iter()
        .map(|(_, t)| t.id.as_str())
        .collect();
    assert_eq!(order, vec!["fu-late", "fu-today", "fu-week"]);
    update(&mut m, code(KeyCode::Down));
    update(&mut m, key('r'));
    update(&mut m, key('1'));
    update(&mut m, code(KeyCode::Tab));
    type_text(&mut m, "doing better");
    let fx = update(&mut m, code(KeyCode::Enter));
    assert_eq!(
        sent(&fx)[0].1,
        Command::RecordAttempt {
            task_id: "fu-today".into(),
            result: v1::AttemptResult::Reached,
            note: "doing better".into(),
            referrals: vec![]
        }
    );
    // Completion takes it off the queue.
    update(
        &mut m,
        Msg::Net(NetMsg::Queue(v1::FollowUpEvent {
            kind: Some(v1::follow_up_event::Kind::Event(event(
                31,
                Kind::FollowUpCompleted(v1::FollowUpCompleted {
                    task_id: "fu-late".into(),
                    status: v1::FollowUpStatus::Done as i32,
                    measures: None,
                }),
            ))),
        })),
    );
    assert_eq!(m.queue.tasks.len(), 2);
}

#[test]
fn the_supervisor_switches_to_follow_ups_and_may_not_record_attempts() {
    let mut m = model(Mode::Supervisor);
    update(&mut m, queue_snapshot(30, tasks()));
    update(&mut m, key('f'));
    assert_eq!(m.screen, Screen::FollowUps);
    update(&mut m, key('r'));
    assert!(m.overlay.is_none());
    update(&mut m, key('s'));
    update(&mut m, key('3'));
    let fx = update(&mut m, code(KeyCode::Enter));
    assert!(matches!(&sent(&fx)[0].1, Command::Schedule { task_id, .. } if task_id == "fu-late"));
}

#[test]
fn the_simulated_gps_drives_toward_the_call_while_en_route() {
    let mut m = assigned_unit();
    let start = v1::GeoPoint {
        lat: 45.5120,
        lon: -122.6650,
    };
    m.position = Some(start);
    m.gps = Some(crate::state::SimGps {
        speed_kmh: 36.0,
        every_ms: 15_000,
        last_report_ms: NOW,
    });
    assert!(
        sent(&update(&mut m, Msg::Tick(NOW + 20_000))).is_empty(),
        "not while only dispatched"
    );
    update(
        &mut m,
        team_event(
            12,
            Kind::TeamStatusChanged(v1::TeamStatusChanged {
                team_id: "PSR-1".into(),
                status: v1::TeamStatus::EnRoute as i32,
                incident_id: "inc-1".into(),
            }),
        ),
    );
    let fx = update(&mut m, Msg::Tick(NOW + 35_000));
    let Command::UpdateStatus {
        status,
        position: Some(p),
    } = sent(&fx)[0].1
    else {
        panic!()
    };
    assert_eq!(status, v1::TeamStatus::Unspecified);
    let moved = crate::gps::distance_m(&start, &p);
    assert!(
        (moved - 350.0).abs() < 1.0,
        "35 s since the last report at 36 km/h is 350 m, moved {moved}"
    );
    assert!(
        sent(&update(&mut m, Msg::Tick(NOW + 36_000))).is_empty(),
        "not before the next period"
    );
}

#[test]
fn a_call_taken_away_says_why() {
    let mut m = assigned_unit();
    let fx = update(
        &mut m,
        team_event(
            13,
            Kind::IncidentCancelled(v1::IncidentCancelled {
                incident_id: "inc-1".into(),
                team_id: "PSR-1".into(),
                reason: "caller withdrew".into(),
            }),
        ),
    );
    assert!(fx.contains(&Effect::Bell));
    assert!(m.team.incident.is_none());
    assert_eq!(
        m.team.ended.as_deref(),
        Some("the CAD cancelled the call: caller withdrew")
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
fn clearing_frees_the_team_as_the_server_does() {
    let mut m = assigned_unit();
    if let Some(t) = m.team.team.as_mut() {
        t.assignment_id = "asg-1".into();
        t.set_status(v1::TeamStatus::OnScene);
    }
    update(
        &mut m,
        team_event(
            20,
            Kind::IncidentCleared(v1::IncidentCleared {
                incident_id: "inc-1".into(),
                team_id: "PSR-1".into(),
                disposition: v1::Disposition::ResolvedOnScene as i32,
                encounter: None,
            }),
        ),
    );
    update(
        &mut m,
        team_event(
            21,
            Kind::AssignmentEnded(v1::AssignmentEnded {
                assignment_id: "asg-1".into(),
                team_id: "PSR-1".into(),
                incident_id: "inc-1".into(),
                status: v1::AssignmentStatus::Completed as i32,
            }),
        ),
    );
    assert_eq!(m.team.status(), v1::TeamStatus::Available);
    assert!(m.team.incident.is_none());
    assert_eq!(m.team.ended.as_deref(), Some("cleared"));
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
fn a_command_unanswered_while_connected_is_tried_again_with_its_id() {
    let mut m = assigned_unit();
    update(&mut m, key('a'));
    update(
        &mut m,
        Msg::Net(NetMsg::Answered {
            id: "s-1".into(),
            result: Err(Failure::Unreachable("no answer in 10 s".into())),
        }),
    );
    assert!(
        sent(&update(&mut m, Msg::Tick(NOW + 1_000))).is_empty(),
        "not at once"
    );
    let fx = update(&mut m, Msg::Tick(NOW + RETRY_AFTER_MS));
    assert_eq!(
        sent(&fx),
        vec![(
            "s-1".to_owned(),
            Command::Acknowledge {
                assignment_id: "asg-1".into()
            }
        )]
    );
}

#[test]
fn a_position_report_that_did_not_get_through_is_not_kept() {
    let mut m = assigned_unit();
    m.position = Some(v1::GeoPoint {
        lat: 45.5,
        lon: -122.6,
    });
    update(&mut m, key('p'));
    update(
        &mut m,
        Msg::Net(NetMsg::Answered {
            id: "s-1".into(),
            result: Err(Failure::Unreachable("reset".into())),
        }),
    );
    assert_eq!(m.outbox.waiting_count(), 0);
    assert!(sent(&update(&mut m, Msg::Net(NetMsg::Up(StreamKind::Team)))).is_empty());
}

#[test]
fn a_position_asked_for_offline_is_the_one_reported_when_back() {
    let mut m = assigned_unit();
    m.position = Some(v1::GeoPoint {
        lat: 45.5,
        lon: -122.6,
    });
    update(
        &mut m,
        Msg::Net(NetMsg::Down {
            kind: StreamKind::Team,
            error: "gone".into(),
            retry_in_ms: 100,
        }),
    );
    assert!(sent(&update(&mut m, key('p'))).is_empty());
    assert_eq!(
        m.outbox.waiting_count(),
        0,
        "no stale position waits in the outbox"
    );
    m.position = Some(v1::GeoPoint {
        lat: 45.6,
        lon: -122.7,
    });
    let fx = update(&mut m, Msg::Net(NetMsg::Up(StreamKind::Team)));
    assert_eq!(
        sent(&fx)[0].1,
        Command::UpdateStatus {
            status: v1::TeamStatus::Unspecified,
            position: m.position
        }
    );
}

#[test]
fn a_backup_request_made_offline_says_to_use_the_radio() {
    let mut m = assigned_unit();
    update(
        &mut m,
        Msg::Net(NetMsg::Down {
            kind: StreamKind::Team,
            error: "gone".into(),
            retry_in_ms: 100,
        }),
    );
    update(&mut m, key('b'));
    update(&mut m, code(KeyCode::Enter));
    assert!(m.flash.as_ref().unwrap().text.contains("USE THE RADIO"));
    assert_eq!(m.outbox.waiting_count(), 1);
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
