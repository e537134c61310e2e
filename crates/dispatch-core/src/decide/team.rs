//! Rules for the roster and for what a team does: acknowledge, status, backup, clear.

use super::cad::check_point;
use super::dispatcher::{assignment_words, status_words};
use super::{Ctx, check_id, check_text};
use crate::event::Event;
use crate::ids::{AssignmentId, PeerId, TaskId, TeamId};
use crate::model::*;
use crate::rejection::Rejection;

pub(super) fn register(
    ctx: &Ctx,
    team_id: TeamId,
    members: Vec<Member>,
    languages: Vec<String>,
    position: Option<GeoPoint>,
) -> Result<Vec<Event>, Rejection> {
    check_id("team_id", team_id.as_str())?;
    if let Some(p) = position {
        check_point("position", p)?;
    }
    for m in &members {
        check_text("members.name", &m.name)?;
    }
    let team = match ctx.state.teams.get(&team_id) {
        Some(existing) => {
            let mut team = existing.clone();
            team.members = members;
            team.languages = languages;
            team.position = position.or(existing.position);
            if &team == existing {
                return Ok(Vec::new());
            }
            team
        }
        // A newly rostered team starts available: the roster lists teams on shift.
        None => Team {
            id: team_id,
            members,
            languages,
            position,
            status: TeamStatus::Available,
            status_since: ctx.now,
            incident_id: None,
            assignment_id: None,
            check_in: None,
            last_cleared_at: None,
        },
    };
    Ok(vec![Event::TeamRegistered { team }])
}

pub(super) fn acknowledge(
    ctx: &Ctx,
    team_id: &TeamId,
    assignment_id: &AssignmentId,
) -> Result<Vec<Event>, Rejection> {
    let assignment = ctx.assignment(assignment_id)?;
    if &assignment.team_id != team_id {
        return Err(Rejection::NotPermitted {
            reason: format!("assignment {assignment_id} belongs to another team"),
        });
    }
    match assignment.status {
        AssignmentStatus::AwaitingAck => Ok(vec![Event::AssignmentAcknowledged {
            assignment_id: assignment_id.clone(),
            team_id: team_id.clone(),
            incident_id: assignment.incident_id.clone(),
            ack: Ack {
                at: ctx.now,
                by: AckedBy::Team,
            },
        }]),
        // A second press of the ack key is harmless.
        AssignmentStatus::Acknowledged => Ok(Vec::new()),
        other => Err(Rejection::forbidden(
            "assignment",
            assignment_id,
            format!("was {}", assignment_words(other)),
        )),
    }
}

/// Order of the on-incident statuses: a team only moves forward through them.
fn progress(status: TeamStatus) -> Option<u8> {
    match status {
        TeamStatus::Dispatched => Some(0),
        TeamStatus::Acknowledged => Some(1),
        TeamStatus::EnRoute => Some(2),
        TeamStatus::OnScene => Some(3),
        TeamStatus::Transporting => Some(4),
        _ => None,
    }
}

