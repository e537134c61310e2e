//! A CAD event from the wire → its idempotency key and the core command it carries.

use super::fields::{cad_priority, caller, flags, location, required};
use super::{FieldError, from_proto_time};
use crate::v1;
use crate::v1::cad_event::Kind;
use dispatch_core as core;
use dispatch_core::{Command, IncidentId, Timestamp};

/// The idempotency key of a CAD event: re-sending the same `(source, event_id)` changes nothing.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CadKey {
    pub source: String,
    pub event_id: String,
}

/// A CAD event as the core command it carries, with its key.
///
/// `source`, `event_id` and `call_number` are required, and so is the `kind` oneof.
/// `new_incident_id` names the incident if the event creates one (the core ignores it when the
/// call already exists). The lines of a created call are stamped with `occurred_at`, or
/// `Timestamp(0)` when the CAD gave no time; lines appended later are stamped by the core.
/// In an update, an absent message field (location, caller, flags) and an absent optional
/// scalar mean "unchanged".
pub fn cad_event_to_command(
    ev: v1::CadEvent,
    new_incident_id: IncidentId,
) -> Result<(CadKey, Command), FieldError> {
    let source = required("source", ev.source)?;
    let event_id = required("event_id", ev.event_id)?;
    let call_number = required("call_number", ev.call_number)?;
    let occurred_at = ev
        .occurred_at
        .as_ref()
        .map(|t| from_proto_time("occurred_at", t))
        .transpose()?;
    let kind = ev.kind.ok_or_else(|| {
        FieldError::new(
            "kind",
            "is required (one of created, updated, narrative, closed, cancelled)",
        )
    })?;
    let key = CadKey {
        source: source.clone(),
        event_id,
    };
    let command = match kind {
        Kind::Created(c) => Command::CallCreated {
            source,
            call_number,
            incident_id: new_incident_id,
            details: created(c, occurred_at.unwrap_or(Timestamp(0)))
                .map_err(|e| e.under("created"))?,
        },
        Kind::Updated(u) => Command::CallUpdated {
            source,
            call_number,
            changes: changes(u).map_err(|e| e.under("updated"))?,
        },
        Kind::Narrative(n) => Command::NarrativeAppended {
            source,
            call_number,
            lines: n.lines,
        },
        Kind::Closed(c) => Command::CallClosed {
            source,
            call_number,
            reason: c.reason,
        },
        Kind::Cancelled(c) => Command::CallCancelled {
            source,
            call_number,
            reason: c.reason,
        },
    };
    Ok((key, command))
}

fn created(c: v1::CallCreated, at: Timestamp) -> Result<core::CallDetails, FieldError> {
    Ok(core::CallDetails {
        nature_code: c.nature_code,
        nature_text: c.nature_text,
        cad_priority: cad_priority(c.cad_priority)?,
        location: c
            .location
            .map(location)
            .transpose()
            .map_err(|e| e.under("location"))?
            .unwrap_or_default(),
        narrative: c
            .narrative
            .into_iter()
            .map(|text| core::NarrativeLine { at, text })
            .collect(),
        caller: c.caller.map(caller).unwrap_or_default(),
        caller_language: c.caller_language,
        flags: c
            .flags
            .as_ref()
            .map(flags)
            .transpose()
            .map_err(|e| e.under("flags"))?
            .unwrap_or_default(),
    })
}

