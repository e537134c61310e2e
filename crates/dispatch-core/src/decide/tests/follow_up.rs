//! Follow-up tasks: attempts, completion, manual tasks, assignees, overdue reminders.

use super::*;

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
        person_ref: String::new(),
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
        person_ref: String::new(),
    });
    assert!(matches!(r, Rejection::Forbidden { .. }), "task id in use");
    let r = w.refused(Command::CreateFollowUp {
        task_id: TaskId::new("m2"),
        incident_id: IncidentId::new("nope"),
        kind: FollowUpKind::PhoneCheckIn,
        due_at: due,
        assignee: None,
        person_ref: String::new(),
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

/// Clears `team`'s call with the person named by `person_ref`; returns the tasks created.
fn clear_for(w: &mut World, team: &str, person_ref: &str) -> Vec<FollowUpTask> {
    let events = w.ok(Command::Clear {
        team_id: TeamId::new(team),
        disposition: Disposition::ConnectedToServices,
        encounter: Encounter {
            consents_to_follow_up: true,
            person_ref: person_ref.into(),
            ..Encounter::default()
        },
        task_ids: (0..5)
            .map(|n| TaskId::new(format!("t-{team}-{}-{n}", w.now.millis())))
            .collect(),
    });
    events
        .into_iter()
        .filter_map(|e| match e {
            Event::FollowUpCreated { task } => Some(task),
            _ => None,
        })
        .collect()
}

#[test]
fn tasks_for_the_same_person_are_linked_and_stay_with_their_peer() {
    let mut w = World::new();
    w.on_scene("C1", "PSR-1");
    let first = clear_for(&mut w, "PSR-1", "Client 4471");
    assert!(!first.is_empty());
    assert!(first[0].linked_task_ids.is_empty());
    for (n, t) in first.iter().enumerate() {
        let earlier: Vec<TaskId> = first[..n].iter().map(|t| t.id.clone()).collect();
        assert_eq!(
            t.linked_task_ids, earlier,
            "one clearance's tasks link each other"
        );
        assert_eq!(t.assignee, Some(PeerId::new("peer-1")));
    }

    // Another team meets the same person (spelled differently): its tasks link the first
    // ones and go to the peer already working with the person.
    w.later(60_000);
    w.on_scene("C2", "PSR-2");
    let second = clear_for(&mut w, "PSR-2", "  client   4471 ");
    let first_ids: Vec<TaskId> = first.iter().map(|t| t.id.clone()).collect();
    assert_eq!(second[0].linked_task_ids, first_ids);
    assert_eq!(
        second[0].assignee,
        Some(PeerId::new("peer-1")),
        "continuity of care"
    );

    // Someone else: no links, the team's own peer.
    w.later(60_000);
    w.on_scene("C3", "PSR-2");
    let other = clear_for(&mut w, "PSR-2", "client 9");
    assert!(other[0].linked_task_ids.is_empty());
    assert_eq!(other[0].assignee, Some(PeerId::new("peer-2")));
    // Unknown person: never linked, even to other unknowns.
    w.later(60_000);
    w.on_scene("C4", "PSR-1");
    let unknown = clear_for(&mut w, "PSR-1", "");
    w.later(60_000);
    w.on_scene("C5", "PSR-1");
    let unknown_again = clear_for(&mut w, "PSR-1", " ");
    assert!(unknown_again[0].linked_task_ids.is_empty(), "{unknown:?}");

    // A manual task for the person, with no assignee named, also joins them.
    w.ok(Command::CreateFollowUp {
        task_id: TaskId::new("m-1"),
        incident_id: IncidentId::new("inc-C1"),
        kind: FollowUpKind::InPersonVisit,
        due_at: w.now.plus_hours(24),
        assignee: None,
        person_ref: "CLIENT 4471".into(),
    });
    let manual = &w.state.tasks[&TaskId::new("m-1")];
    assert_eq!(manual.linked_task_ids.len(), first.len() + second.len());
    assert_eq!(manual.assignee, Some(PeerId::new("peer-1")));

    // Once the person's tasks are all finished, the assignee rule applies again.
    for id in w.state.tasks.keys().cloned().collect::<Vec<_>>() {
        let _ = w.run(Command::CompleteFollowUp {
            task_id: id,
            peer_id: None,
            outcome: TaskOutcome::Done,
            measures: OutcomeMeasures::default(),
        });
    }
    w.later(60_000);
    w.on_scene("C6", "PSR-2");
    let later = clear_for(&mut w, "PSR-2", "client 4471");
    assert_eq!(later[0].assignee, Some(PeerId::new("peer-2")));
    assert_eq!(
        later[0].linked_task_ids.len(),
        crate::model::MAX_LINKED_TASKS.min(first.len() + second.len() + 1)
    );
}

#[test]
fn a_person_reference_is_a_reference_not_a_record() {
    let mut w = World::new();
    w.on_scene("C1", "PSR-1");
    let r = w.refused(Command::Clear {
        team_id: TeamId::new("PSR-1"),
        disposition: Disposition::ConnectedToServices,
        encounter: Encounter {
            person_ref: "x".repeat(201),
            ..Encounter::default()
        },
        task_ids: vec![TaskId::new("t-1"), TaskId::new("t-2")],
    });
    assert!(
        matches!(r, Rejection::Invalid { field, .. } if field == "encounter.person_ref"),
        "{r:?}"
    );
}
