//! Calls from the CAD: creation, updates, re-triage, narrative, cancellation.

use super::*;

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
            with(|d| d.nature_text = "Y".repeat(crate::decide::MAX_TEXT_BYTES + 1)),
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
    assert!(
        alerted[0]
            .1
            .iter()
            .any(|r| r.rule.starts_with("narrative:weapon"))
    );
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

#[test]
fn a_resent_creation_of_a_closed_call_changes_nothing_and_is_not_refused() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    w.ok(Command::CallClosed {
        source: "cad".into(),
        call_number: "C1".into(),
        reason: String::new(),
    });
    let mut again = crisis();
    again.nature_text = "SOMETHING NEW".into();
    let events = w.ok(Command::CallCreated {
        source: "cad".into(),
        call_number: "C1".into(),
        incident_id: IncidentId::new("inc-other"),
        details: again,
    });
    assert!(events.is_empty(), "{events:?}");
    assert_eq!(w.incident(&id).status, IncidentStatus::Cancelled);
    assert_eq!(w.state.incidents.len(), 1);
}
