//! The server's timers: ack deadlines (re-push, then escalate), on-scene check-ins (ask,
//! then alert the dispatcher) and overdue follow-up reminders (once a day). When one is due
//! the writer is told, and the domain decides; a stale timer (acked, reassigned, checked in,
//! completed since) does nothing. Deadlines live in the stored assignments, teams and tasks,
//! so they survive a restart.

use super::App;
use super::hub::{Delivery, Topic};
use dispatch_core::decide::{REMINDER_EVERY_MS, next_reminder};
use dispatch_core::{
    AssignmentId, AssignmentStatus, Command, Event, State, TaskId, TeamId, TeamStatus, Timestamp,
};
use std::collections::BTreeSet;
use tokio_util::sync::CancellationToken;
use tracing::{debug, warn};

/// What is due.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Due {
    Ack(AssignmentId),
    CheckIn(TeamId),
    Reminder(TaskId),
}

impl Due {
    /// The id every replica gives this timer's command at this deadline: the first to fire
    /// it records it, the others are answered as duplicates.
    fn command_id(&self, at: Timestamp) -> String {
        let (kind, id) = match self {
            Due::Ack(a) => ("ack", a.to_string()),
            Due::CheckIn(t) => ("check-in", t.to_string()),
            Due::Reminder(t) => ("reminder", t.to_string()),
        };
        format!("timer:{kind}:{id}:{}", at.millis())
    }

    fn command(self) -> Command {
        match self {
            Due::Ack(assignment_id) => Command::AckDeadlinePassed { assignment_id },
            Due::CheckIn(team_id) => Command::CheckInDue { team_id },
            Due::Reminder(task_id) => Command::FollowUpReminderDue { task_id },
        }
    }
}

pub async fn run_timers(app: App, cancel: CancellationToken) {
    let mut rx = app.hub().subscribe(Topic::All);
    let mut due = app.read(|state, _| pending(state));
    loop {
        let clock = app.clock().clone();
        let next = due.first().map(|(at, _)| *at);
        tokio::select! {
            () = cancel.cancelled() => return,
            () = sleep(&clock, next) => {
                let current = clock.now();
                while due.first().is_some_and(|(at, _)| *at <= current) {
                    let Some((at, what)) = due.pop_first() else { break };
                    debug!(?what, "timer due");
                    if let Err(e) = app.timer(what.command_id(at), what.command()).await {
                        warn!(error = %e, "timer could not be recorded");
                    }
                }
            }
            received = rx.recv() => match received {
                Some(Delivery::Entries(entries)) => {
                    for entry in entries.iter() {
                        if let Some(timer) = armed_by(&entry.event, entry.at) {
                            due.insert(timer);
                        }
                    }
                }
                Some(Delivery::Lagged) => due = app.read(|state, _| pending(state)),
                None => return,
            }
        }
    }
}

/// The timer an event arms, if any.
fn armed_by(event: &Event, at: Timestamp) -> Option<(Timestamp, Due)> {
    match event {
        Event::AssignmentMade { assignment, .. } => assignment
            .ack_deadline
            .map(|at| (at, Due::Ack(assignment.id.clone()))),
        Event::AssignmentRepushed {
            assignment_id,
            ack_deadline,
            ..
        } => Some((*ack_deadline, Due::Ack(assignment_id.clone()))),
        Event::TeamCheckedIn {
            team_id, next_due, ..
        } => Some((*next_due, Due::CheckIn(team_id.clone()))),
        Event::CheckInRequested {
            team_id,
            respond_by,
            ..
        } => Some((*respond_by, Due::CheckIn(team_id.clone()))),
        Event::FollowUpCreated { task } => Some((task.due_at, Due::Reminder(task.id.clone()))),
        Event::FollowUpScheduled {
            task_id, due_at, ..
        } => Some((*due_at, Due::Reminder(task_id.clone()))),
        Event::FollowUpOverdue { task_id, .. } => Some((
            at.plus_millis(REMINDER_EVERY_MS),
            Due::Reminder(task_id.clone()),
        )),
        _ => None,
    }
}

async fn sleep(clock: &crate::clock::Clock, until: Option<Timestamp>) {
    match until {
        Some(at) => clock.sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Every timer the stored state holds (at start, and after falling behind).
fn pending(state: &State) -> BTreeSet<(Timestamp, Due)> {
    let acks = state
        .assignments
        .values()
        .filter(|a| a.status == AssignmentStatus::AwaitingAck)
        .filter_map(|a| a.ack_deadline.map(|d| (d, Due::Ack(a.id.clone()))));
    let check_ins = state
        .teams
        .values()
        .filter(|t| t.status == TeamStatus::OnScene)
        .filter_map(|t| t.check_in.map(|c| (c.due, Due::CheckIn(t.id.clone()))));
    let reminders = state
        .tasks
        .values()
        .filter_map(|t| next_reminder(t).map(|at| (at, Due::Reminder(t.id.clone()))));
    acks.chain(check_ins).chain(reminders).collect()
}
