//! What the network tells the console: streams up and down, the server's events folded into
//! the picture of this mode, answers to commands, recommendations.

use super::{Effect, NetMsg, describe};
use crate::command::{Command, Failure};
use crate::state::board::Folded;
use crate::state::{FlashKind, Model};
use dispatch_proto::v1;

pub(super) fn on_net(m: &mut Model, n: NetMsg, fx: &mut Vec<Effect>) {
    let mut loud = false;
    match n {
        NetMsg::Up(kind) => {
            m.conn.up(kind);
            if m.conn.is_up() {
                let resend = m.outbox.reconnected(m.now_ms);
                if !resend.is_empty() {
                    m.say(
                        FlashKind::Info,
                        format!(
                            "connection back: sending {} queued command(s) with their ids",
                            resend.len()
                        ),
                    );
                }
                fx.extend(resend.into_iter().map(Effect::Send));
                if m.position_unreported
                    && let Some(p) = m.position
                {
                    m.position_unreported = false;
                    let out = m.outgoing(Command::UpdateStatus {
                        status: v1::TeamStatus::Unspecified,
                        position: Some(p),
                    });
                    if let Some(out) = m.outbox.push(out, true) {
                        fx.push(Effect::Send(out));
                    }
                }
            }
        }
        NetMsg::Down {
            kind,
            error,
            retry_in_ms,
        } => m.conn.down(kind, m.now_ms, m.now_ms + retry_in_ms, error),
        NetMsg::Refused { kind, error } => m.conn.refused(kind, error),
        NetMsg::Board(e) => match e.kind {
            Some(v1::board_event::Kind::Snapshot(s)) => {
                m.set_service_area(&s.service_area);
                m.board.apply_snapshot(s);
            }
            Some(v1::board_event::Kind::Event(e)) => loud = m.board.apply(&e) == Folded::Loud,
            None => {}
        },
        NetMsg::Team(e) => match e.kind {
            Some(v1::responder_event::Kind::Snapshot(s)) => {
                m.set_service_area(&s.service_area);
                m.team.apply_snapshot(s);
                loud = m.team.awaiting_ack();
            }
            Some(v1::responder_event::Kind::Event(e)) => loud = m.team.apply(&e) == Folded::Loud,
            None => {}
        },
        NetMsg::Queue(e) => match e.kind {
            Some(v1::follow_up_event::Kind::Snapshot(s)) => m.queue.apply_snapshot(s),
            Some(v1::follow_up_event::Kind::Event(e)) => loud = m.queue.apply(&e) == Folded::Loud,
            None => {}
        },
        NetMsg::Answered { id, result } => {
            // An old position helps nobody: a report that did not get through is not kept
            // for later, the next one replaces it.
            let position = m.outbox.entries().iter().any(|e| {
                e.out.id == id
                    && matches!(
                        e.out.command,
                        Command::UpdateStatus {
                            status: v1::TeamStatus::Unspecified,
                            position: Some(_)
                        }
                    )
            });
            let result = match result {
                Err(Failure::Unreachable(_)) if position => Err(Failure::Refused(
                    "not delivered; the next report replaces it".into(),
                )),
                other => other,
            };
            let answered = m
                .outbox
                .answered(&id, result)
                .map(|e| (e.out.command.clone(), e.delivery.clone()));
            if let Some((command, delivery)) = answered {
                use crate::state::outbox::Delivery;
                let position_report = matches!(
                    command,
                    Command::UpdateStatus {
                        status: v1::TeamStatus::Unspecified,
                        position: Some(_)
                    }
                );
                if position_report && matches!(delivery, Delivery::Done(_)) {
                    // Position reports go on their own; only a failure is worth a word.
                    return;
                }
                let what = describe(m, &command);
                let (kind, text) = match &delivery {
                    Delivery::Done(summary) if summary.is_empty() => {
                        (FlashKind::Info, format!("done: {what}"))
                    }
                    Delivery::Done(summary) => {
                        (FlashKind::Info, format!("done: {what} — {summary}"))
                    }
                    Delivery::Refused(why) => {
                        (FlashKind::Problem, format!("REFUSED: {what} — {why}"))
                    }
                    _ => (
                        FlashKind::Problem,
                        format!("not delivered: {what} is queued and will be sent again"),
                    ),
                };
                m.say(kind, text);
            }
        }
        NetMsg::Recommendations(r) => {
            if m.recommendations_asked_for.as_deref() == Some(r.incident_id.as_str()) {
                m.recommendations = Some(r);
            }
        }
        NetMsg::RecommendFailed { incident_id, error } => {
            if m.recommendations_asked_for.as_deref() == Some(incident_id.as_str()) {
                m.say(FlashKind::Problem, format!("no recommendation: {error}"));
            }
        }
        NetMsg::TaskIncident { task_id, result } => {
            if m.task_incident_asked_for.as_deref() == Some(task_id.as_str()) {
                match result {
                    Ok(incident) => m.task_incident = Some(incident),
                    Err(error) => {
                        // Asked again when the task is selected anew.
                        m.task_incident_asked_for = None;
                        m.say(FlashKind::Problem, format!("no incident summary: {error}"));
                    }
                }
            }
        }
    }
    if loud {
        fx.push(Effect::Bell);
    }
}
