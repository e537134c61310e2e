//! Nature-code maps: an agency's own CAD call types → the triage's nature families
//! (`behavioral-crisis`, `welfare-check`, `weapons-violence`... the `name`s of the `[[nature]]`
//! table in `deploy/triage/*.toml`).
//!
//! The triage recognises a family by an exact code from the family's `codes` list, else by
//! words in the nature text. A map lets an agency say what its codes mean: the bridge then
//! sends the agency's code when the family already lists it, else the family's first code,
//! and always the agency's own words as the nature text, so the dispatcher still reads the
//! call as the call-taker typed it. A family that lists no code (the shipped `crime` and
//! `not-a-person-in-crisis`) can only be reached through its words; for those the agency's
//! code and text go through unchanged.
//!
//! Better still, the map can be merged into the server's triage rules (`merge_into`,
//! `cad-bridge nature-rules`): every agency code (or, for a map keyed by call-type text, the
//! text) is added to its family's `codes`, so the triage recognises the agency's own call
//! types exactly and the bridge sends them unchanged.

use dispatch_core::triage::TriageConfig;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// The maps that ship with the bridge, by name: (name, TOML).
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "seattle-spd",
        include_str!("../config/nature/seattle-spd.toml"),
    ),
    ("sdpd", include_str!("../config/nature/sdpd.toml")),
    ("ucsd-pd", include_str!("../config/nature/ucsd-pd.toml")),
];

/// A map file, as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MapFile {
    agency: String,
    /// Where the agency's call types come from (a dataset, a CAD export).
    source: String,
    /// What the keys are: `code` (short CAD codes, the default) or `text` (agencies that
    /// publish only the call type's words).
    #[serde(default)]
    keys: Keys,
    /// Agency code (or call-type text, for agencies that publish no code) → family name, or
    /// `{ family, text }` where the agency's export has the code only and `text` is its
    /// description from the agency's code table.
    codes: BTreeMap<String, Entry>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