pub(super) fn update_status(
    ctx: &Ctx,
    team_id: &TeamId,
    status: Option<TeamStatus>,
    position: Option<GeoPoint>,
) -> Result<Vec<Event>, Rejection> {
    let team = ctx.team(team_id)?;
    if let Some(p) = position {
        check_point("position", p)?;
    }
    let mut events = Vec::new();
    if let Some(status) = status.filter(|s| *s != team.status) {
        match (&team.incident_id, &team.assignment_id, progress(status)) {
            (_, _, Some(p)) if p <= 1 => {
                return Err(Rejection::invalid(
                    "status",
                    "dispatched and acknowledged are set by assignment and ack",
                ));
            }
            (Some(incident_id), Some(assignment_id), Some(p)) => {
                if progress(team.status).is_some_and(|cur| p < cur) {
                    return Err(Rejection::forbidden(
                        "team",
                        team_id,
                        format!(
                            "cannot go back from {} to {}",
                            status_words(team.status),
                            status_words(status)
                        ),
                    ));
                }
                // Going en route or arriving without pressing ack first is an ack.
                if team.status == TeamStatus::Dispatched {
                    events.push(Event::AssignmentAcknowledged {
                        assignment_id: assignment_id.clone(),
                        team_id: team_id.clone(),
                        incident_id: incident_id.clone(),
                        ack: Ack {
                            at: ctx.now,
                            by: AckedBy::Team,
                        },
                    });
                }
                events.push(Event::TeamStatusChanged {
                    team_id: team_id.clone(),
                    status,
                    incident_id: Some(incident_id.clone()),
                });
            }
            (None, _, Some(_)) | (Some(_), None, Some(_)) => {
                return Err(Rejection::forbidden(
                    "team",
                    team_id,
                    format!("has no incident to be {}", status_words(status)),
                ));
            }
            (Some(incident_id), _, None) => {
                return Err(Rejection::forbidden(
                    "team",
                    team_id,
                    format!(
                        "has incident {incident_id}; clear it before going {}",
                        status_words(status)
                    ),
                ));
            }
            (None, _, None) => events.push(Event::TeamStatusChanged {
                team_id: team_id.clone(),
                status,
                incident_id: None,
            }),
        }
    }
    if let Some(position) = position.filter(|p| Some(*p) != team.position) {
        events.push(Event::TeamPositionReported {
            team_id: team_id.clone(),
            position,
        });
    }
    // Any word from a team on scene is a check-in: the next one is due later.
    let on_scene = status.unwrap_or(team.status) == TeamStatus::OnScene;
    if let (true, Some(incident_id)) = (on_scene, &team.incident_id) {
        events.push(Event::TeamCheckedIn {
            team_id: team_id.clone(),
            incident_id: incident_id.clone(),
            next_due: ctx
                .now
                .plus_millis(i64::from(ctx.policy.check_in_after_secs) * 1000),
        });
    }
    Ok(events)
}

/// The check-in timer fired: ask the team, or, if it was asked and stayed silent, alert the
/// dispatcher. A stale timer (the team spoke since, or left the scene) does nothing.
pub(super) fn check_in_due(ctx: &Ctx, team_id: &TeamId) -> Result<Vec<Event>, Rejection> {
    let team = ctx.team(team_id)?;
    let (Some(check_in), Some(incident_id)) = (team.check_in, &team.incident_id) else {
        return Ok(Vec::new());
    };
    if team.status != TeamStatus::OnScene || check_in.due > ctx.now {
        return Ok(Vec::new());
    }
    let (team_id, incident_id) = (team_id.clone(), incident_id.clone());
    if check_in.requested {
        Ok(vec![Event::CheckInMissed {
            team_id,
            incident_id,
        }])
    } else {
        Ok(vec![Event::CheckInRequested {
            team_id,
            incident_id,
            respond_by: ctx
                .now
                .plus_millis(i64::from(ctx.policy.check_in_grace_secs) * 1000),
        }])
    }
}

pub(super) fn request_backup(
    ctx: &Ctx,
    team_id: &TeamId,
    urgent: bool,
    note: String,
) -> Result<Vec<Event>, Rejection> {
    check_text("note", &note)?;
    let team = ctx.team(team_id)?;
    let incident_id = team.incident_id.clone().ok_or_else(|| {
        Rejection::forbidden("team", team_id, "has no incident to request backup for")
    })?;
    Ok(vec![Event::BackupRequested {
        incident_id,
        team_id: team_id.clone(),
        urgent,
        note,
    }])
}

