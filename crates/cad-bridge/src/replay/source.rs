//! A replay source: a column mapping and the agency's nature-code map, built in by name
//! (`seattle`, `sandiego`, `ucsd`) or read from a mapping file.

use super::mapping::Mapping;
use crate::nature_map::{NatureMap, NatureMapError};
use dispatch_core::triage::TriageConfig;
use std::path::{Path, PathBuf};

/// The mappings that ship with the bridge: (name, TOML).
pub const BUILT_IN: &[(&str, &str)] = &[
    ("seattle", include_str!("../../config/replay/seattle.toml")),
    (
        "sandiego",
        include_str!("../../config/replay/sandiego.toml"),
    ),
    ("ucsd", include_str!("../../config/replay/ucsd.toml")),
];

/// A loaded source.
#[derive(Clone, Debug)]
pub struct Source {
    /// The built-in name or the mapping file's path, for messages.
    pub name: String,
    pub mapping: Mapping,
    pub nature: Option<NatureMap>,
}

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error(
        "--source {0:?}: not a built-in source ({built_in}) and no such file",
        built_in = built_in_names()
    )]
    Unknown(String),
    #[error("{path}: {message}")]
    Read { path: String, message: String },
    #[error("{path}: {message}")]
    Mapping { path: String, message: String },
    #[error("{path}: nature_map {map:?}: {error}")]
    NatureMap {
        path: String,
        map: String,
        error: Box<NatureMapError>,
    },
}

pub fn built_in_names() -> String {
    BUILT_IN
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Source {
    /// A built-in name, or the path of a mapping file.
    pub fn load(spec: &str, rules: &TriageConfig) -> Result<Source, SourceError> {
        if let Some((name, text)) = BUILT_IN.iter().find(|(n, _)| *n == spec) {
            return Self::parse(name, text, None, rules);
        }
        let path = Path::new(spec);
        if !path.is_file() {
            return Err(SourceError::Unknown(spec.to_owned()));
        }
        let text = std::fs::read_to_string(path).map_err(|e| SourceError::Read {
            path: spec.to_owned(),
            message: e.to_string(),
        })?;
        Self::parse(spec, &text, path.parent(), rules)
    }

    /// Parses a mapping; a nature map named in it is a built-in name or a path relative to
    /// `dir` (the mapping file's folder).
    pub fn parse(
        name: &str,
        text: &str,
        dir: Option<&Path>,
        rules: &TriageConfig,
    ) -> Result<Source, SourceError> {
        let mapping: Mapping = toml::from_str(text).map_err(|e| SourceError::Mapping {
            path: name.to_owned(),
            message: e.to_string(),
        })?;
        if mapping.source.trim().is_empty() {
            return Err(SourceError::Mapping {
                path: name.to_owned(),
                message: "source: must name the CAD source (e.g. \"sdpd\")".into(),
            });
        }
        if mapping.time.formats.is_empty() {
            return Err(SourceError::Mapping {
                path: name.to_owned(),
                message: "time.formats: list at least one format".into(),
            });
        }
        let nature = match &mapping.nature_map {
            None => None,
            Some(map) => Some(load_nature_map(name, map, dir, rules)?),
        };
        Ok(Source {
            name: name.to_owned(),
            mapping,
            nature,
        })
    }
}

fn load_nature_map(
    name: &str,
    map: &str,
    dir: Option<&Path>,
    rules: &TriageConfig,
) -> Result<NatureMap, SourceError> {
    let wrap = |error| SourceError::NatureMap {
        path: name.to_owned(),
        map: map.to_owned(),
        error: Box::new(error),
    };
    if let Some(built_in) = NatureMap::built_in(map, rules) {
        return built_in.map_err(wrap);
    }
    let path: PathBuf = dir.map_or_else(|| PathBuf::from(map), |d| d.join(map));
    let text = std::fs::read_to_string(&path).map_err(|e| SourceError::Read {
        path: path.display().to_string(),
        message: format!("nature map named by {name}: {e}"),
    })?;
    NatureMap::parse(&text, rules).map_err(wrap)
}
