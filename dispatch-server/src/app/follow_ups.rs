//! The peers' use-cases: the follow-up queue and its commands, and the incident behind a
//! task. A peer works their own and unassigned tasks; a supervisor any
//! (`FollowUpTask::may_be_worked_by`).

use super::dispatch::not_found;
use super::feed::Feed;
use super::hub::Topic;
use super::{Actor, App, AppError, Applied, ids};
use dispatch_core::{
    Command, Event, FollowUpTask, Incident, PeerId, Rejection, State, TaskId, Timestamp,
};
use dispatch_proto::convert::{AttemptInput, CompleteInput, CreateFollowUpInput, ScheduleInput};
use dispatch_store::JournalEntry;
use tokio_util::sync::CancellationToken;

/// The open follow-up tasks, soonest due first, as of a time (which decides "overdue").
#[derive(Debug)]
pub struct Queue<'a> {
    pub seq: u64,
    pub tasks: Vec<&'a FollowUpTask>,
    pub as_of: Timestamp,
}

impl App {
    /// The queue, then every change to follow-up tasks.
    /// The queue a caller may see: a peer's own tasks and the unassigned ones (minimum
    /// necessary: another peer's tasks carry names, callbacks and notes that are not theirs
    /// to read); every task for a supervisor (`peer` = `None`).
    pub fn watch_queue<M, E>(
        &self,
        actor: &Actor,
        peer: Option<PeerId>,
        after_seq: u64,
        cancel: &CancellationToken,
        snapshot: impl FnOnce(Queue<'_>) -> M,
        mut change: impl FnMut(&JournalEntry) -> M + Send + 'static,
    ) -> Feed<M, E>
    where
        M: Send + 'static,
        E: From<AppError> + Send + 'static,
    {
        let as_of = self.clock().now();
        if after_seq != 0 {
            self.audit().read(actor, vec![], vec![], "ok".into());
        }
        let app = self.clone();
        let sees = peer.clone();
        self.open_feed(
            Topic::FollowUps,
            after_seq,
            cancel,
            |state, seq| {
                let mut tasks: Vec<_> = state
                    .tasks
                    .values()
                    .filter(|t| !t.status.is_finished() && t.may_be_worked_by(peer.as_ref()))
                    .collect();
                tasks.sort_by_key(|t| (t.due_at, t.id.clone()));
                let incidents = tasks.iter().map(|t| t.incident_id.to_string()).collect();
                let ids = tasks.iter().map(|t| t.id.to_string()).collect();
                self.audit().read(actor, incidents, ids, "ok".into());
                Some(snapshot(Queue { seq, tasks, as_of }))
            },
            move |entry| {
                if !entry.event.audience().follow_up {
                    return None;
                }
                let shown = sees
                    .as_ref()
                    .is_none_or(|p| app.read(|state, _| peer_sees(&entry.event, p, state)));
                shown.then(|| change(entry))
            },
        )
    }

    pub async fn schedule(
        &self,
        actor: &Actor,
        input: ScheduleInput,
    ) -> Result<Applied<Option<FollowUpTask>>, AppError> {
        let id = input.task_id.clone();
        let command = Command::ScheduleFollowUp {
            task_id: input.task_id,
            due_at: input.due_at,
            assignee: input.assignee,
        };
        self.command_then(actor, input.command_id, command, task(id))
            .await
    }

    /// An attempt to reach the person: only a peer records one.
    pub async fn record_attempt(
        &self,
        actor: &Actor,
        peer: Option<PeerId>,
        input: AttemptInput,
    ) -> Result<Applied<Option<FollowUpTask>>, AppError> {
        let Some(peer_id) = peer else {
            return Err(AppError::Rejected(Rejection::NotPermitted {
                reason: "role supervisor may not record attempts; a peer does".into(),
            }));
        };
        let id = input.task_id.clone();
        let command = Command::RecordAttempt {
            task_id: input.task_id,
            peer_id,
            result: input.result,
            note: input.note,
            referrals: input.referrals,
        };
        self.command_then(actor, input.command_id, command, task(id))
            .await
    }

    pub async fn complete(
        &self,
        actor: &Actor,
        peer: Option<PeerId>,
        input: CompleteInput,
    ) -> Result<Applied<Option<FollowUpTask>>, AppError> {
        let id = input.task_id.clone();
        let command = Command::CompleteFollowUp {
            task_id: input.task_id,
            peer_id: peer,
            outcome: input.outcome,
            measures: input.measures,
        };
        self.command_then(actor, input.command_id, command, task(id))
            .await
    }

    /// A task made by hand; its id comes from the command id.
    pub async fn create_follow_up(
        &self,
        actor: &Actor,
        input: CreateFollowUpInput,
    ) -> Result<Applied<Option<FollowUpTask>>, AppError> {
        let task_id = ids::follow_up_by_hand(&input.command_id);
        let command = Command::CreateFollowUp {
            task_id: task_id.clone(),
            incident_id: input.incident_id,
            kind: input.kind,
            due_at: input.due_at,
            assignee: input.assignee,
            person_ref: input.person_ref,
        };
        self.command_then(actor, input.command_id, command, task(task_id))
            .await
    }

    /// The incident behind a task, for a peer who may work the task.
    pub fn task_incident(
        &self,
        actor: &Actor,
        peer: Option<&PeerId>,
        task_id: &TaskId,
    ) -> Result<Incident, AppError> {
        let result = self.incident_of_task(peer, task_id);
        let incidents = match &result {
            Ok(incident) => vec![incident.id.to_string()],
            Err(_) => vec![],
        };
        let outcome = super::audit::outcome(&result);
        (self.audit()).read(actor, incidents, vec![task_id.to_string()], outcome);
        result
    }

    fn incident_of_task(
        &self,
        peer: Option<&PeerId>,
        task_id: &TaskId,
    ) -> Result<Incident, AppError> {
        if task_id.as_str().trim().is_empty() {
            return Err(AppError::invalid("task_id", "is required"));
        }
        self.read(|state, _| {
            let task = state
                .tasks
                .get(task_id)
                .ok_or_else(|| not_found("follow-up task", task_id))?;
            if !task.may_be_worked_by(peer) {
                return Err(AppError::Rejected(Rejection::NotPermitted {
                    reason: format!("follow-up task {task_id} is assigned to another peer"),
                }));
            }
            state
                .incidents
                .get(&task.incident_id)
                .cloned()
                .ok_or_else(|| not_found("incident", &task.incident_id))
        })
    }
}

/// Reads a task back after a command.
/// Whether a follow-up event belongs in `peer`'s queue: about a task that is theirs or no
/// one's. A rescheduling is always sent (it names a task id, a time and a peer, nothing about
/// the person), so a console drops a task that was given to someone else.
fn peer_sees(event: &Event, peer: &PeerId, state: &State) -> bool {
    let mine = |assignee: Option<&PeerId>| assignee.is_none_or(|a| a == peer);
    match event {
        Event::FollowUpCreated { task } => mine(task.assignee.as_ref()),
        Event::FollowUpScheduled { .. } => true,
        Event::FollowUpAttemptRecorded { assignee, .. }
        | Event::FollowUpOverdue { assignee, .. } => mine(assignee.as_ref()),
        Event::FollowUpCompleted { task_id, .. } => state
            .tasks
            .get(task_id)
            .is_some_and(|t| mine(t.assignee.as_ref())),
        _ => false,
    }
}

fn task(id: TaskId) -> impl FnOnce(&dispatch_core::State) -> Option<FollowUpTask> {
    move |state| state.tasks.get(&id).cloned()
}
