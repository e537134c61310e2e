//! The report's figures on a journal whose every step is known, by hand.

use super::*;
use crate::command::Command;
use crate::decide::tests::{World, crisis, with};
use crate::hours::ServiceHours;
use crate::ids::*;
use crate::model::*;

const SECOND: i64 = 1000;
const MINUTE: i64 = 60 * SECOND;

fn cancel(w: &mut World, number: &str) {
    w.ok(Command::CallCancelled {
        source: "cad".into(),
        call_number: number.into(),
        reason: "caller called back".into(),
    });
}

fn housing() -> Referral {
    Referral {
        category: ResourceCategory::Housing,
        status: ReferralStatus::Made,
        note: String::new(),
    }
}

/// A day of work: C0 before the period, C1..C4 in it, C5 after it.
struct Day {
    w: World,
    from: Timestamp,
    to: Timestamp,
    cancelled_at: Timestamp,
}

fn day() -> Day {
    let mut w = World::new();
    w.call("C0", crisis());
    w.later(SECOND);
    let from = w.now;

    // C1: eligible, PSR-1 works it through transport, a backup request and a clearance.
    let c1 = w.call("C1", crisis());
    w.later(30 * SECOND);
    let a1 = w.assign(&c1, "PSR-1", "a-1");
    w.later(20 * SECOND);
    w.ok(Command::Acknowledge {
        team_id: TeamId::new("PSR-1"),
        assignment_id: a1,
    });
    w.later(MINUTE);
    w.status("PSR-1", TeamStatus::EnRoute).unwrap();
    w.later(2 * MINUTE);
    w.status("PSR-1", TeamStatus::OnScene).unwrap();
    w.later(10 * MINUTE);
    w.ok(Command::RequestBackup {
        team_id: TeamId::new("PSR-1"),
        urgent: false,
        note: "crowd gathering".into(),
    });
    w.later(5 * MINUTE);
    w.status("PSR-1", TeamStatus::Transporting).unwrap();
    w.later(10 * MINUTE);
    w.ok(Command::Clear {
        team_id: TeamId::new("PSR-1"),
        disposition: Disposition::Transported,
        encounter: Encounter {
            referrals: vec![housing()],
            consents_to_follow_up: true,
            ..Encounter::default()
        },
        task_ids: (0..5).map(|n| TaskId::new(format!("t-{n}"))).collect(),
    });

    // C2: a weapon; not eligible.
    w.call("C2", with(|d| d.flags.weapon = Answer::Yes));
    // C3: eligible, but the dispatcher sends it to police.
    let c3 = w.call("C3", crisis());
    w.ok(Command::Decline {
        incident_id: c3,
        route: Route::Police,
        reason: " Caller Requested Police ".into(),
    });
    // C4: PSR-2 goes en route (an ack) and on scene; the CAD cancels a minute later.
    let c4 = w.call("C4", crisis());
    w.later(40 * SECOND);
    w.assign(&c4, "PSR-2", "a-4");
    w.later(MINUTE);
    w.status("PSR-2", TeamStatus::EnRoute).unwrap();
    w.later(3 * MINUTE);
    w.status("PSR-2", TeamStatus::OnScene).unwrap();
    w.later(MINUTE);
    let cancelled_at = w.now;
    cancel(&mut w, "C4");

    // An hour later the peer reaches the person of C1's first task and refers them to food.
    w.later(60 * MINUTE);
    let first_task = TaskId::new("t-0");
    w.ok(Command::RecordAttempt {
        task_id: first_task.clone(),
        peer_id: PeerId::new("peer-1"),
        result: AttemptResult::Reached,
        note: "spoke by phone".into(),
        referrals: vec![Referral {
            category: ResourceCategory::Food,
            ..housing()
        }],
    });
    w.later(MINUTE);
    let to = w.now;
    // After the period: a call and the task's completion, neither counted.
    w.later(SECOND);
    w.call("C5", crisis());
    w.ok(Command::CompleteFollowUp {
        task_id: first_task,
        peer_id: Some(PeerId::new("peer-1")),
        outcome: TaskOutcome::Done,
        measures: OutcomeMeasures::default(),
    });
    Day {
        w,
        from,
        to,
        cancelled_at,
    }
}

fn report(day: &Day, now: Timestamp) -> UtilizationReport {
    let mut tally = UtilizationTally::new(day.from, day.to, now, ServiceHours::always());
    for (at, event) in &day.w.journal {
        tally.observe(*at, event);
    }
    tally.finish()
}

