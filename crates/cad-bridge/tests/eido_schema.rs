//! Every kind of outbound EIDO validates against NENA's own schema (`data/eido/openapi.json`,
//! generated from `openapi.yaml`), checked by a JSON-schema validator, not by eye.
//!
//! The schema is used as published, with its two known defects handled here on purpose:
//! `minItems: "1,"` (a typo a strict validator refuses) is read as `1`, and the references to
//! NIEM component files that NENA does not publish with it are opaque objects.

use cad_bridge::eido::{self, Publisher, Renderer};
use dispatch_proto::v1;
use dispatch_proto::v1::cad_update::Kind;
use serde_json::{Value, json};

fn published_schema() -> Value {
    serde_json::from_str(include_str!("../data/eido/openapi.json")).expect("schema JSON")
}

/// The EIDO type of the OpenAPI document as a standalone draft-07 schema.
fn eido_schema(patch_defects: bool) -> Value {
    let mut schemas = published_schema()["components"]["schemas"].take();
    if patch_defects {
        patch(&mut schemas);
    }
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "components": { "schemas": schemas },
        "$ref": "#/components/schemas/EmergencyIncidentDataObjectType"
    })
}

fn patch(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.get("minItems") == Some(&json!("1,")) {
                map.insert("minItems".into(), json!(1));
            }
            let external = map
                .get("$ref")
                .and_then(Value::as_str)
                .is_some_and(|r| !r.starts_with('#'));
            if external {
                // A NIEM component: the schema points at a file that is not published.
                map.clear();
                map.insert("type".into(), json!("object"));
                return;
            }
            map.values_mut().for_each(patch);
        }
        Value::Array(items) => items.iter_mut().for_each(patch),
        _ => {}
    }
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&eido_schema(true))
        .expect("the patched schema compiles")
}

fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn the_published_schema_needs_its_defects_handled() {
    assert!(
        jsonschema::draft7::options()
            .build(&eido_schema(false))
            .is_err(),
        "the unpatched schema (minItems \"1,\", NIEM files) should not compile"
    );
}

#[test]
fn nena_sample_and_our_fixtures_validate_and_a_broken_document_does_not() {
    let v = validator();
    for (name, text) in [
        (
            "sample",
            include_str!("../data/eido/sample-call-transfer.eido.json"),
        ),
        ("crisis", include_str!("../data/eido/crisis-call.eido.json")),
        (
            "update",
            include_str!("../data/eido/crisis-call-update.eido.json"),
        ),
        (
            "cancelled",
            include_str!("../data/eido/crisis-call-cancelled.eido.json"),
        ),
    ] {
        let doc: Value = serde_json::from_str(text).unwrap();
        assert_eq!(errors(&v, &doc), Vec::<String>::new(), "{name}");
    }
    let mut broken: Value =
        serde_json::from_str(include_str!("../data/eido/sample-call-transfer.eido.json")).unwrap();
    broken["callComponent"][0]
        .as_object_mut()
        .unwrap()
        .remove("direction");
    assert!(!errors(&v, &broken).is_empty(), "the validator is live");
}

fn update(seq: u64, kind: Kind) -> v1::CadUpdate {
    v1::CadUpdate {
        seq,
        at: Some(prost_types::Timestamp {
            seconds: 1_778_778_120 + seq as i64,
            nanos: 0,
        }),
        source: "boec".into(),
        call_number: "urn:emergency:uid:incidentid:psr0001:boec.example.gov".into(),
        incident_id: "incident-1".into(),
        kind: Some(kind),
    }
}

/// One update of every kind and every enum value the server sends.
fn every_kind() -> Vec<v1::CadUpdate> {
    let mut kinds = vec![
        Kind::Assigned(v1::UnitAssigned {
            team_id: "PSR-1".into(),
        }),
        Kind::Acknowledged(v1::UnitAcknowledged {
            team_id: "PSR-1".into(),
            by_dispatcher: false,
        }),
        Kind::Acknowledged(v1::UnitAcknowledged {
            team_id: "PSR-1".into(),
            by_dispatcher: true,
        }),
    ];
    for status in 0..=8 {
        kinds.push(Kind::Status(v1::UnitStatus {
            team_id: "PSR-1".into(),
            status,
        }));
    }
    for urgent in [false, true] {
        kinds.push(Kind::Backup(v1::UnitBackupRequest {
            team_id: "PSR-1".into(),
            urgent,
            note: if urgent {
                "SUBJ AGITATED".into()
            } else {
                String::new()
            },
        }));
    }
    for route in 0..=6 {
        kinds.push(Kind::Declined(v1::CallDeclined {
            route,
            reason: "weapon mentioned".into(),
        }));
    }
    for disposition in 0..=7 {
        kinds.push(Kind::Disposition(v1::CallDisposition {
            team_id: "PSR-1".into(),
            disposition,
        }));
    }
    kinds
        .into_iter()
        .enumerate()
        .map(|(i, k)| update(i as u64 + 1, k))
        .collect()
}

#[test]
fn every_outbound_document_validates_against_the_schema() {
    let v = validator();
    let mut renderer = Renderer::new(Publisher::new("crisis.example.gov"));
    let updates = every_kind();
    assert_eq!(updates.len(), 29);
    for u in &updates {
        let doc = renderer.render(u).expect("every kind renders");
        let json = serde_json::to_value(&doc).unwrap();
        assert_eq!(errors(&v, &json), Vec::<String>::new(), "{u:?}\n{json:#}");
        // And the bridge reads back what it writes.
        let again = eido::parse(json.to_string().as_bytes()).expect("parses back");
        assert_eq!(again, doc);
    }
}
