//! dispatch-bench: starts the real server (this same binary, as a child process), connects N
//! team consoles, drives CAD events at a fixed rate and as fast as 64 concurrent CAD clients
//! can, with auto-assign on so every eligible call reaches a console, and prints one JSON line
//! per scenario: ingest ack latency, CAD-submit → assignment-at-console latency, sustained
//! events/s and the server's peak RSS, with the machine it ran on. Loopback only; every loop
//! is bounded in count and time.

mod machine;
mod report_speed;
mod scenario;
mod stats;
mod triage_speed;

use clap::Parser;

#[derive(Debug, Parser)]
#[command(
    name = "dispatch-bench",
    about = "Load generator for dispatch-server (loopback only)"
)]
pub struct Args {
    /// Console counts to run, comma separated.
    #[arg(long, value_delimiter = ',', default_value = "1,100,1000")]
    pub consoles: Vec<usize>,
    /// Seconds per scenario.
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// Events per second for the fixed-rate scenario.
    #[arg(long, default_value_t = 200)]
    pub rate: u64,
    /// Concurrent CAD clients for the as-fast-as-possible scenario.
    #[arg(long, default_value_t = 64)]
    pub cad_clients: usize,
    /// Share of calls that are eligible (the rest carry a weapon flag).
    #[arg(long, default_value_t = 0.7)]
    pub eligible_share: f64,
    /// Run the server on a throwaway PostgreSQL (fsync on, synchronous_commit on; a fresh
    /// cluster per scenario) instead of SQLite. Needs PostgreSQL's binaries (initdb).
    #[arg(long)]
    pub postgres: bool,
    /// Server replicas on the one PostgreSQL (with --postgres); consoles and CAD
    /// connections are spread over them.
    #[arg(long, default_value_t = 1)]
    pub replicas: usize,
    /// Scenarios: fixed (rate), max (unary Submit), stream (SubmitStream).
    #[arg(long, value_delimiter = ',', default_value = "fixed,max,stream")]
    pub scenarios: Vec<String>,
}

fn main() -> anyhow::Result<()> {
    // The bench runs the server by running itself: `dispatch-bench serve --config FILE`.
    if std::env::args().nth(1).as_deref() == Some("serve") {
        return match dispatch_server::cli::main() {
            std::process::ExitCode::SUCCESS => Ok(()),
            _ => anyhow::bail!("server failed"),
        };
    }
    // `dispatch-bench triage [CALLS]`: the batch triage path on one core.
    if std::env::args().nth(1).as_deref() == Some("triage") {
        let calls = std::env::args()
            .nth(2)
            .and_then(|n| n.parse().ok())
            .unwrap_or(10_000);
        println!("{}", triage_speed::run(calls));
        return Ok(());
    }
    let args = Args::parse();
    if cfg!(debug_assertions) {
        eprintln!("warning: a debug build; run with `cargo run --release -p dispatch-bench`");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        for &consoles in &args.consoles {
            for name in &args.scenarios {
                let kind = match name.as_str() {
                    "fixed" => scenario::Kind::FixedRate(args.rate),
                    "max" => scenario::Kind::AsFastAsPossible(args.cad_clients),
                    "stream" => scenario::Kind::Streaming(args.cad_clients),
                    other => anyhow::bail!("unknown scenario {other:?} (fixed, max, stream)"),
                };
                let report = scenario::run(kind, consoles, &args).await?;
                println!("{}", report);
            }
        }
        Ok(())
    })
}
