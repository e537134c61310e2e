//! Synthetic data (no real person's) for the console's tests and screen snapshots: a fixed
//! clock, Portland teams, calls and follow-up tasks, and the server messages that carry them.

use crate::app::{Msg, NetMsg};
use crate::clock::timestamp;
use dispatch_proto::v1;

/// 2025-12-03 14:00 Pacific (22:00 UTC): the tests' "now".
pub const NOW: i64 = 1_764_799_200_000;
pub const MIN: i64 = 60_000;

pub fn ts(ms: i64) -> Option<prost_types::Timestamp> {
    Some(timestamp(ms))
}

pub fn team(id: &str, status: v1::TeamStatus, lat: f64, lon: f64) -> v1::Team {
    v1::Team {
        id: id.into(),
        languages: vec!["en".into()],
        position: Some(v1::GeoPoint { lat, lon }),
        status: status as i32,
        status_since: ts(NOW - 12 * MIN),
        ..Default::default()
    }
}

pub fn teams() -> Vec<v1::Team> {
    vec![
        team("PSR-1", v1::TeamStatus::Available, 45.5190, -122.6790),
        team("PSR-2", v1::TeamStatus::Available, 45.5120, -122.6250),
        team("PSR-3", v1::TeamStatus::OnScene, 45.5600, -122.6800),
    ]
}

fn no() -> i32 {
    v1::Answer::No as i32
}

/// An eligible crisis call downtown.
pub fn call(id: &str, number: &str, priority: u32, age_min: i64) -> v1::Incident {
    v1::Incident {
        id: id.into(),
        source: "cad".into(),
        call_number: number.into(),
        details: Some(v1::CallDetails {
            nature_code: "CRISIS".into(),
            nature_text: "PERSON IN BEHAVIORAL/EMOTIONAL CRISIS".into(),
            cad_priority: 2,
            location: Some(v1::Location {
                address: "700 BLOCK SW 5TH AVE".into(),
                lat: Some(45.5150),
                lon: Some(-122.6740),
                place_type: v1::PlaceType::OutdoorPublic as i32,
                cross_streets: "SW MORRISON ST / SW YAMHILL ST".into(),
                beat: "C3".into(),
            }),
            narrative: vec![v1::NarrativeLine {
                at: ts(NOW - age_min * MIN),
                text: "RP STS SUBJ YELLING AT TRAFFIC SIGNS, NO WPNS SEEN".into(),
            }],
            caller: Some(v1::Caller {
                name: "TEST CALLER".into(),
                callback: "503-555-0100".into(),
            }),
            caller_language: "en".into(),
            flags: Some(v1::SafetyFlags {
                weapon: no(),
                violence: no(),
                medical: no(),
                fire: v1::Answer::Unknown as i32,
                traffic: no(),
                suicidal: no(),
            }),
        }),
        triage: Some(v1::TriageDecision {
            decision: v1::Decision::Eligible as i32,
            route: v1::Route::CrisisTeam as i32,
            priority,
            reasons: vec![v1::Reason {
                rule: "nature:crisis".into(),
                evidence: "CRISIS".into(),
            }],
        }),
        status: v1::IncidentStatus::Queued as i32,
        received_at: ts(NOW - age_min * MIN),
        updated_at: ts(NOW - age_min * MIN),
        ..Default::default()
    }
}

/// A call triage kept off the crisis queue: a weapon in the narrative.
pub fn police_call(id: &str, number: &str, age_min: i64) -> v1::Incident {
    let mut i = call(id, number, 1, age_min);
    i.status = v1::IncidentStatus::Triaged as i32;
    if let Some(d) = i.details.as_mut() {
        d.nature_text = "DISTURBANCE".into();
        d.nature_code = "DIST".into();
        d.narrative[0].text = "SUBJ WAVING A KNIFE AT PASSERSBY".into();
        if let Some(l) = d.location.as_mut() {
            l.lat = Some(45.5230);
            l.lon = Some(-122.6700);
        }
    }
    i.triage = Some(v1::TriageDecision {
        decision: v1::Decision::NotEligible as i32,
        route: v1::Route::Police as i32,
        priority: 1,
        reasons: vec![v1::Reason {
            rule: "narrative:weapon".into(),
            evidence: "KNIFE".into(),
        }],
    });
    i
}

pub fn assignment(id: &str, incident: &str, team: &str, deadline_in_ms: i64) -> v1::Assignment {
    v1::Assignment {
        id: id.into(),
        incident_id: incident.into(),
        team_id: team.into(),
        assigned_at: ts(NOW - 18_000),
        ack_deadline: ts(NOW + deadline_in_ms),
        status: v1::AssignmentStatus::AwaitingAck as i32,
        ..Default::default()
    }
}

pub fn event(seq: u64, kind: v1::event::Kind) -> v1::Event {
    v1::Event {
        seq,
        at: ts(NOW),
        kind: Some(kind),
    }
}

