//! Rules for the dispatcher's commands, and for the ack timer that escalates to them.

use super::{Ctx, check_id, check_text};
use crate::event::Event;
use crate::ids::{AssignmentId, IncidentId, TeamId};
use crate::model::*;
use crate::rejection::Rejection;

pub(super) fn assign(
    ctx: &Ctx,
    incident_id: &IncidentId,
    team_id: &TeamId,
    assignment_id: AssignmentId,
    automatic: bool,
) -> Result<Vec<Event>, Rejection> {
    check_id("assignment_id", assignment_id.as_str())?;
    let incident = ctx.incident(incident_id)?;
    let team = ctx.team(team_id)?;
    if ctx.state.assignments.contains_key(&assignment_id) {
        return Err(Rejection::forbidden(
            "assignment",
            &assignment_id,
            "id already in use",
        ));
    }
    match incident.status {
        IncidentStatus::Queued => {}
        s if s.has_team() => {
            // A held call that turned dangerous stays with its team (who was alerted), but
            // is not handed to another crisis team.
            if incident
                .triage
                .as_ref()
                .is_some_and(|t| t.decision == Decision::NotEligible)
            {
                return Err(Rejection::forbidden(
                    "incident",
                    incident_id,
                    "triage says not eligible for the crisis team; decline it to its route",
                ));
            }
            if incident.team_id.as_ref() == Some(team_id) {
                return Err(Rejection::forbidden(
                    "incident",
                    incident_id,
                    format!("is already assigned to {team_id}"),
                ));
            }
        }
        IncidentStatus::Triaged => {
            return Err(Rejection::forbidden(
                "incident",
                incident_id,
                "triage says not eligible for the crisis team; decline it to its route",
            ));
        }
        IncidentStatus::Received => {
            return Err(Rejection::forbidden(
                "incident",
                incident_id,
                "is not triaged yet",
            ));
        }
        _ => return Err(Rejection::forbidden("incident", incident_id, "is closed")),
    }
    if let Some(current) = &team.incident_id {
        return Err(Rejection::forbidden(
            "team",
            team_id,
            format!("already has incident {current}"),
        ));
    }
    if team.status != TeamStatus::Available {
        return Err(Rejection::forbidden(
            "team",
            team_id,
            format!("is {}", status_words(team.status)),
        ));
    }

    let mut events = Vec::new();
    let mut incident = incident.clone();
    if let (Some(old), Some(old_team)) = (&incident.assignment_id, &incident.team_id) {
        events.push(Event::AssignmentEnded {
            assignment_id: old.clone(),
            team_id: old_team.clone(),
            incident_id: incident_id.clone(),
            status: AssignmentStatus::Reassigned,
        });
    }
    incident.status = IncidentStatus::Assigned;
    incident.assignment_id = Some(assignment_id.clone());
    incident.team_id = Some(team_id.clone());
    let assignment = Assignment {
        id: assignment_id,
        incident_id: incident_id.clone(),
        team_id: team_id.clone(),
        assigned_at: ctx.now,
        ack_deadline: Some(
            ctx.now.plus_millis(
                ctx.policy
                    .ack_window_ms(incident.triage.as_ref().map(|t| t.priority)),
            ),
        ),
        repushes: 0,
        escalated: false,
        ack: None,
        status: AssignmentStatus::AwaitingAck,
        automatic,
    };
    events.push(Event::AssignmentMade {
        assignment,
        incident,
    });
    Ok(events)
}

pub(super) fn decline(
    ctx: &Ctx,
    incident_id: &IncidentId,
    route: Route,
    reason: String,
) -> Result<Vec<Event>, Rejection> {
    check_text("reason", &reason)?;
    if matches!(route, Route::CrisisTeam | Route::Dispatcher) {
        return Err(Rejection::invalid(
            "route",
            "must be police, fire, ems or other",
        ));
    }
    let incident = ctx.incident(incident_id)?;
    if incident.status.is_closed() {
        return Err(Rejection::forbidden("incident", incident_id, "is closed"));
    }
    let mut events = Vec::new();
    if let (Some(assignment_id), Some(team_id)) = (&incident.assignment_id, &incident.team_id) {
        events.push(Event::AssignmentEnded {
            assignment_id: assignment_id.clone(),
            team_id: team_id.clone(),
            incident_id: incident_id.clone(),
            status: AssignmentStatus::Cancelled,
        });
    }
    events.push(Event::IncidentDeclined {
        incident_id: incident_id.clone(),
        route,
        reason,
    });
    Ok(events)
}

