//! Test harness: the real server on an ephemeral loopback port with a real SQLite file,
//! either in this process or as a child process that a test can kill; typed gRPC clients
//! with bearer tokens; small fixtures. No part of the system is mocked.

pub mod fixtures;
pub mod pg_reads;
pub mod pki;
/// A throwaway PostgreSQL (initdb in a temporary directory, a free loopback port), shared
/// with the PostgreSQL store's own tests; it fails, never skips, when PostgreSQL is missing.
pub use dispatch_store_postgres::harness as postgres;
pub mod raw;
pub mod schemas;

use dispatch_core::{GeoPoint, Member, MemberRole, PeerId};
use dispatch_proto::v1;
use dispatch_server::auth::{Role, hash_token, hex, new_token};
use dispatch_server::config::{Settings, TeamSettings, TokenEntry};
use dispatch_server::server::Running;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tempfile::TempDir;
use tokio_stream::StreamExt;
use tonic::transport::Channel;
use tonic::{Request, Streaming};

pub use dispatch_proto::v1::audit_client::AuditClient;
pub use dispatch_proto::v1::cad_ingest_client::CadIngestClient;
pub use dispatch_proto::v1::dispatch_client::DispatchClient;
pub use dispatch_proto::v1::follow_ups_client::FollowUpsClient;
pub use dispatch_proto::v1::responder_client::ResponderClient;

/// How long a test waits for something the server should send at once.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// One token per role.
#[derive(Clone, Debug)]
pub struct Tokens {
    pub cad: String,
    pub dispatcher: String,
    pub supervisor: String,
    pub admin: String,
    pub auditor: String,
    pub units: HashMap<String, String>,
    pub peers: HashMap<String, String>,
}

impl Tokens {
    fn mint(teams: &[TeamSettings], peers: &[&str]) -> (Tokens, Vec<TokenEntry>) {
        let mut entries = Vec::new();
        let mut mint = |role: Role| {
            let token = new_token().expect("randomness");
            entries.push(TokenEntry {
                role: role.to_string(),
                sha256: hex(&hash_token(&token)),
                // Each token its own holder, as the audit trail names them.
                holder: format!("holder of {role}"),
                ..TokenEntry::default()
            });
            token
        };
        let cad = mint(Role::Cad(None));
        let dispatcher = mint(Role::Dispatcher);
        let supervisor = mint(Role::Supervisor);
        let admin = mint(Role::Admin);
        let auditor = mint(Role::Auditor);
        let units = teams
            .iter()
            .map(|t| {
                (
                    t.id.clone(),
                    mint(Role::Unit(dispatch_core::TeamId::new(t.id.clone()))),
                )
            })
            .collect();
        let peers = peers
            .iter()
            .map(|p| ((*p).to_owned(), mint(Role::Peer(PeerId::new(*p)))))
            .collect();
        (
            Tokens {
                cad,
                dispatcher,
                supervisor,
                admin,
                auditor,
                units,
                peers,
            },
            entries,
        )
    }

    pub fn unit(&self, team: &str) -> &str {
        &self.units[team]
    }

    pub fn peer(&self, peer: &str) -> &str {
        &self.peers[peer]
    }
}

/// The test roster: three Portland teams; PSR-2 speaks Spanish; each has a peer.
pub fn roster() -> Vec<TeamSettings> {
    let team = |id: &str, lat: f64, lon: f64, languages: &[&str], peer: &str| TeamSettings {
        id: id.to_owned(),
        members: vec![
            Member {
                name: format!("{id} clinician"),
                role: MemberRole::Clinician,
                peer_id: None,
            },
            Member {
                name: format!("{id} EMT"),
                role: MemberRole::Emt,
                peer_id: None,
            },
            Member {
                name: format!("{id} peer"),
                role: MemberRole::Peer,
                peer_id: Some(PeerId::new(peer)),
            },
        ],
        languages: languages.iter().map(|l| (*l).to_owned()).collect(),
        position: Some(GeoPoint { lat, lon }),
    };
    vec![
        team("PSR-1", 45.5190, -122.6790, &["en"], "peer-1"),
        team("PSR-2", 45.5120, -122.6250, &["en", "es"], "peer-2"),
        team("PSR-3", 45.5600, -122.6800, &["en"], "peer-3"),
    ]
}

/// Settings for a test server: loopback port 0, data in `dir`, the test roster and tokens.
pub fn test_settings(dir: &Path) -> (Settings, Tokens) {
    let teams = roster();
    let (tokens, entries) = Tokens::mint(&teams, &["peer-1", "peer-2", "peer-3"]);
    let mut settings = Settings {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        data_dir: dir.to_owned(),
        teams,
        ..Settings::default()
    };
    settings.auth.tokens = entries;
    // Tests run at any hour; service hours have their own tests.
    // Written to a config file, so "around the clock" must be explicit (absent = default hours).
    settings.policy.triage.service_hours = Some(dispatch_core::hours::ServiceHours::always());
    settings.log.filter = "warn".into();
    (settings, tokens)
}

