//! Every transition and every rejection of the rules, through `decide` + `apply`.

use crate::command::Command;
use crate::event::Event;
use crate::ids::*;
use crate::model::*;
use crate::policy::Policy;
use crate::rejection::Rejection;
use crate::state::State;
use crate::time::Timestamp;

const T0: Timestamp = Timestamp(1_700_000_000_000);

struct World {
    state: State,
    policy: Policy,
    now: Timestamp,
}

impl World {
    fn new() -> World {
        let mut w = World {
            state: State::default(),
            policy: Policy::default(),
            now: T0,
        };
        for (id, lat, peer) in [("PSR-1", 45.519, "peer-1"), ("PSR-2", 45.512, "peer-2")] {
            w.ok(Command::RegisterTeam {
                team_id: TeamId::new(id),
                members: vec![
                    Member {
                        name: "C".into(),
                        role: MemberRole::Clinician,
                        peer_id: None,
                    },
                    Member {
                        name: "E".into(),
                        role: MemberRole::Emt,
                        peer_id: None,
                    },
                    Member {
                        name: "P".into(),
                        role: MemberRole::Peer,
                        peer_id: Some(PeerId::new(peer)),
                    },
                ],
                languages: vec!["en".into()],
                position: Some(GeoPoint { lat, lon: -122.68 }),
            });
        }
        w
    }

    fn run(&mut self, command: Command) -> Result<Vec<Event>, Rejection> {
        let events = super::decide(&self.state, &self.policy, command, self.now)?;
        for e in &events {
            self.state.apply(e, self.now);
        }
        Ok(events)
    }

    fn ok(&mut self, command: Command) -> Vec<Event> {
        self.run(command).expect("command accepted")
    }

    /// A refused command changes nothing.
    fn refused(&mut self, command: Command) -> Rejection {
        let before = format!("{:?}", sorted(&self.state));
        let r = self.run(command).expect_err("command refused");
        assert_eq!(
            before,
            format!("{:?}", sorted(&self.state)),
            "a refusal must change nothing"
        );
        r
    }

    fn later(&mut self, ms: i64) {
        self.now = self.now.plus_millis(ms);
    }

    fn call(&mut self, number: &str, details: CallDetails) -> IncidentId {
        let id = IncidentId::new(format!("inc-{number}"));
        self.ok(Command::CallCreated {
            source: "cad".into(),
            call_number: number.into(),
            incident_id: id.clone(),
            details,
        });
        id
    }

    fn incident(&self, id: &IncidentId) -> &Incident {
        &self.state.incidents[id]
    }

    fn team(&self, id: &str) -> &Team {
        &self.state.teams[&TeamId::new(id)]
    }

    fn assign(&mut self, incident: &IncidentId, team: &str, assignment: &str) -> AssignmentId {
        let id = AssignmentId::new(assignment);
        self.ok(Command::Assign {
            incident_id: incident.clone(),
            team_id: TeamId::new(team),
            assignment_id: id.clone(),
            automatic: false,
        });
        id
    }

    fn status(&mut self, team: &str, status: TeamStatus) -> Result<Vec<Event>, Rejection> {
        self.run(Command::UpdateStatus {
            team_id: TeamId::new(team),
            status: Some(status),
            position: None,
        })
    }

    /// A call assigned to `team` and worked to on scene.
    fn on_scene(&mut self, number: &str, team: &str) -> IncidentId {
        let id = self.call(number, crisis());
        self.assign(&id, team, &format!("a-{number}"));
        self.status(team, TeamStatus::EnRoute).unwrap();
        self.status(team, TeamStatus::OnScene).unwrap();
        id
    }

    fn clear(
        &mut self,
        team: &str,
        disposition: Disposition,
        consent: bool,
    ) -> Result<Vec<Event>, Rejection> {
        self.run(Command::Clear {
            team_id: TeamId::new(team),
            disposition,
            encounter: Encounter {
                consents_to_follow_up: consent,
                ..Encounter::default()
            },
            task_ids: (0..5)
                .map(|n| TaskId::new(format!("t-{}-{n}", self.now.millis())))
                .collect(),
        })
    }
}

/// A stable rendering of the state for before/after comparisons.
fn sorted(s: &State) -> Vec<String> {
    let mut v: Vec<String> = s.incidents.values().map(|i| format!("{i:?}")).collect();
    v.extend(s.teams.values().map(|t| format!("{t:?}")));
    v.extend(s.assignments.values().map(|a| format!("{a:?}")));
    v.extend(s.tasks.values().map(|t| format!("{t:?}")));
    v.sort();
    v
}

fn no_flags() -> SafetyFlags {
    SafetyFlags {
        weapon: Answer::No,
        violence: Answer::No,
        medical: Answer::No,
        fire: Answer::No,
        traffic: Answer::No,
        suicidal: Answer::No,
    }
}

fn crisis() -> CallDetails {
    CallDetails {
        nature_code: "CRISIS".into(),
        nature_text: "PERSON IN BEHAVIORAL/EMOTIONAL CRISIS".into(),
        cad_priority: 3,
        location: Location {
            address: "700 BLOCK SW 5TH AVE".into(),
            point: Some(GeoPoint {
                lat: 45.5189,
                lon: -122.6775,
            }),
            place_type: PlaceType::OutdoorPublic,
            ..Location::default()
        },
        flags: no_flags(),
        ..CallDetails::default()
    }
}

fn with(f: impl FnOnce(&mut CallDetails)) -> CallDetails {
    let mut d = crisis();
    f(&mut d);
    d
}

// ---------- CAD ----------

#[test]
fn an_eligible_call_is_received_triaged_and_queued() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    let i = w.incident(&id);
    assert_eq!(i.status, IncidentStatus::Queued);
    let t = i.triage.as_ref().unwrap();
    assert_eq!(
        (t.decision, t.route),
        (Decision::Eligible, Route::CrisisTeam)
    );
    assert_eq!(w.state.incident_by_call("cad", "C1").unwrap().id, id);
}

#[test]
fn a_call_with_a_weapon_is_triaged_but_not_queued() {
    let mut w = World::new();
    let id = w.call("C1", with(|d| d.flags.weapon = Answer::Yes));
    let i = w.incident(&id);
    assert_eq!(i.status, IncidentStatus::Triaged);
    assert_eq!(i.triage.as_ref().unwrap().decision, Decision::NotEligible);
    assert_eq!(i.triage.as_ref().unwrap().route, Route::Police);
}

#[test]
fn a_call_for_review_is_queued_for_the_dispatcher() {
    let mut w = World::new();
    let id = w.call(
        "C1",
        with(|d| {
            d.nature_code = "XYZ".into();
            d.nature_text = "SOMETHING NEW".into();
        }),
    );
    let i = w.incident(&id);
    assert_eq!(i.status, IncidentStatus::Queued);
    assert_eq!(i.triage.as_ref().unwrap().decision, Decision::Review);
}

