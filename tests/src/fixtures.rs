//! Synthetic calls (no real person's data): CAD events as a CAD would send them.

use dispatch_proto::v1;

pub const SOURCE: &str = "test-cad";

pub fn no() -> i32 {
    v1::Answer::No as i32
}

/// A behavioural-crisis call outdoors downtown, safety screen all "no": eligible.
pub fn crisis_call(call_number: &str, event_id: &str) -> v1::CadEvent {
    v1::CadEvent {
        source: SOURCE.into(),
        event_id: event_id.into(),
        call_number: call_number.into(),
        occurred_at: None,
        kind: Some(v1::cad_event::Kind::Created(v1::CallCreated {
            nature_code: "CRISIS".into(),
            nature_text: "PERSON IN BEHAVIORAL/EMOTIONAL CRISIS".into(),
            cad_priority: 2,
            location: Some(v1::Location {
                address: "700 BLOCK SW 5TH AVE".into(),
                lat: Some(45.5189),
                lon: Some(-122.6775),
                place_type: v1::PlaceType::OutdoorPublic as i32,
                cross_streets: "SW MORRISON ST / SW YAMHILL ST".into(),
                beat: "C3".into(),
            }),
            narrative: vec!["RP STS SUBJ YELLING AT TRAFFIC SIGNS, NO WPNS SEEN".into()],
            caller: Some(v1::Caller {
                name: "TEST CALLER".into(),
                callback: "503-555-0100".into(),
            }),
            caller_language: String::new(),
            flags: Some(v1::SafetyFlags {
                weapon: no(),
                violence: no(),
                medical: no(),
                fire: no(),
                traffic: no(),
                suicidal: no(),
            }),
        })),
    }
}

pub fn narrative(call_number: &str, event_id: &str, line: &str) -> v1::CadEvent {
    v1::CadEvent {
        source: SOURCE.into(),
        event_id: event_id.into(),
        call_number: call_number.into(),
        occurred_at: None,
        kind: Some(v1::cad_event::Kind::Narrative(v1::NarrativeAppended {
            lines: vec![line.into()],
        })),
    }
}

pub fn created_mut(event: &mut v1::CadEvent) -> &mut v1::CallCreated {
    match &mut event.kind {
        Some(v1::cad_event::Kind::Created(c)) => c,
        _ => panic!("not a CallCreated"),
    }
}

pub fn command_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
