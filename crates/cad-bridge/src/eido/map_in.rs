//! EIDO documents → the CAD events of `CadIngest` (the server's own idempotent intake).
//!
//! One incident is one CAD call, keyed by the EIDO's `$id` (the incident tracking identifier
//! that every EIDO about the incident carries). The first document the bridge sees for an
//! incident becomes `CallCreated`; later ones become `CallUpdated` (only what the document
//! carries), `NarrativeAppended` (notes not seen before) and `CallClosed` / `CallCancelled`
//! (from the incident status). Event ids are built from the EIDO `$id` and its
//! `lastUpdateTimeStamp`, so re-sending a document is a duplicate the server ignores, and a
//! document older than the last one applied is skipped.
//!
//! The bridge remembers what it applied only while it runs. After a restart the next document
//! of a known incident is sent as `CallCreated` again with a new event id; the server treats a
//! second create of the same call as an update and keeps narrative lines it already has once.

use super::parse::EidoError;
use super::pidf;
use super::time::{format_millis, parse_millis};
use super::types::{Call, CallDirection, CallPriority, Eido, Incident, Location, Notes};
use dispatch_proto::v1;
use dispatch_proto::v1::cad_event::Kind;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// Longest call number and event id the server accepts, in bytes.
const MAX_ID_BYTES: usize = 128;
/// Longest narrative line the server accepts, in bytes.
const MAX_TEXT_BYTES: usize = 4096;
/// Most narrative lines the server accepts in one event.
const MAX_LINES_PER_EVENT: usize = 100;

/// What one document turns into.
#[derive(Clone, Debug, PartialEq)]
pub struct Mapped {
    pub call_number: String,
    /// In order; empty when the document is older than (or the same as) one already applied.
    pub events: Vec<v1::CadEvent>,
    updated_at: i64,
    note_ids: Vec<String>,
    ended: bool,
}

#[derive(Clone, Debug, Default)]
struct KnownCall {
    updated_at: i64,
    notes: HashSet<String>,
    ended: bool,
}

/// Maps documents for one CAD source and remembers what was applied.
#[derive(Clone, Debug)]
pub struct Mapper {
    source: String,
    calls: HashMap<String, KnownCall>,
}

impl Mapper {
    pub fn new(source: impl Into<String>) -> Self {
        Self {
            source: source.into(),
            calls: HashMap::new(),
        }
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// The events of one document, given what was applied before. Changes nothing: call
    /// [`Mapper::applied`] once the server has accepted them.
    pub fn map(&self, doc: &Eido) -> Result<Mapped, EidoError> {
        let call_number = doc.id.trim().to_string();
        if call_number.is_empty() {
            return Err(EidoError::invalid("$.$id", "must not be empty"));
        }
        if call_number.len() > MAX_ID_BYTES {
            return Err(EidoError::invalid(
                "$.$id",
                format!(
                    "is longer than {MAX_ID_BYTES} bytes, the longest call number the server keys calls by"
                ),
            ));
        }
        let updated_at = time("$.lastUpdateTimeStamp", &doc.last_update_time_stamp)?;
        let view = View::of(doc)?;
        let known = self.calls.get(&call_number);
        let note_ids: Vec<String> = view.notes.iter().map(|n| n.id.clone()).collect();
        let mut ended = false;
        if known.is_some_and(|k| updated_at <= k.updated_at) {
            return Ok(Mapped {
                call_number,
                events: Vec::new(),
                updated_at,
                note_ids,
                ended,
            });
        }
        let stamp = &doc.last_update_time_stamp;
        let ids = EventIds {
            call: &call_number,
            stamp,
        };
        let event = |event_id: String, kind: Kind| v1::CadEvent {
            source: self.source.clone(),
            event_id,
            call_number: call_number.clone(),
            occurred_at: Some(proto_time(updated_at)),
            kind: Some(kind),
        };
        let mut events = Vec::new();
        match known {
            None => {
                let mut lines: Vec<String> = view.notes.iter().map(|n| n.text.clone()).collect();
                let rest = lines.split_off(lines.len().min(MAX_LINES_PER_EVENT));
                events.push(event(
                    ids.make("created"),
                    Kind::Created(v1::CallCreated {
                        nature_code: view.nature_code.clone().unwrap_or_default(),
                        nature_text: view.nature_text.clone().unwrap_or_default(),
                        cad_priority: view.priority.unwrap_or(0),
                        location: view.location.clone(),
                        narrative: lines,
                        caller: view.caller.clone(),
                        caller_language: String::new(),
                        flags: None,
                    }),
                ));
                for (i, chunk) in rest.chunks(MAX_LINES_PER_EVENT).enumerate() {
                    events.push(event(
                        ids.make(&format!("notes-{}", i + 1)),
                        Kind::Narrative(v1::NarrativeAppended {
                            lines: chunk.to_vec(),
                        }),
                    ));
                }
            }
            Some(known) => {
                let update = v1::CallUpdated {
                    nature_code: view.nature_code.clone(),
                    nature_text: view.nature_text.clone(),
                    cad_priority: view.priority,
                    location: view.location.clone(),
                    caller: view.caller.clone(),
                    caller_language: None,
                    flags: None,
                };
                if update != v1::CallUpdated::default() {
                    events.push(event(ids.make("updated"), Kind::Updated(update)));
                }
                let fresh: Vec<String> = view
                    .notes
                    .iter()
                    .filter(|n| !known.notes.contains(&n.id))
                    .map(|n| n.text.clone())
                    .collect();
                for (i, chunk) in fresh.chunks(MAX_LINES_PER_EVENT).enumerate() {
                    let part = if i == 0 {
                        "notes".to_string()
                    } else {
                        format!("notes-{i}")
                    };
                    events.push(event(
                        ids.make(&part),
                        Kind::Narrative(v1::NarrativeAppended {
                            lines: chunk.to_vec(),
                        }),
                    ));
                }
            }
        }
        if let Some(end) = &view.end
            && !known.is_some_and(|k| k.ended)
        {
            // One close per incident, whatever document carries it.
            let (part, kind) = match end {
                End::Closed(reason) => (
                    "closed",
                    Kind::Closed(v1::CallClosed {
                        reason: reason.clone(),
                    }),
                ),
                End::Cancelled(reason) => (
                    "cancelled",
                    Kind::Cancelled(v1::CallCancelled {
                        reason: reason.clone(),
                    }),
                ),
            };
            events.push(event(ids.once(part), kind));
            ended = true;
        }
        Ok(Mapped {
            call_number,
            events,
            updated_at,
            note_ids,
            ended,
        })
    }

    /// Records that the server accepted every event of `mapped`.
    pub fn applied(&mut self, mapped: &Mapped) {
        let known = self.calls.entry(mapped.call_number.clone()).or_default();
        known.updated_at = known.updated_at.max(mapped.updated_at);
        known.notes.extend(mapped.note_ids.iter().cloned());
        known.ended |= mapped.ended;
    }
}

struct EventIds<'a> {
    call: &'a str,
    stamp: &'a str,
}