/// An earlier call at the fixture call's address: a weapon was found and backup called.
pub fn prior_calls() -> Vec<v1::PriorCall> {
    vec![v1::PriorCall {
        incident_id: "inc-old".into(),
        call_number: "C-0907".into(),
        received_at: Some(prost_types::Timestamp {
            seconds: 1_764_000_000,
            nanos: 0,
        }),
        nature_text: "WELFARE CHECK".into(),
        outcome: "17 handed to police".into(),
        dangers: vec!["weapon".into()],
        backup_requested: true,
    }]
}

/// A small downtown service area around the fixtures' teams and calls.
pub fn service_area() -> Vec<v1::AreaRing> {
    let points = [
        (45.500, -122.700),
        (45.500, -122.640),
        (45.535, -122.640),
        (45.535, -122.700),
    ]
    .into_iter()
    .map(|(lat, lon)| v1::GeoPoint { lat, lon })
    .collect();
    vec![v1::AreaRing { points }]
}

pub fn board_snapshot(
    seq: u64,
    incidents: Vec<v1::Incident>,
    assignments: Vec<v1::Assignment>,
) -> Msg {
    Msg::Net(NetMsg::Board(v1::BoardEvent {
        kind: Some(v1::board_event::Kind::Snapshot(v1::BoardSnapshot {
            seq,
            incidents,
            teams: teams(),
            assignments,
            service_area: service_area(),
        })),
    }))
}

pub fn board_event(seq: u64, kind: v1::event::Kind) -> Msg {
    Msg::Net(NetMsg::Board(v1::BoardEvent {
        kind: Some(v1::board_event::Kind::Event(event(seq, kind))),
    }))
}

/// PSR-1's snapshot: holding `incident` under `assignment`, or nothing.
pub fn team_snapshot(
    seq: u64,
    status: v1::TeamStatus,
    incident: Option<v1::Incident>,
    assignment: Option<v1::Assignment>,
) -> Msg {
    let mut t = team("PSR-1", status, 45.5120, -122.6650);
    t.incident_id = incident.as_ref().map_or(String::new(), |i| i.id.clone());
    Msg::Net(NetMsg::Team(v1::ResponderEvent {
        kind: Some(v1::responder_event::Kind::Snapshot(v1::ResponderSnapshot {
            seq,
            team: Some(t),
            premise_history: if incident.is_some() {
                prior_calls()
            } else {
                Vec::new()
            },
            incident,
            assignment,
            service_area: service_area(),
        })),
    }))
}

pub fn team_event(seq: u64, kind: v1::event::Kind) -> Msg {
    Msg::Net(NetMsg::Team(v1::ResponderEvent {
        kind: Some(v1::responder_event::Kind::Event(event(seq, kind))),
    }))
}

pub fn task(id: &str, kind: v1::FollowUpKind, due_in_ms: i64, assignee: &str) -> v1::FollowUpTask {
    v1::FollowUpTask {
        id: id.into(),
        incident_id: "inc-7".into(),
        kind: kind as i32,
        due_at: ts(NOW + due_in_ms),
        assignee: assignee.into(),
        status: v1::FollowUpStatus::Open as i32,
        created_at: ts(NOW - 26 * 60 * MIN),
        origin: "connected_to_services".into(),
        ..Default::default()
    }
}

pub fn tasks() -> Vec<v1::FollowUpTask> {
    let mut late = task(
        "fu-late",
        v1::FollowUpKind::WelfareRecheck,
        -3 * 60 * MIN,
        "peer-1",
    );
    late.attempts.push(v1::Attempt {
        at: ts(NOW - 4 * 60 * MIN),
        by: "peer-1".into(),
        result: v1::AttemptResult::NoContact as i32,
        note: "no answer at the shelter desk".into(),
        referrals: vec![],
    });
    vec![
        late,
        task(
            "fu-today",
            v1::FollowUpKind::PhoneCheckIn,
            3 * 60 * MIN,
            "peer-1",
        ),
        task(
            "fu-week",
            v1::FollowUpKind::InPersonVisit,
            3 * 24 * 60 * MIN,
            "",
        ),
    ]
}

pub fn queue_snapshot(seq: u64, tasks: Vec<v1::FollowUpTask>) -> Msg {
    Msg::Net(NetMsg::Queue(v1::FollowUpEvent {
        kind: Some(v1::follow_up_event::Kind::Snapshot(v1::QueueSnapshot {
            seq,
            tasks,
        })),
    }))
}

pub fn recommendations(incident: &str, teams: &[(&str, f64)]) -> Msg {
    Msg::Net(NetMsg::Recommendations(v1::Recommendations {
        incident_id: incident.into(),
        teams: teams
            .iter()
            .enumerate()
            .map(|(n, (t, d))| v1::TeamRecommendation {
                team_id: (*t).into(),
                distance_m: Some(*d),
                eta_minutes: Some(d / 500.0 + 1.0),
                language_match: true,
                fully_staffed: true,
                score: n as f64,
                reasons: vec![],
            })
            .collect(),
    }))
}
