//! The per-source column mapping: which CSV columns of a public calls-for-service export hold
//! the call number, the times, the call type, the priority and the place, read from TOML.
//!
//! A mapping is resolved against the file's header once (`Columns`); every row then maps to a
//! [`SourceCall`] or to a [`RowProblem`] that names the field and the reason.

use super::clock_time::TimeFormat;
use dispatch_core::Timestamp;
use serde::Deserialize;
use std::collections::HashMap;

/// A column mapping file, as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// What the data is and where it comes from (shown by `--help` and in errors).
    pub description: String,
    /// The CAD source name the calls are submitted under (part of every event id).
    pub source: String,
    /// The agency's nature-code map: a built-in name, or a path relative to this file.
    #[serde(default)]
    pub nature_map: Option<String>,
    pub columns: ColumnNames,
    pub time: TimeFormat,
}

/// One field of a call: a column name, several columns joined with a space (`join`), or the
/// first of several names the header has (`any`, for exports that spell headers differently).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum ColumnSpec {
    One(String),
    Join { join: Vec<String> },
    Any { any: Vec<String> },
}

/// Which column holds what. Only the call number, the received time and the call type are
/// required.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnNames {
    pub call_number: ColumnSpec,
    pub received_at: ColumnSpec,
    #[serde(default)]
    pub closed_at: Option<ColumnSpec>,
    /// The CAD's code for the call type; absent when the export has only the text.
    #[serde(default)]
    pub nature_code: Option<ColumnSpec>,
    /// The call type's words; with a code, the code's description when this is absent.
    #[serde(default)]
    pub nature_text: Option<ColumnSpec>,
    #[serde(default)]
    pub priority: Option<ColumnSpec>,
    #[serde(default)]
    pub address: Option<ColumnSpec>,
    #[serde(default)]
    pub cross_streets: Option<ColumnSpec>,
    #[serde(default)]
    pub beat: Option<ColumnSpec>,
    #[serde(default)]
    pub lat: Option<ColumnSpec>,
    #[serde(default)]
    pub lon: Option<ColumnSpec>,
    /// Free text a call-taker wrote (few public exports have it).
    #[serde(default)]
    pub narrative: Option<ColumnSpec>,
}

/// Why a mapping does not fit a file.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HeaderError {
    #[error("columns.{field}: the file has no column {wanted}; its columns are {found}")]
    Missing {
        field: &'static str,
        wanted: String,
        found: String,
    },
    #[error("columns.{field}: lists no column")]
    Empty { field: &'static str },
    #[error("columns.nature_code or columns.nature_text: one of them is required")]
    NoNature,
}

/// A column spec resolved to header positions.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Resolved(Vec<usize>);

/// A mapping resolved against one file's header.
#[derive(Clone, Debug)]
pub struct Columns {
    call_number: Resolved,
    received_at: Resolved,
    closed_at: Option<Resolved>,
    nature_code: Option<Resolved>,
    nature_text: Option<Resolved>,
    priority: Option<Resolved>,
    address: Option<Resolved>,
    cross_streets: Option<Resolved>,
    beat: Option<Resolved>,
    lat: Option<Resolved>,
    lon: Option<Resolved>,
    narrative: Option<Resolved>,
    width: usize,
}

/// One call as the source tells it, before nature-code mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceCall {
    pub call_number: String,
    pub received_at: Timestamp,
    pub closed_at: Option<Timestamp>,
    pub nature_code: String,
    pub nature_text: String,
    pub priority: u32,
    pub address: String,
    pub cross_streets: String,
    pub beat: String,
    pub position: Option<(f64, f64)>,
    pub narrative: String,
}

/// Why one row cannot be replayed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    pub field: &'static str,
    pub reason: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

