//! Core incidents → wire messages: the CAD call (location, caller, narrative, safety screen),
//! its triage, and how it ended (decline, clearance with its encounter). Infallible: an absent
//! optional id becomes the empty string, an absent optional part an absent message.

use super::enums::*;
use super::{opt_id, to_proto_time};
use crate::v1;
use dispatch_core as core;

impl From<&core::GeoPoint> for v1::GeoPoint {
    fn from(p: &core::GeoPoint) -> Self {
        v1::GeoPoint {
            lat: p.lat,
            lon: p.lon,
        }
    }
}

/// An earlier call at the same address, as the team's card shows it.
pub fn prior_call_to_proto(i: &core::Incident) -> v1::PriorCall {
    v1::PriorCall {
        incident_id: i.id.to_string(),
        call_number: i.call_number.clone(),
        received_at: Some(to_proto_time(i.received_at)),
        nature_text: i.details.nature_text.clone(),
        outcome: core::premise::outcome(i),
        dangers: core::premise::dangers(i)
            .into_iter()
            .map(|f| f.name().to_owned())
            .collect(),
        backup_requested: i.backup_requested,
    }
}

/// The service area's outer rings, as the maps draw them.
pub fn service_area_to_proto(area: &core::ServiceArea) -> Vec<v1::AreaRing> {
    area.outlines()
        .map(|ring| v1::AreaRing {
            points: ring.iter().map(Into::into).collect(),
        })
        .collect()
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

impl From<&core::Caller> for v1::Caller {
    fn from(c: &core::Caller) -> Self {
        v1::Caller {
            name: c.name.clone(),
            callback: c.callback.clone(),
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
            caller: Some((&d.caller).into()),
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
            person_ref: e.person_ref.clone(),
        }
    }
}

impl From<&core::DeclineInfo> for v1::DeclineInfo {
    fn from(d: &core::DeclineInfo) -> Self {
        v1::DeclineInfo {
            at: Some(to_proto_time(d.at)),
            route: route::to_wire(d.route),
            reason: d.reason.clone(),
        }
    }
}

impl From<&core::Clearance> for v1::Clearance {
    fn from(c: &core::Clearance) -> Self {
        v1::Clearance {
            at: Some(to_proto_time(c.at)),
            team_id: c.team_id.to_string(),
            disposition: disposition::to_wire(c.disposition),
            encounter: Some((&c.encounter).into()),
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
            declined: i.declined.as_ref().map(Into::into),
            clearance: i.clearance.as_ref().map(Into::into),
            cancel_reason: i.cancel_reason.clone().unwrap_or_default(),
            backup_requested: i.backup_requested,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{fields, samples};
    use super::*;
    use dispatch_core::Timestamp;

    fn t(ms: i64) -> Option<prost_types::Timestamp> {
        Some(to_proto_time(Timestamp(ms)))
    }

    #[test]
    fn the_input_parts_round_trip() {
        let location = samples::location();
        assert_eq!(fields::location((&location).into()), Ok(location.clone()));
        let nowhere = core::Location {
            point: None,
            ..location
        };
        let wire = v1::Location::from(&nowhere);
        assert_eq!((wire.lat, wire.lon), (None, None));
        assert_eq!(fields::location(wire), Ok(nowhere));

        let flags = samples::flags();
        assert_eq!(fields::flags(&(&flags).into()), Ok(flags));
        let caller = samples::details().caller;
        assert_eq!(fields::caller((&caller).into()), caller);
        let encounter = samples::encounter();
        assert_eq!(fields::encounter((&encounter).into()), Ok(encounter));
        let measures = samples::measures();
        assert_eq!(fields::measures((&measures).into()), measures);
    }

    #[test]
    fn call_details_carry_every_field() {
        let wire = v1::CallDetails::from(&samples::details());
        assert_eq!(wire.nature_code, "WELCK");
        assert_eq!(wire.nature_text, "welfare check");
        assert_eq!(wire.cad_priority, 3);
        assert_eq!(wire.location.unwrap().lat, Some(45.515));
        assert_eq!(
            wire.narrative,
            [v1::NarrativeLine {
                at: t(1_000),
                text: "RP STS MALE YELLING".into()
            }]
        );
        assert_eq!(wire.caller.unwrap().callback, "555-0100");
        assert_eq!(wire.caller_language, "es");
        assert_eq!(wire.flags.unwrap().violence, v1::Answer::Yes as i32);
    }

    #[test]
    fn a_full_incident_carries_every_part() {
        let wire = v1::Incident::from(&samples::incident());
        assert_eq!(
            (
                wire.id.as_str(),
                wire.source.as_str(),
                wire.call_number.as_str()
            ),
            ("inc-1", "boec", "C-1")
        );
        assert_eq!(wire.status, v1::IncidentStatus::Cleared as i32);
        assert_eq!((wire.received_at, wire.updated_at), (t(1_000), t(9_000)));
        assert_eq!(
            (wire.assignment_id.as_str(), wire.team_id.as_str()),
            ("asg-1", "PSR-3")
        );
        let triage = wire.triage.unwrap();
        assert_eq!(triage.decision, v1::Decision::Review as i32);
        assert_eq!(triage.route, v1::Route::Dispatcher as i32);
        assert_eq!(triage.priority, 2);
        assert_eq!(triage.reasons[0].evidence, "WELCK");
        assert_eq!(
            wire.declined,
            Some(v1::DeclineInfo {
                at: t(2_000),
                route: v1::Route::Police as i32,
                reason: "weapon".into()
            })
        );
        let clearance = wire.clearance.unwrap();
        assert_eq!(clearance.at, t(9_000));
        assert_eq!(clearance.team_id, "PSR-3");
        assert_eq!(
            clearance.disposition,
            v1::Disposition::ConnectedToServices as i32
        );
        assert_eq!(clearance.encounter.unwrap().services_provided.len(), 2);
        assert_eq!(wire.cancel_reason, "dup");
        assert!(wire.backup_requested);
    }

    #[test]
    fn absent_parts_of_an_incident_are_empty_on_the_wire() {
        let wire = v1::Incident::from(&samples::bare_incident());
        assert_eq!(wire.assignment_id, "");
        assert_eq!(wire.team_id, "");
        assert_eq!(wire.cancel_reason, "");
        assert_eq!(wire.triage, None);
        assert_eq!(wire.declined, None);
        assert_eq!(wire.clearance, None);
        assert_eq!(wire.status, v1::IncidentStatus::Received as i32);
    }
}
