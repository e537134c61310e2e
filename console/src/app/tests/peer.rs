//! The peer's follow-up queue and the supervisor's view of it.

use super::*;

#[test]
fn the_peer_queue_is_overdue_then_today_then_upcoming_and_records_attempts() {
    let mut m = model(Mode::Peer);
    update(
        &mut m,
        queue_snapshot(30, tasks().into_iter().rev().collect()),
    );
    let order: Vec<&str> = m
        .queue
        .ordered(m.now_ms, &m.local)
        .iter()
        .map(|(_, t)| t.id.as_str())
        .collect();
    assert_eq!(order, vec!["fu-late", "fu-today", "fu-week"]);
    update(&mut m, code(KeyCode::Down));
    update(&mut m, key('r'));
    update(&mut m, key('1'));
    update(&mut m, code(KeyCode::Tab));
    type_text(&mut m, "doing better");
    let fx = update(&mut m, code(KeyCode::Enter));
    assert_eq!(
        sent(&fx)[0].1,
        Command::RecordAttempt {
            task_id: "fu-today".into(),
            result: v1::AttemptResult::Reached,
            note: "doing better".into(),
            referrals: vec![]
        }
    );
    // Completion takes it off the queue.
    update(
        &mut m,
        Msg::Net(NetMsg::Queue(v1::FollowUpEvent {
            kind: Some(v1::follow_up_event::Kind::Event(event(
                31,
                Kind::FollowUpCompleted(v1::FollowUpCompleted {
                    task_id: "fu-late".into(),
                    status: v1::FollowUpStatus::Done as i32,
                    measures: None,
                }),
            ))),
        })),
    );
    assert_eq!(m.queue.tasks.len(), 2);
}

#[test]
fn the_supervisor_switches_to_follow_ups_and_may_not_record_attempts() {
    let mut m = model(Mode::Supervisor);
    update(&mut m, queue_snapshot(30, tasks()));
    update(&mut m, key('f'));
    assert_eq!(m.screen, Screen::FollowUps);
    update(&mut m, key('r'));
    assert!(m.overlay.is_none());
    update(&mut m, key('s'));
    update(&mut m, key('3'));
    let fx = update(&mut m, code(KeyCode::Enter));
    assert!(matches!(&sent(&fx)[0].1, Command::Schedule { task_id, .. } if task_id == "fu-late"));
}
