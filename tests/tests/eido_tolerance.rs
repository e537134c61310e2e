//! Issue 16: EIDO documents written elsewhere, against NENA's schema, must not be refused for
//! a shape that changes nothing we know about the person in crisis. Each variant below is
//! written from the schema's text (`data/eido/openapi.yaml`: `ReferenceType` is an object
//! with a required `$ref`, without `type: object`; the prologue's required fields; the
//! `direction` and `priorityIdentifier` enumerations), checked against the schema by a JSON
//! schema validator, then read by the bridge. One variant per rule:
//! 1. a reference field takes one reference or a list, both ways round;
//! 2. a dangling `$ref` in a bookkeeping field (agency, agent, updated-by) is a warning;
//! 4. unknown enumeration words and extra fields are ignored (words with a warning);
//! 5. still refused, with the path: not JSON, over the limits, no incident id, wrong types in
//!    fields we use, a dangling reference that feeds the call (location, person, notes).
//!
//! And a property: a schema-valid document is never refused for fields we do not read.

use cad_bridge::eido::{self, EidoError, Mapper};
use dispatch_tests::schemas::{eido_validator, violations};
use proptest::prelude::*;
use serde_json::{Value, json};

/// A crisis call as another CAD writes it, from the schema's text: the required prologue on
/// every component, one incident, one incoming call, one note by an agent, one location by
/// value, the sending agency and its call-taker.
fn base() -> Value {
    let prologue = |id: &str| {
        json!({
            "$id": id,
            "lastUpdateTimeStamp": "2026-12-03T10:15:00-08:00",
            "updatedByAgencyReference": {"$ref": "agency-psap"}
        })
    };
    let with = |id: &str, fields: Value| {
        let mut v = prologue(id);
        v.as_object_mut()
            .unwrap()
            .extend(fields.as_object().unwrap().clone());
        v
    };
    let mut doc = with(
        "INC-2026-7781",
        json!({
            "eidoVersion": "1.0",
            "issuingElementIdentification": "psap.other-county.example.gov",
            "updatedByAgentReference": {"$ref": "agent-ct-12"}
        }),
    );
    let o = doc.as_object_mut().unwrap();
    o.insert(
        "incidentComponent".into(),
        with(
            "inc-1",
            json!({
                "incidentTypeCommonRegistryText": "MentalHealth",
                "incidentTypeInternalText": "PERSON IN CRISIS",
                "locationReference": [{"$ref": "loc-1"}],
                "notesReference": [{"$ref": "note-1"}]
            }),
        ),
    );
    o.insert(
        "callComponent".into(),
        json!([with(
            "call-1",
            json!({
                "callStateRegistryText": "Connected",
                "standardPrimaryCallType": "Emergency",
                "direction": "incoming",
                "callStartTimestamp": "2026-12-03T10:14:10-08:00",
                "priorityIdentifier": "normal",
                "locationReference": [{"$ref": "loc-1"}]
            })
        )]),
    );
    o.insert(
        "notesComponent".into(),
        json!([with(
            "note-1",
            json!({
                "notesActionComments": "MALE ADULT YELLING AT PASSERSBY, NO WEAPONS SEEN",
                "agentReference": {"$ref": "agent-ct-12"}
            })
        )]),
    );
    o.insert(
        "locationComponent".into(),
        json!([with(
            "loc-1",
            json!({
                "locationTypeDescriptionRegistryText": "Incident",
                "locationDescriptionText": "SW 5th Ave & SW Oak St, Portland, OR"
            })
        )]),
    );
    o.insert(
        "agencyComponent".into(),
        json!([with(
            "agency-psap",
            json!({
                "agencyRoleDescriptionRegistryText": ["PSAP"],
                "agencyType": ["PSAP"]
            })
        )]),
    );
    o.insert(
        "agentComponent".into(),
        json!([with(
            "agent-ct-12",
            json!({
                "agentRoleRegistryText": ["CallTaker"],
                "agencyReference": {"$ref": "agency-psap"}
            })
        )]),
    );
    doc
}

fn schema_valid(doc: &Value) {
    let v = eido_validator();
    let errors = violations(&v, doc);
    assert!(errors.is_empty(), "not schema-valid: {errors:?}");
}

/// Read and mapped as the bridge does before it submits anything.
fn read(doc: &Value) -> Result<eido::Eido, EidoError> {
    let parsed = eido::parse(doc.to_string().as_bytes())?;
    Mapper::new("other-county").map(&parsed)?;
    Ok(parsed)
}

#[test]
fn the_base_document_is_schema_valid_and_read_without_warnings() {
    let doc = base();
    schema_valid(&doc);
    let read = read(&doc).expect("read");
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
}

#[test]
fn rule_1_a_reference_field_takes_one_or_a_list_both_ways_round() {
    let mut doc = base();
    // A list where our reader once wanted one (the reporter's case), and one where it reads
    // a list.
    doc["notesComponent"][0]["agentReference"] =
        json!([{"$ref": "agent-ct-12"}, {"$ref": "agent-ct-12"}]);
    doc["updatedByAgencyReference"] = json!([{"$ref": "agency-psap"}]);
    doc["agentComponent"][0]["agencyReference"] = json!([{"$ref": "agency-psap"}]);
    // (ReferenceType has no `type: object`, so the schema lets a list pass.)
    schema_valid(&doc);
    // The other way round: one reference where the schema says array. The schema refuses
    // it, other CADs write it, and it says the same: read it.
    doc["incidentComponent"]["locationReference"] = json!({"$ref": "loc-1"});
    doc["callComponent"][0]["locationReference"] = json!({"$ref": "loc-1"});
    let read = read(&doc).expect("lists and single references are both read");
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    assert_eq!(
        read.notes_component[0]
            .agent_reference
            .as_ref()
            .map(|r| r.id.as_str()),
        Some("agent-ct-12")
    );
    assert_eq!(read.incident_component[0].location_reference.len(), 1);
}