enum Entry {
    Family(String),
    Described { family: String, text: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Known {
    family: String,
    text: String,
}

/// What a map's keys are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Keys {
    #[default]
    Code,
    Text,
}

/// A loaded map: case- and spacing-insensitive lookup of agency codes.
#[derive(Clone, Debug)]
pub struct NatureMap {
    pub agency: String,
    pub source: String,
    pub keys: Keys,
    codes: HashMap<String, Known>,
}

/// What the triage is sent for one call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nature {
    pub code: String,
    pub text: String,
    /// The family the map names, when the map knows the call type.
    pub family: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NatureMapError {
    #[error("{0}")]
    Toml(String),
    #[error("codes.{code:?}: the triage has no family {family:?}; its families are {known}")]
    UnknownFamily {
        code: String,
        family: String,
        known: String,
    },
    #[error("codes.{code:?}: the same call type is mapped twice (to {first:?} and {second:?})")]
    Twice {
        code: String,
        first: String,
        second: String,
    },
    #[error("codes: an empty call type")]
    EmptyCode,
}

/// Codes compare case-insensitively with runs of spaces collapsed ("LEWD -  (EXPOSING" is
/// "LEWD - (EXPOSING").
fn key(code: &str) -> String {
    code.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

impl NatureMap {
    /// Parses a map and checks every family against the triage rules it will be used with.
    pub fn parse(text: &str, rules: &TriageConfig) -> Result<NatureMap, NatureMapError> {
        let file: MapFile =
            toml::from_str(text).map_err(|e| NatureMapError::Toml(e.to_string()))?;
        let mut codes: HashMap<String, Known> = HashMap::new();
        for (code, entry) in file.codes {
            let (family, text) = match entry {
                Entry::Family(family) => (family, String::new()),
                Entry::Described { family, text } => (family, text),
            };
            if code.trim().is_empty() {
                return Err(NatureMapError::EmptyCode);
            }
            if !rules.nature.iter().any(|r| r.name == family) {
                return Err(NatureMapError::UnknownFamily {
                    code,
                    family,
                    known: rules
                        .nature
                        .iter()
                        .map(|r| r.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
            if let Some(first) = codes.get(&key(&code))
                && first.family != family
            {
                return Err(NatureMapError::Twice {
                    code,
                    first: first.family.clone(),
                    second: family,
                });
            }
            codes.insert(key(&code), Known { family, text });
        }
        Ok(NatureMap {
            agency: file.agency,
            source: file.source,
            keys: file.keys,
            codes,
        })
    }

    /// A built-in map by name.
    pub fn built_in(name: &str, rules: &TriageConfig) -> Option<Result<NatureMap, NatureMapError>> {
        BUILT_IN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| Self::parse(text, rules))
    }

    /// The family of an agency code, if the map knows it.
    pub fn family(&self, code: &str) -> Option<&str> {
        self.codes.get(&key(code)).map(|k| k.family.as_str())
    }

    /// How many call types the map knows.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// What to send the triage for a call the agency coded `code` (may be empty) and
    /// described as `text`. Looked up by the code (by the text in a text-keyed map, or when
    /// there is no code).
    pub fn translate(&self, rules: &TriageConfig, code: &str, text: &str) -> Nature {
        let (code, text) = (code.trim(), text.trim());
        let lookup = match self.keys {
            Keys::Code if !code.is_empty() => code,
            _ => text,
        };
        let Some(known) = self.codes.get(&key(lookup)) else {
            return Nature {
                code: code.to_owned(),
                text: text.to_owned(),
                family: None,
            };
        };
        let family = known.family.as_str();
        let text = if text.is_empty() {
            known.text.trim()
        } else {
            text
        };
        let rule = rules.nature.iter().find(|r| r.name == family);
        let listed = |list: &[String], item: &str| {
            !item.is_empty() && list.iter().any(|c| key(c) == key(item))
        };
        let sent = match rule {
            Some(r) if listed(&r.codes, code) => code.to_owned(),
            // Rules merged with a text-keyed map list the call type itself as a code.
            Some(r) if self.keys == Keys::Text && listed(&r.codes, text) => text.to_owned(),
            Some(r) if !r.codes.is_empty() => r.codes[0].clone(),
            _ => code.to_owned(),
        };
        Nature {
            code: sent,
            text: text.to_owned(),
            family: Some(family.to_owned()),
        }
    }

    /// Adds every call type of the map (a code, or a text for a text-keyed map) to its
    /// family's `codes` in `rules`, so the triage matches it exactly; what is already listed
    /// is not repeated. Families are checked when the map is loaded.
    pub fn merge_into(&self, rules: &mut TriageConfig) {
        let mut entries: Vec<(&String, &Known)> = self.codes.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        for (code, known) in entries {
            let Some(rule) = rules.nature.iter_mut().find(|r| r.name == known.family) else {
                continue;
            };
            if !rule.codes.iter().any(|c| key(c) == *code) {
                rule.codes.push(code.clone());
            }
        }
    }

    /// Every (call type, family, description) the map knows, for checks and reports.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.codes
            .iter()
            .map(|(c, k)| (c.as_str(), k.family.as_str(), k.text.as_str()))
    }
}

/// Writes rules as TOML: a rules file (`dispatch-server triage --config`), or, with
/// `as_server_config`, the `[policy.triage]` tables of a server configuration. An absent
/// `service_hours` is written as "around the clock", because a file without the table reads
/// back as the shipped hours.
pub fn render_rules(rules: &TriageConfig, as_server_config: bool) -> Result<String, String> {
    #[derive(serde::Serialize)]
    struct Server<'a> {
        policy: Policy<'a>,
    }
    #[derive(serde::Serialize)]
    struct Policy<'a> {
        triage: &'a TriageConfig,
    }
    let mut rules = rules.clone();
    if rules.service_hours.is_none() {
        rules.service_hours = Some(dispatch_core::hours::ServiceHours::always());
    }
    if as_server_config {
        toml::to_string(&Server {
            policy: Policy { triage: &rules },
        })
    } else {
        toml::to_string(&rules)
    }
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests;