#[test]
fn creating_the_same_call_twice_updates_it_instead_of_duplicating() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    let events = w.ok(Command::CallCreated {
        source: "cad".into(),
        call_number: "C1".into(),
        incident_id: IncidentId::new("other"),
        details: with(|d| {
            d.cad_priority = 1;
            d.narrative = vec![NarrativeLine {
                at: T0,
                text: "NEW LINE".into(),
            }];
        }),
    });
    assert_eq!(w.state.incidents.len(), 1);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::IncidentUpdated { .. }))
    );
    assert_eq!(w.incident(&id).details.cad_priority, 1);
    assert_eq!(w.incident(&id).details.narrative.len(), 1);
    // The same create again (same narrative) adds nothing more.
    let again = w.ok(Command::CallCreated {
        source: "cad".into(),
        call_number: "C1".into(),
        incident_id: IncidentId::new("x"),
        details: w.incident(&id).details.clone(),
    });
    assert!(again.is_empty(), "{again:?}");
}

#[test]
fn a_cad_update_retriages_and_unknown_flags_do_not_erase_known_ones() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    w.ok(Command::CallUpdated {
        source: "cad".into(),
        call_number: "C1".into(),
        changes: CallChanges {
            flags: Some(SafetyFlags {
                fire: Answer::Yes,
                ..SafetyFlags::default()
            }),
            ..CallChanges::default()
        },
    });
    let i = w.incident(&id);
    assert_eq!(
        i.details.flags.weapon,
        Answer::No,
        "unknown in an update keeps the earlier answer"
    );
    assert_eq!(i.details.flags.fire, Answer::Yes);
    assert_eq!(i.triage.as_ref().unwrap().decision, Decision::NotEligible);
    assert_eq!(i.status, IncidentStatus::Triaged, "off the crisis queue");
}

#[test]
fn a_held_call_that_turns_dangerous_alerts_the_team_and_stays_with_it() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    w.assign(&id, "PSR-1", "a1");
    let events = w.ok(Command::CallUpdated {
        source: "cad".into(),
        call_number: "C1".into(),
        changes: CallChanges {
            flags: Some(SafetyFlags {
                weapon: Answer::Yes,
                ..SafetyFlags::default()
            }),
            ..CallChanges::default()
        },
    });
    let alert = events.iter().find_map(|e| match e {
        Event::SafetyAlert {
            team_id, reasons, ..
        } => Some((team_id.clone(), reasons.clone())),
        _ => None,
    });
    let (team, reasons) = alert.expect("a safety alert");
    assert_eq!(team, Some(TeamId::new("PSR-1")));
    assert!(reasons.iter().any(|r| r.rule == "flag:weapon"));
    assert_eq!(
        w.incident(&id).status,
        IncidentStatus::Assigned,
        "re-triage never pulls the call from the team"
    );
}

#[test]
fn narrative_lines_are_appended_in_order() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    w.later(1000);
    w.ok(Command::NarrativeAppended {
        source: "cad".into(),
        call_number: "C1".into(),
        lines: vec!["A".into(), "B".into()],
    });
    let lines: Vec<_> = w
        .incident(&id)
        .details
        .narrative
        .iter()
        .map(|l| (l.text.clone(), l.at))
        .collect();
    assert_eq!(lines, vec![("A".into(), w.now), ("B".into(), w.now)]);
    let r = w.refused(Command::NarrativeAppended {
        source: "cad".into(),
        call_number: "C1".into(),
        lines: vec![],
    });
    assert!(matches!(r, Rejection::Invalid { field: "lines", .. }));
}

#[test]
fn cancelling_a_call_releases_the_team_and_is_idempotent() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    let a = w.assign(&id, "PSR-1", "a1");
    w.ok(Command::CallCancelled {
        source: "cad".into(),
        call_number: "C1".into(),
        reason: "RP CALLED BACK".into(),
    });
    assert_eq!(w.incident(&id).status, IncidentStatus::Cancelled);
    assert_eq!(w.state.assignments[&a].status, AssignmentStatus::Cancelled);
    assert_eq!(w.team("PSR-1").status, TeamStatus::Available);
    assert!(w.team("PSR-1").incident_id.is_none());
    assert!(
        w.ok(Command::CallClosed {
            source: "cad".into(),
            call_number: "C1".into(),
            reason: String::new()
        })
        .is_empty()
    );
}

#[test]
fn updating_a_closed_or_unknown_call_is_refused() {
    let mut w = World::new();
    w.call("C1", crisis());
    w.ok(Command::CallClosed {
        source: "cad".into(),
        call_number: "C1".into(),
        reason: String::new(),
    });
    let r = w.refused(Command::NarrativeAppended {
        source: "cad".into(),
        call_number: "C1".into(),
        lines: vec!["X".into()],
    });
    assert!(matches!(
        r,
        Rejection::Forbidden {
            kind: "incident",
            ..
        }
    ));
    let r = w.refused(Command::CallUpdated {
        source: "cad".into(),
        call_number: "NOPE".into(),
        changes: CallChanges::default(),
    });
    assert!(matches!(r, Rejection::NotFound { kind: "call", .. }));
}

#[test]
fn bad_cad_fields_are_refused_with_the_field_named() {
    let mut w = World::new();
    let cases: Vec<(CallDetails, &str)> = vec![
        (
            with(|d| {
                d.location.point = Some(GeoPoint {
                    lat: 91.0,
                    lon: 0.0,
                })
            }),
            "location.lat",
        ),
        (
            with(|d| {
                d.location.point = Some(GeoPoint {
                    lat: 0.0,
                    lon: -181.0,
                })
            }),
            "location.lon",
        ),
        (
            with(|d| {
                d.location.point = Some(GeoPoint {
                    lat: f64::NAN,
                    lon: 0.0,
                })
            }),
            "location.lat",
        ),
        (
            with(|d| {
                d.narrative = vec![NarrativeLine {
                    at: T0,
                    text: "X".repeat(100 * 1024),
                }]
            }),
            "narrative",
        ),
        (
            with(|d| d.nature_text = "Y".repeat(super::MAX_TEXT_BYTES + 1)),
            "nature_text",
        ),
    ];
    for (details, field) in cases {
        let r = w.refused(Command::CallCreated {
            source: "cad".into(),
            call_number: "C9".into(),
            incident_id: IncidentId::new("i9"),
            details,
        });
        assert!(
            matches!(r, Rejection::Invalid { field: f, .. } if f == field),
            "{field}: {r:?}"
        );
    }
    for (source, number, field) in [("", "C1", "source"), ("cad", " ", "call_number")] {
        let r = w.refused(Command::CallCreated {
            source: source.into(),
            call_number: number.into(),
            incident_id: IncidentId::new("i"),
            details: crisis(),
        });
        assert!(
            matches!(r, Rejection::Invalid { field: f, .. } if f == field),
            "{r:?}"
        );
    }
}

// ---------- dispatcher ----------

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

// ---------- team ----------

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

// ---------- follow-ups ----------

fn with_task() -> (World, TaskId) {
    let mut w = World::new();
    w.on_scene("C1", "PSR-1");
    w.clear("PSR-1", Disposition::Transported, true).unwrap();
    let id = w.state.tasks.keys().next().unwrap().clone();
    (w, id)
}

