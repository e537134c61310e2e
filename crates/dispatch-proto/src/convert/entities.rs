//! Core entities → wire messages (what the server sends).

use super::enums::*;
use super::to_proto_time;
use crate::v1;
use dispatch_core as core;
use dispatch_core::Timestamp;

fn opt_id<T: ToString>(id: &Option<T>) -> String {
    id.as_ref().map(ToString::to_string).unwrap_or_default()
}

impl From<&core::GeoPoint> for v1::GeoPoint {
    fn from(p: &core::GeoPoint) -> Self {
        v1::GeoPoint {
            lat: p.lat,
            lon: p.lon,
        }
    }
}

impl From<&core::SafetyFlags> for v1::SafetyFlags {
    fn from(f: &core::SafetyFlags) -> Self {
        v1::SafetyFlags {
            weapon: answer::to_wire(f.weapon),
            violence: answer::to_wire(f.violence),
            medical: answer::to_wire(f.medical),
            fire: answer::to_wire(f.fire),
            traffic: answer::to_wire(f.traffic),
            suicidal: answer::to_wire(f.suicidal),
        }
    }
}

impl From<&core::Location> for v1::Location {
    fn from(l: &core::Location) -> Self {
        v1::Location {
            address: l.address.clone(),
            lat: l.point.map(|p| p.lat),
            lon: l.point.map(|p| p.lon),
            place_type: place_type::to_wire(l.place_type),
            cross_streets: l.cross_streets.clone(),
            beat: l.beat.clone(),
        }
    }
}

impl From<&core::NarrativeLine> for v1::NarrativeLine {
    fn from(l: &core::NarrativeLine) -> Self {
        v1::NarrativeLine {
            at: Some(to_proto_time(l.at)),
            text: l.text.clone(),
        }
    }
}

impl From<&core::CallDetails> for v1::CallDetails {
    fn from(d: &core::CallDetails) -> Self {
        v1::CallDetails {
            nature_code: d.nature_code.clone(),
            nature_text: d.nature_text.clone(),
            cad_priority: d.cad_priority,
            location: Some((&d.location).into()),
            narrative: d.narrative.iter().map(Into::into).collect(),
            caller: Some(v1::Caller {
                name: d.caller.name.clone(),
                callback: d.caller.callback.clone(),
            }),
            caller_language: d.caller_language.clone(),
            flags: Some((&d.flags).into()),
        }
    }
}

impl From<&core::Reason> for v1::Reason {
    fn from(r: &core::Reason) -> Self {
        v1::Reason {
            rule: r.rule.clone(),
            evidence: r.evidence.clone(),
        }
    }
}

impl From<&core::TriageDecision> for v1::TriageDecision {
    fn from(t: &core::TriageDecision) -> Self {
        v1::TriageDecision {
            decision: decision::to_wire(t.decision),
            route: route::to_wire(t.route),
            priority: t.priority,
            reasons: t.reasons.iter().map(Into::into).collect(),
        }
    }
}

impl From<&core::Referral> for v1::Referral {
    fn from(r: &core::Referral) -> Self {
        v1::Referral {
            category: resource_category::to_wire(r.category),
            status: referral_status::to_wire(r.status),
            note: r.note.clone(),
        }
    }
}

impl From<&core::Encounter> for v1::Encounter {
    fn from(e: &core::Encounter) -> Self {
        v1::Encounter {
            notes: e.notes.clone(),
            services_provided: e.services_provided.clone(),
            referrals: e.referrals.iter().map(Into::into).collect(),
            consents_to_follow_up: e.consents_to_follow_up,
        }
    }
}

impl From<&core::Incident> for v1::Incident {
    fn from(i: &core::Incident) -> Self {
        v1::Incident {
            id: i.id.to_string(),
            source: i.source.clone(),
            call_number: i.call_number.clone(),
            details: Some((&i.details).into()),
            triage: i.triage.as_ref().map(Into::into),
            status: incident_status::to_wire(i.status),
            received_at: Some(to_proto_time(i.received_at)),
            updated_at: Some(to_proto_time(i.updated_at)),
            assignment_id: opt_id(&i.assignment_id),
            team_id: opt_id(&i.team_id),
            declined: i.declined.as_ref().map(|d| v1::DeclineInfo {
                at: Some(to_proto_time(d.at)),
                route: route::to_wire(d.route),
                reason: d.reason.clone(),
            }),
            clearance: i.clearance.as_ref().map(|c| v1::Clearance {
                at: Some(to_proto_time(c.at)),
                team_id: c.team_id.to_string(),
                disposition: disposition::to_wire(c.disposition),
                encounter: Some((&c.encounter).into()),
            }),
            cancel_reason: i.cancel_reason.clone().unwrap_or_default(),
            backup_requested: i.backup_requested,
        }
    }
}