fn changes(u: v1::CallUpdated) -> Result<core::CallChanges, FieldError> {
    Ok(core::CallChanges {
        nature_code: u.nature_code,
        nature_text: u.nature_text,
        cad_priority: u.cad_priority.map(cad_priority).transpose()?,
        location: u
            .location
            .map(location)
            .transpose()
            .map_err(|e| e.under("location"))?,
        caller: u.caller.map(caller),
        caller_language: u.caller_language,
        flags: u
            .flags
            .as_ref()
            .map(flags)
            .transpose()
            .map_err(|e| e.under("flags"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{samples, to_proto_time};
    use super::*;

    fn event(kind: Kind) -> v1::CadEvent {
        v1::CadEvent {
            source: "boec".into(),
            event_id: "e1".into(),
            call_number: "C-1".into(),
            occurred_at: None,
            kind: Some(kind),
        }
    }

    fn created_event() -> v1::CadEvent {
        let d = samples::details();
        event(Kind::Created(v1::CallCreated {
            nature_code: d.nature_code.clone(),
            nature_text: d.nature_text.clone(),
            cad_priority: d.cad_priority,
            location: Some((&d.location).into()),
            narrative: vec!["RP STS MALE YELLING".into()],
            caller: Some((&d.caller).into()),
            caller_language: d.caller_language.clone(),
            flags: Some((&d.flags).into()),
        }))
    }

    fn convert(ev: v1::CadEvent) -> Result<Command, FieldError> {
        cad_event_to_command(ev, IncidentId::new("inc-new")).map(|(_, c)| c)
    }

    fn field(ev: v1::CadEvent) -> String {
        convert(ev).unwrap_err().field
    }

    fn with_created(f: impl FnOnce(&mut v1::CallCreated)) -> v1::CadEvent {
        let mut ev = created_event();
        let Some(Kind::Created(c)) = &mut ev.kind else {
            unreachable!()
        };
        f(c);
        ev
    }

    fn with_updated(f: impl FnOnce(&mut v1::CallUpdated)) -> v1::CadEvent {
        let mut u = v1::CallUpdated::default();
        f(&mut u);
        event(Kind::Updated(u))
    }

    #[test]
    fn a_created_call_carries_every_field_stamped_with_its_time() {
        let mut ev = created_event();
        ev.occurred_at = Some(to_proto_time(Timestamp(1_000)));
        let (key, cmd) = cad_event_to_command(ev, IncidentId::new("inc-new")).unwrap();
        assert_eq!(
            key,
            CadKey {
                source: "boec".into(),
                event_id: "e1".into()
            }
        );
        assert_eq!(
            cmd,
            Command::CallCreated {
                source: "boec".into(),
                call_number: "C-1".into(),
                incident_id: IncidentId::new("inc-new"),
                details: samples::details(),
            }
        );
    }

    #[test]
    fn a_created_call_without_time_or_parts_gets_defaults() {
        let ev = event(Kind::Created(v1::CallCreated {
            narrative: vec!["line".into()],
            ..Default::default()
        }));
        let Command::CallCreated { details, .. } = convert(ev).unwrap() else {
            panic!("not a created call")
        };
        assert_eq!(details.narrative[0].at, Timestamp(0));
        assert_eq!(details.location, core::Location::default());
        assert_eq!(details.caller, core::Caller::default());
        assert_eq!(details.flags, core::SafetyFlags::default());
    }

    #[test]
    fn an_update_changes_only_what_is_present() {
        assert_eq!(
            convert(event(Kind::Updated(v1::CallUpdated::default()))),
            Ok(Command::CallUpdated {
                source: "boec".into(),
                call_number: "C-1".into(),
                changes: core::CallChanges::default(),
            })
        );
        let d = samples::details();
        let ev = with_updated(|u| {
            u.nature_code = Some(String::new());
            u.nature_text = Some("x".into());
            u.cad_priority = Some(0);
            u.location = Some((&d.location).into());
            u.caller = Some((&d.caller).into());
            u.caller_language = Some("fr".into());
            u.flags = Some(v1::SafetyFlags::default());
        });
        let Command::CallUpdated { changes, .. } = convert(ev).unwrap() else {
            panic!("not an update")
        };
        assert_eq!(
            changes,
            core::CallChanges {
                nature_code: Some(String::new()),
                nature_text: Some("x".into()),
                cad_priority: Some(0),
                location: Some(d.location),
                caller: Some(d.caller),
                caller_language: Some("fr".into()),
                flags: Some(core::SafetyFlags::default()),
            }
        );
    }

    #[test]
    fn narrative_closed_and_cancelled_carry_their_text() {
        let ev = event(Kind::Narrative(v1::NarrativeAppended {
            lines: vec!["a".into(), "b".into()],
        }));
        assert_eq!(
            convert(ev),
            Ok(Command::NarrativeAppended {
                source: "boec".into(),
                call_number: "C-1".into(),
                lines: vec!["a".into(), "b".into()],
            })
        );
        let ev = event(Kind::Closed(v1::CallClosed {
            reason: "done".into(),
        }));
        assert_eq!(
            convert(ev),
            Ok(Command::CallClosed {
                source: "boec".into(),
                call_number: "C-1".into(),
                reason: "done".into(),
            })
        );
        let ev = event(Kind::Cancelled(v1::CallCancelled {
            reason: "dup".into(),
        }));
        assert_eq!(
            convert(ev),
            Ok(Command::CallCancelled {
                source: "boec".into(),
                call_number: "C-1".into(),
                reason: "dup".into(),
            })
        );
    }

    #[test]
    fn the_envelope_fields_are_required() {
        let mut ev = created_event();
        ev.source = " ".into();
        assert_eq!(convert(ev), Err(FieldError::required("source")));
        let mut ev = created_event();
        ev.event_id.clear();
        assert_eq!(convert(ev), Err(FieldError::required("event_id")));
        let mut ev = created_event();
        ev.call_number.clear();
        assert_eq!(convert(ev), Err(FieldError::required("call_number")));
        let mut ev = created_event();
        ev.kind = None;
        assert_eq!(field(ev), "kind");
        let mut ev = created_event();
        ev.occurred_at = Some(prost_types::Timestamp {
            seconds: 0,
            nanos: 1_000_000_000,
        });
        assert_eq!(field(ev), "occurred_at");
    }

    #[test]
    fn errors_inside_a_call_name_the_full_path() {
        assert_eq!(
            field(with_created(|c| c.location.as_mut().unwrap().lon = None)),
            "created.location.lon"
        );
        assert_eq!(
            field(with_created(|c| c.location.as_mut().unwrap().lat = None)),
            "created.location.lat"
        );
        assert_eq!(
            field(with_created(
                |c| c.location.as_mut().unwrap().place_type = -1
            )),
            "created.location.place_type"
        );
        assert_eq!(
            field(with_created(|c| c.cad_priority = 4_000_000_000)),
            "created.cad_priority"
        );
        assert_eq!(
            field(with_updated(|u| u.cad_priority = Some(10))),
            "updated.cad_priority"
        );
        assert_eq!(
            field(with_created(
                |c| c.location.as_mut().unwrap().lat = Some(123.0)
            )),
            "created.location.lat"
        );
        assert_eq!(
            field(with_created(|c| c.flags.as_mut().unwrap().weapon = 3)),
            "created.flags.weapon"
        );
        assert_eq!(
            field(with_updated(|u| {
                u.location = Some(v1::Location {
                    lat: Some(1.0),
                    ..Default::default()
                })
            })),
            "updated.location.lon"
        );
        assert_eq!(
            field(with_updated(|u| {
                u.flags = Some(v1::SafetyFlags {
                    suicidal: 5,
                    ..Default::default()
                })
            })),
            "updated.flags.suicidal"
        );
    }
}