#[test]
fn a_peer_records_attempts_and_completes() {
    let (mut w, task) = with_task();
    w.ok(Command::RecordAttempt {
        task_id: task.clone(),
        peer_id: PeerId::new("peer-1"),
        result: AttemptResult::Reached,
        note: "spoke by phone".into(),
        referrals: vec![Referral {
            category: ResourceCategory::Housing,
            status: ReferralStatus::Made,
            note: String::new(),
        }],
    });
    let t = &w.state.tasks[&task];
    assert_eq!(t.attempts.len(), 1);
    assert_eq!(t.referrals.len(), 1);
    w.ok(Command::CompleteFollowUp {
        task_id: task.clone(),
        peer_id: Some(PeerId::new("peer-1")),
        outcome: TaskOutcome::Done,
        measures: OutcomeMeasures::default(),
    });
    assert_eq!(w.state.tasks[&task].status, FollowUpStatus::Done);
    let r = w.refused(Command::CompleteFollowUp {
        task_id: task,
        peer_id: None,
        outcome: TaskOutcome::Done,
        measures: OutcomeMeasures::default(),
    });
    assert!(matches!(r, Rejection::Forbidden { ref reason, .. } if reason.contains("finished")));
}

#[test]
fn closing_as_unreachable_needs_a_no_contact_attempt() {
    let (mut w, task) = with_task();
    let r = w.refused(Command::CompleteFollowUp {
        task_id: task.clone(),
        peer_id: None,
        outcome: TaskOutcome::ClosedUnreachable,
        measures: OutcomeMeasures::default(),
    });
    assert!(matches!(r, Rejection::Forbidden { .. }));
    w.ok(Command::RecordAttempt {
        task_id: task.clone(),
        peer_id: PeerId::new("peer-1"),
        result: AttemptResult::NoContact,
        note: String::new(),
        referrals: vec![],
    });
    w.ok(Command::CompleteFollowUp {
        task_id: task.clone(),
        peer_id: None,
        outcome: TaskOutcome::ClosedUnreachable,
        measures: OutcomeMeasures::default(),
    });
    assert_eq!(
        w.state.tasks[&task].status,
        FollowUpStatus::ClosedUnreachable
    );
}

#[test]
fn a_peer_may_not_work_another_peers_task() {
    let (mut w, task) = with_task();
    let r = w.refused(Command::RecordAttempt {
        task_id: task.clone(),
        peer_id: PeerId::new("peer-2"),
        result: AttemptResult::Reached,
        note: String::new(),
        referrals: vec![],
    });
    assert!(matches!(r, Rejection::NotPermitted { .. }));
    let r = w.refused(Command::CompleteFollowUp {
        task_id: task,
        peer_id: Some(PeerId::new("peer-2")),
        outcome: TaskOutcome::Done,
        measures: OutcomeMeasures::default(),
    });
    assert!(matches!(r, Rejection::NotPermitted { .. }));
}

#[test]
fn tasks_are_created_by_hand_and_rescheduled() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    let due = w.now.plus_hours(48);
    w.ok(Command::CreateFollowUp {
        task_id: TaskId::new("m1"),
        incident_id: id.clone(),
        kind: FollowUpKind::TransportToAppointment,
        due_at: due,
        assignee: None,
    });
    let t = &w.state.tasks[&TaskId::new("m1")];
    assert_eq!(
        (t.origin.as_str(), t.status, t.assignee.clone()),
        ("manual", FollowUpStatus::Open, None)
    );
    let r = w.refused(Command::CreateFollowUp {
        task_id: TaskId::new("m1"),
        incident_id: id,
        kind: FollowUpKind::PhoneCheckIn,
        due_at: due,
        assignee: None,
    });
    assert!(matches!(r, Rejection::Forbidden { .. }), "task id in use");
    let r = w.refused(Command::CreateFollowUp {
        task_id: TaskId::new("m2"),
        incident_id: IncidentId::new("nope"),
        kind: FollowUpKind::PhoneCheckIn,
        due_at: due,
        assignee: None,
    });
    assert!(matches!(
        r,
        Rejection::NotFound {
            kind: "incident",
            ..
        }
    ));
    w.ok(Command::ScheduleFollowUp {
        task_id: TaskId::new("m1"),
        due_at: due.plus_hours(1),
        assignee: Some(PeerId::new("peer-2")),
    });
    let t = &w.state.tasks[&TaskId::new("m1")];
    assert_eq!(
        (t.status, t.due_at, t.assignee.clone()),
        (
            FollowUpStatus::Scheduled,
            due.plus_hours(1),
            Some(PeerId::new("peer-2"))
        )
    );
    assert!(t.is_overdue(due.plus_hours(2)));
    let r = w.refused(Command::ScheduleFollowUp {
        task_id: TaskId::new("zz"),
        due_at: due,
        assignee: None,
    });
    assert!(matches!(r, Rejection::NotFound { .. }));
}

// ---------- roster ----------

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

// ---------- on-scene check-ins ----------

#[test]
fn a_quiet_team_on_scene_is_asked_to_check_in_then_the_dispatcher_is_alerted() {
    let mut w = World::new();
    w.on_scene("C1", "PSR-1");
    let due = w
        .team("PSR-1")
        .check_in
        .expect("a check-in is scheduled on arrival")
        .due;
    assert_eq!(due, w.now.plus_millis(20 * 60 * 1000));
    let team = TeamId::new("PSR-1");
    // Too early: nothing.
    assert!(
        w.ok(Command::CheckInDue {
            team_id: team.clone()
        })
        .is_empty()
    );
    w.now = due;
    let e = w.ok(Command::CheckInDue {
        team_id: team.clone(),
    });
    assert!(
        matches!(e.as_slice(), [Event::CheckInRequested { .. }]),
        "{e:?}"
    );
    w.later(120_000);
    let e = w.ok(Command::CheckInDue {
        team_id: team.clone(),
    });
    assert!(
        matches!(e.as_slice(), [Event::CheckInMissed { .. }]),
        "{e:?}"
    );
    assert!(w.team("PSR-1").check_in.is_none(), "one alert, no storm");
    assert!(w.ok(Command::CheckInDue { team_id: team }).is_empty());
}

#[test]
fn any_word_from_the_team_on_scene_is_a_check_in() {
    let mut w = World::new();
    w.on_scene("C1", "PSR-1");
    let team = TeamId::new("PSR-1");
    w.now = w.team("PSR-1").check_in.unwrap().due;
    w.ok(Command::CheckInDue {
        team_id: team.clone(),
    });
    w.later(30_000);
    let e = w.ok(Command::UpdateStatus {
        team_id: team.clone(),
        status: None,
        position: None,
    });
    assert!(
        matches!(e.as_slice(), [Event::TeamCheckedIn { .. }]),
        "{e:?}"
    );
    let c = w.team("PSR-1").check_in.unwrap();
    assert!(!c.requested);
    assert_eq!(c.due, w.now.plus_millis(20 * 60 * 1000));
    // The old timer is stale now.
    w.later(100_000);
    assert!(
        w.ok(Command::CheckInDue {
            team_id: team.clone()
        })
        .is_empty()
    );
    // Leaving the scene ends the check-ins.
    w.clear("PSR-1", Disposition::ResolvedOnScene, false)
        .unwrap();
    assert!(w.team("PSR-1").check_in.is_none());
}