#[test]
fn rule_2_a_dangling_reference_in_a_bookkeeping_field_is_a_warning() {
    let mut doc = base();
    // The sending agency and its call-taker only referenced (sent before).
    doc["updatedByAgentReference"] = json!({"$ref": "agent-sent-earlier"});
    doc["notesComponent"][0]["agentReference"] = json!({"$ref": "agent-sent-earlier"});
    doc["notesComponent"][0]["updatedByAgencyReference"] = json!({"$ref": "agency-known"});
    schema_valid(&doc);
    let read = read(&doc).expect("kept");
    let w = read.warnings.join("\n");
    assert_eq!(read.warnings.len(), 3, "{w}");
    assert!(w.contains("$.updatedByAgentReference.$ref"), "{w}");
    assert!(w.contains("$.notesComponent[0].agentReference.$ref"), "{w}");
    assert!(
        w.contains("$.notesComponent[0].updatedByAgencyReference.$ref"),
        "{w}"
    );
}

#[test]
fn rule_4_unknown_words_and_extra_fields_are_ignored() {
    let mut doc = base();
    doc["callComponent"][0]["priorityIdentifier"] = json!("urgent-ish");
    doc["callComponent"][0]["queueIdentifier"] = json!("Q7");
    doc["incidentComponent"]["incidentStatusCommonRegistryText"] = json!(["Dispatched"]);
    doc["someVendorExtension"] = json!({"anything": [1, 2, {"x": null}]});
    doc["notesComponent"][0]["cautionReference"] = json!([]);
    let mut for_schema = doc.clone();
    // The schema lists the priority words; an unknown one is the one thing it refuses here.
    for_schema["callComponent"][0]["priorityIdentifier"] = json!("normal");
    schema_valid(&for_schema);
    let read = read(&doc).expect("kept");
    let w = read.warnings.join("\n");
    assert_eq!(read.warnings.len(), 1, "{w}");
    assert!(
        w.contains("$.callComponent[0].priorityIdentifier: unknown word \"urgent-ish\""),
        "{w}"
    );
}

#[test]
fn rule_5_what_is_still_refused_names_its_path() {
    let refused = |doc: &Value| read(doc).expect_err("refused").to_string();
    assert!(matches!(
        eido::parse(b"{\"$id\": "),
        Err(EidoError::Syntax { .. })
    ));
    let huge = vec![b' '; eido::MAX_DOCUMENT_BYTES + 1];
    assert!(matches!(
        eido::parse(&huge),
        Err(EidoError::TooLarge { .. })
    ));
    let mut doc = base();
    doc["$id"] = json!(" ");
    assert!(refused(&doc).starts_with("$.$id"), "{}", refused(&doc));
    let mut doc = base();
    doc.as_object_mut().unwrap().remove("$id");
    assert!(refused(&doc).starts_with("$.$id"), "{}", refused(&doc));
    let mut doc = base();
    doc["notesComponent"][0]["notesActionComments"] = json!(42);
    assert!(
        refused(&doc).starts_with("$.notesComponent[0].notesActionComments"),
        "{}",
        refused(&doc)
    );
    let mut doc = base();
    doc["callComponent"][0]["locationReference"] = json!("loc-1");
    assert!(
        refused(&doc).starts_with("$.callComponent[0].locationReference"),
        "{}",
        refused(&doc)
    );
    // A dangling reference that feeds the call is not a bookkeeping matter.
    let mut doc = base();
    doc["incidentComponent"]["locationReference"] = json!([{"$ref": "loc-missing"}]);
    assert!(
        refused(&doc).starts_with("$.incidentComponent.locationReference[0].$ref"),
        "{}",
        refused(&doc)
    );
}

/// Field names the bridge does not read, from the schema's components (and vendor names).
fn unused_field() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("queueIdentifier".to_owned()),
        Just("relatedCallIdentifier".to_owned()),
        Just("standardSecondaryCallType".to_owned()),
        Just("cautionReference".to_owned()),
        Just("additionalDataReference".to_owned()),
        "x[A-Za-z]{1,12}".prop_map(|s| format!("vendor{s}")),
    ]
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[ -~]{0,16}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Extra fields we do not use, anywhere in the document, with any value the schema
    /// allows there: never a refusal.
    #[test]
    fn a_schema_valid_document_is_never_refused_for_a_field_we_do_not_use(
        extras in prop::collection::vec((0usize..7, unused_field(), any_json()), 1..6)
    ) {
        let mut doc = base();
        for (at, name, value) in extras {
            let target = match at {
                0 => &mut doc,
                1 => &mut doc["incidentComponent"],
                2 => &mut doc["callComponent"][0],
                3 => &mut doc["notesComponent"][0],
                4 => &mut doc["locationComponent"][0],
                5 => &mut doc["agencyComponent"][0],
                _ => &mut doc["agentComponent"][0],
            };
            target.as_object_mut().unwrap().insert(name, value);
        }
        let v = eido_validator();
        // Only documents the schema accepts are the property's business.
        prop_assume!(violations(&v, &doc).is_empty());
        prop_assert!(read(&doc).is_ok(), "{:?}", read(&doc).err());
    }
}