impl ColumnNames {
    /// Finds every named column in the header (names compared after trimming spaces and a
    /// byte-order mark).
    pub fn resolve(&self, header: &[&str]) -> Result<Columns, HeaderError> {
        let index: HashMap<&str, usize> = header
            .iter()
            .enumerate()
            .map(|(i, h)| (h.trim_start_matches('\u{feff}').trim(), i))
            .rev() // the first of duplicate names wins
            .collect();
        let found = || {
            header
                .iter()
                .map(|h| format!("{:?}", h.trim_start_matches('\u{feff}').trim()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let one = |field: &'static str, spec: &ColumnSpec| -> Result<Resolved, HeaderError> {
            let missing = |wanted: String| HeaderError::Missing {
                field,
                wanted,
                found: found(),
            };
            match spec {
                ColumnSpec::One(name) => index
                    .get(name.trim())
                    .map(|i| Resolved(vec![*i]))
                    .ok_or_else(|| missing(format!("{name:?}"))),
                ColumnSpec::Join { join } => {
                    if join.is_empty() {
                        return Err(HeaderError::Empty { field });
                    }
                    join.iter()
                        .map(|name| {
                            index
                                .get(name.trim())
                                .copied()
                                .ok_or_else(|| missing(format!("{name:?}")))
                        })
                        .collect::<Result<Vec<_>, _>>()
                        .map(Resolved)
                }
                ColumnSpec::Any { any } => {
                    if any.is_empty() {
                        return Err(HeaderError::Empty { field });
                    }
                    any.iter()
                        .find_map(|name| index.get(name.trim()))
                        .map(|i| Resolved(vec![*i]))
                        .ok_or_else(|| missing(format!("any of {any:?}")))
                }
            }
        };
        let opt = |field: &'static str, spec: &Option<ColumnSpec>| {
            spec.as_ref().map(|s| one(field, s)).transpose()
        };
        if self.nature_code.is_none() && self.nature_text.is_none() {
            return Err(HeaderError::NoNature);
        }
        Ok(Columns {
            call_number: one("call_number", &self.call_number)?,
            received_at: one("received_at", &self.received_at)?,
            closed_at: opt("closed_at", &self.closed_at)?,
            nature_code: opt("nature_code", &self.nature_code)?,
            nature_text: opt("nature_text", &self.nature_text)?,
            priority: opt("priority", &self.priority)?,
            address: opt("address", &self.address)?,
            cross_streets: opt("cross_streets", &self.cross_streets)?,
            beat: opt("beat", &self.beat)?,
            lat: opt("lat", &self.lat)?,
            lon: opt("lon", &self.lon)?,
            narrative: opt("narrative", &self.narrative)?,
            width: header.len(),
        })
    }
}

impl Columns {
    /// One row → a call, or the first thing wrong with it.
    pub fn read(
        &self,
        row: &csv::StringRecord,
        time: &TimeFormat,
    ) -> Result<SourceCall, RowProblem> {
        if row.len() != self.width {
            return Err(RowProblem {
                field: "row",
                reason: format!("has {} fields, the header has {}", row.len(), self.width),
            });
        }
        let get = |r: &Resolved| -> String {
            r.0.iter()
                .filter_map(|i| row.get(*i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let opt = |r: &Option<Resolved>| r.as_ref().map(get).unwrap_or_default();
        let problem = |field: &'static str, reason: String| RowProblem { field, reason };

        let call_number = get(&self.call_number);
        if call_number.is_empty() {
            return Err(problem("call_number", "is empty".into()));
        }
        let received_at = time
            .parse(&get(&self.received_at))
            .map_err(|e| problem("received_at", e))?;
        let closed_at = match &self.closed_at {
            Some(r) => {
                let text = get(r);
                if text.is_empty() {
                    None
                } else {
                    Some(time.parse(&text).map_err(|e| problem("closed_at", e))?)
                }
            }
            None => None,
        };
        let nature_code = opt(&self.nature_code);
        let nature_text = opt(&self.nature_text);
        if nature_code.is_empty() && nature_text.is_empty() {
            return Err(problem("nature", "the call type is empty".into()));
        }
        let priority = match opt(&self.priority).as_str() {
            "" => 0,
            p => p
                .parse::<u32>()
                .map_err(|_| problem("priority", format!("{p:?} is not a whole number")))?,
        };
        let coordinate = |field: &'static str, r: &Option<Resolved>, limit: f64| {
            let text = opt(r);
            if text.is_empty() {
                return Ok(None);
            }
            match text.parse::<f64>() {
                Ok(v) if v.is_finite() && v.abs() <= limit => Ok(Some(v)),
                _ => Err(problem(field, format!("{text:?} is not a coordinate"))),
            }
        };
        let lat = coordinate("lat", &self.lat, 90.0)?;
        let lon = coordinate("lon", &self.lon, 180.0)?;
        // Some exports write 0,0 for "no position"; a real call is never there.
        let position = match (lat, lon) {
            (Some(lat), Some(lon)) if lat != 0.0 || lon != 0.0 => Some((lat, lon)),
            _ => None,
        };
        Ok(SourceCall {
            call_number,
            received_at,
            closed_at,
            nature_code,
            nature_text,
            priority,
            address: opt(&self.address),
            cross_streets: opt(&self.cross_streets),
            beat: opt(&self.beat),
            position,
            narrative: opt(&self.narrative),
        })
    }
}

#[cfg(test)]
mod tests;
