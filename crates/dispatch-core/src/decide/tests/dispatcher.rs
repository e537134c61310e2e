//! The dispatcher: assignment, reassignment, declines, acks on behalf, the ack timer.

use super::*;

#[test]
fn assigning_dispatches_the_team_with_an_ack_deadline() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    let a = w.assign(&id, "PSR-1", "a1");
    let asg = &w.state.assignments[&a];
    assert_eq!(asg.status, AssignmentStatus::AwaitingAck);
    assert_eq!(asg.ack_deadline, Some(w.now.plus_millis(60_000)));
    assert_eq!(w.incident(&id).status, IncidentStatus::Assigned);
    assert_eq!(w.team("PSR-1").status, TeamStatus::Dispatched);
    assert_eq!(w.team("PSR-1").incident_id, Some(id));
}

#[test]
fn assigning_a_team_that_already_has_an_incident_is_refused() {
    let mut w = World::new();
    let first = w.call("C1", crisis());
    let second = w.call("C2", crisis());
    w.assign(&first, "PSR-1", "a1");
    let r = w.refused(Command::Assign {
        incident_id: second,
        team_id: TeamId::new("PSR-1"),
        assignment_id: AssignmentId::new("a2"),
        automatic: false,
    });
    assert!(
        matches!(r, Rejection::Forbidden { kind: "team", ref reason, .. } if reason.contains("already has incident")),
        "{r:?}"
    );
}

#[test]
fn assigning_unknown_not_eligible_or_unavailable_is_refused() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    let r = w.refused(Command::Assign {
        incident_id: IncidentId::new("nope"),
        team_id: TeamId::new("PSR-1"),
        assignment_id: AssignmentId::new("a"),
        automatic: false,
    });
    assert!(matches!(
        r,
        Rejection::NotFound {
            kind: "incident",
            ..
        }
    ));
    let r = w.refused(Command::Assign {
        incident_id: id.clone(),
        team_id: TeamId::new("PSR-9"),
        assignment_id: AssignmentId::new("a"),
        automatic: false,
    });
    assert!(matches!(r, Rejection::NotFound { kind: "team", .. }));
    let gun = w.call("C2", with(|d| d.flags.weapon = Answer::Yes));
    let r = w.refused(Command::Assign {
        incident_id: gun,
        team_id: TeamId::new("PSR-1"),
        assignment_id: AssignmentId::new("a"),
        automatic: false,
    });
    assert!(
        matches!(r, Rejection::Forbidden { kind: "incident", ref reason, .. } if reason.contains("not eligible"))
    );
    w.ok(Command::SetTeamStatus {
        team_id: TeamId::new("PSR-2"),
        status: TeamStatus::OutOfService,
    });
    let r = w.refused(Command::Assign {
        incident_id: id,
        team_id: TeamId::new("PSR-2"),
        assignment_id: AssignmentId::new("a"),
        automatic: false,
    });
    assert!(
        matches!(r, Rejection::Forbidden { kind: "team", ref reason, .. } if reason.contains("out of service"))
    );
}

#[test]
fn reassigning_ends_the_first_assignment_and_frees_the_first_team() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    let a1 = w.assign(&id, "PSR-1", "a1");
    let a2 = w.assign(&id, "PSR-2", "a2");
    assert_eq!(
        w.state.assignments[&a1].status,
        AssignmentStatus::Reassigned
    );
    assert_eq!(
        w.state.assignments[&a2].status,
        AssignmentStatus::AwaitingAck
    );
    assert_eq!(w.team("PSR-1").status, TeamStatus::Available);
    assert_eq!(w.incident(&id).team_id, Some(TeamId::new("PSR-2")));
    let r = w.refused(Command::Assign {
        incident_id: id,
        team_id: TeamId::new("PSR-2"),
        assignment_id: AssignmentId::new("a3"),
        automatic: false,
    });
    assert!(
        matches!(r, Rejection::Forbidden { .. }),
        "same team again: {r:?}"
    );
}

#[test]
fn acknowledging_an_assignment_that_was_reassigned_is_refused() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    let a1 = w.assign(&id, "PSR-1", "a1");
    w.assign(&id, "PSR-2", "a2");
    let r = w.refused(Command::Acknowledge {
        team_id: TeamId::new("PSR-1"),
        assignment_id: a1,
    });
    assert!(
        matches!(r, Rejection::Forbidden { kind: "assignment", ref reason, .. } if reason.contains("reassigned")),
        "{r:?}"
    );
}

#[test]
fn a_team_may_not_acknowledge_another_teams_assignment() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    let a = w.assign(&id, "PSR-1", "a1");
    let r = w.refused(Command::Acknowledge {
        team_id: TeamId::new("PSR-2"),
        assignment_id: a,
    });
    assert!(matches!(r, Rejection::NotPermitted { .. }));
}

