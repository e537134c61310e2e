//! One scenario: a fresh server on a fresh database, N consoles, a CAD load, the figures.

use crate::stats::Samples;
use crate::{Args, machine};
use anyhow::Context;
use dispatch_core::{GeoPoint, Member, MemberRole};
use dispatch_proto::v1;
use dispatch_proto::v1::cad_ingest_client::CadIngestClient;
use dispatch_proto::v1::responder_client::ResponderClient;
use dispatch_server::auth::{Role, hash_token, hex, new_token};
use dispatch_server::config::{Settings, TeamSettings, TokenEntry};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_stream::StreamExt;
use tonic::Request;
use tonic::transport::Channel;

#[derive(Clone, Copy, Debug)]
pub enum Kind {
    FixedRate(u64),
    /// Unary `Submit` calls, each client waiting for its receipt before the next.
    AsFastAsPossible(usize),
    /// One `SubmitStream` per client, each waiting for its receipt before the next event.
    Streaming(usize),
}

type Pending = Arc<Mutex<HashMap<String, Instant>>>;

pub(crate) fn authed<T>(message: T, token: &str) -> Request<T> {
    let mut r = Request::new(message);
    if let Ok(v) = format!("Bearer {token}").parse() {
        r.metadata_mut().insert("authorization", v);
    }
    r
}

async fn channel(addr: SocketAddr) -> anyhow::Result<Channel> {
    Ok(Channel::from_shared(format!("http://{addr}"))?
        .connect()
        .await?)
}

/// Teams on a grid over central Portland.
fn teams(n: usize) -> Vec<TeamSettings> {
    (0..n)
        .map(|i| TeamSettings {
            id: format!("B-{i:04}"),
            members: vec![
                Member {
                    name: "clinician".into(),
                    role: MemberRole::Clinician,
                    peer_id: None,
                },
                Member {
                    name: "emt".into(),
                    role: MemberRole::Emt,
                    peer_id: None,
                },
                Member {
                    name: "peer".into(),
                    role: MemberRole::Peer,
                    peer_id: None,
                },
            ],
            languages: vec!["en".into()],
            position: Some(GeoPoint {
                lat: 45.48 + (i % 32) as f64 * 0.003,
                lon: -122.72 + (i / 32) as f64 * 0.004,
            }),
        })
        .collect()
}

fn call(n: u64, eligible: bool) -> v1::CadEvent {
    let flag = |yes: bool| {
        if yes {
            v1::Answer::Yes as i32
        } else {
            v1::Answer::No as i32
        }
    };
    v1::CadEvent {
        source: "bench".into(),
        event_id: format!("ev-{n}"),
        call_number: format!("B{n:09}"),
        occurred_at: None,
        kind: Some(v1::cad_event::Kind::Created(v1::CallCreated {
            nature_code: "CRISIS".into(),
            nature_text: "PERSON IN BEHAVIORAL/EMOTIONAL CRISIS".into(),
            cad_priority: 2,
            location: Some(v1::Location {
                address: "SYNTHETIC BLOCK".into(),
                lat: Some(45.50 + (n % 100) as f64 * 0.0005),
                lon: Some(-122.68 + (n % 77) as f64 * 0.0005),
                place_type: v1::PlaceType::OutdoorPublic as i32,
                cross_streets: String::new(),
                beat: String::new(),
            }),
            narrative: vec!["SUBJ TALKING TO SELF, NO WPNS SEEN".into()],
            caller: None,
            caller_language: String::new(),
            flags: Some(v1::SafetyFlags {
                weapon: flag(!eligible),
                violence: flag(false),
                medical: flag(false),
                fire: flag(false),
                traffic: flag(false),
                suicidal: flag(false),
            }),
        })),
    }
}

struct Server {
    child: std::process::Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(dir: &std::path::Path, settings: &Settings) -> anyhow::Result<Server> {
    let config = dir.join("bench.toml");
    std::fs::write(&config, settings.to_toml()?)?;
    let mut child = Command::new(std::env::current_exe()?)
        .args(["serve", "--config"])
        .arg(&config)
        .stdout(Stdio::piped())
        .spawn()
        .context("starting the server")?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().context("stdout")?).read_line(&mut line)?;
    let addr = line
        .trim()
        .rsplit(' ')
        .next()
        .and_then(|a| a.parse().ok())
        .context("server did not say where it listens")?;
    Ok(Server { child, addr })
}

