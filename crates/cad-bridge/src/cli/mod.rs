//! The `cad-bridge` command line: one subcommand per CAD conveyance. Subcommand bodies live
//! in their own modules; this file only dispatches.

mod eido;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "cad-bridge",
    version,
    about = "Connects a 911 CAD to the crisis dispatch server: NENA EIDO documents in and out, from files or over NENA-STA-024 WebSocket."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Cmd,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Submit EIDO documents from files or stdin; optionally follow the server's updates and
    /// write them out as EIDO.
    EidoFile(eido::FileArgs),
    /// Subscribe to a CAD's NENA-STA-024 WebSocket endpoint, forward its EIDOs, and publish the
    /// server's updates back when the CAD subscribes to them.
    EidoWs(eido::WsArgs),
}

/// Runs the command line; errors are printed on stderr with what to fix.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Cmd::EidoFile(args) => eido::run_file(args).await,
            Cmd::EidoWs(args) => eido::run_ws(args).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Logs go to stderr (stdout may carry documents); `RUST_LOG` sets the level, default info.
fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
