use super::*;
use serde_json::json;

const SAMPLE: &str = include_str!("../../../data/eido/sample-call-transfer.eido.json");
const CRISIS: &str = include_str!("../../../data/eido/crisis-call.eido.json");
const DRAFT_2020: &str =
    include_str!("../../../data/eido/sample-eido-2020-draft-with-incident.json");

fn sample() -> Value {
    serde_json::from_str(SAMPLE).unwrap()
}

fn error_of(v: &Value) -> EidoError {
    parse(v.to_string().as_bytes()).expect_err("should be refused")
}

#[test]
fn nena_call_transfer_sample_parses() {
    let doc = parse(SAMPLE.as_bytes()).expect("NENA's sample is valid");
    assert_eq!(
        doc.id,
        "urn:emergency:uid:incidentid:a56e556d871:bcf.state.pa.us"
    );
    assert!(doc.incident_component.is_empty());
    assert_eq!(doc.call_component.len(), 1);
    assert_eq!(doc.location_component.len(), 2);
    assert_eq!(
        doc.callback_component[0].call_back_information_uri[1],
        "tel:8195551212"
    );
}

#[test]
fn one_incident_object_or_an_array_of_them() {
    let doc = parse(CRISIS.as_bytes()).unwrap();
    assert_eq!(doc.incident_component.len(), 1);
    let mut v: Value = serde_json::from_str(CRISIS).unwrap();
    let one = v["incidentComponent"].take();
    v["incidentComponent"] = json!([one]);
    assert_eq!(
        parse(v.to_string().as_bytes())
            .unwrap()
            .incident_component
            .len(),
        1
    );
    v["incidentComponent"] = json!("EDP");
    assert!(
        matches!(error_of(&v), EidoError::Invalid { path, .. } if path == "$.incidentComponent")
    );
}

#[test]
fn unknown_fields_are_ignored() {
    let mut v = sample();
    v["vendorExtension"] = json!({"anything": [1, {"deep": true}]});
    v["callComponent"][0]["proprietaryFlag"] = json!(7);
    assert!(parse(v.to_string().as_bytes()).is_ok());
}

#[test]
fn missing_required_fields_are_named_by_path() {
    let cases = [
        ("/eidoVersion", "$.eidoVersion"),
        ("/agencyComponent", "$.agencyComponent"),
        ("/callComponent/0/direction", "$.callComponent[0].direction"),
        (
            "/callComponent/0/callStartTimestamp",
            "$.callComponent[0].callStartTimestamp",
        ),
        (
            "/agentComponent/0/agencyReference",
            "$.agentComponent[0].agencyReference",
        ),
        (
            "/locationComponent/1/locationTypeDescriptionRegistryText",
            "$.locationComponent[1].locationTypeDescriptionRegistryText",
        ),
        (
            "/personComponent/0/lastUpdateTimeStamp",
            "$.personComponent[0].lastUpdateTimeStamp",
        ),
    ];
    for (pointer, path) in cases {
        let mut v = sample();
        let (parent, field) = pointer.rsplit_once('/').unwrap();
        let parent = if parent.is_empty() {
            &mut v
        } else {
            v.pointer_mut(parent).unwrap()
        };
        parent
            .as_object_mut()
            .unwrap()
            .remove(field)
            .expect(pointer);
        assert_eq!(
            error_of(&v),
            EidoError::invalid(path, "is required"),
            "{pointer}"
        );
    }
}

#[test]
fn wrong_types_are_named_by_path() {
    // An unknown enumeration word is not a wrong type: read as unknown, with a warning.
    let mut v = sample();
    v["callComponent"][0]["direction"] = json!("sideways");
    let doc = parse(v.to_string().as_bytes()).expect("kept");
    assert_eq!(doc.warnings.len(), 1);
    assert!(
        doc.warnings[0].starts_with("$.callComponent[0].direction: unknown word \"sideways\""),
        "{:?}",
        doc.warnings
    );
    v["callComponent"][0]["direction"] = json!(7);
    let EidoError::Invalid { path, .. } = error_of(&v) else {
        panic!()
    };
    assert_eq!(path, "$.callComponent[0].direction");

    let mut v = sample();
    v["agencyComponent"][0]["agencyType"] = json!(5);
    let EidoError::Invalid { path, .. } = error_of(&v) else {
        panic!()
    };
    assert_eq!(path, "$.agencyComponent[0].agencyType");

    let mut v = sample();
    v["callComponent"] = json!({"not": "an array"});
    let EidoError::Invalid { path, .. } = error_of(&v) else {
        panic!()
    };
    assert_eq!(path, "$.callComponent");

    let mut v = sample();
    v["callbackComponent"][0]["$id"] = json!(12);
    let EidoError::Invalid { path, reason } = error_of(&v) else {
        panic!()
    };
    assert_eq!(path, "$.callbackComponent[0].$id");
    assert!(reason.contains("expected a string"), "{reason}");

    assert_eq!(
        error_of(&json!([1, 2])),
        EidoError::invalid("$", "an EIDO is a JSON object")
    );
}