fn summary(count: u64, median_ms: i64, p90_ms: i64) -> DurationSummary {
    DurationSummary {
        count,
        median_ms,
        p90_ms,
    }
}

#[test]
fn every_figure_of_a_known_day() {
    let day = day();
    let r = report(&day, day.w.now);
    assert_eq!(r.as_of, day.to);
    let t = &r.totals;
    assert_eq!(t.calls_received, 4, "C0 is before and C5 after the period");
    assert_eq!((t.eligible, t.review, t.not_eligible), (3, 0, 1));
    assert_eq!(t.not_eligible_by_rule.get("flag:weapon"), Some(&1));
    assert_eq!(t.declined, 1);
    assert_eq!(
        t.declined_by_reason,
        [("police: caller requested police".to_owned(), 1)].into()
    );
    assert_eq!(t.cancelled, 1);
    assert_eq!((t.dispatched, t.acknowledged), (2, 2));
    assert_eq!((t.backup_requested, t.transported, t.cleared), (1, 1, 1));
    assert_eq!(t.received_to_assigned, summary(2, 30 * SECOND, 40 * SECOND));
    assert_eq!(t.assigned_to_acknowledged, summary(2, 20 * SECOND, MINUTE));
    assert_eq!(
        t.acknowledged_to_on_scene,
        summary(2, 3 * MINUTE, 3 * MINUTE)
    );
    assert_eq!(
        t.received_to_on_scene,
        summary(2, 3 * MINUTE + 50 * SECOND, 4 * MINUTE + 40 * SECOND)
    );
    // C1: on scene until transport (15 min); C4: until the cancellation (1 min).
    assert_eq!(t.time_on_scene, summary(2, MINUTE, 15 * MINUTE));

    let tasks = &day.w.state.tasks;
    assert!(
        !tasks.is_empty(),
        "the policy creates follow-ups on a transport"
    );
    assert_eq!(t.follow_ups_created, tasks.len() as u64);
    assert_eq!(t.follow_ups_completed, 0, "completed after the period");
    let overdue = tasks.values().filter(|task| task.due_at < day.to).count();
    assert_eq!(t.follow_ups_overdue, overdue as u64);
    // Created at C1's clearance; C2..C4 took 5 min 40 s, then an hour.
    let first_contact = 65 * MINUTE + 40 * SECOND;
    assert_eq!(
        t.time_to_first_contact,
        summary(1, first_contact, first_contact)
    );
    assert_eq!(
        t.referrals,
        [(ResourceCategory::Housing, 1), (ResourceCategory::Food, 1)].into()
    );

    // By team: the call and what came of it belong to the team that held it.
    let psr1 = &r.by_team[&TeamId::new("PSR-1")];
    assert_eq!((psr1.calls_received, psr1.backup_requested), (1, 1));
    assert_eq!(psr1.follow_ups_created, tasks.len() as u64);
    assert_eq!(psr1.referrals.values().sum::<u64>(), 2);
    let psr2 = &r.by_team[&TeamId::new("PSR-2")];
    assert_eq!((psr2.calls_received, psr2.cancelled), (1, 1));
    assert_eq!(r.by_team.len(), 2);
    // By day: every call on exactly one day.
    let by_day: u64 = r.by_day.values().map(|f| f.calls_received).sum();
    assert_eq!(by_day, 4);
}

#[test]
fn a_report_before_the_period_ends_describes_now() {
    let day = day();
    let r = report(&day, day.cancelled_at);
    assert_eq!(r.as_of, day.cancelled_at);
    assert_eq!(r.totals.calls_received, 4);
    assert_eq!(r.totals.cancelled, 0, "the cancellation is not yet");
    assert_eq!(r.totals.time_on_scene.count, 1, "C4 is still on scene");
    assert_eq!(r.totals.time_to_first_contact.count, 0);
}

#[test]
fn a_report_of_a_past_period_does_not_change_later() {
    let day = day();
    let now = report(&day, day.w.now);
    let much_later = report(&day, day.w.now.plus_hours(24 * 365));
    assert_eq!(now, much_later);
}

#[test]
fn periods_must_be_ordered_and_bounded() {
    let t = Timestamp(0);
    assert_eq!(check_period(t, t), Err(PeriodError::Empty));
    assert_eq!(check_period(t.plus_hours(1), t), Err(PeriodError::Empty));
    assert!(check_period(t, t.plus_hours(24 * MAX_PERIOD_DAYS)).is_ok());
    assert!(matches!(
        check_period(t, t.plus_hours(24 * MAX_PERIOD_DAYS + 1)),
        Err(PeriodError::TooLong { .. })
    ));
}
