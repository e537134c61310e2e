//! The server's updates about a CAD's call (`CadIngest.Outbound`) as EIDO documents for the
//! CAD: the crisis team as an emergency resource component with its primary and secondary
//! unit status, declines and dispositions as the incident's disposition component, backup
//! requests and decline reasons as notes. Every document is valid against NENA's schema.
//!
//! The document's `$id` is the call number, which for calls that came in as EIDO is the
//! incident's own EIDO `$id`, so the CAD files the update under its incident.

use super::time::format_millis;
use super::types::{
    Agency, Agent, Disposition, Eido, EmergencyResource, Incident, Notes, Reference,
};
use dispatch_proto::v1;
use dispatch_proto::v1::cad_update::Kind;
use std::collections::HashMap;

/// The EIDO resource type of a crisis team (NENA's registry names it).
pub const CRISIS_TEAM_RESOURCE_TYPE: &str = "CrisisInterventionUnit";

/// Who the documents come from, and how dispositions are coded.
#[derive(Clone, Debug)]
pub struct Publisher {
    /// Our agency's identifier, e.g. `crisis-response.portland.example.gov`.
    pub agency_id: String,
    /// The element that issues the documents (this bridge).
    pub issuing_element: String,
    /// Agency types (IANA `urn:emergency:service:responder` registry).
    pub agency_type: Vec<String>,
    /// Common disposition code per disposition; see [`default_disposition_codes`].
    pub disposition_codes: HashMap<v1::Disposition, String>,
}

impl Publisher {
    pub fn new(agency_id: impl Into<String>) -> Self {
        let agency_id = agency_id.into();
        Self {
            issuing_element: format!("cad-bridge.{agency_id}"),
            agency_id,
            agency_type: vec!["urn:emergency:service:responder".into()],
            disposition_codes: default_disposition_codes(),
        }
    }
}

/// The program's disposition codes (`dispatch_core::Disposition::code`: the code the team
/// chose on its console), with `15` APCO's common code for "referred to a partner agency"; an
/// agency maps the others to its CAD's codes (`--disposition-code NAME=CODE`).
pub fn default_disposition_codes() -> HashMap<v1::Disposition, String> {
    dispatch_core::Disposition::ALL
        .into_iter()
        .map(|d| (v1::Disposition::from(d), d.code().to_owned()))
        .collect()
}

/// Renders updates in stream order; remembers each team's last primary status, so that a
/// backup request carries the status the team is in.
#[derive(Clone, Debug)]
pub struct Renderer {
    us: Publisher,
    last_primary: HashMap<String, &'static str>,
    incident_types: HashMap<String, String>,
}

/// The registry word the schema requires for an incident type when we do not know the CAD's.
const UNKNOWN_INCIDENT_TYPE: &str = "Unknown";

impl Renderer {
    pub fn new(us: Publisher) -> Self {
        Self {
            us,
            last_primary: HashMap::new(),
            incident_types: HashMap::new(),
        }
    }

    /// The CAD's incident type of a call, as read from its own EIDO: disposition documents
    /// carry it back (the schema requires one) instead of a placeholder.
    pub fn know_incident_type(&mut self, call_number: &str, incident_type: &str) {
        self.incident_types
            .insert(call_number.to_string(), incident_type.to_string());
    }

