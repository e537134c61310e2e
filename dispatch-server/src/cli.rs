//! The command line: `serve`, `demo`, `triage`, `report`, `audit`, `token`, `config`,
//! `migrate`.

use crate::auth::{Role, hash_token, hex, new_token};
use crate::config::{Overrides, Settings};
use crate::process::{init_logging, runtime, shutdown_signal};
use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "dispatch-server",
    version,
    about = "Crisis-response dispatch server (gRPC)"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Cmd,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Run the server.
    Serve(ServeArgs),
    /// Run the server on an embedded database with a seeded roster, printed tokens and a
    /// CAD feed replaying real Seattle call types.
    Demo(crate::demo::DemoArgs),
    /// Triage calls in bulk: JSON lines in (stdin or --input), one JSON line out per call.
    Triage(crate::triage_cli::TriageArgs),
    /// Fit the triage's learned screen to labelled calls and write its weights.
    TriageLearn(crate::triage_cli::LearnArgs),
    /// Print a running server's utilization report for a period (text or CSV).
    Report(crate::report_cli::ReportArgs),
    /// Ask a running server to verify its audit trail or export it (admin or auditor).
    Audit(crate::audit_cli::AuditArgs),
    /// Print a new bearer token for ROLE and the config line that grants it.
    Token {
        /// cad, cad:<source>, dispatcher, supervisor, unit:<call sign>, peer:<id>, admin or
        /// auditor.
        #[arg(long)]
        role: String,
        /// The person or system holding the token, named in the server's logs.
        #[arg(long, alias = "label")]
        holder: String,
        /// When the token stops working, RFC 3339 (e.g. 2027-01-31T00:00:00Z).
        #[arg(long)]
        expires: Option<String>,
    },
    /// Print the documented example configuration.
    Config,
    /// Create or upgrade the database and exit.
    Migrate(ServeArgs),
    /// Copy a program's SQLite journal to an empty PostgreSQL database and rebuild the
    /// projections there (server stopped).
    MigrateStore(crate::migrate_store::MigrateStoreArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Configuration file (TOML).
    #[arg(long, short, env = "DISPATCH_CONFIG")]
    pub config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:50051].
    #[arg(long)]
    pub listen: Option<SocketAddr>,
    /// Data directory (the SQLite file lives there) [default: ./data].
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// PostgreSQL URL (postgres://...): several replicas share it [default: the embedded
    /// SQLite in --data-dir].
    #[arg(long)]
    pub database_url: Option<String>,
    /// Log one JSON object per line.
    #[arg(long)]
    pub log_json: bool,
}

impl ServeArgs {
    pub fn settings(&self) -> anyhow::Result<Settings> {
        let overrides = Overrides {
            listen: self.listen,
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
            log_json: self.log_json.then_some(true),
        };
        Ok(Settings::load(
            self.config.as_deref(),
            std::env::vars(),
            &overrides,
        )?)
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // One rustls crypto provider (ring) for the process, before any TLS is set up.
    crate::tls::install_crypto_provider();
    let triage = matches!(cli.command, Cmd::Triage(_));
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            // For triage, 1 means "some lines failed"; a failure of the whole run is 2.
            if triage {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Cmd::Triage(args) => return crate::triage_cli::run(args),
        Cmd::TriageLearn(args) => return crate::triage_cli::run_learn(args),
        Cmd::Audit(args) => return crate::audit_cli::run(args),
        _ => {}
    }
    run_server_commands(cli.command).map(|()| ExitCode::SUCCESS)
}

fn run_server_commands(command: Cmd) -> anyhow::Result<()> {
    match command {
        Cmd::Token {
            role,
            holder,
            expires,
        } => {
            let role = Role::parse(&role).map_err(anyhow::Error::msg)?;
            let expires = match expires {
                Some(text) => {
                    let at = crate::auth::parse_expiry(&text).map_err(anyhow::Error::msg)?;
                    format!(", expires = \"{at}\"")
                }
                None => String::new(),
            };
            let token = new_token().context("no randomness from the OS")?;
            println!("token: {token}");
            println!(
                "Give the token to its holder. Add this line to [auth] tokens in the config \
                 (then SIGHUP the server or restart it):"
            );
            println!(
                "  {{ role = \"{role}\", sha256 = \"{}\", holder = {:?}{expires} }},",
                hex(&hash_token(&token)),
                holder
            );
            Ok(())
        }
        Cmd::Config => {
            print!("{}", crate::config::EXAMPLE);
            Ok(())
        }
        Cmd::Serve(args) => {
            let settings = args.settings()?;
            init_logging(&settings.log);
            runtime()?.block_on(serve(&args, settings))
        }
        Cmd::Migrate(args) => {
            let settings = args.settings()?;
            init_logging(&settings.log);
            runtime()?.block_on(async {
                if let Some(url) = &settings.database_url {
                    let store = dispatch_store_postgres::PgStore::open(url).await?;
                    dispatch_store::Store::close(&store).await;
                    println!(
                        "database {} is up to date",
                        crate::config::redact_password(url)
                    );
                    return Ok(());
                }
                std::fs::create_dir_all(&settings.data_dir)
                    .with_context(|| format!("creating {}", settings.data_dir.display()))?;
                let store =
                    dispatch_store_sqlite::SqliteStore::open(&settings.database_path()).await?;
                dispatch_store::Store::close(&store).await;
                println!(
                    "database {} is up to date",
                    settings.database_path().display()
                );
                Ok(())
            })
        }
        Cmd::MigrateStore(args) => runtime()?.block_on(async {
            let copied = crate::migrate_store::run(&args).await?;
            println!(
                "copied {} journal entries, {} CAD receipts, {} command records, {} data keys and {} audit records (chain verified) from {} to {}; projections rebuilt; start the servers with the same [privacy] key_file",
                copied.entries,
                copied.receipts,
                copied.commands,
                copied.data_keys,
                copied.audit_records,
                args.from.display(),
                crate::config::redact_password(&args.to)
            );
            Ok(())
        }),
        Cmd::Demo(args) => crate::demo::run(args),
        Cmd::Report(args) => crate::report_cli::run(args),
        Cmd::Triage(args) => crate::triage_cli::run(args).map(|_| ()),
        Cmd::TriageLearn(args) => crate::triage_cli::run_learn(args).map(|_| ()),
        Cmd::Audit(args) => crate::audit_cli::run(args).map(|_| ()),
    }
}

async fn serve(args: &ServeArgs, settings: Settings) -> anyhow::Result<()> {
    let mut running = crate::server::start(&settings, &[]).await?;
    // One line on stdout, for scripts and tests that start the server on port 0.
    println!("dispatch-server listening on {}", running.addr);
    let mut hangups = crate::process::Hangups::new()?;
    let stop = shutdown_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            r = running.wait() => return Ok(r?),
            () = hangups.next() => reload(args, &running),
            () = &mut stop => break,
        }
    }
    // A second signal exits at once.
    tokio::spawn(async {
        shutdown_signal().await;
        eprintln!("second signal: exiting now");
        std::process::exit(130);
    });
    running.stop().await?;
    Ok(())
}

/// SIGHUP: the config file is read again; tokens, certificate roles and TLS certificates
/// change without a restart (everything else needs one).
fn reload(args: &ServeArgs, running: &crate::server::Running) {
    let reloaded = args
        .settings()
        .map_err(|e| format!("{e:#}"))
        .and_then(|settings| running.reload(&settings).map_err(|e| e.to_string()));
    if let Err(error) = reloaded {
        tracing::error!(%error, "SIGHUP: reload failed; the configuration in use stays");
    }
}
