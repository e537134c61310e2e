//! Serde types for the EIDO components the bridge reads and writes (NENA-STA-021, the
//! `openapi.yaml` in `data/eido/`). Only the fields we use are modelled; every other field is
//! ignored on input, never rejected. Fields the schema requires are plain (not `Option`), so a
//! document without them fails to deserialize with the path of the missing field.

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// `{"$ref": "<$id of another component>"}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    #[serde(rename = "$ref")]
    pub id: String,
}

impl Reference {
    pub fn to(id: impl Into<String>) -> Self {
        Self { id: id.into() }
    }
}

/// A component: the prologue every EIDO data component carries, then its own fields.
macro_rules! component {
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$fmeta:meta])* pub $field:ident : $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            #[serde(rename = "$id")]
            pub id: String,
            pub last_update_time_stamp: String,
            #[serde(deserialize_with = "one_ref")]
            pub updated_by_agency_reference: Reference,
            #[serde(default, deserialize_with = "opt_ref", skip_serializing_if = "Option::is_none")]
            pub updated_by_agent_reference: Option<Reference>,
            $($(#[$fmeta])* pub $field: $ty,)*
        }
    };
}

component! {
    /// The whole document (`EmergencyIncidentDataObjectType`).
    pub struct Eido {
        pub eido_version: String,
        pub issuing_element_identification: String,
        /// The schema has one incident component; NENA's 2020 draft sample had an array. Both
        /// are read; it is written as one object.
        #[serde(
            default,
            deserialize_with = "one_or_many",
            serialize_with = "first_only",
            skip_serializing_if = "Vec::is_empty"
        )]
        pub incident_component: Vec<Incident>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub call_component: Vec<Call>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub callback_component: Vec<Callback>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub notes_component: Vec<Notes>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub emergency_resource_component: Vec<EmergencyResource>,
        pub agency_component: Vec<Agency>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub agent_component: Vec<Agent>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub location_component: Vec<Location>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub person_component: Vec<Person>,
        /// What the reader let pass but the sender should hear about (a dangling reference
        /// in a bookkeeping field, an unknown enumeration word), each "path: what"; never
        /// written out.
        #[serde(skip)]
        pub warnings: Vec<String>,
    }
}

component! {
    /// `IncidentInformationType`.
    pub struct Incident {
        pub incident_type_common_registry_text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub incident_type_internal_code: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub incident_type_internal_text: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub incident_status_internal_text: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub incident_status_common_registry_text: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub internal_incident_id: Option<String>,
        #[serde(default, deserialize_with = "one_or_many", skip_serializing_if = "Vec::is_empty")]
        pub location_reference: Vec<Reference>,
        #[serde(default, deserialize_with = "one_or_many", skip_serializing_if = "Vec::is_empty")]
        pub person_reference: Vec<Reference>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub incident_priority_internal_text: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub incident_common_priority_number: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub beat_or_dispatch_group_text: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub disposition_component: Vec<Disposition>,
        #[serde(default, deserialize_with = "one_or_many", skip_serializing_if = "Vec::is_empty")]
        pub notes_reference: Vec<Reference>,
    }
}

