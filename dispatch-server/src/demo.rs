//! `dispatch-server demo`: the server on an embedded SQLite in a temporary (or given) data
//! directory, a seeded roster of Portland teams, fresh tokens for every role printed on
//! start, and a CAD feed that keeps calls arriving. The feed's call types, priorities and
//! hour-of-day pattern come from real Seattle Police calls (see crates/synthetic-calls); the
//! locations are in the demo's Portland service area and the narratives are synthetic.

use crate::auth::{Role, new_token};
use crate::config::{Overrides, Settings, TeamSettings};
use anyhow::Context;
use dispatch_core::{GeoPoint, Member, MemberRole, PeerId};
use dispatch_proto::v1;
use dispatch_proto::v1::cad_ingest_client::CadIngestClient;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use synthetic_calls::{DemoCall, DemoFeed};
use tonic::Request;
use tracing::{info, warn};

#[derive(Debug, Clone, clap::Args)]
pub struct DemoArgs {
    /// Data directory; a fresh temporary one when not given (deleted on exit).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:50051")]
    pub listen: SocketAddr,
    /// Average number of CAD calls per hour (real calls arrive in a daily pattern around it).
    #[arg(long, default_value_t = 240.0)]
    pub calls_per_hour: f64,
    /// Seed of the synthetic feed (same seed, same calls).
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Stop the feed after this many calls (the server keeps running until Ctrl-C).
    #[arg(long)]
    pub max_calls: Option<u64>,
    /// Optional configuration file (policy, logging); the roster and tokens are the demo's.
    #[arg(long)]
    pub config: Option<PathBuf>,
}

/// The demo roster: four teams in Portland, OR; PSR-2 speaks Spanish.
pub fn roster() -> Vec<TeamSettings> {
    let team = |id: &str, lat: f64, lon: f64, languages: &[&str], names: [&str; 3], peer: &str| {
        TeamSettings {
            id: id.to_owned(),
            members: vec![
                Member {
                    name: names[0].to_owned(),
                    role: MemberRole::Clinician,
                    peer_id: None,
                },
                Member {
                    name: names[1].to_owned(),
                    role: MemberRole::Emt,
                    peer_id: None,
                },
                Member {
                    name: names[2].to_owned(),
                    role: MemberRole::Peer,
                    peer_id: Some(PeerId::new(peer)),
                },
            ],
            languages: languages.iter().map(|l| (*l).to_owned()).collect(),
            position: Some(GeoPoint { lat, lon }),
        }
    };
    vec![
        team(
            "PSR-1",
            45.5190,
            -122.6790,
            &["en"],
            ["Clinician Avery", "EMT Brooks", "Peer Casey"],
            "peer-1",
        ),
        team(
            "PSR-2",
            45.5120,
            -122.6250,
            &["en", "es"],
            ["Clinician Díaz", "EMT Flores", "Peer Gómez"],
            "peer-2",
        ),
        team(
            "PSR-3",
            45.5600,
            -122.6800,
            &["en"],
            ["Clinician Hale", "EMT Ito", "Peer Jordan"],
            "peer-3",
        ),
        team(
            "PSR-4",
            45.5200,
            -122.5600,
            &["en", "vi"],
            ["Clinician Kim", "EMT Lee", "Peer Morgan"],
            "peer-4",
        ),
    ]
}

