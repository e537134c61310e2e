//! `cad-bridge nature-rules --map sdpd`: prints the triage rules with an agency's nature-code
//! map merged in (every agency call type added to its family's codes), for the server's
//! `[policy.triage]` (`--server-config`) or `dispatch-server triage --config`. A replay
//! against a server running such rules passes the same file to `replay --triage`.

use super::load_rules;
use crate::nature_map::{NatureMap, render_rules};
use anyhow::{Context, Result, anyhow};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The nature-code map: a built-in one (seattle-spd, sdpd, ucsd-pd) or a map TOML file.
    #[arg(long)]
    map: String,
    /// The rules to start from (a rules file like deploy/triage/seattle.toml). Default: the
    /// built-in rules.
    #[arg(long)]
    triage: Option<PathBuf>,
    /// Print a server configuration fragment (`[policy.triage]` tables) instead of a rules
    /// file.
    #[arg(long)]
    server_config: bool,
}

pub fn main(args: Args) -> ExitCode {
    match run(&args) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cad-bridge nature-rules: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<String> {
    let mut rules = load_rules(args.triage.as_ref())?;
    let map = match NatureMap::built_in(&args.map, &rules) {
        Some(map) => map.map_err(|e| anyhow!("--map {}: {e}", args.map))?,
        None => {
            let text = std::fs::read_to_string(&args.map).with_context(|| {
                format!(
                    "--map {}: not a built-in map ({}) and cannot read it as a file",
                    args.map,
                    built_in_maps()
                )
            })?;
            NatureMap::parse(&text, &rules).map_err(|e| anyhow!("--map {}: {e}", args.map))?
        }
    };
    map.merge_into(&mut rules);
    let body = render_rules(&rules, args.server_config)
        .map_err(|e| anyhow!("cannot write the rules: {e}"))?;
    Ok(format!(
        "# Triage rules ({}) with the call types of {} merged in (nature map {}; {}).\n\
         # Written by `cad-bridge nature-rules`; see docs/replay.md.\n{body}",
        args.triage
            .as_ref()
            .map_or_else(|| "built-in".to_owned(), |p| p.display().to_string()),
        map.agency,
        args.map,
        map.source
    ))
}

fn built_in_maps() -> String {
    crate::nature_map::BUILT_IN
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}
