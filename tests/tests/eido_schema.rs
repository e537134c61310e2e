//! Every kind of outbound EIDO validates against NENA's own schema (`data/eido/openapi.json`,
//! generated from `openapi.yaml`), checked by a JSON-schema validator, not by eye.
//!
//! The schema's known defects are handled on purpose in `dispatch_tests::schemas`.

use cad_bridge::eido::{self, Publisher, Renderer};
use dispatch_proto::v1;
use dispatch_proto::v1::cad_update::Kind;
use dispatch_tests::schemas::{eido_schema, eido_schema_fixing, eido_validator, violations};
use serde_json::Value;

fn validator() -> jsonschema::Validator {
    eido_validator()
}

fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    violations(v, doc)
}

#[test]
fn the_published_schema_needs_its_defects_handled() {
    assert!(
        jsonschema::draft7::options()
            .build(&eido_schema(false))
            .is_err(),
        "the unpatched schema (minItems \"1,\", NIEM files) should not compile"
    );
    // Each defect on its own is enough to refuse it.
    for (min_items, niem) in [(true, false), (false, true)] {
        assert!(
            jsonschema::draft7::options()
                .build(&eido_schema_fixing(min_items, niem))
                .is_err(),
            "fixing minItems: {min_items}, NIEM: {niem}"
        );
    }
    assert!(
        jsonschema::draft7::options()
            .build(&eido_schema_fixing(true, true))
            .is_ok()
    );
}

#[test]
fn nena_sample_and_our_fixtures_validate_and_a_broken_document_does_not() {
    let v = validator();
    for (name, text) in [
        (
            "sample",
            include_str!("../../crates/cad-bridge/data/eido/sample-call-transfer.eido.json"),
        ),
        (
            "crisis",
            include_str!("../../crates/cad-bridge/data/eido/crisis-call.eido.json"),
        ),
        (
            "update",
            include_str!("../../crates/cad-bridge/data/eido/crisis-call-update.eido.json"),
        ),
        (
            "cancelled",
            include_str!("../../crates/cad-bridge/data/eido/crisis-call-cancelled.eido.json"),
        ),
    ] {
        let doc: Value = serde_json::from_str(text).unwrap();
        assert_eq!(errors(&v, &doc), Vec::<String>::new(), "{name}");
    }
    let mut broken: Value = serde_json::from_str(include_str!(
        "../../crates/cad-bridge/data/eido/sample-call-transfer.eido.json"
    ))
    .unwrap();
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

#[test]
fn nena_sample_round_trips() {
    // NENA's call-transfer sample read into the bridge's types and written out again is still
    // a valid EIDO, reads back the same, and maps to the same call.
    let text = include_str!("../../crates/cad-bridge/data/eido/sample-call-transfer.eido.json");
    let doc = eido::parse(text.as_bytes()).expect("NENA's sample parses");
    let written = serde_json::to_value(&doc).unwrap();
    assert_eq!(
        violations(&validator(), &written),
        Vec::<String>::new(),
        "{written:#}"
    );
    let again = eido::parse(written.to_string().as_bytes()).expect("parses back");
    assert_eq!(again, doc);
    let mapper = eido::Mapper::new("pa");
    assert_eq!(mapper.map(&again).unwrap(), mapper.map(&doc).unwrap());
    assert_eq!(
        written["$id"],
        "urn:emergency:uid:incidentid:a56e556d871:bcf.state.pa.us"
    );
    assert_eq!(
        written["callbackComponent"][0]["callBackInformationUri"][1],
        "tel:8195551212"
    );
}
