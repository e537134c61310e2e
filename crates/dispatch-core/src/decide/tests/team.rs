//! The team: status moves, positions, backup, clearance, and the roster.

use super::*;

#[test]
fn a_team_works_a_call_forward_and_going_en_route_counts_as_an_ack() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    let a = w.assign(&id, "PSR-1", "a1");
    let e = w.status("PSR-1", TeamStatus::EnRoute).unwrap();
    assert!(matches!(e[0], Event::AssignmentAcknowledged { .. }));
    assert_eq!(
        w.state.assignments[&a].status,
        AssignmentStatus::Acknowledged
    );
    assert_eq!(w.incident(&id).status, IncidentStatus::EnRoute);
    w.status("PSR-1", TeamStatus::OnScene).unwrap();
    assert_eq!(w.incident(&id).status, IncidentStatus::OnScene);
    w.status("PSR-1", TeamStatus::Transporting).unwrap();
    assert_eq!(w.incident(&id).status, IncidentStatus::Transporting);
    let r = w.status("PSR-1", TeamStatus::EnRoute).unwrap_err();
    assert!(
        matches!(r, Rejection::Forbidden { ref reason, .. } if reason.contains("cannot go back")),
        "{r:?}"
    );
}

#[test]
fn status_changes_that_make_no_sense_are_refused() {
    let mut w = World::new();
    let r = w.status("PSR-1", TeamStatus::OnScene).unwrap_err();
    assert!(matches!(r, Rejection::Forbidden { ref reason, .. } if reason.contains("no incident")));
    let r = w.status("PSR-1", TeamStatus::Dispatched).unwrap_err();
    assert!(matches!(
        r,
        Rejection::Invalid {
            field: "status",
            ..
        }
    ));
    let id = w.call("C1", crisis());
    w.assign(&id, "PSR-1", "a1");
    let r = w.status("PSR-1", TeamStatus::OffShift).unwrap_err();
    assert!(matches!(r, Rejection::Forbidden { ref reason, .. } if reason.contains("clear it")));
    let r = w
        .run(Command::UpdateStatus {
            team_id: TeamId::new("PSR-1"),
            status: None,
            position: Some(GeoPoint {
                lat: 100.0,
                lon: 0.0,
            }),
        })
        .unwrap_err();
    assert!(matches!(
        r,
        Rejection::Invalid {
            field: "position.lat",
            ..
        }
    ));
    let r = w.status("PSR-77", TeamStatus::OffShift).unwrap_err();
    assert!(matches!(r, Rejection::NotFound { kind: "team", .. }));
}

#[test]
fn position_reports_move_the_team() {
    let mut w = World::new();
    let p = GeoPoint {
        lat: 45.53,
        lon: -122.66,
    };
    let e = w.ok(Command::UpdateStatus {
        team_id: TeamId::new("PSR-2"),
        status: None,
        position: Some(p),
    });
    assert!(matches!(e.as_slice(), [Event::TeamPositionReported { .. }]));
    assert_eq!(w.team("PSR-2").position, Some(p));
    assert!(
        w.ok(Command::UpdateStatus {
            team_id: TeamId::new("PSR-2"),
            status: None,
            position: Some(p)
        })
        .is_empty()
    );
}

#[test]
fn backup_needs_an_incident() {
    let mut w = World::new();
    let r = w.refused(Command::RequestBackup {
        team_id: TeamId::new("PSR-1"),
        urgent: true,
        note: String::new(),
    });
    assert!(matches!(r, Rejection::Forbidden { .. }));
    let id = w.on_scene("C1", "PSR-1");
    w.ok(Command::RequestBackup {
        team_id: TeamId::new("PSR-1"),
        urgent: true,
        note: "SUBJ ESCALATING".into(),
    });
    assert!(w.incident(&id).backup_requested);
}

#[test]
fn clearing_an_incident_that_was_never_on_scene_is_refused() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    w.assign(&id, "PSR-1", "a1");
    w.status("PSR-1", TeamStatus::EnRoute).unwrap();
    let r = w
        .clear("PSR-1", Disposition::ResolvedOnScene, true)
        .unwrap_err();
    assert!(
        matches!(r, Rejection::Forbidden { kind: "incident", ref reason, .. } if reason.contains("never on scene"))
    );
    let r = w
        .clear("PSR-2", Disposition::ResolvedOnScene, true)
        .unwrap_err();
    assert!(
        matches!(r, Rejection::Forbidden { kind: "team", .. }),
        "no incident to clear"
    );
}

