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

use super::facts::{End, View, time};
use super::parse::EidoError;
use super::types::Eido;
use dispatch_proto::v1;
use dispatch_proto::v1::cad_event::Kind;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// Longest call number and event id the server accepts, in bytes.
const MAX_ID_BYTES: usize = 128;
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

fn proto_time(millis: i64) -> prost_types::Timestamp {
    prost_types::Timestamp {
        seconds: millis.div_euclid(1000),
        nanos: (millis.rem_euclid(1000) * 1_000_000) as i32,
    }
}

#[cfg(test)]
mod tests;