pub fn run(args: DemoArgs) -> anyhow::Result<()> {
    let temp = match &args.data_dir {
        Some(_) => None,
        None => Some(tempfile::tempdir().context("creating a temporary data directory")?),
    };
    let data_dir = args.data_dir.clone().unwrap_or_else(|| {
        temp.as_ref()
            .map(|t| t.path().to_owned())
            .unwrap_or_default()
    });
    let overrides = Overrides {
        listen: Some(args.listen),
        data_dir: Some(data_dir.clone()),
        database_url: None,
        log_json: None,
    };
    let mut settings = Settings::load(args.config.as_deref(), std::env::vars(), &overrides)?;
    // The demo is the embedded SQLite, whatever the environment says.
    settings.database_url = None;
    settings.teams = roster();
    // The demo runs around the clock, whatever the hour where it is tried.
    settings.policy.triage.service_hours = None;
    settings.policy.triage.service_area =
        dispatch_core::ServiceArea::from_ring(synthetic_calls::portland_service_area());
    crate::process::init_logging(&settings.log);

    let mut tokens: Vec<(String, Role)> = Vec::new();
    let mut roles = vec![Role::Cad(None), Role::Dispatcher, Role::Supervisor];
    roles.extend(
        settings
            .teams
            .iter()
            .map(|t| Role::Unit(dispatch_core::TeamId::new(t.id.clone()))),
    );
    roles.extend((1..=4).map(|n| Role::Peer(PeerId::new(format!("peer-{n}")))));
    for role in roles {
        tokens.push((new_token().context("no randomness from the OS")?, role));
    }

    crate::process::runtime()?.block_on(async move {
        let mut running = crate::server::start(&settings, &tokens).await?;
        print_banner(running.addr, &data_dir, &tokens);
        let cad_token = tokens
            .iter()
            .find(|(_, r)| *r == Role::Cad(None))
            .map(|(t, _)| t.clone())
            .unwrap_or_default();
        let feed = tokio::spawn(feed(
            running.addr,
            cad_token,
            args.seed,
            args.calls_per_hour,
            args.max_calls,
            settings.policy.triage.clone(),
        ));
        tokio::select! {
            r = running.wait() => r?,
            () = crate::process::shutdown_signal() => {
                feed.abort();
                running.stop().await?;
            }
        }
        drop(temp);
        Ok(())
    })
}

fn print_banner(addr: SocketAddr, data_dir: &std::path::Path, tokens: &[(String, Role)]) {
    println!("dispatch-server demo listening on {addr}");
    println!("data directory: {}", data_dir.display());
    println!(
        "service area: central Portland, OR (calls outside it are routed `other`); open around the clock; roster: PSR-1..PSR-4, PSR-2 speaks Spanish"
    );
    println!("tokens (valid for this run only):");
    for (token, role) in tokens {
        println!("  {:<14} {token}", role.to_string());
    }
    println!("open a console (the mode follows the token's role; ? shows its keys):");
    let console = console_command();
    let mut shown = Vec::new();
    for (t, r) in tokens {
        let what = match r {
            Role::Dispatcher => "dispatcher",
            Role::Supervisor => "supervisor",
            Role::Unit(_) => "team",
            Role::Peer(_) => "peer",
            _ => continue,
        };
        if !shown.contains(&what) {
            shown.push(what);
            println!("  {console} --server http://{addr} --token {t}   # {what} ({r})");
        }
    }
    println!("Ctrl-C stops the demo.");
}

/// How to start the console without a second (debug) build: the console binary beside this
/// one when it is there (`target/release/dispatch-console` after a release build of the
/// workspace), else `cargo run --release`, which reuses the release build's dependencies.
fn console_command() -> String {
    let beside = std::env::current_exe()
        .ok()
        .map(|exe| exe.with_file_name(format!("dispatch-console{}", std::env::consts::EXE_SUFFIX)))
        .filter(|path| path.is_file());
    match beside {
        Some(path) => {
            // Relative to the working directory when it can be, as a person would type it.
            let shown = std::env::current_dir()
                .ok()
                .and_then(|dir| path.strip_prefix(dir).ok().map(|p| p.to_owned()))
                .unwrap_or(path);
            shown.display().to_string()
        }
        None if cfg!(debug_assertions) => "cargo run -p dispatch-console --".to_owned(),
        None => "cargo run --release -p dispatch-console --".to_owned(),
    }
}

/// How many calls the demo sends at once when it starts, so that a newcomer sees the board
/// working within seconds, whatever the hour; at least one of them is for the crisis team.
pub const OPENING_CALLS: usize = 4;

/// The opening calls: the first the feed draws that triage finds eligible, then the next
/// ones as the hour brings them (thefts, traffic...: the board shows what is not for the
/// team too). Draws at most a few hundred calls looking for an eligible one.
fn opening_calls(
    feed: &mut DemoFeed,
    hour: u8,
    triage: &dispatch_core::triage::TriageConfig,
) -> Vec<DemoCall> {
    use dispatch_core::Decision;
    let mut calls: Vec<DemoCall> = (0..500)
        .map(|_| feed.next_call(hour))
        .find(|c| {
            dispatch_core::triage::triage_at(triage, &c.details, None).decision
                == Decision::Eligible
        })
        .into_iter()
        .collect();
    while calls.len() < OPENING_CALLS {
        calls.push(feed.next_call(hour));
    }
    calls
}

