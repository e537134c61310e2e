//! The `cad-bridge` binary: one subcommand per way a CAD reaches the server. Each
//! subcommand's body lives in `cli/`; this file only dispatches.

mod cli;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "cad-bridge",
    version,
    about = "Connects a 911 CAD to the dispatch server."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Replay a public calls-for-service CSV to the server as CAD events, paced like the real
    /// day, and report how triage took the calls.
    Replay(cli::replay::Args),
    /// Print the triage rules with an agency's nature-code map merged in, so the server
    /// recognises the agency's own call types.
    NatureRules(cli::nature_rules::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Replay(args) => cli::replay::main(args),
        Command::NatureRules(args) => cli::nature_rules::main(args),
    }
}