#[test]
fn an_escalation_suggests_the_best_available_team() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    let a = w.assign(&id, "PSR-1", "a1");
    w.later(60_000);
    w.ok(Command::AckDeadlinePassed {
        assignment_id: a.clone(),
    });
    w.later(60_000);
    let e = w.ok(Command::AckDeadlinePassed { assignment_id: a });
    let suggested = e.iter().find_map(|e| match e {
        Event::AssignmentEscalated {
            suggested_team_id, ..
        } => suggested_team_id.clone(),
        _ => None,
    });
    assert_eq!(
        suggested,
        Some(TeamId::new("PSR-2")),
        "the other, available team"
    );
}

// ---------- overdue reminders ----------

#[test]
fn an_overdue_task_is_recalled_once_a_day_and_never_after_completion() {
    let (mut w, task) = with_task();
    let due = w.state.tasks[&task].due_at;
    let remind = |w: &mut World| {
        w.ok(Command::FollowUpReminderDue {
            task_id: task.clone(),
        })
    };
    assert!(remind(&mut w).is_empty(), "not due yet");
    w.now = due;
    let e = remind(&mut w);
    match e.as_slice() {
        [Event::FollowUpOverdue { assignee, .. }] => {
            assert_eq!(assignee, &Some(PeerId::new("peer-1")))
        }
        other => panic!("{other:?}"),
    }
    w.later(3_600_000);
    assert!(remind(&mut w).is_empty(), "no storm: one a day");
    w.later(23 * 3_600_000);
    assert_eq!(remind(&mut w).len(), 1, "the next day, again");
    w.ok(Command::CompleteFollowUp {
        task_id: task.clone(),
        peer_id: None,
        outcome: TaskOutcome::Done,
        measures: OutcomeMeasures::default(),
    });
    w.later(48 * 3_600_000);
    assert!(remind(&mut w).is_empty(), "none after completion");
}

#[test]
fn the_ack_window_follows_the_calls_priority() {
    let mut w = World::new();
    w.policy.ack_windows = vec![crate::policy::PriorityWindow {
        priority: 2,
        ack_window_secs: 30,
    }];
    let urgent = w.call("C1", crisis()); // behavioural crisis: priority 2
    let a = w.assign(&urgent, "PSR-1", "a1");
    assert_eq!(
        w.state.assignments[&a].ack_deadline,
        Some(w.now.plus_millis(30_000))
    );
    let trespass = w.call(
        "C2",
        with(|d| {
            d.nature_code = "602".into();
            d.cad_priority = 4;
        }),
    );
    let b = w.assign(&trespass, "PSR-2", "a2");
    assert_eq!(
        w.state.assignments[&b].ack_deadline,
        Some(w.now.plus_millis(60_000)),
        "the default window"
    );
    w.later(30_000);
    w.ok(Command::AckDeadlinePassed {
        assignment_id: a.clone(),
    });
    assert_eq!(
        w.state.assignments[&a].ack_deadline,
        Some(w.now.plus_millis(30_000)),
        "re-push keeps the short window"
    );
}

#[test]
fn auto_assign_can_be_limited_to_some_priorities() {
    let mut p = Policy {
        auto_assign: true,
        ..Policy::default()
    };
    assert!(p.auto_assigns(4));
    p.auto_assign_priorities = vec![1, 2];
    assert!(p.auto_assigns(2) && !p.auto_assigns(4));
    p.auto_assign = false;
    assert!(!p.auto_assigns(1));
}

#[test]
fn balanced_follow_ups_go_to_the_least_loaded_peer_on_shift() {
    let mut w = World::new();
    w.policy.follow_up.assignee = crate::follow_up_policy::AssigneeRule::Balanced;
    w.on_scene("C1", "PSR-1");
    w.clear("PSR-1", Disposition::Transported, true).unwrap();
    w.later(1);
    w.on_scene("C2", "PSR-1");
    w.clear("PSR-1", Disposition::Transported, true).unwrap();
    let mut assignees: Vec<String> = w
        .state
        .tasks
        .values()
        .filter_map(|t| t.assignee.clone())
        .map(|p| p.0)
        .collect();
    assignees.sort();
    assert_eq!(
        assignees,
        ["peer-1", "peer-2"],
        "two tasks, one each, although PSR-1 cleared both"
    );
    w.ok(Command::SetTeamStatus {
        team_id: TeamId::new("PSR-2"),
        status: TeamStatus::OffShift,
    });
    w.later(1);
    w.on_scene("C3", "PSR-1");
    w.clear("PSR-1", Disposition::Transported, true).unwrap();
    let latest = w.state.tasks.values().max_by_key(|t| t.created_at).unwrap();
    assert_eq!(
        latest.assignee,
        Some(PeerId::new("peer-1")),
        "peer-2 is off shift"
    );
}

// ---------- CAD: re-triage details ----------

fn knife_line() -> Vec<NarrativeLine> {
    vec![NarrativeLine {
        at: T0,
        text: "SUBJ NOW HOLDING A KNIFE".into(),
    }]
}

#[test]
fn a_duplicate_create_is_triaged_with_the_narrative_it_adds() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    assert_eq!(w.incident(&id).status, IncidentStatus::Queued);
    w.ok(Command::CallCreated {
        source: "cad".into(),
        call_number: "C1".into(),
        incident_id: IncidentId::new("again"),
        details: with(|d| d.narrative = knife_line()),
    });
    let i = w.incident(&id);
    assert_eq!(i.details.narrative.len(), 1);
    assert_eq!(
        i.triage.as_ref().unwrap().decision,
        Decision::NotEligible,
        "the knife in the re-sent narrative counts"
    );
    assert_eq!(i.status, IncidentStatus::Triaged, "off the crisis queue");
}