/// Replays the synthetic feed through the real CadIngest API, as a CAD would: the opening
/// calls at once, then calls at the real daily pattern's pace.
async fn feed(
    addr: SocketAddr,
    token: String,
    seed: u64,
    calls_per_hour: f64,
    max_calls: Option<u64>,
    triage: dispatch_core::triage::TriageConfig,
) {
    let mut feed = DemoFeed::new(seed);
    let endpoint = format!("http://{addr}");
    let mut client = loop {
        match CadIngestClient::connect(endpoint.clone()).await {
            Ok(c) => break c,
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    };
    let calls_per_day = calls_per_hour.max(0.1) * 24.0;
    // One CAD source per run, so a re-used data directory never mistakes today's call numbers
    // for yesterday's.
    let source = format!("demo-cad-{}", crate::clock::now().millis() / 1000);
    let mut sent = 0u64;
    let mut later: Vec<(tokio::time::Instant, String, String)> = Vec::new();
    let opening = opening_calls(&mut feed, local_hour(), &triage);
    let mut opening = opening.into_iter();
    loop {
        if max_calls.is_some_and(|m| sent >= m) {
            break;
        }
        let hour = local_hour();
        let call = match opening.next() {
            Some(call) => call,
            None => {
                let gap =
                    Duration::from_secs_f64(feed.next_gap_secs(hour, calls_per_day).min(600.0));
                let deadline = tokio::time::Instant::now() + gap;
                // Narrative lines the CAD appends a little after the call.
                while let Some(pos) = later.iter().position(|(at, _, _)| *at <= deadline) {
                    let (at, call_number, line) = later.swap_remove(pos);
                    tokio::time::sleep_until(at).await;
                    let event = cad_event(
                        &source,
                        &call_number,
                        v1::cad_event::Kind::Narrative(v1::NarrativeAppended { lines: vec![line] }),
                    );
                    if let Err(e) = client.submit(authorized(event, &token)).await {
                        warn!(code = ?e.code(), "demo feed: narrative refused");
                    }
                }
                tokio::time::sleep_until(deadline).await;
                feed.next_call(hour)
            }
        };
        for (i, line) in call.later_narrative.iter().enumerate() {
            let secs = 20 + 25 * u64::try_from(i).unwrap_or(0);
            later.push((
                tokio::time::Instant::now() + Duration::from_secs(secs),
                call.call_number.clone(),
                line.clone(),
            ));
        }
        let number = call.call_number.clone();
        match client
            .submit(authorized(created(&source, call), &token))
            .await
        {
            Ok(r) => info!(call = %number, seq = r.get_ref().seq, "demo feed: call submitted"),
            Err(e) => warn!(code = ?e.code(), "demo feed: call refused"),
        }
        sent += 1;
    }
}

/// Portland's local hour (Pacific time; the demo takes UTC-8 and ignores daylight saving).
fn local_hour() -> u8 {
    let ms = crate::clock::now().millis();
    u8::try_from((ms / 3_600_000 - 8).rem_euclid(24)).unwrap_or(0)
}

fn authorized<T>(message: T, token: &str) -> Request<T> {
    let mut request = Request::new(message);
    if let Ok(value) = format!("Bearer {token}").parse() {
        request.metadata_mut().insert("authorization", value);
    }
    request
}

fn cad_event(source: &str, call_number: &str, kind: v1::cad_event::Kind) -> v1::CadEvent {
    v1::CadEvent {
        source: source.to_owned(),
        event_id: uuid::Uuid::now_v7().to_string(),
        call_number: call_number.to_owned(),
        occurred_at: Some(dispatch_proto::convert::to_proto_time(crate::clock::now())),
        kind: Some(kind),
    }
}

fn created(source: &str, call: DemoCall) -> v1::CadEvent {
    let d = call.details;
    let location = v1::Location::from(&d.location);
    let kind = v1::cad_event::Kind::Created(v1::CallCreated {
        nature_code: d.nature_code,
        nature_text: d.nature_text,
        cad_priority: d.cad_priority,
        location: Some(location),
        narrative: d.narrative.into_iter().map(|l| l.text).collect(),
        caller: Some(v1::Caller {
            name: d.caller.name,
            callback: d.caller.callback,
        }),
        caller_language: d.caller_language,
        flags: Some(v1::SafetyFlags::from(&d.flags)),
    });
    cad_event(source, &call.call_number, kind)
}
