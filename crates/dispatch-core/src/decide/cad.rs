//! Rules for what the CAD sends: new calls, updates, narrative, close and cancel.

use super::{Ctx, MAX_LINES_PER_EVENT, check_id, check_text};
use crate::event::Event;
use crate::ids::IncidentId;
use crate::model::*;
use crate::rejection::Rejection;
use crate::triage::triage_at;

pub(super) fn call_created(
    ctx: &Ctx,
    source: String,
    call_number: String,
    incident_id: IncidentId,
    details: CallDetails,
) -> Result<Vec<Event>, Rejection> {
    check_id("source", &source)?;
    check_id("call_number", &call_number)?;
    check_details(&details)?;
    if let Some(existing) = ctx.state.incident_by_call(&source, &call_number) {
        // A resend of a known call's creation is a duplicate whatever the call's state: a
        // closed call is over, so it changes nothing (and is not refused).
        if existing.status.is_closed() {
            return Ok(Vec::new());
        }
        // The CAD created the same call twice under two event ids: treat the second as an
        // update, so nothing the CAD said is lost and nothing is duplicated.
        let changes = CallChanges {
            nature_code: Some(details.nature_code),
            nature_text: Some(details.nature_text),
            cad_priority: Some(details.cad_priority),
            location: Some(details.location),
            caller: Some(details.caller),
            caller_language: Some(details.caller_language),
            flags: Some(details.flags),
        };
        let known: Vec<&str> = existing
            .details
            .narrative
            .iter()
            .map(|l| l.text.as_str())
            .collect();
        let fresh: Vec<NarrativeLine> = details
            .narrative
            .into_iter()
            .filter(|l| !known.contains(&l.text.as_str()))
            .collect();
        return update(ctx, existing, &changes, fresh);
    }
    check_id("incident_id", incident_id.as_str())?;
    if ctx.state.incidents.contains_key(&incident_id) {
        return Err(Rejection::forbidden(
            "incident",
            &incident_id,
            "id already in use",
        ));
    }
    let decision = triage_at(&ctx.policy.triage, &details, Some(ctx.now));
    let status = queue_status(decision.decision);
    let incident = Incident::received(incident_id.clone(), source, call_number, details, ctx.now);
    Ok(vec![
        Event::IncidentReceived { incident },
        Event::IncidentTriaged {
            incident_id,
            team_id: None,
            triage: decision,
            status: Some(status),
        },
    ])
}

pub(super) fn call_updated(
    ctx: &Ctx,
    source: &str,
    call_number: &str,
    changes: CallChanges,
) -> Result<Vec<Event>, Rejection> {
    let incident = open_call(ctx, source, call_number)?;
    for (field, value) in [
        ("nature_code", changes.nature_code.as_deref()),
        ("nature_text", changes.nature_text.as_deref()),
        ("caller_language", changes.caller_language.as_deref()),
    ] {
        check_text(field, value.unwrap_or_default())?;
    }
    if let Some(location) = &changes.location {
        check_location(location)?;
    }
    if let Some(caller) = &changes.caller {
        check_text("caller.name", &caller.name)?;
        check_text("caller.callback", &caller.callback)?;
    }
    update(ctx, incident, &changes, Vec::new())
}

pub(super) fn narrative_appended(
    ctx: &Ctx,
    source: &str,
    call_number: &str,
    lines: Vec<String>,
) -> Result<Vec<Event>, Rejection> {
    let incident = open_call(ctx, source, call_number)?;
    check_lines(&lines)?;
    let lines: Vec<NarrativeLine> = lines
        .into_iter()
        .map(|text| NarrativeLine { at: ctx.now, text })
        .collect();
    let mut details = incident.details.clone();
    details.narrative.extend(lines.iter().cloned());
    let mut events = vec![Event::NarrativeAdded {
        incident_id: incident.id.clone(),
        team_id: incident.team_id.clone(),
        lines,
    }];
    events.extend(retriage(ctx, incident, &details));
    Ok(events)
}

/// Close and cancel: the CAD is done with the call. A team working it is released.
pub(super) fn call_ended(
    ctx: &Ctx,
    source: &str,
    call_number: &str,
    reason: String,
) -> Result<Vec<Event>, Rejection> {
    check_id("source", source)?;
    check_id("call_number", call_number)?;
    check_text("reason", &reason)?;
    let incident = ctx
        .state
        .incident_by_call(source, call_number)
        .ok_or_else(|| Rejection::not_found("call", call_number))?;
    if incident.status.is_closed() {
        return Ok(Vec::new());
    }
    let mut events = Vec::new();
    if let (Some(assignment_id), Some(team_id)) = (&incident.assignment_id, &incident.team_id) {
        events.push(Event::AssignmentEnded {
            assignment_id: assignment_id.clone(),
            team_id: team_id.clone(),
            incident_id: incident.id.clone(),
            status: AssignmentStatus::Cancelled,
        });
    }
    events.push(Event::IncidentCancelled {
        incident_id: incident.id.clone(),
        team_id: incident.team_id.clone(),
        reason,
    });
    Ok(events)
}