#[test]
fn declining_sends_the_call_back_and_releases_any_team() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    w.assign(&id, "PSR-1", "a1");
    let r = w.refused(Command::Decline {
        incident_id: id.clone(),
        route: Route::CrisisTeam,
        reason: String::new(),
    });
    assert!(matches!(r, Rejection::Invalid { field: "route", .. }));
    w.ok(Command::Decline {
        incident_id: id.clone(),
        route: Route::Police,
        reason: "WPN MENTIONED".into(),
    });
    let i = w.incident(&id);
    assert_eq!(i.status, IncidentStatus::Declined);
    assert_eq!(i.declined.as_ref().unwrap().route, Route::Police);
    assert_eq!(w.team("PSR-1").status, TeamStatus::Available);
    let r = w.refused(Command::Decline {
        incident_id: id,
        route: Route::Police,
        reason: String::new(),
    });
    assert!(matches!(r, Rejection::Forbidden { .. }), "already closed");
}

#[test]
fn the_ack_timer_repushes_then_escalates_and_never_fires_after_an_ack() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    let a = w.assign(&id, "PSR-1", "a1");
    // Too early: nothing.
    assert!(
        w.ok(Command::AckDeadlinePassed {
            assignment_id: a.clone()
        })
        .is_empty()
    );
    w.later(60_000);
    let e = w.ok(Command::AckDeadlinePassed {
        assignment_id: a.clone(),
    });
    assert!(matches!(
        e.as_slice(),
        [Event::AssignmentRepushed { repushes: 1, .. }]
    ));
    assert_eq!(
        w.state.assignments[&a].ack_deadline,
        Some(w.now.plus_millis(60_000))
    );
    w.later(60_000);
    let e = w.ok(Command::AckDeadlinePassed {
        assignment_id: a.clone(),
    });
    assert!(matches!(e.as_slice(), [Event::AssignmentEscalated { .. }]));
    assert!(w.state.assignments[&a].escalated);
    w.later(60_000);
    assert!(
        w.ok(Command::AckDeadlinePassed {
            assignment_id: a.clone()
        })
        .is_empty(),
        "escalated once"
    );

    let mut w = World::new();
    let id = w.call("C1", crisis());
    let a = w.assign(&id, "PSR-1", "a1");
    w.ok(Command::Acknowledge {
        team_id: TeamId::new("PSR-1"),
        assignment_id: a.clone(),
    });
    w.later(120_000);
    assert!(
        w.ok(Command::AckDeadlinePassed { assignment_id: a })
            .is_empty(),
        "a stale timer does nothing"
    );
}

#[test]
fn the_dispatcher_acks_on_behalf_with_channel_and_note() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    let a = w.assign(&id, "PSR-1", "a1");
    w.ok(Command::AckOnBehalf {
        assignment_id: a.clone(),
        channel: String::new(),
        note: "copied by radio".into(),
    });
    let asg = &w.state.assignments[&a];
    assert_eq!(asg.status, AssignmentStatus::Acknowledged);
    assert_eq!(
        asg.ack.as_ref().unwrap().by,
        AckedBy::Dispatcher {
            channel: "radio".into(),
            note: "copied by radio".into()
        }
    );
    assert_eq!(w.team("PSR-1").status, TeamStatus::Acknowledged);
    let r = w.refused(Command::AckOnBehalf {
        assignment_id: a,
        channel: "phone".into(),
        note: String::new(),
    });
    assert!(matches!(r, Rejection::Forbidden { .. }));
    let r = w.refused(Command::AckOnBehalf {
        assignment_id: AssignmentId::new("zz"),
        channel: String::new(),
        note: String::new(),
    });
    assert!(matches!(
        r,
        Rejection::NotFound {
            kind: "assignment",
            ..
        }
    ));
}

#[test]
fn set_team_status_respects_the_incident() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    w.assign(&id, "PSR-1", "a1");
    let r = w.refused(Command::SetTeamStatus {
        team_id: TeamId::new("PSR-1"),
        status: TeamStatus::OffShift,
    });
    assert!(matches!(r, Rejection::Forbidden { .. }));
    let r = w.refused(Command::SetTeamStatus {
        team_id: TeamId::new("PSR-2"),
        status: TeamStatus::OnScene,
    });
    assert!(matches!(r, Rejection::Forbidden { .. }));
    w.ok(Command::SetTeamStatus {
        team_id: TeamId::new("PSR-1"),
        status: TeamStatus::EnRoute,
    });
    assert_eq!(w.incident(&id).status, IncidentStatus::EnRoute);
}

#[test]
fn a_not_eligible_call_is_declined_to_its_route() {
    let mut w = World::new();
    let id = w.call("C1", with(|d| d.flags.medical = Answer::Yes));
    let r = w.refused(Command::Decline {
        incident_id: id.clone(),
        route: Route::Dispatcher,
        reason: String::new(),
    });
    assert!(
        matches!(r, Rejection::Invalid { field: "route", .. }),
        "{r:?}"
    );
    w.ok(Command::Decline {
        incident_id: id.clone(),
        route: Route::Ems,
        reason: "MEDICAL".into(),
    });
    let i = w.incident(&id);
    assert_eq!(i.status, IncidentStatus::Declined);
    assert_eq!(
        i.declined.as_ref().map(|d| (d.route, d.reason.as_str())),
        Some((Route::Ems, "MEDICAL"))
    );
    let r = w.refused(Command::Decline {
        incident_id: IncidentId::new("nope"),
        route: Route::Police,
        reason: String::new(),
    });
    assert!(matches!(
        r,
        Rejection::NotFound {
            kind: "incident",
            ..
        }
    ));
}

