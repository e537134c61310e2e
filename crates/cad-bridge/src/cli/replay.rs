//! `cad-bridge replay FILE --source S --speed 60x`: reads, maps, paces and submits a public
//! calls-for-service file, then prints the report. Running totals go to stderr every
//! `PROGRESS_EVERY`; Ctrl-C stops the replay and prints the totals so far. Exit code 0 when
//! every mapped call went in, 1 when the server refused or never received some, 2 when the
//! run could not start (bad flag, file, mapping, token or server address), 130 when
//! interrupted.

use super::load_rules;
use crate::replay::clock_time::TimeFormat;
use crate::replay::{self, Source, Speed, Target, Window};
use anyhow::{Context, Result, anyhow, bail};
use dispatch_core::Timestamp;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// How often a running replay prints its totals.
const PROGRESS_EVERY: Duration = Duration::from_secs(30);

/// How a run ended.
enum Outcome {
    Done(replay::Report),
    Interrupted(String),
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The calls-for-service CSV (`-` for standard input).
    file: PathBuf,
    /// The data's column mapping: a built-in source (seattle, sandiego, ucsd) or a mapping
    /// TOML file (see docs/replay.md).
    #[arg(long)]
    source: String,
    /// Pace: 1x is the real day, 60x an hour a minute, max as fast as the server takes them.
    #[arg(long, default_value = "1x")]
    speed: Speed,
    /// The dispatch server.
    #[arg(
        long,
        env = "CAD_BRIDGE_SERVER",
        default_value = "http://127.0.0.1:50051"
    )]
    server: String,
    /// A token of role `cad` or `cad:<source>` (`dispatch-server token --role cad`).
    #[arg(long, env = "CAD_BRIDGE_TOKEN", hide_env_values = true)]
    token: Option<String>,
    #[command(flatten)]
    tls: super::TlsArgs,
    /// How many CadIngest.SubmitStream streams to use at once (1-64); a call's events always
    /// go on the same one, in order.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    streams: u16,
    /// Replay only the first N calls (in time order, after --start/--end).
    #[arg(long)]
    limit: Option<usize>,
    /// Replay calls received at or after this local time of the data ("2023-01-03 08:00").
    #[arg(long)]
    start: Option<String>,
    /// Replay calls received before this local time of the data ("2023-01-03 10:00").
    #[arg(long)]
    end: Option<String>,
    /// The triage rules the server runs (its `[policy.triage]` table as a file, e.g.
    /// deploy/triage/seattle.toml); the nature map is checked against them. Default: the
    /// built-in rules.
    #[arg(long)]
    triage: Option<PathBuf>,
    /// Read and map the file and print the report; send nothing.
    #[arg(long)]
    dry_run: bool,
}

pub fn main(args: Args) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cad-bridge replay: error: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(args)) {
        Ok(Outcome::Done(report)) => {
            print!("{report}");
            if report.all_delivered() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Ok(Outcome::Interrupted(totals)) => {
            println!("interrupted: {totals}");
            ExitCode::from(130)
        }
        Err(e) => {
            eprintln!("cad-bridge replay: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

async fn run(args: Args) -> Result<Outcome> {
    let rules = load_rules(args.triage.as_ref())?;
    let source = Source::load(&args.source, &rules)?;
    let window = Window {
        start: args
            .start
            .as_deref()
            .map(|t| local_time("--start", t, &source.mapping.time))
            .transpose()?,
        end: args
            .end
            .as_deref()
            .map(|t| local_time("--end", t, &source.mapping.time))
            .transpose()?,
        limit: args.limit,
    };
    if let (Some(s), Some(e)) = (window.start, window.end)
        && e <= s
    {
        bail!("--end must be after --start");
    }
    let input: Box<dyn Read> = if args.file.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(
            std::fs::File::open(&args.file)
                .with_context(|| format!("cannot open {}", args.file.display()))?,
        )
    };
    let plan = replay::plan(std::io::BufReader::new(input), &source, &rules, window)
        .with_context(|| format!("{}", args.file.display()))?;
    if args.dry_run {
        let mut report = plan.report;
        report.dry_run = true;
        return Ok(Outcome::Done(report));
    }
    let token = args.token.filter(|t| !t.trim().is_empty());
    let token = match token {
        Some(token) => token,
        // Known by its client certificate (mutual TLS): no token.
        None if args.tls.cert.is_some() => String::new(),
        None => bail!(
            "--token (or CAD_BRIDGE_TOKEN) is required without --cert: mint one with `dispatch-server token --role cad`"
        ),
    };
    let channel = super::endpoint(&args.server, &args.tls)?
        .connect()
        .await
        .map_err(|e| anyhow!("cannot reach the server at {}: {e}", args.server))?;
    let target = Target {
        channel,
        token,
        streams: usize::from(args.streams),
    };
    eprintln!(
        "replaying {} calls of {} at {} to {}",
        plan.report.mapped, source.name, args.speed, args.server
    );
    let mut totals = String::from("0 calls sent");
    let mut last = Instant::now();
    let mut progress = |r: &replay::Report| {
        totals = r.totals();
        if last.elapsed() >= PROGRESS_EVERY {
            last = Instant::now();
            eprintln!("{totals}");
        }
    };
    let replaying = replay::run_with_progress(plan, &target, args.speed, &mut progress);
    tokio::select! {
        done = replaying => Ok(Outcome::Done(done?)),
        _ = tokio::signal::ctrl_c() => Ok(Outcome::Interrupted(totals)),
    }
}

/// A local date (and time) of the data, in the source's time zone.
fn local_time(flag: &str, text: &str, zone: &TimeFormat) -> Result<Timestamp> {
    let format = TimeFormat {
        formats: vec![
            "%Y-%m-%d %H:%M:%S".into(),
            "%Y-%m-%d %H:%M".into(),
            "%Y-%m-%d".into(),
        ],
        ..zone.clone()
    };
    format
        .parse(text)
        .map_err(|_| anyhow!("{flag} {text:?}: write a local time like \"2023-01-03 08:00\""))
}
