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