pub(super) fn clear(
    ctx: &Ctx,
    team_id: &TeamId,
    disposition: Disposition,
    encounter: Encounter,
    task_ids: Vec<TaskId>,
) -> Result<Vec<Event>, Rejection> {
    check_text("encounter.notes", &encounter.notes)?;
    for s in &encounter.services_provided {
        check_text("encounter.services_provided", s)?;
    }
    for r in &encounter.referrals {
        check_text("encounter.referrals.note", &r.note)?;
    }
    let team = ctx.team(team_id)?;
    let (Some(incident_id), Some(assignment_id)) = (&team.incident_id, &team.assignment_id) else {
        return Err(Rejection::forbidden(
            "team",
            team_id,
            "has no incident to clear",
        ));
    };
    let incident = ctx.incident(incident_id)?;
    if !matches!(
        incident.status,
        IncidentStatus::OnScene | IncidentStatus::Transporting
    ) {
        return Err(Rejection::forbidden(
            "incident",
            incident_id,
            "was never on scene; go on scene before clearing, or ask the dispatcher to reassign",
        ));
    }
    let rules: Vec<_> = ctx
        .policy
        .follow_up
        .rules_for(disposition, encounter.consents_to_follow_up)
        .collect();
    if task_ids.len() < rules.len() {
        return Err(Rejection::invalid(
            "task_ids",
            format!("{} ids needed for the follow-up policy", rules.len()),
        ));
    }
    // The ids of the tasks it creates must be new, like an assignment's.
    for task_id in task_ids.iter().take(rules.len()) {
        check_id("task_ids", task_id.as_str())?;
        if ctx.state.tasks.contains_key(task_id) {
            return Err(Rejection::forbidden(
                "follow-up task",
                task_id,
                "id already in use",
            ));
        }
    }
    super::follow_up::check_person_ref("encounter.person_ref", &encounter.person_ref)?;
    let person = super::follow_up::PersonLink::of(ctx, &encounter.person_ref);
    let peer = person.peer.or_else(|| follow_up_assignee(ctx, team));
    let person_ref = encounter.person_ref.clone();
    let mut linked = person.earlier_tasks;
    let mut events = vec![
        Event::IncidentCleared {
            incident_id: incident_id.clone(),
            team_id: team_id.clone(),
            disposition,
            encounter,
        },
        Event::AssignmentEnded {
            assignment_id: assignment_id.clone(),
            team_id: team_id.clone(),
            incident_id: incident_id.clone(),
            status: AssignmentStatus::Completed,
        },
    ];
    for (rule, task_id) in rules.into_iter().zip(task_ids) {
        events.push(Event::FollowUpCreated {
            task: FollowUpTask {
                id: task_id.clone(),
                incident_id: incident_id.clone(),
                kind: rule.kind,
                due_at: ctx.now.plus_hours(i64::from(rule.due_after_hours)),
                assignee: peer.clone(),
                status: FollowUpStatus::Open,
                attempts: Vec::new(),
                referrals: Vec::new(),
                outcome: None,
                created_at: ctx.now,
                origin: rule.name.clone(),
                reminded_at: None,
                person_ref: person_ref.clone(),
                linked_task_ids: linked.clone(),
            },
        });
        // The tasks of one clearance are linked to each other too.
        if !person_key(&person_ref).is_empty() {
            linked.push(task_id);
            if linked.len() > MAX_LINKED_TASKS {
                linked.remove(0);
            }
        }
    }
    Ok(events)
}

/// The peer who gets the follow-up tasks of a clearance, by the policy's rule.
fn follow_up_assignee(ctx: &Ctx, team: &Team) -> Option<PeerId> {
    use crate::follow_up_policy::AssigneeRule;
    let team_peer = || {
        team.members
            .iter()
            .find(|m| m.role == MemberRole::Peer)
            .and_then(|m| m.peer_id.clone())
    };
    match ctx.policy.follow_up.assignee {
        AssigneeRule::TeamPeer => team_peer(),
        AssigneeRule::Unassigned => None,
        AssigneeRule::Balanced => {
            let on_shift = ctx
                .state
                .teams
                .values()
                .filter(|t| t.status != TeamStatus::OffShift)
                .flat_map(|t| t.members.iter())
                .filter(|m| m.role == MemberRole::Peer)
                .filter_map(|m| m.peer_id.clone());
            let load = |peer: &PeerId| {
                ctx.state
                    .tasks
                    .values()
                    .filter(|t| !t.status.is_finished() && t.assignee.as_ref() == Some(peer))
                    .count()
            };
            on_shift
                .min_by(|a, b| load(a).cmp(&load(b)).then_with(|| a.cmp(b)))
                .or_else(team_peer)
        }
    }
}