/// A server in this process.
pub struct TestServer {
    pub addr: SocketAddr,
    pub tokens: Tokens,
    /// The server's clock: the wall clock, or a manual one the test moves.
    pub clock: dispatch_server::clock::Clock,
    /// The settings it started with (a test changes a copy and calls `reload`).
    pub settings: Settings,
    running: Option<Running>,
    database: std::path::PathBuf,
    _dir: TempDir,
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(adjust: impl FnOnce(&mut Settings)) -> TestServer {
        Self::start_with_clock(adjust, dispatch_server::clock::Clock::system()).await
    }

    /// A server whose time only moves when the test calls `clock.advance(...)`.
    pub async fn start_with_manual_clock(adjust: impl FnOnce(&mut Settings)) -> TestServer {
        let start = dispatch_server::clock::now();
        Self::start_with_clock(adjust, dispatch_server::clock::Clock::manual(start)).await
    }

    async fn start_with_clock(
        adjust: impl FnOnce(&mut Settings),
        clock: dispatch_server::clock::Clock,
    ) -> TestServer {
        let dir = tempfile::tempdir().expect("tempdir");
        let (mut settings, tokens) = test_settings(dir.path());
        adjust(&mut settings);
        let running = dispatch_server::server::start_with_clock(&settings, &[], clock.clone())
            .await
            .expect("server starts");
        TestServer {
            addr: running.addr,
            tokens,
            clock,
            running: Some(running),
            database: settings.database_path(),
            settings,
            _dir: dir,
        }
    }

    /// The journal's last sequence, as the server's committed state says.
    pub fn journal_seq(&self) -> u64 {
        self.running.as_ref().map_or(0, |r| r.app.last_seq())
    }

    /// Every journal entry, read from the database file itself (a second connection, as an
    /// auditor would), for tests that check figures against the journal.
    pub async fn journal(&self) -> Vec<dispatch_store::JournalEntry> {
        use dispatch_store::Store;
        let store = dispatch_store_sqlite::SqliteStore::open(&self.database)
            .await
            .expect("open the database");
        let mut entries: Vec<dispatch_store::JournalEntry> = Vec::new();
        loop {
            let after = entries.last().map_or(0, |e| e.seq);
            let page = store.read_journal(after, 1000).await.expect("read");
            if page.is_empty() {
                break;
            }
            entries.extend(page);
        }
        store.close().await;
        entries
    }

    /// The database file (tests read it as an attacker with the disk would).
    pub fn database_path(&self) -> &Path {
        &self.database
    }

    pub async fn channel(&self) -> Channel {
        connect(self.addr).await
    }

    /// What SIGHUP does: takes the tokens, certificate roles and TLS files of `settings`.
    pub fn reload(&self, settings: &Settings) {
        self.running
            .as_ref()
            .expect("running")
            .reload(settings)
            .expect("reload");
    }

    pub async fn stop(mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await.expect("clean stop");
        }
    }
}

pub async fn connect(addr: SocketAddr) -> Channel {
    Channel::from_shared(format!("http://{addr}"))
        .expect("uri")
        .connect_timeout(PATIENCE)
        .connect()
        .await
        .expect("connect to the test server")
}

/// A request with `authorization: Bearer <token>`.
pub fn authed<T>(message: T, token: &str) -> Request<T> {
    let mut request = Request::new(message);
    request.metadata_mut().insert(
        "authorization",
        format!("Bearer {token}").parse().expect("header"),
    );
    request
}

/// The next message of a stream, or a panic after [`PATIENCE`].
pub async fn next<T>(stream: &mut Streaming<T>) -> T {
    match tokio::time::timeout(PATIENCE, stream.next()).await {
        Ok(Some(Ok(m))) => m,
        Ok(Some(Err(status))) => panic!("stream failed: {status:?}"),
        Ok(None) => panic!("stream ended"),
        Err(_) => panic!("nothing arrived within {PATIENCE:?}"),
    }
}

/// Reads stream messages until `pick` returns something, returning it and what was skipped.
pub async fn until<T, R>(
    stream: &mut Streaming<T>,
    mut pick: impl FnMut(&T) -> Option<R>,
) -> (R, Vec<T>) {
    let mut skipped = Vec::new();
    loop {
        let m = next(stream).await;
        if let Some(r) = pick(&m) {
            return (r, skipped);
        }
        skipped.push(m);
    }
}

/// The journal event inside a stream message, if it is one.
pub fn board_event(m: &v1::BoardEvent) -> Option<&v1::Event> {
    match &m.kind {
        Some(v1::board_event::Kind::Event(e)) => Some(e),
        _ => None,
    }
}