impl EventIds<'_> {
    /// `<call>#<part>@<lastUpdateTimeStamp>`.
    fn make(&self, part: &str) -> String {
        fit(format!("{}#{part}@{}", self.call, self.stamp))
    }
    /// `<call>#<part>`: an event that happens once per incident.
    fn once(&self, part: &str) -> String {
        fit(format!("{}#{part}", self.call))
    }
}

/// Ids longer than the server takes become a digest of themselves: still stable.
fn fit(id: String) -> String {
    if id.len() <= MAX_ID_BYTES {
        return id;
    }
    let digest = Sha256::digest(id.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("eido-sha256:{hex}")
}

fn time(path: &str, text: &str) -> Result<i64, EidoError> {
    parse_millis(text).ok_or_else(|| {
        EidoError::invalid(
            path,
            format!("\"{text}\" is not an RFC 3339 date-time with an offset"),
        )
    })
}

fn proto_time(millis: i64) -> prost_types::Timestamp {
    prost_types::Timestamp {
        seconds: millis.div_euclid(1000),
        nanos: (millis.rem_euclid(1000) * 1_000_000) as i32,
    }
}

/// What a document says about its call, read once.
struct View {
    nature_code: Option<String>,
    nature_text: Option<String>,
    priority: Option<u32>,
    location: Option<v1::Location>,
    caller: Option<v1::Caller>,
    notes: Vec<Note>,
    end: Option<End>,
}

struct Note {
    id: String,
    text: String,
}

enum End {
    Closed(String),
    Cancelled(String),
}

impl View {
    fn of(doc: &Eido) -> Result<View, EidoError> {
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
            priority: call.and_then(|c| c.priority_identifier).map(priority),
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

/// The call's priority word as the CAD's 1 (most urgent) .. 5.
fn priority(p: CallPriority) -> u32 {
    match p {
        CallPriority::Highest => 1,
        CallPriority::High => 2,
        CallPriority::Normal => 3,
        CallPriority::Low => 4,
        CallPriority::Lowest => 5,
    }
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
        place_type: v1::PlaceType::Unknown as i32,
        cross_streets: clip(best.cross_street_by_value.join(" / ")),
        beat: clip(beat),
    }))
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

/// For logs: the document's time as the bridge understood it.
pub fn describe(mapped: &Mapped) -> String {
    format!(
        "{} updated {} ({} events)",
        mapped.call_number,
        format_millis(mapped.updated_at),
        mapped.events.len()
    )
}

#[cfg(test)]
mod tests;