#[test]
fn clearing_frees_the_team_and_creates_follow_ups_by_policy() {
    let mut w = World::new();
    let id = w.on_scene("C1", "PSR-1");
    let events = w
        .clear("PSR-1", Disposition::ConnectedToServices, true)
        .unwrap();
    let i = w.incident(&id);
    assert_eq!(i.status, IncidentStatus::Cleared);
    assert_eq!(
        i.clearance.as_ref().unwrap().disposition,
        Disposition::ConnectedToServices
    );
    assert_eq!(w.team("PSR-1").status, TeamStatus::Available);
    let tasks: Vec<&FollowUpTask> = w.state.tasks.values().collect();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].kind, FollowUpKind::InPersonVisit);
    assert_eq!(tasks[0].due_at, w.now.plus_hours(72));
    assert_eq!(
        tasks[0].assignee,
        Some(PeerId::new("peer-1")),
        "the team's own peer follows up"
    );
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, Event::FollowUpCreated { .. }))
            .count(),
        1
    );
}

#[test]
fn follow_ups_respect_consent_except_a_welfare_recheck() {
    let mut w = World::new();
    w.on_scene("C1", "PSR-1");
    w.clear("PSR-1", Disposition::ConnectedToServices, false)
        .unwrap();
    assert!(w.state.tasks.is_empty(), "no consent, no visit");
    w.later(1);
    w.on_scene("C2", "PSR-2");
    w.clear("PSR-2", Disposition::DeclinedServices, false)
        .unwrap();
    let kinds: Vec<_> = w.state.tasks.values().map(|t| (t.kind, t.due_at)).collect();
    assert_eq!(
        kinds,
        vec![(FollowUpKind::WelfareRecheck, w.now.plus_hours(24))]
    );
}

#[test]
fn the_team_acknowledges_its_assignment_once() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    let a = w.assign(&id, "PSR-1", "a1");
    w.later(5_000);
    let ack = Command::Acknowledge {
        team_id: TeamId::new("PSR-1"),
        assignment_id: a.clone(),
    };
    w.ok(ack.clone());
    let asg = &w.state.assignments[&a];
    assert_eq!(asg.status, AssignmentStatus::Acknowledged);
    assert_eq!(
        asg.ack.as_ref().map(|k| (k.at, k.by.clone())),
        Some((w.now, AckedBy::Team))
    );
    assert_eq!(asg.ack_deadline, None);
    assert_eq!(w.team("PSR-1").status, TeamStatus::Acknowledged);
    assert_eq!(w.incident(&id).status, IncidentStatus::Acknowledged);
    assert!(w.ok(ack).is_empty(), "a second press is harmless");
    let r = w.refused(Command::Acknowledge {
        team_id: TeamId::new("PSR-1"),
        assignment_id: AssignmentId::new("zz"),
    });
    assert!(matches!(
        r,
        Rejection::NotFound {
            kind: "assignment",
            ..
        }
    ));
    w.ok(Command::CallCancelled {
        source: "cad".into(),
        call_number: "C1".into(),
        reason: String::new(),
    });
    let r = w.refused(Command::Acknowledge {
        team_id: TeamId::new("PSR-1"),
        assignment_id: a,
    });
    assert!(
        matches!(r, Rejection::Forbidden { kind: "assignment", ref reason, .. } if reason.contains("cancelled")),
        "{r:?}"
    );
}

#[test]
fn a_team_can_clear_after_transporting() {
    let mut w = World::new();
    let id = w.on_scene("C1", "PSR-1");
    w.status("PSR-1", TeamStatus::Transporting).unwrap();
    assert!(
        w.team("PSR-1").check_in.is_none(),
        "check-ins are for the scene"
    );
    w.clear("PSR-1", Disposition::Transported, false).unwrap();
    assert_eq!(w.incident(&id).status, IncidentStatus::Cleared);
    assert_eq!(w.team("PSR-1").status, TeamStatus::Available);
    assert_eq!(w.team("PSR-1").last_cleared_at, Some(w.now));
    assert!(w.state.tasks.is_empty(), "no consent, no check-in call");
}

