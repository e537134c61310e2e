//! One group commit in the making: the requests' answers, the repeats within the round, the
//! idempotency records already stored, and the audit record of each request.

use super::Work;
use crate::app::audit::{self, Actor};
use crate::app::error::AppError;
use dispatch_core::{AssignmentId, Command, Event, IncidentId, Timestamp};
use dispatch_store::{Batch, CadReceipt, CommandRecord, Keys, StoreError};
use std::collections::{BTreeSet, HashMap};
use tokio::sync::oneshot;
use tracing::error;

use super::{CadOutcome, Outcome};

/// One request's answer, sent once the round is settled.
pub(super) struct Reply<T> {
    pub(super) tx: oneshot::Sender<Result<T, AppError>>,
    pub(super) result: Result<T, AppError>,
}

pub(super) enum Answer {
    Cad(Reply<CadOutcome>),
    Command(Reply<Outcome>),
    System(Reply<u64>),
}

/// A request that repeats one earlier in the same round: it gets the first one's answer.
pub(super) enum Repeat {
    Cad {
        first: usize,
        tx: oneshot::Sender<Result<CadOutcome, AppError>>,
    },
    Command {
        first: usize,
        tx: oneshot::Sender<Result<Outcome, AppError>>,
    },
}

/// The idempotency records already stored for a round's requests.
pub(super) struct Known {
    pub(super) receipts: HashMap<(String, String), CadReceipt>,
    pub(super) commands: HashMap<String, CommandRecord>,
}

impl Known {
    pub(super) fn from_records(receipts: Vec<CadReceipt>, commands: Vec<CommandRecord>) -> Self {
        Known {
            receipts: receipts
                .into_iter()
                .map(|r| ((r.source.clone(), r.event_id.clone()), r))
                .collect(),
            commands: commands
                .into_iter()
                .map(|r| (r.command_id.clone(), r))
                .collect(),
        }
    }
}

/// The idempotency keys of a round's requests.
pub(super) fn keys_of(work: &[Work]) -> Keys {
    let mut keys = Keys::default();
    for w in work {
        match w {
            Work::Cad {
                source, event_id, ..
            } => keys.cad.push((source.clone(), event_id.clone())),
            Work::Command { command_id, .. } => keys.commands.push(command_id.clone()),
            Work::System { .. } => {}
        }
    }
    keys
}

/// One group commit in the making: when it runs, what is already stored, the batch to write
/// and the answers it will give.
pub(super) struct Round {
    pub(super) now: Timestamp,
    pub(super) known: Known,
    pub(super) batch: Batch,
    pub(super) answers: Vec<Answer>,
    pub(super) repeats: Vec<Repeat>,
    /// Where the first applied request with each key is in `answers`.
    pub(super) first_cad: HashMap<(String, String), usize>,
    pub(super) first_command: HashMap<String, usize>,
}

pub(super) fn touched<'a>(
    event: &'a Event,
    incidents: &mut BTreeSet<&'a IncidentId>,
    teams: &mut BTreeSet<&'a dispatch_core::TeamId>,
    assignments: &mut BTreeSet<&'a AssignmentId>,
    tasks: &mut BTreeSet<&'a dispatch_core::TaskId>,
) {
    let audience = event.audience();
    if let Some(i) = audience.incident_id {
        incidents.insert(i);
    }
    if let Some(t) = audience.team_id {
        teams.insert(t);
    }
    match event {
        Event::AssignmentMade { assignment, .. } => {
            assignments.insert(&assignment.id);
        }
        Event::AssignmentRepushed { assignment_id, .. }
        | Event::AssignmentEscalated { assignment_id, .. }
        | Event::AssignmentAcknowledged { assignment_id, .. }
        | Event::AssignmentEnded { assignment_id, .. } => {
            assignments.insert(assignment_id);
        }
        Event::FollowUpCreated { task } => {
            tasks.insert(&task.id);
        }
        Event::FollowUpScheduled { task_id, .. }
        | Event::FollowUpAttemptRecorded { task_id, .. }
        | Event::FollowUpCompleted { task_id, .. } => {
            tasks.insert(task_id);
        }
        _ => {}
    }
}

/// The (source, call number) a CAD command is about.
pub(super) fn call_key(command: &Command) -> Option<(String, String)> {
    match command {
        Command::CallCreated {
            source,
            call_number,
            ..
        }
        | Command::CallUpdated {
            source,
            call_number,
            ..
        }
        | Command::NarrativeAppended {
            source,
            call_number,
            ..
        }
        | Command::CallClosed {
            source,
            call_number,
            ..
        }
        | Command::CallCancelled {
            source,
            call_number,
            ..
        } => Some((source.clone(), call_number.clone())),
        _ => None,
    }
}

