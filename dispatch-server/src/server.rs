//! Runs the gRPC server: the four services, health and reflection, the ack timers, and a
//! graceful stop (health NOT_SERVING, streams closed, writer drained, store closed).

use crate::app::{App, run_timers};
use crate::auth::{Authenticator, Keyring, Role};
use crate::grpc;
use crate::tls::ServerTls;
use dispatch_proto::v1::audit_server::AuditServer;
use dispatch_proto::v1::cad_ingest_server::CadIngestServer;
use dispatch_proto::v1::dispatch_server::DispatchServer;
use dispatch_proto::v1::follow_ups_server::FollowUpsServer;
use dispatch_proto::v1::reports_server::ReportsServer;
use dispatch_proto::v1::responder_server::ResponderServer;
use std::future::Future;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("reflection: {0}")]
    Reflection(#[from] tonic_reflection::server::Error),
    #[error("transport: {0}")]
    Transport(#[from] tonic::transport::Error),
}

/// HTTP/2 flow control is what slows a fast client down (issue 16). h2 closes a connection
/// with GOAWAY `ENHANCE_YOUR_CALM` ("too_many_data_frames") when the framing overhead of
/// small DATA frames buffered unread passes a budget of half the connection window; each
/// frame of `p` payload bytes counts `256 - p`. hyper's default windows (1 MiB each) let one
/// stream of ~100-byte messages, one per frame as grpc-core sends them, buffer ~10,000 frames
/// while the writer commits: 1.6 MiB of overhead against a 512 KiB budget. With a 64 KiB
/// stream window one stream buffers at most 64 KiB, whose overhead even for the smallest
/// gRPC frame (5 bytes) is 3.3 MiB, under the 4 MiB budget an 8 MiB connection window gives;
/// the client then waits for WINDOW_UPDATEs instead of being cut off.
pub const STREAM_WINDOW: u32 = 64 * 1024;
/// See [`STREAM_WINDOW`]: room for many streams, and the overhead budget (half of it).
pub const CONNECTION_WINDOW: u32 = 8 * 1024 * 1024;

/// Serves on `listener` (over TLS when `tls` is given) until `shutdown` resolves. Binding is
/// the caller's job, so tests can bind port 0 and know the address before the server runs.
pub async fn serve(
    app: App,
    keyring: Arc<Keyring>,
    listener: TcpListener,
    tls: Option<Arc<ServerTls>>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let (health, health_service) = tonic_health::server::health_reporter();
    health
        .set_serving::<CadIngestServer<grpc::CadIngestService>>()
        .await;
    health
        .set_serving::<DispatchServer<grpc::DispatchService>>()
        .await;
    health
        .set_serving::<ResponderServer<grpc::ResponderService>>()
        .await;
    health
        .set_serving::<FollowUpsServer<grpc::FollowUpsService>>()
        .await;
    health
        .set_serving::<ReportsServer<grpc::ReportsService>>()
        .await;
    health
        .set_serving::<AuditServer<grpc::AuditService>>()
        .await;
    health
        .set_service_status("", tonic_health::ServingStatus::Serving)
        .await;

    // Reflection v1 and v1alpha: grpcurl speaks v1, Python's grpcio-reflection, Postman and
    // other tools still speak v1alpha. Both answer from the same descriptors.
    let reflection = || {
        tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(dispatch_proto::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
    };
    let reflection_v1 = reflection().build_v1()?;
    let reflection_v1alpha = reflection().build_v1alpha()?;

    let cancel = CancellationToken::new();
    let ctx = grpc::Ctx {
        app: app.clone(),
        keyring: keyring.clone(),
        cancel: cancel.clone(),
    };
    let store_health = tokio::spawn(report_store_health(
        app.store_up(),
        health.clone(),
        cancel.clone(),
    ));
    let timers = tokio::spawn(run_timers(app, cancel.clone()));

    let stopping = {
        let cancel = cancel.clone();
        async move {
            shutdown.await;
            info!("shutting down: draining requests");
            health
                .set_service_status("", tonic_health::ServingStatus::NotServing)
                .await;
            // Streams end so the server can drain.
            cancel.cancel();
        }
    };

    if let Ok(addr) = listener.local_addr() {
        info!(%addr, "dispatch-server listening");
    }
    let router = tonic::transport::Server::builder()
        .initial_stream_window_size(STREAM_WINDOW)
        .initial_connection_window_size(CONNECTION_WINDOW)
        .trace_fn(|request| {
            tracing::info_span!(
                "grpc",
                method = %request.uri().path(),
                holder = tracing::field::Empty
            )
        })
        .add_service(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(grpc::cad_ingest(ctx.clone()))
        .add_service(grpc::dispatch(ctx.clone()))
        .add_service(grpc::responder(ctx.clone()))
        .add_service(grpc::follow_ups(ctx.clone()))
        .add_service(grpc::reports(ctx.clone()))
        .add_service(grpc::audit(ctx));
    let result = match tls {
        Some(tls) => {
            router
                .serve_with_incoming_shutdown(
                    crate::tls::incoming(listener, tls, keyring),
                    stopping,
                )
                .await
        }
        // Without TCP_NODELAY a streamed event can wait ~40 ms for Nagle and delayed ACKs.
        None => {
            let incoming =
                tonic::transport::server::TcpIncoming::from(listener).with_nodelay(Some(true));
            router
                .serve_with_incoming_shutdown(incoming, stopping)
                .await
        }
    };
    cancel.cancel();
    let _ = timers.await;
    let _ = store_health.await;
    result.map_err(ServeError::from)
}

/// NOT_SERVING (every service) while the store does not answer, SERVING when it does again,
/// so that a load balancer or Kubernetes sends clients to another replica meanwhile.
async fn report_store_health(
    mut store_up: tokio::sync::watch::Receiver<bool>,
    health: tonic_health::server::HealthReporter,
    cancel: CancellationToken,
) {
    loop {
        tokio::select! {
            () = cancel.cancelled() => return,
            changed = store_up.changed() => if changed.is_err() { return },
        }
        let status = if *store_up.borrow_and_update() {
            tonic_health::ServingStatus::Serving
        } else {
            tonic_health::ServingStatus::NotServing
        };
        if cancel.is_cancelled() {
            return;
        }
        warn!(?status, "store health changed");
        health.set_service_status("", status).await;
        for service in [
            "crisis.dispatch.v1.CadIngest",
            "crisis.dispatch.v1.Dispatch",
            "crisis.dispatch.v1.Responder",
            "crisis.dispatch.v1.FollowUps",
            "crisis.dispatch.v1.Reports",
        ] {
            health.set_service_status(service, status).await;
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot create data directory {path}: {source}")]
    DataDir {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the database: {0}")]
    Store(#[from] dispatch_store::StoreError),
    #[error("{0}")]
    Privacy(#[from] crate::privacy::PrivacyError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("roster: team {team}: {reason}")]
    Roster { team: String, reason: String },
    #[error("auth: {0}")]
    Auth(String),
    #[error(transparent)]
    Tls(#[from] crate::tls::TlsError),
    #[error(
        "refusing to listen on {addr} without TLS: health information would cross the network in \
         plaintext. Add a [tls] section with cert and key (see `dispatch-server config`), listen \
         on a loopback address, or, behind a TLS-terminating proxy only, set \
         allow_plaintext_off_loopback = true"
    )]
    PlaintextOffLoopback { addr: std::net::SocketAddr },
}

/// A server started in this process.
pub struct Running {
    pub addr: std::net::SocketAddr,
    pub app: App,
    keyring: Arc<Keyring>,
    tls: Option<Arc<ServerTls>>,
    extra_tokens: Vec<(String, Role)>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    serve: tokio::task::JoinHandle<Result<(), ServeError>>,
    writer: tokio::task::JoinHandle<()>,
    /// Stops the journal follower (shared store only).
    background: CancellationToken,
    follower: Option<tokio::task::JoinHandle<()>>,
}

impl Running {
    /// Stops gracefully and waits until the last commit is done.
    pub async fn stop(mut self) -> Result<(), ServeError> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        let served = self.serve.await.unwrap_or(Ok(()));
        self.background.cancel();
        if let Some(follower) = self.follower.take() {
            let _ = follower.await;
        }
        drop(self.app);
        let _ = self.writer.await;
        served
    }

    /// Takes the credentials and certificates of `settings` (what SIGHUP does): removed or
    /// changed tokens stop at once and their open streams end; new connections get the new
    /// certificates, open ones go on. On an error nothing changes.
    pub fn reload(&self, settings: &crate::config::Settings) -> Result<(), StartError> {
        let auth = authenticator(settings, &self.extra_tokens)?;
        match (&self.tls, &settings.tls) {
            (Some(tls), Some(files)) => tls.reload(files)?,
            (None, None) => {}
            (Some(_), None) | (None, Some(_)) => {
                warn!("[tls] was added or removed: that takes a restart; certificates not changed");
            }
        }
        self.keyring.reload(auth);
        info!("reloaded tokens, certificate roles and TLS certificates");
        Ok(())
    }

    /// Resolves when the server stops by itself (it should not).
    pub async fn wait(&mut self) -> Result<(), ServeError> {
        (&mut self.serve).await.unwrap_or(Ok(()))
    }
}

/// Opens the store, registers the roster, binds and serves. `extra_tokens` are added to the
/// configured ones (the demo mints its own).
pub async fn start(
    settings: &crate::config::Settings,
    extra_tokens: &[(String, crate::auth::Role)],
) -> Result<Running, StartError> {
    start_with_clock(settings, extra_tokens, crate::clock::Clock::system()).await
}

/// [`start`] with a given clock (tests move a manual one instead of sleeping).
pub async fn start_with_clock(
    settings: &crate::config::Settings,
    extra_tokens: &[(String, crate::auth::Role)],
    clock: crate::clock::Clock,
) -> Result<Running, StartError> {
    use dispatch_core::{Command, GeoPoint, TeamId};
    let background = CancellationToken::new();
    let vault = Arc::new(crate::privacy::Vault::open_or_create(&settings.key_file())?);
    let app_error = |e| match e {
        crate::app::StartError::Store(e) => StartError::Store(e),
        crate::app::StartError::Privacy(e) => StartError::Privacy(e),
    };
    let (app, writer, follower) = match settings.database_url.as_deref() {
        Some(url) => {
            let store = dispatch_store_postgres::PgStore::open(url).await?;
            let listener = store.listen().await?;
            let (app, writer) = App::start(
                store,
                settings.policy.clone(),
                settings.max_batch,
                clock,
                vault,
            )
            .await
            .map_err(app_error)?;
            let follower = spawn_follower(&app, listener, background.clone());
            (app, writer, Some(follower))
        }
        None => {
            std::fs::create_dir_all(&settings.data_dir).map_err(|source| StartError::DataDir {
                path: settings.data_dir.clone(),
                source,
            })?;
            let store = dispatch_store_sqlite::SqliteStore::open(&settings.database_path()).await?;
            let (app, writer) = App::start(
                store,
                settings.policy.clone(),
                settings.max_batch,
                clock,
                vault,
            )
            .await
            .map_err(app_error)?;
            (app, writer, None)
        }
    };
    for team in &settings.teams {
        let command = Command::RegisterTeam {
            team_id: TeamId::new(team.id.clone()),
            members: team.members.clone(),
            languages: team.languages.clone(),
            position: team.position.map(|p| GeoPoint {
                lat: p.lat,
                lon: p.lon,
            }),
        };
        app.system(command).await.map_err(|e| StartError::Roster {
            team: team.id.clone(),
            reason: e.to_string(),
        })?;
    }
    let keyring = Arc::new(Keyring::new(authenticator(settings, extra_tokens)?));
    let tls = transport_security(settings)?;
    let listener = TcpListener::bind(settings.listen)
        .await
        .map_err(|source| StartError::Bind {
            addr: settings.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| StartError::Bind {
        addr: settings.listen,
        source,
    })?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let shutdown = async move {
        let _ = rx.await;
    };
    let serve = tokio::spawn(serve(
        app.clone(),
        keyring.clone(),
        listener,
        tls.clone(),
        shutdown,
    ));
    Ok(Running {
        addr,
        app,
        keyring,
        tls,
        extra_tokens: extra_tokens.to_vec(),
        stop: Some(tx),
        serve,
        writer,
        background,
        follower,
    })
}

/// On a shared store: the journal follower, woken by the listening connection's
/// notifications (other replicas' commits, and reconnects) and by its own poll.
fn spawn_follower(
    app: &App,
    mut listener: dispatch_store_postgres::JournalListener,
    cancel: CancellationToken,
) -> tokio::task::JoinHandle<()> {
    use dispatch_store_postgres::Wake;
    let (tx, rx) = tokio::sync::mpsc::channel(1);
    let pump = {
        let app = app.clone();
        let cancel = cancel.clone();
        async move {
            loop {
                tokio::select! {
                    () = cancel.cancelled() => return,
                    wake = listener.next() => {
                        // This replica's own commits are already published.
                        if let Wake::Committed(seq) = wake && seq <= app.last_seq() {
                            continue;
                        }
                        let _ = tx.try_send(());
                    }
                }
            }
        }
    };
    tokio::spawn(pump);
    tokio::spawn(crate::app::follow_journal(app.clone(), rx, cancel))
}

fn authenticator(
    settings: &crate::config::Settings,
    extra_tokens: &[(String, Role)],
) -> Result<Authenticator, StartError> {
    let mut auth = Authenticator::new(&settings.auth.tokens, &settings.auth.certs)
        .map_err(StartError::Auth)?;
    for (token, role) in extra_tokens {
        auth.insert(token, role.clone());
    }
    Ok(auth)
}

/// TLS from `[tls]`; without it, only a loopback address, unless the operator said a
/// TLS-terminating proxy stands in front (warned at every start).
fn transport_security(
    settings: &crate::config::Settings,
) -> Result<Option<Arc<ServerTls>>, StartError> {
    if let Some(files) = &settings.tls {
        return Ok(Some(Arc::new(ServerTls::load(files)?)));
    }
    if !settings.listen.ip().is_loopback() {
        if !settings.allow_plaintext_off_loopback {
            return Err(StartError::PlaintextOffLoopback {
                addr: settings.listen,
            });
        }
        warn!(
            addr = %settings.listen,
            "serving plaintext off loopback (allow_plaintext_off_loopback = true): \
             only safe behind a TLS-terminating proxy on the same host"
        );
    }
    Ok(None)
}