#[test]
fn a_clearance_without_enough_task_ids_is_refused() {
    let mut w = World::new();
    w.on_scene("C1", "PSR-1");
    let r = w.refused(Command::Clear {
        team_id: TeamId::new("PSR-1"),
        disposition: Disposition::ConnectedToServices,
        encounter: Encounter {
            consents_to_follow_up: true,
            ..Encounter::default()
        },
        task_ids: vec![],
    });
    assert!(
        matches!(
            r,
            Rejection::Invalid {
                field: "task_ids",
                ..
            }
        ),
        "{r:?}"
    );
    // A disposition with no follow-up rule needs none.
    w.ok(Command::Clear {
        team_id: TeamId::new("PSR-1"),
        disposition: Disposition::UnableToLocate,
        encounter: Encounter::default(),
        task_ids: vec![],
    });
    assert!(w.state.tasks.is_empty());
}

#[test]
fn positions_out_of_range_are_refused_with_the_field_named() {
    let mut w = World::new();
    let cases = [
        (
            GeoPoint {
                lat: -90.5,
                lon: 0.0,
            },
            "position.lat",
        ),
        (
            GeoPoint {
                lat: 0.0,
                lon: 180.5,
            },
            "position.lon",
        ),
        (
            GeoPoint {
                lat: 0.0,
                lon: f64::INFINITY,
            },
            "position.lon",
        ),
    ];
    for (p, field) in cases {
        let r = w.refused(Command::UpdateStatus {
            team_id: TeamId::new("PSR-1"),
            status: None,
            position: Some(p),
        });
        assert!(
            matches!(r, Rejection::Invalid { field: f, .. } if f == field),
            "{p:?}: {r:?}"
        );
        let r = w.refused(Command::RegisterTeam {
            team_id: TeamId::new("PSR-9"),
            members: vec![],
            languages: vec![],
            position: Some(p),
        });
        assert!(
            matches!(r, Rejection::Invalid { field: f, .. } if f == field),
            "{p:?}: {r:?}"
        );
    }
    // The edges of the globe are fine.
    w.ok(Command::UpdateStatus {
        team_id: TeamId::new("PSR-1"),
        status: None,
        position: Some(GeoPoint {
            lat: 90.0,
            lon: -180.0,
        }),
    });
}

#[test]
fn registering_a_team_again_updates_it_without_touching_its_work() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    w.assign(&id, "PSR-1", "a1");
    w.ok(Command::RegisterTeam {
        team_id: TeamId::new("PSR-1"),
        members: vec![],
        languages: vec!["es".into()],
        position: None,
    });
    let t = w.team("PSR-1");
    assert_eq!(t.languages, vec!["es".to_owned()]);
    assert_eq!(t.status, TeamStatus::Dispatched);
    assert!(
        t.position.is_some(),
        "no position in the roster keeps the last known one"
    );
    let r = w.refused(Command::RegisterTeam {
        team_id: TeamId::new(""),
        members: vec![],
        languages: vec![],
        position: None,
    });
    assert!(matches!(
        r,
        Rejection::Invalid {
            field: "team_id",
            ..
        }
    ));
}

#[test]
fn a_clearance_whose_task_ids_are_taken_or_blank_is_refused() {
    let mut w = World::new();
    w.on_scene("C1", "PSR-1");
    let clear = |task_ids: Vec<TaskId>| Command::Clear {
        team_id: TeamId::new("PSR-1"),
        disposition: Disposition::ConnectedToServices,
        encounter: Encounter {
            consents_to_follow_up: true,
            ..Encounter::default()
        },
        task_ids,
    };
    let r = w.refused(clear(vec![TaskId::new(" ")]));
    assert!(
        matches!(
            r,
            Rejection::Invalid {
                field: "task_ids",
                ..
            }
        ),
        "{r:?}"
    );
    w.ok(clear(vec![TaskId::new("t-1")]));
    w.on_scene("C2", "PSR-1");
    let r = w.refused(clear(vec![TaskId::new("t-1")]));
    assert!(
        matches!(r, Rejection::Forbidden { kind: "follow-up task", ref reason, .. } if reason.contains("in use")),
        "{r:?}"
    );
}
