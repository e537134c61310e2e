//! What one EIDO document says about its call, read once: nature, priority, location,
//! caller callback, notes, and whether the CAD ended the incident. The choices (which
//! location, which callback) are explained in `docs/cad.md`.

use super::parse::EidoError;
use super::pidf;
use super::time::parse_millis;
use super::types::{Call, CallDirection, CallPriority, Eido, Incident, Location, Notes};
use dispatch_proto::v1;

/// Longest narrative line the server accepts, in bytes.
const MAX_TEXT_BYTES: usize = 4096;

pub(super) fn time(path: &str, text: &str) -> Result<i64, EidoError> {
    parse_millis(text).ok_or_else(|| {
        EidoError::invalid(
            path,
            format!("\"{text}\" is not an RFC 3339 date-time with an offset"),
        )
    })
}

/// What a document says about its call, read once.
pub(super) struct View {
    pub(super) nature_code: Option<String>,
    pub(super) nature_text: Option<String>,
    pub(super) priority: Option<u32>,
    pub(super) location: Option<v1::Location>,
    pub(super) caller: Option<v1::Caller>,
    pub(super) notes: Vec<Note>,
    pub(super) end: Option<End>,
}

pub(super) struct Note {
    pub(super) id: String,
    pub(super) text: String,
}

pub(super) enum End {
    Closed(String),
    Cancelled(String),
}

impl View {
    pub(super) fn of(doc: &Eido) -> Result<View, EidoError> {
        let incident = doc.incident_component.first();
        // A call transfer has a call but no incident: the incoming call is the one to read.
        let call = doc
            .call_component
            .iter()
            .find(|c| c.direction == CallDirection::Incoming)
            .or(doc.call_component.first());
        for (i, c) in doc.call_component.iter().enumerate() {
            time(
                &format!("$.callComponent[{i}].callStartTimestamp"),
                &c.call_start_timestamp,
            )?;
        }
        let (nature_code, nature_text) = match incident {
            Some(i) => nature(i),
            None => (None, None),
        };
        Ok(View {
            nature_code,
            nature_text,
            priority: call.and_then(|c| c.priority_identifier).and_then(priority),
            location: location(doc, incident, call)?,
            caller: caller(doc, call)?,
            notes: notes(doc)?,
            end: incident.and_then(end),
        })
    }
}

fn nature(i: &Incident) -> (Option<String>, Option<String>) {
    let common = i.incident_type_common_registry_text.trim();
    let code = i
        .incident_type_internal_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .unwrap_or(common);
    let text = i
        .incident_type_internal_text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(common);
    (Some(code.to_string()), Some(text.to_string()))
}

/// The call's priority word as the CAD's 1 (most urgent) .. 5; an unknown word is none.
fn priority(p: CallPriority) -> Option<u32> {
    Some(match p {
        CallPriority::Highest => 1,
        CallPriority::High => 2,
        CallPriority::Normal => 3,
        CallPriority::Low => 4,
        CallPriority::Lowest => 5,
        CallPriority::Unknown => return None,
    })
}

/// The incident's location if it names one, else the call's; among several, an incident or
/// caller location with an address or a position comes first.
fn location(
    doc: &Eido,
    incident: Option<&Incident>,
    call: Option<&Call>,
) -> Result<Option<v1::Location>, EidoError> {
    let mut named: Vec<(String, &Location)> = Vec::new();
    let refs = incident
        .map(|i| ("$.incidentComponent", &i.location_reference))
        .into_iter()
        .chain(call.map(|c| ("$.callComponent", &c.location_reference)));
    for (owner, refs) in refs {
        for (k, r) in refs.iter().enumerate() {
            let path = format!("{owner}.locationReference[{k}].$ref");
            let found = doc
                .location_component
                .iter()
                .find(|l| l.id == r.id)
                .ok_or_else(|| {
                    EidoError::invalid(&path, format!("\"{}\" is not a locationComponent", r.id))
                })?;
            named.push((path, found));
        }
    }
    if named.is_empty() {
        named = doc
            .location_component
            .iter()
            .map(|l| (String::new(), l))
            .collect();
    }
    let rank = |l: &Location| {
        let kind = l
            .location_type_description_registry_text
            .to_ascii_lowercase();
        let has_value = l.location_by_value.is_some() as u8;
        let kind_rank = if kind.contains("incident") {
            2
        } else if kind.contains("caller") {
            1
        } else {
            0
        };
        (has_value, kind_rank)
    };
    let best = named
        .iter()
        .map(|(_, l)| *l)
        .enumerate()
        .max_by_key(|(i, l)| (rank(l), std::cmp::Reverse(*i)))
        .map(|(_, l)| l);
    let Some(best) = best else {
        return Ok(None);
    };
    let xml = best.location_by_value.as_deref().unwrap_or("");
    let address = pidf::civic_address(xml)
        .or_else(|| best.location_description_text.clone())
        .unwrap_or_default();
    let point = pidf::position(xml);
    let beat = incident
        .and_then(|i| i.beat_or_dispatch_group_text.clone())
        .unwrap_or_default();
    Ok(Some(v1::Location {
        address: clip(address),
        lat: point.map(|p| p.0),
        lon: point.map(|p| p.1),
        place_type: place_type(xml) as i32,
        cross_streets: clip(best.cross_street_by_value.join(" / ")),
        beat: clip(beat),
    }))
}

