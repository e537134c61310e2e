//! Rules for follow-up tasks: create by hand, schedule, record attempts, complete.

use super::{Ctx, check_id, check_text};
use crate::event::Event;
use crate::ids::{IncidentId, PeerId, TaskId};
use crate::model::*;
use crate::rejection::Rejection;
use crate::time::Timestamp;

/// A task made by hand.
pub(super) struct NewTask {
    pub task_id: TaskId,
    pub incident_id: IncidentId,
    pub kind: FollowUpKind,
    pub due_at: Timestamp,
    pub assignee: Option<PeerId>,
    pub person_ref: String,
}

pub(super) fn create(ctx: &Ctx, new: NewTask) -> Result<Vec<Event>, Rejection> {
    check_id("task_id", new.task_id.as_str())?;
    check_person_ref("person_ref", &new.person_ref)?;
    ctx.incident(&new.incident_id)?;
    if ctx.state.tasks.contains_key(&new.task_id) {
        return Err(Rejection::forbidden(
            "follow-up task",
            &new.task_id,
            "id already in use",
        ));
    }
    let person = PersonLink::of(ctx, &new.person_ref);
    Ok(vec![Event::FollowUpCreated {
        task: FollowUpTask {
            id: new.task_id,
            incident_id: new.incident_id,
            kind: new.kind,
            due_at: new.due_at,
            assignee: new.assignee.or(person.peer),
            status: FollowUpStatus::Open,
            attempts: Vec::new(),
            referrals: Vec::new(),
            outcome: None,
            created_at: ctx.now,
            origin: "manual".to_owned(),
            reminded_at: None,
            person_ref: new.person_ref,
            linked_task_ids: person.earlier_tasks,
        },
    }])
}

/// The longest person reference: a client number or a short code, not a record.
pub(super) const MAX_PERSON_REF_BYTES: usize = 200;

pub(super) fn check_person_ref(field: &'static str, value: &str) -> Result<(), Rejection> {
    if value.len() > MAX_PERSON_REF_BYTES {
        return Err(Rejection::invalid(
            field,
            format!(
                "{} bytes is longer than the {MAX_PERSON_REF_BYTES}-byte limit; give the program's reference for the person, not a description",
                value.len()
            ),
        ));
    }
    Ok(())
}

/// What a new task for a person inherits from the person's earlier tasks.
pub(super) struct PersonLink {
    /// The earlier tasks, oldest first, at most `MAX_LINKED_TASKS` (the most recent ones).
    pub earlier_tasks: Vec<TaskId>,
    /// The peer already working an unfinished task for the person: continuity of care wins
    /// over the assignee rule.
    pub peer: Option<PeerId>,
}

impl PersonLink {
    pub fn of(ctx: &Ctx, person_ref: &str) -> PersonLink {
        let key = person_key(person_ref);
        if key.is_empty() {
            return PersonLink {
                earlier_tasks: Vec::new(),
                peer: None,
            };
        }
        let mut theirs: Vec<&FollowUpTask> = ctx
            .state
            .tasks
            .values()
            .filter(|t| !t.person_ref.is_empty() && person_key(&t.person_ref) == key)
            .collect();
        theirs.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        let peer = theirs
            .iter()
            .rev()
            .filter(|t| !t.status.is_finished())
            .find_map(|t| t.assignee.clone());
        let skip = theirs.len().saturating_sub(MAX_LINKED_TASKS);
        PersonLink {
            earlier_tasks: theirs.iter().skip(skip).map(|t| t.id.clone()).collect(),
            peer,
        }
    }
}

fn open_task<'a>(ctx: &'a Ctx, task_id: &TaskId) -> Result<&'a FollowUpTask, Rejection> {
    let task = ctx.task(task_id)?;
    if task.status.is_finished() {
        return Err(Rejection::forbidden(
            "follow-up task",
            task_id,
            "is finished",
        ));
    }
    Ok(task)
}

