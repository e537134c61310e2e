//! The connection: commands made offline, refusals, retries, resumed streams.

use super::*;

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
