//! The subcommands of the `cad-bridge` binary, one module each, and what they share.

pub mod nature_rules;
pub mod replay;

use anyhow::{Context, Result, anyhow};
use dispatch_core::triage::TriageConfig;
use std::path::PathBuf;

/// The triage rules of `--triage FILE`, or the built-in ones.
pub fn load_rules(path: Option<&PathBuf>) -> Result<TriageConfig> {
    let Some(path) = path else {
        return Ok(TriageConfig::default());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("--triage: cannot read {}", path.display()))?;
    let rules: TriageConfig =
        toml::from_str(&text).map_err(|e| anyhow!("--triage {}: {e}", path.display()))?;
    rules
        .validate()
        .map_err(|e| anyhow!("--triage {}: {e}", path.display()))?;
    Ok(rules)
}
