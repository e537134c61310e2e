//! Reading an EIDO document: size and nesting limits first, then JSON, then the typed
//! components (required fields, types), then every `$ref` resolved against the `$id`s of the
//! document. Each failure names
//! the JSON path (`$.callComponent[0].direction`) and the reason.

use super::types::Eido;
use serde_json::Value;
use std::collections::HashSet;
use std::io::Read;

/// The largest document accepted: 10 MiB.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;
/// The deepest nesting of objects and arrays accepted. Real EIDOs nest about five levels.
pub const MAX_NESTING: usize = 32;

/// Why a document was refused. Nothing of a refused document is submitted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EidoError {
    #[error("the document is larger than the {limit}-byte (10 MiB) limit")]
    TooLarge { limit: usize },
    #[error("the document nests objects and arrays deeper than {limit} levels (at byte {offset})")]
    TooDeep { limit: usize, offset: usize },
    #[error("not JSON: {reason} at line {line}, column {column}")]
    Syntax {
        reason: String,
        line: usize,
        column: usize,
    },
    #[error("{path}: {reason}")]
    Invalid { path: String, reason: String },
    #[error("{path}: $ref \"{target}\" names no component of this document")]
    DanglingRef { path: String, target: String },
    #[error("could not read the document: {0}")]
    Read(String),
}

impl EidoError {
    /// The JSON path the error is about, when it is about one; safe to log (a reason may quote
    /// the document's text).
    pub fn path(&self) -> Option<&str> {
        match self {
            Self::Invalid { path, .. } | Self::DanglingRef { path, .. } => Some(path),
            _ => None,
        }
    }

    pub fn invalid(path: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Invalid {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

/// Reads at most [`MAX_DOCUMENT_BYTES`] from `reader` and parses them.
pub fn read(reader: impl Read) -> Result<Eido, EidoError> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_DOCUMENT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| EidoError::Read(e.to_string()))?;
    parse(&bytes)
}

/// Parses one EIDO document.
pub fn parse(bytes: &[u8]) -> Result<Eido, EidoError> {
    let value = parse_value(bytes)?;
    let eido = serde_path_to_error::deserialize(&value).map_err(|e| {
        let path = json_path(&e.path().to_string());
        let reason = e.inner().to_string();
        // serde names a missing field in the message; put it in the path, where people look.
        match reason
            .strip_prefix("missing field `")
            .and_then(|r| r.strip_suffix('`'))
        {
            Some(field) => EidoError::invalid(child(&path, field), "is required"),
            None => EidoError::invalid(path, reason),
        }
    })?;
    let mut eido: Eido = eido;
    eido.warnings = check_references(&value)?;
    eido.warnings.extend(unknown_words(&value, &eido));
    Ok(eido)
}

/// Reference fields that do not feed triage or the team's card: who sent or updated a
/// component. A dangling `$ref` there is a warning (the sending agency and its call-taker
/// are often only referenced, sent before or known from `issuingElementIdentification`).
const BOOKKEEPING_REFERENCES: [&str; 4] = [
    "updatedByAgencyReference",
    "updatedByAgentReference",
    "agentReference",
    "agencyReference",
];

/// The enumeration words we read but do not know, as warnings (they were read as unknown).
fn unknown_words(value: &Value, eido: &Eido) -> Vec<String> {
    use super::types::{CallDirection, CallPriority};
    let mut warnings = Vec::new();
    for (i, call) in eido.call_component.iter().enumerate() {
        let json = &value["callComponent"][i];
        if call.direction == CallDirection::Unknown {
            warnings.push(format!(
                "$.callComponent[{i}].direction: unknown word {} ignored (not read as incoming)",
                json["direction"]
            ));
        }
        if call.priority_identifier == Some(CallPriority::Unknown) {
            warnings.push(format!(
                "$.callComponent[{i}].priorityIdentifier: unknown word {} ignored (no priority)",
                json["priorityIdentifier"]
            ));
        }
    }
    warnings
}

/// The limits, then the JSON itself (an object at the top).
pub fn parse_value(bytes: &[u8]) -> Result<Value, EidoError> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(EidoError::TooLarge {
            limit: MAX_DOCUMENT_BYTES,
        });
    }
    check_nesting(bytes)?;
    let value: Value = serde_json::from_slice(bytes).map_err(|e| EidoError::Syntax {
        reason: syntax_reason(&e),
        line: e.line(),
        column: e.column(),
    })?;
    if !value.is_object() {
        return Err(EidoError::invalid("$", "an EIDO is a JSON object"));
    }
    Ok(value)
}

fn syntax_reason(e: &serde_json::Error) -> String {
    // serde_json appends " at line L column C"; we report those apart.
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Counts `[` / `{` depth outside strings, before any recursive parser sees the bytes.
fn check_nesting(bytes: &[u8]) -> Result<(), EidoError> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (offset, &b) in bytes.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(EidoError::TooDeep {
                        limit: MAX_NESTING,
                        offset,
                    });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Every `{"$ref": id}` must name the `$id` of a component in the same document, except in
/// [`BOOKKEEPING_REFERENCES`], where a dangling one is a warning (returned).
fn check_references(root: &Value) -> Result<Vec<String>, EidoError> {
    let mut ids = HashSet::new();
    collect_ids(root, "$", &mut ids)?;
    let mut warnings = Vec::new();
    check_refs(root, "$", "", &ids, &mut warnings)?;
    Ok(warnings)
}

fn collect_ids<'a>(
    value: &'a Value,
    path: &str,
    ids: &mut HashSet<&'a str>,
) -> Result<(), EidoError> {
    match value {
        Value::Object(map) => {
            if let Some(id) = map.get("$id") {
                let id = id
                    .as_str()
                    .ok_or_else(|| EidoError::invalid(child(path, "$id"), "must be a string"))?;
                ids.insert(id);
            }
            for (key, v) in map {
                if key != "@context" {
                    collect_ids(v, &child(path, key), ids)?;
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect_ids(v, &format!("{path}[{i}]"), ids)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// `field` is the key the value sits under (an array's items keep their list's key).
fn check_refs(
    value: &Value,
    path: &str,
    field: &str,
    ids: &HashSet<&str>,
    warnings: &mut Vec<String>,
) -> Result<(), EidoError> {
    match value {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref") {
                let here = child(path, "$ref");
                let target = target
                    .as_str()
                    .ok_or_else(|| EidoError::invalid(&here, "must be a string"))?;
                if !ids.contains(target) {
                    if !BOOKKEEPING_REFERENCES.contains(&field) {
                        return Err(EidoError::DanglingRef {
                            path: here,
                            target: target.to_string(),
                        });
                    }
                    warnings.push(format!(
                        "{here}: $ref \"{target}\" names no component of this document (ignored)"
                    ));
                }
            }
            for (key, v) in map {
                if key != "@context" {
                    check_refs(v, &child(path, key), key, ids, warnings)?;
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                check_refs(v, &format!("{path}[{i}]"), field, ids, warnings)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn child(path: &str, key: &str) -> String {
    format!("{path}.{key}")
}

/// serde_path_to_error's `a[0].b` (or `.` for the root) as `$.a[0].b`.
fn json_path(serde_path: &str) -> String {
    if serde_path == "." || serde_path.is_empty() {
        "$".into()
    } else {
        format!("$.{serde_path}")
    }
}

#[cfg(test)]
mod tests;
