//! On-scene check-ins, escalation suggestions, per-priority ack windows and auto-assign.

use super::*;

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