#[test]
fn a_held_call_that_turned_dangerous_is_not_handed_to_another_team() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    w.assign(&id, "PSR-1", "a1");
    w.ok(Command::NarrativeAppended {
        source: "cad".into(),
        call_number: "C1".into(),
        lines: vec!["SUBJ NOW HOLDING A KNIFE".into()],
    });
    let r = w.refused(Command::Assign {
        incident_id: id.clone(),
        team_id: TeamId::new("PSR-2"),
        assignment_id: AssignmentId::new("a2"),
        automatic: false,
    });
    assert!(
        matches!(r, Rejection::Forbidden { kind: "incident", ref reason, .. } if reason.contains("not eligible")),
        "{r:?}"
    );
    assert_eq!(w.team("PSR-2").status, TeamStatus::Available);
    // Declining it to police releases the first team.
    w.ok(Command::Decline {
        incident_id: id.clone(),
        route: Route::Police,
        reason: "KNIFE".into(),
    });
    assert_eq!(w.team("PSR-1").status, TeamStatus::Available);
    assert_eq!(w.incident(&id).status, IncidentStatus::Declined);
}

#[test]
fn assigning_a_closed_call_or_reusing_an_assignment_id_is_refused() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    w.assign(&id, "PSR-1", "a1");
    let other = w.call("C2", crisis());
    let r = w.refused(Command::Assign {
        incident_id: other,
        team_id: TeamId::new("PSR-2"),
        assignment_id: AssignmentId::new("a1"),
        automatic: false,
    });
    assert!(
        matches!(r, Rejection::Forbidden { kind: "assignment", ref id, .. } if id == "a1"),
        "{r:?}"
    );
    w.ok(Command::CallCancelled {
        source: "cad".into(),
        call_number: "C1".into(),
        reason: String::new(),
    });
    let r = w.refused(Command::Assign {
        incident_id: id,
        team_id: TeamId::new("PSR-2"),
        assignment_id: AssignmentId::new("a9"),
        automatic: false,
    });
    assert!(
        matches!(r, Rejection::Forbidden { kind: "incident", ref reason, .. } if reason.contains("closed")),
        "{r:?}"
    );
}

#[test]
fn a_dispatcher_marking_a_dispatched_team_en_route_records_the_ack() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    let a = w.assign(&id, "PSR-1", "a1");
    w.ok(Command::SetTeamStatus {
        team_id: TeamId::new("PSR-1"),
        status: TeamStatus::EnRoute,
    });
    let asg = &w.state.assignments[&a];
    assert_eq!(asg.status, AssignmentStatus::Acknowledged);
    assert!(matches!(
        asg.ack.as_ref().map(|k| &k.by),
        Some(AckedBy::Dispatcher { .. })
    ));
    w.later(10 * 60_000);
    assert!(
        w.ok(Command::AckDeadlinePassed { assignment_id: a })
            .is_empty(),
        "no re-push to a team already on its way"
    );
}

#[test]
fn a_dispatcher_marking_a_team_on_scene_starts_its_check_ins() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    w.assign(&id, "PSR-1", "a1");
    w.ok(Command::SetTeamStatus {
        team_id: TeamId::new("PSR-1"),
        status: TeamStatus::OnScene,
    });
    assert_eq!(w.incident(&id).status, IncidentStatus::OnScene);
    let check_in = w.team("PSR-1").check_in.expect("a check-in is scheduled");
    assert_eq!(check_in.due, w.now.plus_millis(20 * 60 * 1000));
}

#[test]
fn recommendations_say_why_a_call_will_not_rank() {
    use crate::recommend::why_not_ranked;
    let mut w = World::new();
    let eligible = w.call("C1", crisis());
    assert_eq!(why_not_ranked(w.incident(&eligible)), None);
    let mut armed = crisis();
    armed.flags.weapon = Answer::Yes;
    let armed = w.call("C2", armed);
    let Some(Rejection::Forbidden { reason, .. }) = why_not_ranked(w.incident(&armed)) else {
        panic!("a not-eligible call must not rank")
    };
    assert!(reason.contains("not eligible"), "{reason}");
    assert!(reason.contains("police"), "names the route: {reason}");
    w.ok(Command::CallCancelled {
        source: "cad".into(),
        call_number: "C1".into(),
        reason: String::new(),
    });
    let Some(Rejection::Forbidden { reason, .. }) = why_not_ranked(w.incident(&eligible)) else {
        panic!("a cancelled call must not rank")
    };
    assert!(reason.contains("cancelled"), "{reason}");
}