pub fn responder_event(m: &v1::ResponderEvent) -> Option<&v1::Event> {
    match &m.kind {
        Some(v1::responder_event::Kind::Event(e)) => Some(e),
        _ => None,
    }
}

pub fn queue_event(m: &v1::FollowUpEvent) -> Option<&v1::Event> {
    match &m.kind {
        Some(v1::follow_up_event::Kind::Event(e)) => Some(e),
        _ => None,
    }
}

/// The real server binary as a child process, with its database in a directory that
/// outlives it, so it can be killed and started again on the same data.
pub struct ChildServer {
    pub addr: SocketAddr,
    child: Child,
}

impl ChildServer {
    /// Writes `settings` to `<dir>/config.toml` and starts `<binary> serve` on it. Tests pass
    /// `env!("CARGO_BIN_EXE_e2e-server")`, the real server command line built in this package.
    pub fn start(binary: &str, settings: &Settings, dir: &Path) -> ChildServer {
        Self::start_env(binary, settings, dir, &[])
    }

    /// Like [`ChildServer::start`], with extra environment variables for the process.
    pub fn start_env(
        binary: &str,
        settings: &Settings,
        dir: &Path,
        env: &[(&str, &str)],
    ) -> ChildServer {
        let config: PathBuf = dir.join("config.toml");
        std::fs::write(&config, settings.to_toml().expect("settings to toml"))
            .expect("write config");
        let mut child = Command::new(binary)
            .args(["serve", "--config"])
            .arg(&config)
            .env_remove("DISPATCH_CONFIG")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start e2e-server");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the listening line");
        let addr = line
            .trim()
            .rsplit(' ')
            .next()
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line from the server: {line:?}"));
        ChildServer { addr, child }
    }

    /// SIGKILL: no shutdown, no flush, as a power cut or an OOM kill would do.
    pub fn kill(mut self) {
        self.child.kill().expect("kill");
        self.child.wait().expect("reap");
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The dispatcher's board stream from `after_seq`.
pub async fn watch_board(ch: &Channel, token: &str, after_seq: u64) -> Streaming<v1::BoardEvent> {
    DispatchClient::new(ch.clone())
        .watch_board(authed(v1::WatchRequest { after_seq }, token))
        .await
        .expect("board")
        .into_inner()
}

/// A team's stream from `after_seq`.
pub async fn subscribe_unit(
    ch: &Channel,
    token: &str,
    after_seq: u64,
) -> Streaming<v1::ResponderEvent> {
    ResponderClient::new(ch.clone())
        .subscribe(authed(
            v1::SubscribeRequest {
                team_id: String::new(),
                after_seq,
            },
            token,
        ))
        .await
        .expect("subscribe")
        .into_inner()
}

/// A team's status change (UNSPECIFIED: a bare check-in).
pub fn status_request(status: v1::TeamStatus) -> v1::UpdateStatusRequest {
    v1::UpdateStatusRequest {
        command_id: fixtures::command_id(),
        status: status as i32,
        position: None,
        team_id: String::new(),
    }
}

/// The dispatcher assigns `team` to an incident; returns the assignment.
pub async fn assign(ch: &Channel, token: &str, incident_id: &str, team: &str) -> v1::Assignment {
    DispatchClient::new(ch.clone())
        .assign(authed(
            v1::AssignRequest {
                command_id: fixtures::command_id(),
                incident_id: incident_id.into(),
                team_id: team.into(),
            },
            token,
        ))
        .await
        .expect("assign")
        .into_inner()
        .assignment
        .expect("assignment")
}

/// A crisis call from the CAD, assigned to `team` and worked to on scene; returns the
/// incident id.
pub async fn call_on_scene(ch: &Channel, tokens: &Tokens, call_number: &str, team: &str) -> String {
    let incident_id = CadIngestClient::new(ch.clone())
        .submit(authed(
            fixtures::crisis_call(call_number, &format!("e-{call_number}")),
            &tokens.cad,
        ))
        .await
        .expect("submit")
        .into_inner()
        .incident_id;
    assign(ch, &tokens.dispatcher, &incident_id, team).await;
    let mut responder = ResponderClient::new(ch.clone());
    for status in [v1::TeamStatus::EnRoute, v1::TeamStatus::OnScene] {
        responder
            .update_status(authed(status_request(status), tokens.unit(team)))
            .await
            .expect("status");
    }
    incident_id
}

/// The team clears its call with `encounter`, disposition connected to services.
pub async fn clear(ch: &Channel, unit_token: &str, encounter: v1::Encounter) -> v1::ClearReply {
    ResponderClient::new(ch.clone())
        .clear(authed(
            v1::ClearRequest {
                command_id: fixtures::command_id(),
                disposition: v1::Disposition::ConnectedToServices as i32,
                encounter: Some(encounter),
            },
            unit_token,
        ))
        .await
        .expect("clear")
        .into_inner()
}