    /// The EIDO of one update; `None` for an update of a kind this version does not know.
    pub fn render(&mut self, update: &v1::CadUpdate) -> Option<Eido> {
        let kind = update.kind.as_ref()?;
        let at = update
            .at
            .as_ref()
            .map(|t| t.seconds * 1000 + i64::from(t.nanos / 1_000_000))
            .unwrap_or(0);
        let mut doc = Doc::new(&self.us, update, format_millis(at));
        match kind {
            Kind::Assigned(a) => {
                self.unit(&mut doc, &a.team_id, "Dispatched", vec![], None);
            }
            Kind::Acknowledged(a) => {
                let internal = if a.by_dispatcher {
                    "acknowledged by the dispatcher on the team's behalf"
                } else {
                    "acknowledged by the team"
                };
                self.unit(
                    &mut doc,
                    &a.team_id,
                    "Dispatched",
                    vec!["AcknowledgedTransmission".into()],
                    Some(internal),
                );
            }
            Kind::Status(s) => {
                let (primary, secondary) = unit_status(s.status());
                self.unit(&mut doc, &s.team_id, primary, secondary, None);
            }
            Kind::Backup(b) => {
                let primary = self
                    .last_primary
                    .get(&b.team_id)
                    .copied()
                    .unwrap_or("OnScene");
                let mut text = if b.urgent {
                    "CRISIS TEAM REQUESTS POLICE BACKUP - URGENT".to_string()
                } else {
                    "CRISIS TEAM REQUESTS POLICE BACKUP".to_string()
                };
                if !b.note.trim().is_empty() {
                    text = format!("{text}: {}", b.note.trim());
                }
                let note = doc.note(text);
                let mut secondary = vec!["BackupRequested".to_string()];
                if b.urgent {
                    secondary.push("Emergency".into());
                }
                let unit = self.unit(&mut doc, &b.team_id, primary, secondary, None);
                doc.eido.emergency_resource_component[unit]
                    .notes_reference
                    .push(note);
            }
            Kind::Declined(d) => {
                let route = route_words(d.route());
                let mut text = format!("CRISIS RESPONSE DECLINED, ROUTE TO {route}");
                if !d.reason.trim().is_empty() {
                    text = format!("{text}: {}", d.reason.trim());
                }
                let note = doc.note(text);
                let disposition = doc.component(|prologue| Disposition {
                    disposition_common_registry_code: "15".into(),
                    disposition_primary_indicator: Some(true),
                    disposition_category_text: Some("Declined".into()),
                    disposition_description_text: Some(format!(
                        "Not for the crisis team: referred to {}",
                        route.to_lowercase()
                    )),
                    ..prologue.disposition()
                });
                self.incident(&mut doc, update, vec![disposition], vec![note]);
            }
            Kind::Disposition(d) => {
                let code = self
                    .us
                    .disposition_codes
                    .get(&d.disposition())
                    .cloned()
                    .unwrap_or_else(|| d.disposition().as_str_name().to_string());
                let disposition = doc.component(|prologue| Disposition {
                    disposition_common_registry_code: code,
                    disposition_primary_indicator: Some(true),
                    disposition_category_text: Some("CrisisResponse".into()),
                    disposition_description_text: Some(disposition_words(d.disposition()).into()),
                    ..prologue.disposition()
                });
                if !d.team_id.is_empty() {
                    self.unit(&mut doc, &d.team_id, "Cleared", vec![], None);
                }
                self.incident(&mut doc, update, vec![disposition], vec![]);
            }
        }
        Some(doc.eido)
    }

    /// Adds the team (agent + emergency resource); returns the resource's index.
    fn unit(
        &mut self,
        doc: &mut Doc,
        team: &str,
        primary: &'static str,
        secondary: Vec<String>,
        internal: Option<&str>,
    ) -> usize {
        self.last_primary.insert(team.to_string(), primary);
        let agent_id = format!("{team}@{}", self.us.agency_id);
        if !doc.eido.agent_component.iter().any(|a| a.id == agent_id) {
            let agent = Agent {
                agent_role_registry_text: vec!["Responder".into()],
                agency_reference: Reference::to(&self.us.agency_id),
                ..doc.prologue_with_id(&agent_id).agent()
            };
            doc.eido.agent_component.push(agent);
        }
        let incident_id = doc.eido.id.clone();
        let resource = doc.component(|prologue| EmergencyResource {
            agent_reference: vec![Reference::to(&agent_id)],
            emergency_resource_type_common_registry_text: CRISIS_TEAM_RESOURCE_TYPE.into(),
            primary_unit_status_registry_text: primary.into(),
            resource_attribute_registry_text: vec![],
            secondary_unit_status_registry_text: secondary,
            emergency_resource_name: Some(team.to_string()),
            unit_status_internal: internal.map(|s| vec![s.to_string()]).unwrap_or_default(),
            active_on_incident_id: Some(incident_id),
            ..prologue.resource()
        });
        doc.eido.emergency_resource_component.push(resource);
        doc.eido.emergency_resource_component.len() - 1
    }

    fn incident(
        &self,
        doc: &mut Doc,
        update: &v1::CadUpdate,
        dispositions: Vec<Disposition>,
        notes: Vec<Reference>,
    ) {
        let incident_type = self
            .incident_types
            .get(&update.call_number)
            .cloned()
            .unwrap_or_else(|| UNKNOWN_INCIDENT_TYPE.into());
        let incident = doc.component(|prologue| Incident {
            incident_type_common_registry_text: incident_type,
            disposition_component: dispositions,
            notes_reference: notes,
            ..prologue.incident()
        });
        doc.eido.incident_component = vec![incident];
    }
}

