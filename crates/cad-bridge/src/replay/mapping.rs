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
mod tests {
    use super::*;

    fn mapping(toml_text: &str) -> Mapping {
        toml::from_str(toml_text).expect("mapping parses")
    }

    const SD: &str = r#"
        description = "test"
        source = "sdpd"
        [columns]
        call_number = "incident_num"
        received_at = "date_time"
        nature_code = "call_type"
        priority = "priority"
        address = { join = ["address_number_primary", "address_dir_primary", "address_road_primary", "address_sfx_primary"] }
        cross_streets = { join = ["address_road_intersecting", "address_sfx_intersecting"] }
        beat = "beat"
        [time]
        formats = ["%Y-%m-%d %H:%M:%S"]
        utc_offset_minutes = -480
        us_daylight_saving = true
    "#;

    fn record(fields: &[&str]) -> csv::StringRecord {
        csv::StringRecord::from(fields.to_vec())
    }

    const SD_HEADER: &[&str] = &[
        "\u{feff}incident_num",
        "date_time",
        "address_number_primary",
        "address_dir_primary",
        "address_road_primary",
        "address_sfx_primary",
        "address_road_intersecting",
        "address_sfx_intersecting",
        "call_type",
        "beat",
        "priority",
    ];

    #[test]
    fn a_san_diego_row_maps_with_joined_address_and_no_position() {
        let m = mapping(SD);
        let cols = m.columns.resolve(SD_HEADER).expect("resolves");
        let call = cols
            .read(
                &record(&[
                    "E23010000001",
                    "2023-01-01 00:00:05",
                    "3700",
                    "",
                    "MISSION",
                    "BLVD",
                    "",
                    "",
                    "5150",
                    "122",
                    "2",
                ]),
                &m.time,
            )
            .expect("maps");
        assert_eq!(call.call_number, "E23010000001");
        assert_eq!(call.address, "3700 MISSION BLVD");
        assert_eq!(call.cross_streets, "");
        assert_eq!(call.nature_code, "5150");
        assert_eq!(call.nature_text, "");
        assert_eq!(call.priority, 2);
        assert_eq!(call.position, None);
        assert_eq!(
            call.received_at,
            m.time.parse("2023-01-01 00:00:05").unwrap()
        );
    }

    #[test]
    fn any_takes_the_first_spelling_the_header_has() {
        let m = mapping(
            r#"
            description = "x"
            source = "spd"
            [columns]
            call_number = { any = ["CAD Event Number", "CAD.Event.Number"] }
            received_at = { any = ["Original Time Queued", "Incident.Date"] }
            nature_text = { any = ["Initial Call Type", "Initial.Call.Type"] }
            lat = { any = ["Blurred_Latitude"] }
            lon = { any = ["Blurred_Longitude"] }
            [time]
            formats = ["%Y-%m-%d"]
            utc_offset_minutes = -480
        "#,
        );
        let header = [
            "CAD.Event.Number",
            "Initial.Call.Type",
            "Incident.Date",
            "Blurred_Longitude",
            "Blurred_Latitude",
        ];
        let cols = m.columns.resolve(&header).expect("resolves");
        let call = cols
            .read(
                &record(&[
                    "2024000129202",
                    "TRESPASS",
                    "2024-05-12",
                    "-122.27",
                    "47.63",
                ]),
                &m.time,
            )
            .expect("maps");
        assert_eq!(call.nature_text, "TRESPASS");
        assert_eq!(call.position, Some((47.63, -122.27)));
    }

    #[test]
    fn a_missing_column_names_the_field_the_column_and_the_header() {
        let m = mapping(SD);
        let err = m
            .columns
            .resolve(&["incident_num", "date_time", "call_type"])
            .expect_err("priority is missing");
        let text = err.to_string();
        assert!(
            text.starts_with("columns.priority: the file has no column \"priority\""),
            "{text}"
        );
        assert!(text.contains("\"call_type\""), "{text}");
    }

    #[test]
    fn broken_rows_say_which_field_is_wrong() {
        let m = mapping(SD);
        let cols = m.columns.resolve(SD_HEADER).expect("resolves");
        let good = [
            "E1",
            "2023-01-01 00:00:05",
            "0",
            "",
            "G",
            "ST",
            "",
            "",
            "415",
            "1",
            "2",
        ];
        let with = |i: usize, v: &'static str| {
            let mut f = good.to_vec();
            f[i] = v;
            record(&f)
        };
        let cases = [
            (with(0, " "), "call_number"),
            (with(1, "yesterday"), "received_at"),
            (with(8, ""), "nature"),
            (with(10, "high"), "priority"),
            (record(&good[..5]), "row"),
        ];
        for (row, field) in cases {
            let p = cols.read(&row, &m.time).expect_err(field);
            assert_eq!(p.field, field, "{p}");
        }
    }

    #[test]
    fn out_of_range_coordinates_are_refused_and_zero_zero_is_no_position() {
        let m = mapping(
            r#"
            description = "x"
            source = "s"
            [columns]
            call_number = "n"
            received_at = "t"
            nature_text = "c"
            lat = "lat"
            lon = "lon"
            [time]
            formats = ["%Y-%m-%d"]
            utc_offset_minutes = 0
        "#,
        );
        let cols = m.columns.resolve(&["n", "t", "c", "lat", "lon"]).unwrap();
        let row =
            |lat: &'static str, lon: &'static str| record(&["1", "2024-01-01", "X", lat, lon]);
        assert_eq!(cols.read(&row("0", "0"), &m.time).unwrap().position, None);
        assert_eq!(cols.read(&row("", ""), &m.time).unwrap().position, None);
        assert_eq!(
            cols.read(&row("91", "0"), &m.time).unwrap_err().field,
            "lat"
        );
        assert_eq!(
            cols.read(&row("47", "NaN"), &m.time).unwrap_err().field,
            "lon"
        );
    }

    #[test]
    fn a_mapping_without_any_call_type_column_is_refused() {
        let m = mapping(
            r#"
            description = "x"
            source = "s"
            [columns]
            call_number = "n"
            received_at = "t"
            [time]
            formats = ["%Y-%m-%d"]
            utc_offset_minutes = 0
        "#,
        );
        assert_eq!(
            m.columns.resolve(&["n", "t"]).unwrap_err(),
            HeaderError::NoNature
        );
    }
}