fn open_call<'a>(ctx: &'a Ctx, source: &str, call_number: &str) -> Result<&'a Incident, Rejection> {
    check_id("source", source)?;
    check_id("call_number", call_number)?;
    let incident = ctx
        .state
        .incident_by_call(source, call_number)
        .ok_or_else(|| Rejection::not_found("call", call_number))?;
    if incident.status.is_closed() {
        return Err(Rejection::forbidden("incident", &incident.id, "is closed"));
    }
    Ok(incident)
}

/// Applies CAD changes and new narrative lines, then triages once with all of them.
fn update(
    ctx: &Ctx,
    incident: &Incident,
    changes: &CallChanges,
    added: Vec<NarrativeLine>,
) -> Result<Vec<Event>, Rejection> {
    if incident.status.is_closed() {
        return Err(Rejection::forbidden("incident", &incident.id, "is closed"));
    }
    let mut details = incident.details.clone();
    details.apply_changes(changes);
    let mut events = Vec::new();
    if details != incident.details {
        events.push(Event::IncidentUpdated {
            incident_id: incident.id.clone(),
            team_id: incident.team_id.clone(),
            details: details.clone(),
        });
    }
    if !added.is_empty() {
        details.narrative.extend(added.iter().cloned());
        events.push(Event::NarrativeAdded {
            incident_id: incident.id.clone(),
            team_id: incident.team_id.clone(),
            lines: added,
        });
    }
    if events.is_empty() {
        return Ok(events);
    }
    events.extend(retriage(ctx, incident, &details));
    Ok(events)
}

/// Triage again after a CAD change. A call that a team holds is never pulled back from the
/// team by re-triage; if it turned dangerous, the team and the dispatcher are alerted.
fn retriage(ctx: &Ctx, incident: &Incident, details: &CallDetails) -> Vec<Event> {
    let decision = triage_at(&ctx.policy.triage, details, Some(incident.received_at));
    if incident.triage.as_ref() == Some(&decision) {
        return Vec::new();
    }
    // Eligible < review < not eligible: the team is alerted when the call got worse.
    let concern = |d: Decision| match d {
        Decision::Eligible => 0,
        Decision::Review => 1,
        Decision::NotEligible => 2,
    };
    let before = incident.triage.as_ref().map_or(0, |t| concern(t.decision));
    let status = match incident.status {
        IncidentStatus::Received | IncidentStatus::Triaged | IncidentStatus::Queued => {
            Some(queue_status(decision.decision))
        }
        _ => None,
    };
    let mut events = Vec::new();
    if incident.status.has_team() && concern(decision.decision) > before {
        events.push(Event::SafetyAlert {
            incident_id: incident.id.clone(),
            team_id: incident.team_id.clone(),
            reasons: decision.reasons.clone(),
        });
    }
    events.insert(
        0,
        Event::IncidentTriaged {
            incident_id: incident.id.clone(),
            team_id: incident.team_id.clone(),
            triage: decision,
            status,
        },
    );
    events
}

fn queue_status(decision: Decision) -> IncidentStatus {
    match decision {
        Decision::Eligible | Decision::Review => IncidentStatus::Queued,
        Decision::NotEligible => IncidentStatus::Triaged,
    }
}

fn check_details(details: &CallDetails) -> Result<(), Rejection> {
    check_text("nature_code", &details.nature_code)?;
    check_text("nature_text", &details.nature_text)?;
    check_text("caller.name", &details.caller.name)?;
    check_text("caller.callback", &details.caller.callback)?;
    check_text("caller_language", &details.caller_language)?;
    check_location(&details.location)?;
    if details.narrative.len() > MAX_LINES_PER_EVENT {
        return Err(Rejection::invalid(
            "narrative",
            format!("more than {MAX_LINES_PER_EVENT} lines"),
        ));
    }
    for line in &details.narrative {
        check_text("narrative", &line.text)?;
    }
    Ok(())
}

fn check_lines(lines: &[String]) -> Result<(), Rejection> {
    if lines.is_empty() {
        return Err(Rejection::invalid("lines", "at least one line is required"));
    }
    if lines.len() > MAX_LINES_PER_EVENT {
        return Err(Rejection::invalid(
            "lines",
            format!("more than {MAX_LINES_PER_EVENT} lines"),
        ));
    }
    lines.iter().try_for_each(|l| check_text("lines", l))
}

pub(super) fn check_location(location: &Location) -> Result<(), Rejection> {
    check_text("location.address", &location.address)?;
    check_text("location.cross_streets", &location.cross_streets)?;
    check_text("location.beat", &location.beat)?;
    if let Some(point) = location.point {
        check_point("location", point)?;
    }
    Ok(())
}

pub(super) fn check_point(field: &'static str, point: GeoPoint) -> Result<(), Rejection> {
    match point.problem() {
        None => Ok(()),
        Some((coordinate, reason)) => {
            let f = match (field, coordinate) {
                ("position", "lat") => "position.lat",
                ("position", _) => "position.lon",
                (_, "lat") => "location.lat",
                _ => "location.lon",
            };
            Err(Rejection::invalid(f, reason))
        }
    }
}