/// A peer works their own tasks and unassigned ones; a supervisor (no peer id) any task.
fn check_peer(task: &FollowUpTask, peer: Option<&PeerId>) -> Result<(), Rejection> {
    if task.may_be_worked_by(peer) {
        Ok(())
    } else {
        Err(Rejection::NotPermitted {
            reason: format!("follow-up task {} is assigned to another peer", task.id),
        })
    }
}

pub(super) fn schedule(
    ctx: &Ctx,
    task_id: &TaskId,
    due_at: Timestamp,
    assignee: Option<PeerId>,
) -> Result<Vec<Event>, Rejection> {
    let task = open_task(ctx, task_id)?;
    Ok(vec![Event::FollowUpScheduled {
        task_id: task_id.clone(),
        due_at,
        assignee: assignee.or_else(|| task.assignee.clone()),
    }])
}

pub(super) fn record_attempt(
    ctx: &Ctx,
    task_id: &TaskId,
    peer_id: PeerId,
    result: AttemptResult,
    note: String,
    referrals: Vec<Referral>,
) -> Result<Vec<Event>, Rejection> {
    check_text("note", &note)?;
    for r in &referrals {
        check_text("referrals.note", &r.note)?;
    }
    let task = open_task(ctx, task_id)?;
    check_peer(task, Some(&peer_id))?;
    let assignee = task.assignee.clone().or_else(|| Some(peer_id.clone()));
    Ok(vec![Event::FollowUpAttemptRecorded {
        task_id: task_id.clone(),
        attempt: Attempt {
            at: ctx.now,
            by: peer_id,
            result,
            note,
            referrals,
        },
        status: task.status,
        assignee,
    }])
}

pub(super) fn complete(
    ctx: &Ctx,
    task_id: &TaskId,
    peer_id: Option<PeerId>,
    outcome: TaskOutcome,
    measures: OutcomeMeasures,
) -> Result<Vec<Event>, Rejection> {
    check_text("measures.note", &measures.note)?;
    let task = open_task(ctx, task_id)?;
    check_peer(task, peer_id.as_ref())?;
    let status = match outcome {
        TaskOutcome::Done => FollowUpStatus::Done,
        TaskOutcome::Cancelled => FollowUpStatus::Cancelled,
        TaskOutcome::ClosedUnreachable => {
            if !task
                .attempts
                .iter()
                .any(|a| a.result == AttemptResult::NoContact)
            {
                return Err(Rejection::forbidden(
                    "follow-up task",
                    task_id,
                    "record at least one no-contact attempt before closing as unreachable",
                ));
            }
            FollowUpStatus::ClosedUnreachable
        }
    };
    Ok(vec![Event::FollowUpCompleted {
        task_id: task_id.clone(),
        status,
        measures,
    }])
}

/// How often an overdue task is recalled: once a day, no storms.
pub const REMINDER_EVERY_MS: i64 = 24 * 3_600_000;

/// When the next reminder of an unfinished task is due.
pub fn next_reminder(task: &FollowUpTask) -> Option<Timestamp> {
    if task.status.is_finished() {
        return None;
    }
    Some(match task.reminded_at {
        Some(last) => last.plus_millis(REMINDER_EVERY_MS).max(task.due_at),
        None => task.due_at,
    })
}

/// The reminder timer fired: remind if the task is unfinished, past due, and was not
/// reminded in the last day. Anything else is a stale timer and does nothing.
pub(super) fn reminder_due(ctx: &Ctx, task_id: &TaskId) -> Result<Vec<Event>, Rejection> {
    let task = ctx.task(task_id)?;
    match next_reminder(task) {
        Some(at) if at <= ctx.now => Ok(vec![Event::FollowUpOverdue {
            task_id: task_id.clone(),
            incident_id: task.incident_id.clone(),
            assignee: task.assignee.clone(),
            due_at: task.due_at,
        }]),
        _ => Ok(Vec::new()),
    }
}