component! {
    /// `CallInformationType`: one call (a 911 call, a transfer) about the incident.
    pub struct Call {
        pub call_state_registry_text: String,
        pub standard_primary_call_type: String,
        pub direction: CallDirection,
        pub call_start_timestamp: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub local_call_type: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub priority_identifier: Option<CallPriority>,
        #[serde(default, deserialize_with = "opt_ref", skip_serializing_if = "Option::is_none")]
        pub call_back_reference: Option<Reference>,
        #[serde(default, deserialize_with = "one_or_many", skip_serializing_if = "Vec::is_empty")]
        pub location_reference: Vec<Reference>,
        #[serde(default, deserialize_with = "one_or_many", skip_serializing_if = "Vec::is_empty")]
        pub notes_reference: Vec<Reference>,
        #[serde(default, deserialize_with = "one_or_many", skip_serializing_if = "Vec::is_empty")]
        pub person_reference: Vec<Reference>,
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CallDirection {
    #[default]
    Incoming,
    Outgoing,
    Internal,
    /// A word the schema does not list: ignored with a warning (read as not incoming).
    #[serde(other, skip_serializing)]
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CallPriority {
    Highest,
    High,
    Normal,
    Low,
    Lowest,
    /// A word the schema does not list: ignored with a warning (no priority).
    #[serde(other, skip_serializing)]
    Unknown,
}

component! {
    /// `CallbackType`: how to call the caller back.
    pub struct Callback {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub call_back_information_uri: Vec<String>,
    }
}

component! {
    /// `NotesType`: one free-text note (narrative line) by an agent.
    pub struct Notes {
        pub notes_action_comments: String,
        #[serde(default, deserialize_with = "opt_ref", skip_serializing_if = "Option::is_none")]
        pub agent_reference: Option<Reference>,
    }
}

component! {
    /// `EmergencyResourceType`: a unit and its statuses.
    pub struct EmergencyResource {
        #[serde(deserialize_with = "one_or_many")]
        pub agent_reference: Vec<Reference>,
        pub emergency_resource_type_common_registry_text: String,
        pub primary_unit_status_registry_text: String,
        pub resource_attribute_registry_text: Vec<String>,
        pub secondary_unit_status_registry_text: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub emergency_resource_name: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub unit_status_internal: Vec<String>,
        #[serde(default, deserialize_with = "one_or_many", skip_serializing_if = "Vec::is_empty")]
        pub notes_reference: Vec<Reference>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub active_on_incident_id: Option<String>,
    }
}

component! {
    /// `DispositionType`: how the incident ended, as a common registry code.
    pub struct Disposition {
        pub disposition_common_registry_code: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub disposition_primary_indicator: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub disposition_category_text: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub disposition_description_text: Option<String>,
    }
}

component! {
    /// `AgencyType`.
    pub struct Agency {
        pub agency_role_description_registry_text: Vec<String>,
        pub agency_type: Vec<String>,
    }
}

component! {
    /// `AgentType`: a person or automaton acting for an agency.
    pub struct Agent {
        pub agent_role_registry_text: Vec<String>,
        #[serde(deserialize_with = "one_ref")]
        pub agency_reference: Reference,
    }
}

component! {
    /// `LocationInformationType`: a PIDF-LO document by value, or a URL to dereference.
    pub struct Location {
        pub location_type_description_registry_text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub location_by_value: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub location_by_reference_url: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub location_description_text: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub cross_street_by_value: Vec<String>,
    }
}

component! {
    /// `PersonInformationType`. The NIEM person details are not read: names stay at the CAD.
    pub struct Person {
        pub person_incident_role_registry_text: Vec<String>,
        #[serde(default, deserialize_with = "opt_ref", skip_serializing_if = "Option::is_none")]
        pub call_back_reference: Option<Reference>,
    }
}

/// Every reference field takes one reference or a list of them (NENA's `ReferenceType` does
/// not say `type: object`, and CADs write lists): a field that holds one keeps the first.
fn one_ref<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Reference, D::Error> {
    let all: Vec<Reference> = one_or_many(deserializer)?;
    all.into_iter()
        .next()
        .ok_or_else(|| de::Error::custom("an empty list where a reference is required"))
}

/// [`one_ref`] for a reference the document may leave out (an empty list is none).
fn opt_ref<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Reference>, D::Error> {
    let all: Vec<Reference> = one_or_many(deserializer)?;
    Ok(all.into_iter().next())
}

/// Reads one object or an array of objects.
fn one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct OneOrMany<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrMany<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a component object or an array of them")
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|one| vec![one])
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut all = Vec::new();
            while let Some(one) = seq.next_element()? {
                all.push(one);
            }
            Ok(all)
        }
    }
    deserializer.deserialize_any(OneOrMany(std::marker::PhantomData))
}

fn first_only<S: Serializer, T: Serialize>(all: &[T], s: S) -> Result<S::Ok, S::Error> {
    match all.first() {
        Some(one) => one.serialize(s),
        None => s.serialize_none(),
    }
}
