//! The ack timer: when a team has not acknowledged by the deadline, the writer is told, and
//! the domain decides (push again, or escalate to the dispatcher). Deadlines live in the
//! stored assignments, so they survive a restart; a stale timer does nothing.

use crate::app::App;
use crate::clock::now;
use crate::hub::{Delivery, Topic};
use dispatch_core::{AssignmentId, AssignmentStatus, Command, Event, State, Timestamp};
use std::collections::BTreeSet;
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use tracing::{debug, warn};

pub async fn run_ack_timers(app: App, cancel: CancellationToken) {
    let mut rx = app.hub().subscribe(Topic::All);
    let mut due = app.read(|state, _| pending(state));
    loop {
        let wait = due.first().map(|(at, _)| {
            Duration::from_millis(u64::try_from(at.millis() - now().millis()).unwrap_or(0))
        });
        tokio::select! {
            () = cancel.cancelled() => return,
            () = sleep(wait) => {
                let current = now();
                while due.first().is_some_and(|(at, _)| *at <= current) {
                    let Some((_, assignment_id)) = due.pop_first() else { break };
                    debug!(%assignment_id, "ack deadline passed");
                    if let Err(e) = app.system(Command::AckDeadlinePassed { assignment_id }).await {
                        warn!(error = %e, "ack timer could not be recorded");
                    }
                }
            }
            received = rx.recv() => match received {
                Some(Delivery::Entries(entries)) => {
                    for entry in entries.iter() {
                        match &entry.event {
                            Event::AssignmentMade { assignment, .. } => {
                                if let Some(at) = assignment.ack_deadline {
                                    due.insert((at, assignment.id.clone()));
                                }
                            }
                            Event::AssignmentRepushed { assignment_id, ack_deadline, .. } => {
                                due.insert((*ack_deadline, assignment_id.clone()));
                            }
                            _ => {}
                        }
                    }
                }
                Some(Delivery::Lagged) => due = app.read(|state, _| pending(state)),
                None => return,
            }
        }
    }
}

async fn sleep(wait: Option<Duration>) {
    match wait {
        Some(d) => tokio::time::sleep(d).await,
        None => std::future::pending().await,
    }
}

fn pending(state: &State) -> BTreeSet<(Timestamp, AssignmentId)> {
    state
        .assignments
        .values()
        .filter(|a| a.status == AssignmentStatus::AwaitingAck)
        .filter_map(|a| a.ack_deadline.map(|d| (d, a.id.clone())))
        .collect()
}
