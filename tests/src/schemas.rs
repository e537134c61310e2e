//! NENA's published schemas as JSON-schema validators: the EIDO (NENA-STA-021 `openapi.yaml`)
//! and the STA-024 WebSocket messages, both as JSON generated from the YAML (see
//! `crates/cad-bridge/data/eido/README.md`).
//!
//! The schemas are used as published, with their known defects handled here on purpose:
//! - EIDO `minItems: "1,"` (a typo a strict validator refuses) is read as `1`;
//! - EIDO references to NIEM component files NENA does not publish with it are opaque objects;
//! - STA-024's `subscriberMessage` / `notifierMessage` are `oneOf` objects that every message
//!   matches (no branch requires its key), so a message is checked against the schema of its
//!   own kind (`{"event": ...}` against `eventObject`), after checking it has exactly one key.

use serde_json::{Value, json};

const EIDO_OPENAPI: &str = include_str!("../../crates/cad-bridge/data/eido/openapi.json");
const STA024: &str =
    include_str!("../../crates/cad-bridge/data/eido/websocket-subscribe-notify.json");

/// The EIDO type as a standalone draft-07 schema; `patch_defects: false` is the schema as
/// published.
pub fn eido_schema(patch_defects: bool) -> Value {
    eido_schema_fixing(patch_defects, patch_defects)
}

/// The EIDO schema with either defect fixed or left as published.
pub fn eido_schema_fixing(min_items: bool, niem: bool) -> Value {
    let doc: Value = serde_json::from_str(EIDO_OPENAPI).expect("schema JSON");
    let mut schemas = doc["components"]["schemas"].clone();
    patch(&mut schemas, min_items, niem);
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "components": { "schemas": schemas },
        "$ref": "#/components/schemas/EmergencyIncidentDataObjectType"
    })
}

fn patch(v: &mut Value, min_items: bool, niem: bool) {
    match v {
        Value::Object(map) => {
            if min_items && map.get("minItems") == Some(&json!("1,")) {
                map.insert("minItems".into(), json!(1));
            }
            let external = map
                .get("$ref")
                .and_then(Value::as_str)
                .is_some_and(|r| !r.starts_with('#'));
            if niem && external {
                map.clear();
                map.insert("type".into(), json!("object"));
                return;
            }
            map.values_mut().for_each(|v| patch(v, min_items, niem));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| patch(v, min_items, niem)),
        _ => {}
    }
}

/// Validates EIDO documents.
pub fn eido_validator() -> jsonschema::Validator {
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&eido_schema(true))
        .expect("the patched EIDO schema compiles")
}

/// Every violation, as `path: message`; empty when valid.
pub fn violations(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Checks one STA-024 message against the schema of its kind; returns the kind.
pub fn sta024_kind(message: &Value) -> Result<String, String> {
    let map = message.as_object().ok_or("a message is an object")?;
    if map.len() != 1 {
        return Err(format!(
            "a message has exactly one key, found {}",
            map.len()
        ));
    }
    let kind = map.keys().next().cloned().unwrap_or_default();
    let doc: Value = serde_json::from_str(STA024).expect("STA-024 schema JSON");
    let schemas = doc["components"]["schemas"].clone();
    let name = format!("{kind}Object");
    if schemas.get(&name).is_none() {
        return Err(format!("no STA-024 message is called {kind:?}"));
    }
    let schema = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "components": { "schemas": schemas },
        "$ref": format!("#/components/schemas/{name}")
    });
    let validator = jsonschema::draft7::new(&schema).map_err(|e| e.to_string())?;
    let errors = violations(&validator, message);
    if errors.is_empty() {
        Ok(kind)
    } else {
        Err(errors.join("; "))
    }
}
