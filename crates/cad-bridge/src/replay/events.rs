//! Calls → the CAD events a CAD would have sent: `CallCreated` at the received time and, when
//! the data has a close time, `CallClosed` at it. Event ids come from the source's call
//! number, so replaying the same file again is acknowledged as duplicates and changes nothing.

use super::read::ReplayCall;
use dispatch_core::Timestamp;
use dispatch_proto::convert::to_proto_time;
use dispatch_proto::v1;

/// One event at its time in the data.
#[derive(Clone, Debug, PartialEq)]
pub struct Timed {
    pub at: Timestamp,
    /// The call's line in the file.
    pub line: u64,
    pub event: v1::CadEvent,
}

impl Timed {
    pub fn is_created(&self) -> bool {
        matches!(self.event.kind, Some(v1::cad_event::Kind::Created(_)))
    }
}

/// The idempotency key of a replayed event: the call number and what happened to it.
pub fn event_id(call_number: &str, what: &str) -> String {
    format!("replay-{call_number}-{what}")
}

/// The events of every call, in time order (a call's creation before its close even when the
/// data closes it at the same second, or, wrongly, earlier).
pub fn timeline(source: &str, calls: &[ReplayCall]) -> Vec<Timed> {
    let mut out: Vec<(u8, Timed)> = Vec::with_capacity(calls.len());
    for c in calls {
        let call = &c.call;
        let location = v1::Location {
            address: call.address.clone(),
            lat: call.position.map(|p| p.0),
            lon: call.position.map(|p| p.1),
            place_type: v1::PlaceType::Unknown as i32,
            cross_streets: call.cross_streets.clone(),
            beat: call.beat.clone(),
        };
        let created = v1::CallCreated {
            nature_code: c.nature.code.clone(),
            nature_text: c.nature.text.clone(),
            cad_priority: call.priority,
            location: Some(location),
            narrative: if call.narrative.is_empty() {
                Vec::new()
            } else {
                vec![call.narrative.clone()]
            },
            caller: None,
            caller_language: String::new(),
            flags: None,
        };
        out.push((
            0,
            Timed {
                at: call.received_at,
                line: c.line,
                event: v1::CadEvent {
                    source: source.to_owned(),
                    event_id: event_id(&call.call_number, "created"),
                    call_number: call.call_number.clone(),
                    occurred_at: Some(to_proto_time(call.received_at)),
                    kind: Some(v1::cad_event::Kind::Created(created)),
                },
            },
        ));
        if let Some(closed) = call.closed_at {
            let at = closed.max(call.received_at);
            out.push((
                1,
                Timed {
                    at,
                    line: c.line,
                    event: v1::CadEvent {
                        source: source.to_owned(),
                        event_id: event_id(&call.call_number, "closed"),
                        call_number: call.call_number.clone(),
                        occurred_at: Some(to_proto_time(at)),
                        kind: Some(v1::cad_event::Kind::Closed(v1::CallClosed {
                            reason: "closed in the source data".into(),
                        })),
                    },
                },
            ));
        }
    }
    out.sort_by_key(|(order, t)| (t.at, *order, t.line));
    out.into_iter().map(|(_, t)| t).collect()
}