/// The registry's primary and secondary unit statuses of a team status.
fn unit_status(status: v1::TeamStatus) -> (&'static str, Vec<String>) {
    use v1::TeamStatus as S;
    match status {
        S::Dispatched => ("Dispatched", vec![]),
        S::Acknowledged => ("Dispatched", vec!["AcknowledgedTransmission".into()]),
        S::EnRoute => ("EnRoute", vec![]),
        S::OnScene => ("OnScene", vec![]),
        S::Transporting => ("Transporting", vec![]),
        // Back to available after this call: cleared from it.
        S::Available => ("Cleared", vec!["Available".into()]),
        S::OutOfService => ("OutOfService", vec![]),
        S::OffShift => ("OffDuty", vec![]),
        S::Unspecified => ("Unknown", vec![]),
    }
}

fn route_words(route: v1::Route) -> &'static str {
    match route {
        v1::Route::Police => "POLICE",
        v1::Route::Fire => "FIRE",
        v1::Route::Ems => "EMS",
        v1::Route::CrisisTeam => "CRISIS TEAM",
        v1::Route::Dispatcher => "DISPATCHER",
        v1::Route::Other | v1::Route::Unspecified => "OTHER AGENCY",
    }
}

fn disposition_words(d: v1::Disposition) -> &'static str {
    use v1::Disposition as D;
    match d {
        D::ResolvedOnScene => "Resolved on scene",
        D::ConnectedToServices => "Connected to services",
        D::DeclinedServices => "Person declined services",
        D::Transported => "Transported",
        D::ReferredToPartnerAgency => "Referred to partner agency",
        D::UnableToLocate => "Unable to locate",
        D::HandedToPolice => "Handed to police",
        D::Unspecified => "Cleared",
    }
}

/// A document being built: the prologue every component shares, and component ids.
struct Doc {
    eido: Eido,
    stamp: String,
    agency: String,
    seq: u64,
    next: usize,
}

struct Prologue {
    id: String,
    stamp: String,
    agency: String,
}

macro_rules! prologue_into {
    ($($method:ident -> $ty:ident),*) => {
        impl Prologue {
            $(fn $method(self) -> $ty {
                $ty {
                    id: self.id,
                    last_update_time_stamp: self.stamp,
                    updated_by_agency_reference: Reference::to(self.agency),
                    ..$ty::default()
                }
            })*
        }
    };
}

prologue_into!(
    disposition -> Disposition,
    resource -> EmergencyResource,
    incident -> Incident,
    agent -> Agent,
    notes -> Notes
);

impl Doc {
    fn new(us: &Publisher, update: &v1::CadUpdate, stamp: String) -> Self {
        let agency = Agency {
            id: us.agency_id.clone(),
            last_update_time_stamp: stamp.clone(),
            updated_by_agency_reference: Reference::to(&us.agency_id),
            updated_by_agent_reference: None,
            agency_role_description_registry_text: vec!["Responding".into()],
            agency_type: us.agency_type.clone(),
        };
        let eido = Eido {
            id: update.call_number.clone(),
            last_update_time_stamp: stamp.clone(),
            updated_by_agency_reference: Reference::to(&us.agency_id),
            eido_version: "1.0".into(),
            issuing_element_identification: us.issuing_element.clone(),
            agency_component: vec![agency],
            ..Eido::default()
        };
        Self {
            eido,
            stamp,
            agency: us.agency_id.clone(),
            seq: update.seq,
            next: 0,
        }
    }

    /// Component ids: the update's own, so the same update renders the same document.
    fn prologue_with_id(&self, id: &str) -> Prologue {
        Prologue {
            id: id.to_string(),
            stamp: self.stamp.clone(),
            agency: self.agency.clone(),
        }
    }

    fn component<T>(&mut self, build: impl FnOnce(Prologue) -> T) -> T {
        self.next += 1;
        let id = format!("{}:update-{}:{}", self.eido.id, self.seq, self.next);
        build(self.prologue_with_id(&id))
    }

    fn note(&mut self, text: String) -> Reference {
        let note = self.component(|p| Notes {
            notes_action_comments: text,
            ..p.notes()
        });
        let reference = Reference::to(&note.id);
        self.eido.notes_component.push(note);
        reference
    }
}

#[cfg(test)]
mod tests;