pub async fn run(kind: Kind, consoles: usize, args: &Args) -> anyhow::Result<serde_json::Value> {
    let dir = tempfile::tempdir()?;
    let roster = teams(consoles);
    let cad_token = new_token()?;
    let supervisor_token = new_token()?;
    let unit_tokens: Vec<String> = roster
        .iter()
        .map(|_| new_token())
        .collect::<Result<_, _>>()?;
    let mut settings = Settings {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        data_dir: dir.path().to_owned(),
        ..Settings::default()
    };
    settings.log.filter = "error".into();
    settings.policy.auto_assign = true;
    // Written to a config file, so "around the clock" must be explicit (absent = default hours).
    settings.policy.triage.service_hours = Some(dispatch_core::hours::ServiceHours::always());
    settings.policy.ack_window_secs = 3600;
    settings.auth.tokens.push(TokenEntry {
        role: Role::Cad(None).to_string(),
        sha256: hex(&hash_token(&cad_token)),
        holder: "bench".into(),
        ..TokenEntry::default()
    });
    settings.auth.tokens.push(TokenEntry {
        role: Role::Supervisor.to_string(),
        sha256: hex(&hash_token(&supervisor_token)),
        holder: "bench".into(),
        ..TokenEntry::default()
    });
    for (team, token) in roster.iter().zip(&unit_tokens) {
        settings.auth.tokens.push(TokenEntry {
            role: format!("unit:{}", team.id),
            sha256: hex(&hash_token(token)),
            holder: "bench".into(),
            ..TokenEntry::default()
        });
    }
    settings.teams = roster;
    let postgres = if args.postgres {
        let pg = dispatch_store_postgres::harness::PgServer::start_with(
            dispatch_store_postgres::harness::Durability::Full,
        );
        settings.database_url = Some(pg.database("bench").await);
        Some(pg)
    } else {
        None
    };
    let replicas = if args.postgres {
        args.replicas.max(1)
    } else {
        1
    };
    let mut servers = Vec::new();
    let mut dirs = Vec::new();
    for _ in 0..replicas {
        let replica_dir = tempfile::tempdir()?;
        servers.push(start_server(replica_dir.path(), &settings)?);
        dirs.push(replica_dir);
    }
    let addrs: Vec<SocketAddr> = servers.iter().map(|s| s.addr).collect();

    // Consoles: one connection per 16, like terminals behind a few gateways.
    let pending: Pending = Arc::new(Mutex::new(HashMap::new()));
    let delivered = Arc::new(Mutex::new(Samples::default()));
    let received = Arc::new(AtomicU64::new(0));
    let mut channels = Vec::new();
    for i in 0..consoles.div_ceil(16) {
        channels.push(channel(addrs[i % addrs.len()]).await?);
    }
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<()>(consoles.max(1));
    let mut console_tasks = Vec::new();
    for (i, token) in unit_tokens.into_iter().enumerate() {
        let mut client = ResponderClient::new(channels[i / 16].clone());
        let (pending, delivered, received, ready) = (
            pending.clone(),
            delivered.clone(),
            received.clone(),
            ready_tx.clone(),
        );
        console_tasks.push(tokio::spawn(async move {
            let Ok(stream) = client
                .subscribe(authed(
                    v1::SubscribeRequest {
                        team_id: String::new(),
                        after_seq: 0,
                    },
                    &token,
                ))
                .await
            else {
                return;
            };
            let mut stream = stream.into_inner();
            let _ = ready.send(()).await;
            while let Some(Ok(m)) = stream.next().await {
                let Some(v1::responder_event::Kind::Event(e)) = m.kind else {
                    continue;
                };
                let Some(v1::event::Kind::AssignmentMade(a)) = e.kind else {
                    continue;
                };
                let call_number = a.incident.map(|i| i.call_number).unwrap_or_default();
                if let Some(start) = pending.lock().ok().and_then(|mut p| p.remove(&call_number))
                    && let Ok(mut d) = delivered.lock()
                {
                    d.push_ms(start.elapsed().as_secs_f64() * 1000.0);
                }
                received.fetch_add(1, Ordering::Relaxed);
                // Work the call to the end so the team is free for the next one.
                let cmd = || uuid::Uuid::new_v4().to_string();
                let on_scene = v1::UpdateStatusRequest {
                    command_id: cmd(),
                    status: v1::TeamStatus::OnScene as i32,
                    position: None,
                    team_id: String::new(),
                };
                let _ = client.update_status(authed(on_scene, &token)).await;
                let clear = v1::ClearRequest {
                    command_id: cmd(),
                    disposition: v1::Disposition::ResolvedOnScene as i32,
                    encounter: None,
                };
                let _ = client.clear(authed(clear, &token)).await;
            }
        }));
    }
    drop(ready_tx);
    for _ in 0..consoles {
        ready_rx
            .recv()
            .await
            .context("a console could not subscribe")?;
    }

    // The CAD load.
    let cad_channels: Vec<Channel> = {
        let mut v = Vec::new();
        for i in 0..8 {
            v.push(channel(addrs[i % addrs.len()]).await?);
        }
        v
    };
    let acks = Arc::new(Mutex::new(Samples::default()));
    let sent = Arc::new(AtomicU64::new(0));
    let eligible = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let duration = Duration::from_secs(args.seconds);
    let started = Instant::now();
    let share = args.eligible_share;
    let submit = {
        let (pending, acks, eligible, failed) = (
            pending.clone(),
            acks.clone(),
            eligible.clone(),
            failed.clone(),
        );
        let token = cad_token.clone();
        move |mut client: CadIngestClient<Channel>, n: u64| {
            let (pending, acks, eligible, failed, token) = (
                pending.clone(),
                acks.clone(),
                eligible.clone(),
                failed.clone(),
                token.clone(),
            );
            async move {
                // A deterministic spread of eligible and not-eligible calls.
                let is_eligible = ((n * 7919) % 1000) as f64 / 1000.0 < share;
                let event = call(n, is_eligible);
                let t0 = Instant::now();
                if is_eligible {
                    eligible.fetch_add(1, Ordering::Relaxed);
                    if let Ok(mut p) = pending.lock() {
                        p.insert(format!("B{n:09}"), t0);
                    }
                }
                match client.submit(authed(event, &token)).await {
                    Ok(_) => {
                        if let Ok(mut a) = acks.lock() {
                            a.push_ms(t0.elapsed().as_secs_f64() * 1000.0);
                        }
                    }
                    Err(_) => {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }
    };
    match kind {
        Kind::FixedRate(rate) => {
            let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / rate.max(1) as f64));
            let mut tasks = Vec::new();
            let total = rate * args.seconds;
            for n in 0..total {
                tick.tick().await;
                let client = CadIngestClient::new(cad_channels[(n % 8) as usize].clone());
                tasks.push(tokio::spawn(submit(client, n)));
                sent.fetch_add(1, Ordering::Relaxed);
            }
            for t in tasks {
                let _ = t.await;
            }
        }
        Kind::AsFastAsPossible(clients) => {
            let next = Arc::new(AtomicU64::new(0));
            let mut tasks = Vec::new();
            for c in 0..clients {
                let client = CadIngestClient::new(cad_channels[c % 8].clone());
                let (next, sent, submit) = (next.clone(), sent.clone(), submit.clone());
                tasks.push(tokio::spawn(async move {
                    while started.elapsed() < duration {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        submit(client.clone(), n).await;
                        sent.fetch_add(1, Ordering::Relaxed);
                    }
                }));
            }
            for t in tasks {
                let _ = t.await;
            }
        }
        Kind::Streaming(clients) => {
            let next = Arc::new(AtomicU64::new(0));
            let mut tasks = Vec::new();
            for c in 0..clients {
                let mut client = CadIngestClient::new(cad_channels[c % 8].clone());
                let (next, sent, acks, eligible, failed, pending) = (
                    next.clone(),
                    sent.clone(),
                    acks.clone(),
                    eligible.clone(),
                    failed.clone(),
                    pending.clone(),
                );
                let token = cad_token.clone();
                tasks.push(tokio::spawn(async move {
                    let (tx, rx) = tokio::sync::mpsc::channel::<v1::CadEvent>(1);
                    let Ok(receipts) = client
                        .submit_stream(authed(
                            tokio_stream::wrappers::ReceiverStream::new(rx),
                            &token,
                        ))
                        .await
                    else {
                        failed.fetch_add(1, Ordering::Relaxed);
                        return;
                    };
                    let mut receipts = receipts.into_inner();
                    while started.elapsed() < duration {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        let is_eligible = ((n * 7919) % 1000) as f64 / 1000.0 < share;
                        let t0 = Instant::now();
                        if is_eligible {
                            eligible.fetch_add(1, Ordering::Relaxed);
                            if let Ok(mut p) = pending.lock() {
                                p.insert(format!("B{n:09}"), t0);
                            }
                        }
                        if tx.send(call(n, is_eligible)).await.is_err() {
                            break;
                        }
                        match receipts.next().await {
                            Some(Ok(r)) if r.rejection.is_none() => {
                                if let Ok(mut a) = acks.lock() {
                                    a.push_ms(t0.elapsed().as_secs_f64() * 1000.0);
                                }
                            }
                            _ => {
                                failed.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                        sent.fetch_add(1, Ordering::Relaxed);
                    }
                }));
            }
            for t in tasks {
                let _ = t.await;
            }
        }
    }
    let load_secs = started.elapsed().as_secs_f64();
    // Let the last assignments reach their consoles (bounded).
    let settle = Instant::now();
    while received.load(Ordering::Relaxed) < eligible.load(Ordering::Relaxed)
        && settle.elapsed() < Duration::from_secs(10)
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for t in &console_tasks {
        t.abort();
    }
    let report = crate::report_speed::measure(channel(addrs[0]).await?, &supervisor_token).await?;
    let rss = machine::peak_rss_mib(servers[0].child.id());
    drop(servers);
    drop(postgres);

    let sent = sent.load(Ordering::Relaxed);
    let (scenario, target) = match kind {
        Kind::FixedRate(r) => ("fixed_rate", serde_json::json!(r)),
        Kind::AsFastAsPossible(c) => (
            "as_fast_as_possible",
            serde_json::json!({ "cad_clients": c, "rpc": "Submit" }),
        ),
        Kind::Streaming(c) => (
            "as_fast_as_possible_stream",
            serde_json::json!({ "cad_clients": c, "rpc": "SubmitStream" }),
        ),
    };
    let mut acks = std::mem::take(&mut *acks.lock().map_err(|_| anyhow::anyhow!("poisoned"))?);
    let mut delivered =
        std::mem::take(&mut *delivered.lock().map_err(|_| anyhow::anyhow!("poisoned"))?);
    Ok(serde_json::json!({
        "bench": "dispatch",
        "scenario": scenario,
        "target": target,
        "consoles": consoles,
        "store": if args.postgres { "postgres" } else { "sqlite" },
        "replicas": replicas,
        "seconds": (load_secs * 100.0).round() / 100.0,
        "cad_events": sent,
        "cad_events_failed": failed.load(Ordering::Relaxed),
        "events_per_s": (sent as f64 / load_secs).round(),
        "eligible_calls": eligible.load(Ordering::Relaxed),
        "assignments_at_consoles": received.load(Ordering::Relaxed),
        "ingest_ack_ms": acks.summary(),
        "submit_to_console_ms": delivered.summary(),
        "server_peak_rss_mib": rss,
        "utilization_report": report,
        "durability": if args.postgres {
            "postgresql, fsync=on, synchronous_commit=on (WAL flushed per group commit)"
        } else {
            "sqlite wal, synchronous=full (fsync per group commit)"
        },
        "machine": machine::describe(),
    }))
}
