//! Limits and ids: oversized text, missing ids, unknown things.

use super::*;

#[test]
fn text_longer_than_the_limit_is_refused_with_the_field_named() {
    let mut w = World::new();
    let id = w.on_scene("C1", "PSR-1");
    let at_limit = "x".repeat(crate::decide::MAX_TEXT_BYTES);
    let over = "x".repeat(crate::decide::MAX_TEXT_BYTES + 1);
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
        lines: vec!["L".into(); crate::decide::MAX_LINES_PER_EVENT + 1],
    });
    assert!(matches!(r, Rejection::Invalid { field: "lines", .. }));
}

#[test]
fn missing_or_oversized_ids_are_refused_with_the_field_named() {
    let mut w = World::new();
    let id = w.call("C1", crisis());
    let long = "9".repeat(crate::decide::MAX_ID_BYTES + 1);
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
                person_ref: String::new(),
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