fn place_type(xml: &str) -> v1::PlaceType {
    match pidf::place(xml) {
        Some(pidf::Place::Residence) => v1::PlaceType::PrivateResidence,
        Some(pidf::Place::OutdoorPublic) => v1::PlaceType::OutdoorPublic,
        Some(pidf::Place::Business) => v1::PlaceType::Business,
        Some(pidf::Place::Vehicle) => v1::PlaceType::Vehicle,
        None => v1::PlaceType::Unknown,
    }
}

/// The caller's callback number: the caller person's callback, else the call's.
fn caller(doc: &Eido, call: Option<&Call>) -> Result<Option<v1::Caller>, EidoError> {
    let from_person = doc
        .person_component
        .iter()
        .find(|p| {
            p.person_incident_role_registry_text
                .iter()
                .any(|r| r.eq_ignore_ascii_case("caller"))
        })
        .and_then(|p| p.call_back_reference.as_ref());
    let Some(r) = from_person.or(call.and_then(|c| c.call_back_reference.as_ref())) else {
        return Ok(None);
    };
    let callback = doc
        .callback_component
        .iter()
        .find(|c| c.id == r.id)
        .ok_or_else(|| {
            EidoError::invalid(
                "callBackReference.$ref",
                format!("\"{}\" is not a callbackComponent", r.id),
            )
        })?;
    let uris = &callback.call_back_information_uri;
    let number = uris
        .iter()
        .find_map(|u| u.strip_prefix("tel:"))
        .or_else(|| uris.first().map(String::as_str))
        .unwrap_or("");
    Ok(Some(v1::Caller {
        name: String::new(),
        callback: clip(number.to_string()),
    }))
}

fn notes(doc: &Eido) -> Result<Vec<Note>, EidoError> {
    let mut notes: Vec<(i64, &Notes)> = Vec::new();
    for (i, n) in doc.notes_component.iter().enumerate() {
        let at = time(
            &format!("$.notesComponent[{i}].lastUpdateTimeStamp"),
            &n.last_update_time_stamp,
        )?;
        if n.notes_action_comments.len() > MAX_TEXT_BYTES {
            return Err(EidoError::invalid(
                format!("$.notesComponent[{i}].notesActionComments"),
                format!(
                    "is longer than the server's {MAX_TEXT_BYTES}-byte limit for a narrative line"
                ),
            ));
        }
        notes.push((at, n));
    }
    notes.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
    Ok(notes
        .into_iter()
        .filter(|(_, n)| !n.notes_action_comments.trim().is_empty())
        .map(|(_, n)| Note {
            id: n.id.clone(),
            text: n.notes_action_comments.trim().to_string(),
        })
        .collect())
}

/// The incident status words that end the call on the CAD's side.
fn end(i: &Incident) -> Option<End> {
    let statuses = i
        .incident_status_common_registry_text
        .iter()
        .chain(&i.incident_status_internal_text);
    for s in statuses {
        let lower = s.to_ascii_lowercase();
        if lower.contains("cancel") {
            return Some(End::Cancelled(clip(s.clone())));
        }
        if ["closed", "complete", "cleared"]
            .iter()
            .any(|w| lower.contains(w))
        {
            return Some(End::Closed(clip(s.clone())));
        }
    }
    None
}

/// Text longer than the server takes is cut at a character boundary.
fn clip(mut s: String) -> String {
    if s.len() > MAX_TEXT_BYTES {
        let mut cut = MAX_TEXT_BYTES;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    s
}