#[test]
fn dangling_references_are_refused_unless_in_bookkeeping_fields() {
    let mut v = sample();
    v["callComponent"][0]["locationReference"][1]["$ref"] = json!("no-such-location");
    assert_eq!(
        error_of(&v),
        EidoError::DanglingRef {
            path: "$.callComponent[0].locationReference[1].$ref".into(),
            target: "no-such-location".into()
        }
    );
    let mut v = sample();
    v["updatedByAgencyReference"]["$ref"] = json!(["state.pa.us"]);
    let EidoError::Invalid { path, reason } = error_of(&v) else {
        panic!()
    };
    assert_eq!(path, "$.updatedByAgencyReference.$ref");
    assert!(reason.contains("expected a string"), "{reason}");
    // A reference outside the modelled fields is checked too; in a bookkeeping field
    // (updated-by, agent, agency) a dangling one is a warning.
    let mut v = sample();
    v["additionalDataComponent"][0]["updatedByAgencyReference"]["$ref"] = json!("elsewhere");
    let doc = parse(v.to_string().as_bytes()).expect("kept");
    assert_eq!(
        doc.warnings,
        [
            "$.additionalDataComponent[0].updatedByAgencyReference.$ref: $ref \"elsewhere\" names no component of this document (ignored)"
        ]
    );
    let mut v = sample();
    v["additionalDataComponent"][0]["somethingReference"] = json!({"$ref": "elsewhere"});
    assert!(matches!(error_of(&v), EidoError::DanglingRef { path, .. }
        if path == "$.additionalDataComponent[0].somethingReference.$ref"));
}

#[test]
fn the_2020_draft_sample_is_refused_with_the_field_it_lacks() {
    // NENA withdrew this draft: `agencyType` is a string there, `LastUpdateTimeStamp` has a
    // capital L. The first difference met is reported.
    let EidoError::Invalid { path, reason } = parse(DRAFT_2020.as_bytes()).unwrap_err() else {
        panic!()
    };
    assert_eq!(path, "$.agencyComponent[0].agencyType");
    assert!(reason.contains("expected a sequence"), "{reason}");
    let mut v: Value = serde_json::from_str(DRAFT_2020).unwrap();
    v["agencyComponent"][0]["agencyType"] = json!(["PSAP"]);
    assert_eq!(
        error_of(&v),
        EidoError::invalid("$.agencyComponent[0].lastUpdateTimeStamp", "is required")
    );
}

#[test]
fn limits_are_enforced_before_parsing() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(
        parse(deep.as_bytes()),
        Err(EidoError::TooDeep {
            limit: 32,
            offset: 32
        })
    ));
    // Brackets inside strings do not count.
    let mut v = sample();
    v["note"] = json!(
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"\\\"{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{"
    );
    assert!(parse(v.to_string().as_bytes()).is_ok());

    let mut big = sample();
    big["padding"] = json!("x".repeat(MAX_DOCUMENT_BYTES));
    let bytes = big.to_string().into_bytes();
    assert_eq!(
        parse(&bytes).unwrap_err(),
        EidoError::TooLarge {
            limit: MAX_DOCUMENT_BYTES
        }
    );
    assert_eq!(
        read(&bytes[..]).unwrap_err(),
        EidoError::TooLarge {
            limit: MAX_DOCUMENT_BYTES
        }
    );
    // A reader that never ends is cut at the limit.
    let endless = std::io::repeat(b' ');
    assert_eq!(
        read(endless).unwrap_err(),
        EidoError::TooLarge {
            limit: MAX_DOCUMENT_BYTES
        }
    );
}

#[test]
fn syntax_errors_say_where() {
    let err = parse(b"{\"$id\": \"x\",\n  \"eidoVersion\": }").unwrap_err();
    let EidoError::Syntax {
        line,
        column,
        reason,
    } = err
    else {
        panic!("{err:?}")
    };
    assert_eq!((line, column), (2, 18));
    assert!(!reason.contains(" at line"), "{reason}");
    assert!(matches!(parse(b""), Err(EidoError::Syntax { .. })));
}
