//! Rules for follow-up tasks: create by hand, schedule, record attempts, complete.

use super::{Ctx, check_id, check_text};
use crate::event::Event;
use crate::ids::{IncidentId, PeerId, TaskId};
use crate::model::*;
use crate::rejection::Rejection;
use crate::time::Timestamp;

pub(super) fn create(
    ctx: &Ctx,
    task_id: TaskId,
    incident_id: &IncidentId,
    kind: FollowUpKind,
    due_at: Timestamp,
    assignee: Option<PeerId>,
) -> Result<Vec<Event>, Rejection> {
    check_id("task_id", task_id.as_str())?;
    ctx.incident(incident_id)?;
    if ctx.state.tasks.contains_key(&task_id) {
        return Err(Rejection::forbidden(
            "follow-up task",
            &task_id,
            "id already in use",
        ));
    }
    Ok(vec![Event::FollowUpCreated {
        task: FollowUpTask {
            id: task_id,
            incident_id: incident_id.clone(),
            kind,
            due_at,
            assignee,
            status: FollowUpStatus::Open,
            attempts: Vec::new(),
            referrals: Vec::new(),
            outcome: None,
            created_at: ctx.now,
            origin: "manual".to_owned(),
            reminded_at: None,
        },
    }])
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
    match (peer, &task.assignee) {
        (Some(p), Some(a)) if p != a => Err(Rejection::NotPermitted {
            reason: format!("follow-up task {} is assigned to another peer", task.id),
        }),
        _ => Ok(()),
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