impl Round {
    /// The audit record of the request just taken: the incidents and tasks its events
    /// touched (the entries from `first.0` on), or, when it changed nothing, the ones it
    /// named. Its answer is the one after `first.1`, or a repeat's first one.
    pub(super) fn audit(
        &mut self,
        actor: &Actor,
        action: dispatch_store::AuditAction,
        (first, answered): (usize, usize),
        named: (Vec<String>, Vec<String>),
    ) {
        let answer = if self.answers.len() > answered {
            self.answers.last()
        } else {
            match self.repeats.last() {
                Some(Repeat::Cad { first, .. } | Repeat::Command { first, .. }) => {
                    self.answers.get(*first)
                }
                None => None,
            }
        };
        let outcome = match answer {
            Some(Answer::Cad(r)) => audit::outcome(&r.result),
            Some(Answer::Command(r)) => audit::outcome(&r.result),
            _ => "ok".into(),
        };
        if self.batch.entries.len() > first {
            return self.audit_changes(actor, action, first, outcome);
        }
        let (mut incidents, tasks) = named;
        if let Some(Answer::Cad(Reply {
            result:
                Ok(CadOutcome {
                    incident_id: Some(id),
                    ..
                }),
            ..
        })) = answer
            && incidents.is_empty()
        {
            incidents.push(id.to_string());
        }
        let record = actor.event(self.now, action, incidents, tasks, outcome);
        self.batch.audit.push(record);
    }

    pub(super) fn audit_changes(
        &mut self,
        actor: &Actor,
        action: dispatch_store::AuditAction,
        first: usize,
        outcome: String,
    ) {
        let mut incidents = BTreeSet::new();
        let mut teams = BTreeSet::new();
        let mut assignments = BTreeSet::new();
        let mut tasks = BTreeSet::new();
        for entry in &self.batch.entries[first..] {
            touched(
                &entry.event,
                &mut incidents,
                &mut teams,
                &mut assignments,
                &mut tasks,
            );
        }
        let record = actor.event(
            self.now,
            action,
            incidents.iter().map(ToString::to_string).collect(),
            tasks.iter().map(ToString::to_string).collect(),
            outcome,
        );
        self.batch.audit.push(record);
    }

    pub(super) fn new(now: Timestamp, known: Known) -> Self {
        Round {
            now,
            known,
            batch: Batch::default(),
            answers: Vec::new(),
            repeats: Vec::new(),
            first_cad: HashMap::new(),
            first_command: HashMap::new(),
        }
    }

    /// The commit failed: what this round applied is not, and says why.
    pub(super) fn fail_applied(&mut self, e: &StoreError) {
        let failed = || AppError::Store(e.clone());
        for answer in &mut self.answers {
            match answer {
                Answer::Cad(r) if r.result.as_ref().is_ok_and(|o| !o.duplicate) => {
                    r.result = Err(failed());
                }
                Answer::Command(r) if r.result.as_ref().is_ok_and(|o| !o.duplicate) => {
                    r.result = Err(failed());
                }
                Answer::System(r) if r.result.is_ok() => r.result = Err(failed()),
                _ => {}
            }
        }
    }

    /// Sends every answer; a repeat gets its first request's, as a duplicate. A caller that
    /// went away does not need its answer.
    pub(super) fn answer(self) {
        for repeat in self.repeats {
            match repeat {
                Repeat::Cad { first, tx } => {
                    if let Some(Answer::Cad(r)) = self.answers.get(first) {
                        let _ = tx.send(r.result.clone().map(|o| CadOutcome {
                            duplicate: true,
                            ..o
                        }));
                    }
                }
                Repeat::Command { first, tx } => {
                    if let Some(Answer::Command(r)) = self.answers.get(first) {
                        let _ = tx.send(r.result.clone().map(|o| Outcome {
                            duplicate: true,
                            ..o
                        }));
                    }
                }
            }
        }
        for answer in self.answers {
            let _ = match answer {
                Answer::Cad(r) => r.tx.send(r.result).map_err(drop),
                Answer::Command(r) => r.tx.send(r.result).map_err(drop),
                Answer::System(r) => r.tx.send(r.result).map_err(drop),
            };
        }
    }
}

/// The idempotency lookup failed: every request of the round is refused with the reason.
pub(super) fn refuse_all(work: Vec<Work>, e: &StoreError) {
    error!(error = %e, "idempotency lookup failed");
    let failed = || AppError::Store(e.clone());
    for w in work {
        let _ = match w {
            Work::Cad { reply, .. } => reply.send(Err(failed())).map_err(drop),
            Work::Command { reply, .. } => reply.send(Err(failed())).map_err(drop),
            Work::System { reply, .. } => {
                reply.map_or(Ok(()), |tx| tx.send(Err(failed())).map_err(drop))
            }
        };
    }
}
