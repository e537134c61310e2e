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
