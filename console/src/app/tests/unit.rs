//! The team's terminal: the loud new assignment, status keys, the clear and backup forms, the simulated GPS.

use super::*;

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
fn status_keys_send_statuses_with_the_position() {
    let mut m = assigned_unit();
    m.position = Some(v1::GeoPoint {
        lat: 45.51,
        lon: -122.66,
    });
    // En route and on scene carry the position; `i` is a bare check-in.
    for (k, status, position) in [
        ('e', v1::TeamStatus::EnRoute, m.position),
        ('o', v1::TeamStatus::OnScene, m.position),
        ('i', v1::TeamStatus::Unspecified, None),
    ] {
        let fx = update(&mut m, key(k));
        assert_eq!(
            sent(&fx)[0].1,
            Command::UpdateStatus { status, position },
            "key {k}"
        );
    }
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