pub(super) fn ack_on_behalf(
    ctx: &Ctx,
    assignment_id: &AssignmentId,
    channel: String,
    note: String,
) -> Result<Vec<Event>, Rejection> {
    check_text("channel", &channel)?;
    check_text("note", &note)?;
    let assignment = ctx.assignment(assignment_id)?;
    if assignment.status != AssignmentStatus::AwaitingAck {
        return Err(Rejection::forbidden(
            "assignment",
            assignment_id,
            format!(
                "is {}, not awaiting an ack",
                assignment_words(assignment.status)
            ),
        ));
    }
    let channel = if channel.trim().is_empty() {
        "radio".to_owned()
    } else {
        channel
    };
    Ok(vec![Event::AssignmentAcknowledged {
        assignment_id: assignment_id.clone(),
        team_id: assignment.team_id.clone(),
        incident_id: assignment.incident_id.clone(),
        ack: Ack {
            at: ctx.now,
            by: AckedBy::Dispatcher { channel, note },
        },
    }])
}

pub(super) fn set_team_status(
    ctx: &Ctx,
    team_id: &TeamId,
    status: TeamStatus,
) -> Result<Vec<Event>, Rejection> {
    let team = ctx.team(team_id)?;
    if team.status == status {
        return Ok(Vec::new());
    }
    match (&team.incident_id, status.is_on_incident()) {
        (Some(incident), false) => Err(Rejection::forbidden(
            "team",
            team_id,
            format!("has incident {incident}; clear or reassign it first"),
        )),
        (None, true) => Err(Rejection::forbidden(
            "team",
            team_id,
            "has no incident; assign one instead",
        )),
        (incident, _) => {
            let mut events = Vec::new();
            // A team the dispatcher moves on from dispatched (heard on the radio) has
            // acknowledged: the ack timer must not re-push or escalate.
            let awaiting = team
                .assignment_id
                .as_ref()
                .and_then(|id| ctx.state.assignments.get(id))
                .filter(|a| a.status == AssignmentStatus::AwaitingAck);
            if let (TeamStatus::Dispatched, Some(assignment)) = (team.status, awaiting) {
                events.push(Event::AssignmentAcknowledged {
                    assignment_id: assignment.id.clone(),
                    team_id: team_id.clone(),
                    incident_id: assignment.incident_id.clone(),
                    ack: Ack {
                        at: ctx.now,
                        by: AckedBy::Dispatcher {
                            channel: "radio".to_owned(),
                            note: format!(
                                "status set to {} by the dispatcher",
                                status_words(status)
                            ),
                        },
                    },
                });
            }
            events.push(Event::TeamStatusChanged {
                team_id: team_id.clone(),
                status,
                incident_id: incident.clone(),
            });
            // On scene, the team owes check-ins, as when it reports arriving itself.
            if let (TeamStatus::OnScene, Some(incident_id)) = (status, incident) {
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
    }
}

/// The ack timer fired. A timer that is stale (acked, reassigned, re-armed) does nothing.
pub(super) fn ack_deadline_passed(
    ctx: &Ctx,
    assignment_id: &AssignmentId,
) -> Result<Vec<Event>, Rejection> {
    let assignment = ctx.assignment(assignment_id)?;
    let due = matches!(assignment.ack_deadline, Some(deadline) if deadline <= ctx.now);
    if assignment.status != AssignmentStatus::AwaitingAck || !due {
        return Ok(Vec::new());
    }
    let (team_id, incident_id) = (assignment.team_id.clone(), assignment.incident_id.clone());
    let priority = ctx
        .state
        .incidents
        .get(&incident_id)
        .and_then(|i| i.triage.as_ref())
        .map(|t| t.priority);
    if assignment.repushes < ctx.policy.max_repushes {
        Ok(vec![Event::AssignmentRepushed {
            assignment_id: assignment_id.clone(),
            team_id,
            incident_id,
            repushes: assignment.repushes + 1,
            ack_deadline: ctx.now.plus_millis(ctx.policy.ack_window_ms(priority)),
        }])
    } else {
        // The dispatcher gets the best team available now, to reassign with one key.
        let suggested_team_id = ctx.state.incidents.get(&incident_id).and_then(|incident| {
            crate::recommend::recommend(
                &ctx.policy.recommend,
                incident,
                ctx.state.teams.values(),
                ctx.now,
            )
            .into_iter()
            .next()
            .map(|r| r.team_id)
        });
        Ok(vec![Event::AssignmentEscalated {
            assignment_id: assignment_id.clone(),
            team_id,
            incident_id,
            suggested_team_id,
        }])
    }
}

pub(super) fn status_words(status: TeamStatus) -> &'static str {
    match status {
        TeamStatus::Available => "available",
        TeamStatus::Dispatched => "dispatched",
        TeamStatus::Acknowledged => "acknowledged",
        TeamStatus::EnRoute => "en route",
        TeamStatus::OnScene => "on scene",
        TeamStatus::Transporting => "transporting",
        TeamStatus::OutOfService => "out of service",
        TeamStatus::OffShift => "off shift",
    }
}

pub(super) fn assignment_words(status: AssignmentStatus) -> &'static str {
    match status {
        AssignmentStatus::AwaitingAck => "awaiting ack",
        AssignmentStatus::Acknowledged => "already acknowledged",
        AssignmentStatus::Reassigned => "reassigned to another team",
        AssignmentStatus::Cancelled => "cancelled",
        AssignmentStatus::Completed => "completed",
    }
}