#[test]
fn a_narrative_line_retriages_a_queued_call_and_alerts_a_team_holding_one() {
    let mut w = World::new();
    let queued = w.call("C1", crisis());
    let held = w.call("C2", crisis());
    w.assign(&held, "PSR-1", "a1");
    let knife = |number: &str| Command::NarrativeAppended {
        source: "cad".into(),
        call_number: number.into(),
        lines: vec!["SUBJ NOW HOLDING A KNIFE".into()],
    };
    let e = w.ok(knife("C1"));
    assert!(!e.iter().any(|e| matches!(e, Event::SafetyAlert { .. })));
    assert_eq!(w.incident(&queued).status, IncidentStatus::Triaged);

    let e = w.ok(knife("C2"));
    let alerted: Vec<_> = e
        .iter()
        .filter_map(|e| match e {
            Event::SafetyAlert {
                team_id, reasons, ..
            } => Some((team_id.clone(), reasons.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(alerted.len(), 1, "{e:?}");
    assert_eq!(alerted[0].0, Some(TeamId::new("PSR-1")));
    assert!(alerted[0].1.iter().any(|r| r.rule == "narrative:weapon"));
    let i = w.incident(&held);
    assert_eq!(i.status, IncidentStatus::Assigned, "the team keeps it");
    assert_eq!(i.triage.as_ref().unwrap().decision, Decision::NotEligible);
    assert_eq!(w.team("PSR-1").incident_id, Some(held));
}

#[test]
fn a_change_that_leaves_a_held_review_call_in_review_raises_no_alarm() {
    let mut w = World::new();
    let id = w.call(
        "C1",
        with(|d| {
            d.nature_code = String::new();
            d.nature_text = "DISTURBANCE".into();
        }),
    );
    assert_eq!(
        w.incident(&id).triage.as_ref().unwrap().decision,
        Decision::Review
    );
    w.assign(&id, "PSR-1", "a1");
    let e = w.ok(Command::CallUpdated {
        source: "cad".into(),
        call_number: "C1".into(),
        changes: CallChanges {
            cad_priority: Some(1),
            ..CallChanges::default()
        },
    });
    assert!(
        e.iter().any(|e| matches!(e, Event::IncidentTriaged { .. })),
        "{e:?}"
    );
    assert!(
        !e.iter().any(|e| matches!(e, Event::SafetyAlert { .. })),
        "nothing got more dangerous: {e:?}"
    );
    // An eligible call that now needs review is news to the team.
    let id = w.call("C2", crisis());
    w.assign(&id, "PSR-2", "a2");
    let e = w.ok(Command::NarrativeAppended {
        source: "cad".into(),
        call_number: "C2".into(),
        lines: vec!["SUBJ STS HE IS SUICIDAL".into()],
    });
    assert!(
        e.iter().any(|e| matches!(e, Event::SafetyAlert { .. })),
        "{e:?}"
    );
}

#[test]
fn closing_a_call_a_team_is_driving_to_releases_the_team() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    let a = w.assign(&id, "PSR-1", "a1");
    w.status("PSR-1", TeamStatus::EnRoute).unwrap();
    w.ok(Command::CallClosed {
        source: "cad".into(),
        call_number: "C1".into(),
        reason: "GOA".into(),
    });
    assert_eq!(w.incident(&id).status, IncidentStatus::Cancelled);
    assert_eq!(w.incident(&id).cancel_reason.as_deref(), Some("GOA"));
    assert_eq!(w.state.assignments[&a].status, AssignmentStatus::Cancelled);
    let t = w.team("PSR-1");
    assert_eq!(
        (t.status, t.incident_id.clone()),
        (TeamStatus::Available, None)
    );
    let r = w.refused(Command::CallUpdated {
        source: "cad".into(),
        call_number: "C1".into(),
        changes: CallChanges {
            cad_priority: Some(1),
            ..CallChanges::default()
        },
    });
    assert!(
        matches!(r, Rejection::Forbidden { kind: "incident", ref reason, .. } if reason.contains("closed")),
        "{r:?}"
    );
    let r = w.refused(Command::CallClosed {
        source: "cad".into(),
        call_number: "C404".into(),
        reason: String::new(),
    });
    assert!(
        matches!(r, Rejection::NotFound { kind: "call", .. }),
        "{r:?}"
    );
}

// ---------- dispatcher: more ----------

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

// ---------- team: more ----------

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

// ---------- limits and ids ----------

#[test]
fn text_longer_than_the_limit_is_refused_with_the_field_named() {
    let mut w = World::new();
    let id = w.on_scene("C1", "PSR-1");
    let at_limit = "x".repeat(super::MAX_TEXT_BYTES);
    let over = "x".repeat(super::MAX_TEXT_BYTES + 1);
    let cases: Vec<(Command, &str)> = vec![
        (
            Command::RequestBackup {
                team_id: TeamId::new("PSR-1"),
                urgent: false,
                note: over.clone(),
            },
            "note",
        ),
        (
            Command::Decline {
                incident_id: id.clone(),
                route: Route::Police,
                reason: over.clone(),
            },
            "reason",
        ),
        (
            Command::CallCancelled {
                source: "cad".into(),
                call_number: "C1".into(),
                reason: over.clone(),
            },
            "reason",
        ),
        (
            Command::NarrativeAppended {
                source: "cad".into(),
                call_number: "C1".into(),
                lines: vec!["ok".into(), over.clone()],
            },
            "lines",
        ),
        (
            Command::CallUpdated {
                source: "cad".into(),
                call_number: "C1".into(),
                changes: CallChanges {
                    location: Some(Location {
                        address: over.clone(),
                        ..Location::default()
                    }),
                    ..CallChanges::default()
                },
            },
            "location.address",
        ),
        (
            Command::Clear {
                team_id: TeamId::new("PSR-1"),
                disposition: Disposition::ResolvedOnScene,
                encounter: Encounter {
                    notes: over.clone(),
                    ..Encounter::default()
                },
                task_ids: vec![TaskId::new("t")],
            },
            "encounter.notes",
        ),
        (
            Command::AckOnBehalf {
                assignment_id: AssignmentId::new("a-C1"),
                channel: String::new(),
                note: over.clone(),
            },
            "note",
        ),
    ];
    for (command, field) in cases {
        let name = command.name();
        let r = w.refused(command);
        assert!(
            matches!(r, Rejection::Invalid { field: f, .. } if f == field),
            "{name}: {r:?}"
        );
    }
    // Exactly at the limit is accepted.
    w.ok(Command::RequestBackup {
        team_id: TeamId::new("PSR-1"),
        urgent: false,
        note: at_limit,
    });
    let r = w.refused(Command::NarrativeAppended {
        source: "cad".into(),
        call_number: "C1".into(),
        lines: vec!["L".into(); super::MAX_LINES_PER_EVENT + 1],
    });
    assert!(matches!(r, Rejection::Invalid { field: "lines", .. }));
}

#[test]
fn missing_or_oversized_ids_are_refused_with_the_field_named() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    let long = "9".repeat(super::MAX_ID_BYTES + 1);
    let cases: Vec<(Command, &str)> = vec![
        (
            Command::CallCreated {
                source: "cad".into(),
                call_number: "C2".into(),
                incident_id: IncidentId::new(""),
                details: crisis(),
            },
            "incident_id",
        ),
        (
            Command::CallCreated {
                source: "cad".into(),
                call_number: long.clone(),
                incident_id: IncidentId::new("i2"),
                details: crisis(),
            },
            "call_number",
        ),
        (
            Command::CallUpdated {
                source: " ".into(),
                call_number: "C1".into(),
                changes: CallChanges::default(),
            },
            "source",
        ),
        (
            Command::CallCancelled {
                source: "cad".into(),
                call_number: String::new(),
                reason: String::new(),
            },
            "call_number",
        ),
        (
            Command::Assign {
                incident_id: id.clone(),
                team_id: TeamId::new("PSR-1"),
                assignment_id: AssignmentId::new(""),
                automatic: false,
            },
            "assignment_id",
        ),
        (
            Command::CreateFollowUp {
                task_id: TaskId::new("  "),
                incident_id: id.clone(),
                kind: FollowUpKind::PhoneCheckIn,
                due_at: T0,
                assignee: None,
            },
            "task_id",
        ),
        (
            Command::RegisterTeam {
                team_id: TeamId::new(long),
                members: vec![],
                languages: vec![],
                position: None,
            },
            "team_id",
        ),
    ];
    for (command, field) in cases {
        let name = command.name();
        let r = w.refused(command);
        assert!(
            matches!(r, Rejection::Invalid { field: f, .. } if f == field),
            "{name}: {r:?}"
        );
    }
    // An incident id already taken by another call.
    let r = w.refused(Command::CallCreated {
        source: "cad".into(),
        call_number: "C2".into(),
        incident_id: id,
        details: crisis(),
    });
    assert!(
        matches!(
            r,
            Rejection::Forbidden {
                kind: "incident",
                ..
            }
        ),
        "{r:?}"
    );
}

#[test]
fn commands_naming_unknown_things_are_not_found() {
    let mut w = World::new();
    let ghost = TeamId::new("PSR-404");
    let task = TaskId::new("t404");
    let cases: Vec<(Command, &str)> = vec![
        (
            Command::Acknowledge {
                team_id: TeamId::new("PSR-1"),
                assignment_id: AssignmentId::new("a404"),
            },
            "assignment",
        ),
        (
            Command::AckDeadlinePassed {
                assignment_id: AssignmentId::new("a404"),
            },
            "assignment",
        ),
        (
            Command::RequestBackup {
                team_id: ghost.clone(),
                urgent: true,
                note: String::new(),
            },
            "team",
        ),
        (
            Command::Clear {
                team_id: ghost.clone(),
                disposition: Disposition::ResolvedOnScene,
                encounter: Encounter::default(),
                task_ids: vec![],
            },
            "team",
        ),
        (
            Command::SetTeamStatus {
                team_id: ghost.clone(),
                status: TeamStatus::OffShift,
            },
            "team",
        ),
        (Command::CheckInDue { team_id: ghost }, "team"),
        (
            Command::RecordAttempt {
                task_id: task.clone(),
                peer_id: PeerId::new("peer-1"),
                result: AttemptResult::Reached,
                note: String::new(),
                referrals: vec![],
            },
            "follow-up task",
        ),
        (
            Command::CompleteFollowUp {
                task_id: task.clone(),
                peer_id: None,
                outcome: TaskOutcome::Done,
                measures: OutcomeMeasures::default(),
            },
            "follow-up task",
        ),
        (
            Command::ScheduleFollowUp {
                task_id: task.clone(),
                due_at: T0,
                assignee: None,
            },
            "follow-up task",
        ),
        (
            Command::FollowUpReminderDue { task_id: task },
            "follow-up task",
        ),
        (
            Command::NarrativeAppended {
                source: "cad".into(),
                call_number: "C404".into(),
                lines: vec!["X".into()],
            },
            "call",
        ),
    ];
    for (command, kind) in cases {
        let name = command.name();
        let r = w.refused(command);
        assert!(
            matches!(r, Rejection::NotFound { kind: k, .. } if k == kind),
            "{name}: {r:?}"
        );
    }
}

// ---------- follow-ups: more ----------

#[test]
fn an_unassigned_task_belongs_to_the_first_peer_who_works_it() {
    let mut w = World::new();
    w.policy.follow_up.assignee = crate::follow_up_policy::AssigneeRule::Unassigned;
    w.on_scene("C1", "PSR-1");
    w.clear("PSR-1", Disposition::ResolvedOnScene, true)
        .unwrap();
    let task = w.state.tasks.keys().next().unwrap().clone();
    assert_eq!(w.state.tasks[&task].assignee, None);
    w.ok(Command::RecordAttempt {
        task_id: task.clone(),
        peer_id: PeerId::new("peer-2"),
        result: AttemptResult::NoContact,
        note: "voicemail".into(),
        referrals: vec![],
    });
    assert_eq!(w.state.tasks[&task].assignee, Some(PeerId::new("peer-2")));
    let r = w.refused(Command::RecordAttempt {
        task_id: task.clone(),
        peer_id: PeerId::new("peer-1"),
        result: AttemptResult::Reached,
        note: String::new(),
        referrals: vec![],
    });
    assert!(matches!(r, Rejection::NotPermitted { .. }), "{r:?}");
    // A supervisor (no peer id) may close it; one no-contact attempt is on record.
    w.ok(Command::CompleteFollowUp {
        task_id: task.clone(),
        peer_id: None,
        outcome: TaskOutcome::ClosedUnreachable,
        measures: OutcomeMeasures::default(),
    });
    assert_eq!(
        w.state.tasks[&task].status,
        FollowUpStatus::ClosedUnreachable
    );
    let r = w.refused(Command::ScheduleFollowUp {
        task_id: task,
        due_at: T0,
        assignee: None,
    });
    assert!(
        matches!(r, Rejection::Forbidden { kind: "follow-up task", ref reason, .. } if reason.contains("finished")),
        "{r:?}"
    );
}

#[test]
fn reached_or_declined_attempts_do_not_allow_closing_as_unreachable() {
    let (mut w, task) = with_task();
    for result in [AttemptResult::Reached, AttemptResult::Declined] {
        w.ok(Command::RecordAttempt {
            task_id: task.clone(),
            peer_id: PeerId::new("peer-1"),
            result,
            note: String::new(),
            referrals: vec![],
        });
    }
    let r = w.refused(Command::CompleteFollowUp {
        task_id: task.clone(),
        peer_id: Some(PeerId::new("peer-1")),
        outcome: TaskOutcome::ClosedUnreachable,
        measures: OutcomeMeasures::default(),
    });
    assert!(
        matches!(r, Rejection::Forbidden { kind: "follow-up task", ref reason, .. } if reason.contains("no-contact")),
        "{r:?}"
    );
    assert_eq!(w.state.tasks[&task].attempts.len(), 2);
}

// ---------- any sequence of commands ----------

mod sequences {
    use super::*;
    use proptest::prelude::*;
    use proptest::sample::select;

    const CALLS: &[&str] = &["C1", "C2", "C3"];
    const TEAMS: &[&str] = &["PSR-1", "PSR-2", "PSR-3"];
    /// References to an existing assignment or task, by position among those in the state
    /// ("#n"), resolved by the runner; "zz" names nothing.
    const REFS: &[&str] = &["#0", "#1", "#2", "#3", "zz"];
    const PEERS: &[&str] = &["peer-1", "peer-2"];
    const LINES: &[&str] = &[
        "SUBJ CALM, TALKING TO SELF",
        "SUBJ NOW HOLDING A KNIFE",
        "SUBJ STS HE IS SUICIDAL",
        "NO WPNS SEEN",
    ];

    fn details() -> impl Strategy<Value = CallDetails> {
        prop_oneof![
            Just(crisis()),
            Just(with(|d| d.flags.weapon = Answer::Yes)),
            Just(with(|d| {
                d.nature_code = String::new();
                d.nature_text = "DISTURBANCE".into();
            })),
            Just(with(|d| d.location.place_type = PlaceType::PrivateResidence)),
            select(LINES).prop_map(|l| with(|d| d.narrative = vec![NarrativeLine {
                at: T0,
                text: l.into(),
            }])),
        ]
    }

    fn team_status() -> impl Strategy<Value = TeamStatus> {
        select(vec![
            TeamStatus::Available,
            TeamStatus::Dispatched,
            TeamStatus::Acknowledged,
            TeamStatus::EnRoute,
            TeamStatus::OnScene,
            TeamStatus::Transporting,
            TeamStatus::OutOfService,
            TeamStatus::OffShift,
        ])
    }

    fn route() -> impl Strategy<Value = Route> {
        select(vec![
            Route::Police,
            Route::Ems,
            Route::Fire,
            Route::CrisisTeam,
        ])
    }

    fn incident() -> impl Strategy<Value = IncidentId> {
        select(CALLS).prop_map(|c| IncidentId::new(format!("inc-{c}")))
    }

    fn team() -> impl Strategy<Value = TeamId> {
        select(TEAMS).prop_map(TeamId::new)
    }

    fn assignment() -> impl Strategy<Value = AssignmentId> {
        select(REFS).prop_map(AssignmentId::new)
    }

    fn task() -> impl Strategy<Value = TaskId> {
        select(REFS).prop_map(TaskId::new)
    }

    /// A team's own status reports, mostly forward through a call.
    fn reported_status() -> impl Strategy<Value = Option<TeamStatus>> {
        prop_oneof![
            1 => Just(None),
            3 => Just(Some(TeamStatus::EnRoute)),
            3 => Just(Some(TeamStatus::OnScene)),
            1 => Just(Some(TeamStatus::Transporting)),
            1 => team_status().prop_map(Some),
        ]
    }

    /// Resolves "#n" to the n-th existing id (in order), so that commands hit real things.
    fn resolve<'a>(r: &str, ids: impl Iterator<Item = &'a str>) -> String {
        let mut ids: Vec<&str> = ids.collect();
        ids.sort();
        match r.strip_prefix('#').and_then(|n| n.parse::<usize>().ok()) {
            Some(n) if !ids.is_empty() => ids[n % ids.len()].to_owned(),
            _ => r.to_owned(),
        }
    }

    /// Mints fresh ids for new things (as the server does) and resolves references.
    fn prepare(command: Command, s: &State, minted: &mut u32) -> Command {
        *minted += 1;
        let n = *minted;
        let assignment = |a: AssignmentId| {
            AssignmentId::new(resolve(
                a.as_str(),
                s.assignments.keys().map(|k| k.as_str()),
            ))
        };
        let task = |t: TaskId| TaskId::new(resolve(t.as_str(), s.tasks.keys().map(|k| k.as_str())));
        match command {
            Command::Assign {
                incident_id,
                team_id,
                automatic,
                ..
            } => Command::Assign {
                incident_id,
                team_id,
                assignment_id: AssignmentId::new(format!("a{n}")),
                automatic,
            },
            Command::Clear {
                team_id,
                disposition,
                encounter,
                ..
            } => Command::Clear {
                team_id,
                disposition,
                encounter,
                task_ids: (0..5).map(|k| TaskId::new(format!("fu-{n}-{k}"))).collect(),
            },
            Command::CreateFollowUp {
                incident_id,
                kind,
                due_at,
                assignee,
                ..
            } => Command::CreateFollowUp {
                task_id: TaskId::new(format!("m{n}")),
                incident_id,
                kind,
                due_at,
                assignee,
            },
            Command::Acknowledge {
                team_id,
                assignment_id,
            } => Command::Acknowledge {
                team_id,
                assignment_id: assignment(assignment_id),
            },
            Command::AckOnBehalf {
                assignment_id,
                channel,
                note,
            } => Command::AckOnBehalf {
                assignment_id: assignment(assignment_id),
                channel,
                note,
            },
            Command::AckDeadlinePassed { assignment_id } => Command::AckDeadlinePassed {
                assignment_id: assignment(assignment_id),
            },
            Command::RecordAttempt {
                task_id,
                peer_id,
                result,
                note,
                referrals,
            } => Command::RecordAttempt {
                task_id: task(task_id),
                peer_id,
                result,
                note,
                referrals,
            },
            Command::CompleteFollowUp {
                task_id,
                peer_id,
                outcome,
                measures,
            } => Command::CompleteFollowUp {
                task_id: task(task_id),
                peer_id,
                outcome,
                measures,
            },
            Command::ScheduleFollowUp {
                task_id,
                due_at,
                assignee,
            } => Command::ScheduleFollowUp {
                task_id: task(task_id),
                due_at,
                assignee,
            },
            Command::FollowUpReminderDue { task_id } => Command::FollowUpReminderDue {
                task_id: task(task_id),
            },
            other => other,
        }
    }

    fn peer() -> impl Strategy<Value = PeerId> {
        select(PEERS).prop_map(PeerId::new)
    }

    fn command() -> impl Strategy<Value = Command> {
        let cad = |c: &str| ("cad".to_owned(), c.to_owned());
        prop_oneof![
            3 => (select(CALLS), details()).prop_map(move |(c, details)| {
                let (source, call_number) = cad(c);
                Command::CallCreated {
                    incident_id: IncidentId::new(format!("inc-{c}")),
                    source,
                    call_number,
                    details,
                }
            }),
            1 => (select(CALLS), select(LINES)).prop_map(move |(c, l)| {
                let (source, call_number) = cad(c);
                Command::NarrativeAppended {
                    source,
                    call_number,
                    lines: vec![l.into()],
                }
            }),
            1 => (select(CALLS), 1u32..6).prop_map(move |(c, p)| {
                let (source, call_number) = cad(c);
                Command::CallUpdated {
                    source,
                    call_number,
                    changes: CallChanges {
                        cad_priority: Some(p),
                        ..CallChanges::default()
                    },
                }
            }),
            1 => (select(CALLS), any::<bool>()).prop_map(move |(c, close)| {
                let (source, call_number) = cad(c);
                let reason = String::new();
                if close {
                    Command::CallClosed {
                        source,
                        call_number,
                        reason,
                    }
                } else {
                    Command::CallCancelled {
                        source,
                        call_number,
                        reason,
                    }
                }
            }),
            6 => (incident(), team(), assignment()).prop_map(|(incident_id, team_id, assignment_id)| {
                Command::Assign {
                    incident_id,
                    team_id,
                    assignment_id,
                    automatic: false,
                }
            }),
            1 => (incident(), route()).prop_map(|(incident_id, route)| Command::Decline {
                incident_id,
                route,
                reason: String::new(),
            }),
            1 => assignment().prop_map(|assignment_id| Command::AckOnBehalf {
                assignment_id,
                channel: String::new(),
                note: String::new(),
            }),
            1 => (team(), team_status())
                .prop_map(|(team_id, status)| Command::SetTeamStatus { team_id, status }),
            2 => (team(), assignment()).prop_map(|(team_id, assignment_id)| Command::Acknowledge {
                team_id,
                assignment_id,
            }),
            6 => (team(), reported_status()).prop_map(|(team_id, status)| {
                Command::UpdateStatus {
                    team_id,
                    status,
                    position: None,
                }
            }),
            1 => team().prop_map(|team_id| Command::RequestBackup {
                team_id,
                urgent: false,
                note: String::new(),
            }),
            3 => (team(), select(Disposition::ALL.to_vec()), any::<bool>()).prop_map(
                |(team_id, disposition, consents)| Command::Clear {
                    team_id,
                    disposition,
                    encounter: Encounter {
                        consents_to_follow_up: consents,
                        ..Encounter::default()
                    },
                    task_ids: Vec::new(), // minted fresh by the runner, as the server does
                }
            ),
            2 => assignment().prop_map(|assignment_id| Command::AckDeadlinePassed { assignment_id }),
            1 => team().prop_map(|team_id| Command::CheckInDue { team_id }),
            1 => (task(), incident(), proptest::option::of(peer())).prop_map(
                |(task_id, incident_id, assignee)| Command::CreateFollowUp {
                    task_id,
                    incident_id,
                    kind: FollowUpKind::PhoneCheckIn,
                    due_at: T0.plus_hours(24),
                    assignee,
                }
            ),
            1 => (task(), peer(), any::<bool>()).prop_map(|(task_id, peer_id, reached)| {
                Command::RecordAttempt {
                    task_id,
                    peer_id,
                    result: if reached {
                        AttemptResult::Reached
                    } else {
                        AttemptResult::NoContact
                    },
                    note: String::new(),
                    referrals: vec![],
                }
            }),
            1 => (task(), proptest::option::of(peer()), any::<bool>()).prop_map(
                |(task_id, peer_id, unreachable)| Command::CompleteFollowUp {
                    task_id,
                    peer_id,
                    outcome: if unreachable {
                        TaskOutcome::ClosedUnreachable
                    } else {
                        TaskOutcome::Done
                    },
                    measures: OutcomeMeasures::default(),
                }
            ),
            1 => task().prop_map(|task_id| Command::FollowUpReminderDue { task_id }),
            1 => (task(), proptest::option::of(peer())).prop_map(|(task_id, assignee)| {
                Command::ScheduleFollowUp {
                    task_id,
                    due_at: T0.plus_hours(48),
                    assignee,
                }
            }),
        ]
    }

    /// Milliseconds between two commands: mostly seconds, sometimes long enough for a
    /// check-in to fall due.
    fn wait() -> impl Strategy<Value = i64> {
        prop_oneof![5 => 0i64..120_000, 1 => 0i64..1_800_000]
    }

    /// What must hold between incidents, teams and assignments whatever happened.
    fn check(s: &State) -> Result<(), String> {
        for t in s.teams.values() {
            if t.incident_id.is_some() != t.status.is_on_incident()
                || t.incident_id.is_some() != t.assignment_id.is_some()
            {
                return Err(format!(
                    "team {} is {:?} with {:?}",
                    t.id, t.status, t.incident_id
                ));
            }
            if let Some(id) = &t.incident_id {
                let i = &s.incidents[id];
                if i.team_id.as_ref() != Some(&t.id)
                    || i.assignment_id != t.assignment_id
                    || !i.status.has_team()
                {
                    return Err(format!("team {} holds {id} but {i:?}", t.id));
                }
            }
            if t.check_in.is_some() && t.status != TeamStatus::OnScene {
                return Err(format!(
                    "team {} owes a check-in while {:?}",
                    t.id, t.status
                ));
            }
        }
        for i in s.incidents.values() {
            match (&i.team_id, i.status.has_team()) {
                (Some(t), true) if s.teams[t].incident_id.as_ref() == Some(&i.id) => {}
                (None, false) => {}
                _ => {
                    return Err(format!(
                        "incident {} {:?} with team {:?}",
                        i.id, i.status, i.team_id
                    ));
                }
            }
            let decision = i.triage.as_ref().map(|t| t.decision);
            match i.status {
                IncidentStatus::Queued if decision == Some(Decision::NotEligible) => {
                    return Err(format!("not eligible {} on the crisis queue", i.id));
                }
                IncidentStatus::Triaged if decision != Some(Decision::NotEligible) => {
                    return Err(format!("{} off the queue but {decision:?}", i.id));
                }
                _ => {}
            }
        }
        for a in s.assignments.values() {
            let active = matches!(
                a.status,
                AssignmentStatus::AwaitingAck | AssignmentStatus::Acknowledged
            );
            let current = s.incidents[&a.incident_id].assignment_id.as_ref() == Some(&a.id)
                && s.teams[&a.team_id].assignment_id.as_ref() == Some(&a.id);
            if active != current {
                return Err(format!(
                    "assignment {} is {:?}, current: {current}",
                    a.id, a.status
                ));
            }
            if a.status != AssignmentStatus::AwaitingAck && a.ack_deadline.is_some() {
                return Err(format!(
                    "assignment {} {:?} still has a deadline",
                    a.id, a.status
                ));
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn any_sequence_keeps_teams_incidents_and_assignments_consistent(
            steps in proptest::collection::vec((command(), wait()), 1..80)
        ) {
            let mut w = World::new();
            let mut minted = 0;
            for (n, (command, wait)) in steps.into_iter().enumerate() {
                w.later(wait);
                let command = prepare(command, &w.state, &mut minted);
                let before = w.state.clone();
                let decided = super::super::decide(&w.state, &w.policy, command.clone(), w.now);
                prop_assert_eq!(
                    &decided,
                    &super::super::decide(&w.state, &w.policy, command.clone(), w.now),
                    "decide is deterministic"
                );
                let rendered = sorted(&w.state);
                match w.run(command.clone()) {
                    Err(_) => prop_assert_eq!(rendered, sorted(&w.state), "a refusal changed state"),
                    Ok(_) => {
                        if let Command::Assign { incident_id, .. } = &command {
                            let decision = before.incidents[incident_id].triage.as_ref().map(|t| t.decision);
                            prop_assert_ne!(decision, Some(Decision::NotEligible), "assigned a not-eligible call");
                        }
                    }
                }
                if let Err(e) = check(&w.state) {
                    return Err(TestCaseError::fail(format!("step {n} {command:?}: {e}")));
                }
                for (id, old) in &before.incidents {
                    if old.status.is_closed() {
                        prop_assert_eq!(old.status, w.state.incidents[id].status, "closed {} reopened", id);
                    }
                }
                for (id, old) in &before.tasks {
                    if old.status.is_finished() {
                        prop_assert_eq!(old, &w.state.tasks[id], "finished task {} changed", id);
                    }
                }
            }
        }
    }
}