impl From<&core::Team> for v1::Team {
    fn from(t: &core::Team) -> Self {
        v1::Team {
            id: t.id.to_string(),
            members: t
                .members
                .iter()
                .map(|m| v1::Member {
                    name: m.name.clone(),
                    role: member_role::to_wire(m.role),
                    peer_id: opt_id(&m.peer_id),
                })
                .collect(),
            languages: t.languages.clone(),
            position: t.position.as_ref().map(Into::into),
            status: team_status::to_wire(t.status),
            status_since: Some(to_proto_time(t.status_since)),
            incident_id: opt_id(&t.incident_id),
            assignment_id: opt_id(&t.assignment_id),
            check_in_due: t.check_in.map(|c| to_proto_time(c.due)),
            check_in_requested: t.check_in.is_some_and(|c| c.requested),
        }
    }
}

impl From<&core::Ack> for v1::Ack {
    fn from(a: &core::Ack) -> Self {
        match &a.by {
            core::AckedBy::Team => v1::Ack {
                at: Some(to_proto_time(a.at)),
                by_dispatcher: false,
                ..Default::default()
            },
            core::AckedBy::Dispatcher { channel, note } => v1::Ack {
                at: Some(to_proto_time(a.at)),
                by_dispatcher: true,
                channel: channel.clone(),
                note: note.clone(),
            },
        }
    }
}

impl From<&core::Assignment> for v1::Assignment {
    fn from(a: &core::Assignment) -> Self {
        v1::Assignment {
            id: a.id.to_string(),
            incident_id: a.incident_id.to_string(),
            team_id: a.team_id.to_string(),
            assigned_at: Some(to_proto_time(a.assigned_at)),
            ack_deadline: a.ack_deadline.map(to_proto_time),
            repushes: a.repushes,
            escalated: a.escalated,
            ack: a.ack.as_ref().map(Into::into),
            status: assignment_status::to_wire(a.status),
            automatic: a.automatic,
        }
    }
}

impl From<&core::Attempt> for v1::Attempt {
    fn from(a: &core::Attempt) -> Self {
        v1::Attempt {
            at: Some(to_proto_time(a.at)),
            by: a.by.to_string(),
            result: attempt_result::to_wire(a.result),
            note: a.note.clone(),
            referrals: a.referrals.iter().map(Into::into).collect(),
        }
    }
}

impl From<&core::OutcomeMeasures> for v1::OutcomeMeasures {
    fn from(m: &core::OutcomeMeasures) -> Self {
        v1::OutcomeMeasures {
            connected_to_services: m.connected_to_services,
            housing_status_improved: m.housing_status_improved,
            returned_to_crisis: m.returned_to_crisis,
            note: m.note.clone(),
        }
    }
}

/// A follow-up task as sent at `now` (the overdue flag depends on the time).
pub fn follow_up_task_to_proto(t: &core::FollowUpTask, now: Timestamp) -> v1::FollowUpTask {
    v1::FollowUpTask {
        id: t.id.to_string(),
        incident_id: t.incident_id.to_string(),
        kind: follow_up_kind::to_wire(t.kind),
        due_at: Some(to_proto_time(t.due_at)),
        assignee: opt_id(&t.assignee),
        status: follow_up_status::to_wire(t.status),
        attempts: t.attempts.iter().map(Into::into).collect(),
        referrals: t.referrals.iter().map(Into::into).collect(),
        outcome: t.outcome.as_ref().map(Into::into),
        created_at: Some(to_proto_time(t.created_at)),
        origin: t.origin.clone(),
        overdue: t.is_overdue(now),
    }
}

impl From<&core::recommend::Recommendation> for v1::TeamRecommendation {
    fn from(r: &core::recommend::Recommendation) -> Self {
        v1::TeamRecommendation {
            team_id: r.team_id.to_string(),
            distance_m: r.distance_m,
            eta_minutes: r.eta_minutes,
            language_match: r.language_match,
            fully_staffed: r.fully_staffed,
            score: r.score,
            reasons: r.reasons.clone(),
        }
    }
}
