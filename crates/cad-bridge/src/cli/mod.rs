//! The `cad-bridge` command line: one subcommand per way a CAD reaches the server. Subcommand
//! bodies live in their own modules; this file only dispatches (and holds what they share).

mod eido;
pub mod nature_rules;
pub mod replay;

use anyhow::{Context, Result, anyhow};
use clap::{Parser, Subcommand};
use dispatch_core::triage::TriageConfig;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "cad-bridge",
    version,
    about = "Connects a 911 CAD to the crisis dispatch server: NENA EIDO documents in and out, from files or over NENA-STA-024 WebSocket, and replays of public calls-for-service data."
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
    /// Replay a public calls-for-service CSV to the server as CAD events, paced like the real
    /// day, and report how triage took the calls.
    Replay(replay::Args),
    /// Print the triage rules with an agency's nature-code map merged in, so the server
    /// recognises the agency's own call types.
    NatureRules(nature_rules::Args),
}

/// Runs the command line; errors are printed on stderr with what to fix.
pub fn main() -> ExitCode {
    match Cli::parse().command {
        Cmd::Replay(args) => replay::main(args),
        Cmd::NatureRules(args) => nature_rules::main(args),
        Cmd::EidoFile(args) => run_async(eido::run_file(args)),
        Cmd::EidoWs(args) => run_async(eido::run_ws(args)),
    }
}

/// Runs an EIDO subcommand on a fresh runtime, with logging; an error exits 2.
fn run_async(work: impl std::future::Future<Output = Result<ExitCode>>) -> ExitCode {
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
    match runtime.block_on(work) {
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

/// TLS to the dispatch server (with an `https://` --server).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TlsArgs {
    /// The CA certificate (PEM) that signed the server's certificate.
    #[arg(long, env = "CAD_BRIDGE_CA", value_name = "PEM")]
    pub ca: Option<PathBuf>,
    /// This CAD's certificate (PEM) for mutual TLS; the server maps its subject to a role,
    /// so no --token is needed.
    #[arg(long, env = "CAD_BRIDGE_CERT", value_name = "PEM")]
    pub cert: Option<PathBuf>,
    /// The key (PEM) of --cert.
    #[arg(long, env = "CAD_BRIDGE_KEY", value_name = "PEM")]
    pub key: Option<PathBuf>,
}

/// The endpoint for `--server`, plain or TLS.
pub fn endpoint(server: &str, tls: &TlsArgs) -> Result<tonic::transport::Endpoint> {
    let files = dispatch_proto::endpoint::ClientTls {
        ca: tls.ca.clone(),
        cert: tls.cert.clone(),
        key: tls.key.clone(),
    };
    dispatch_proto::endpoint::endpoint(server, &files).map_err(|e| anyhow!("--server: {e}"))
}
