//! `cad-bridge eido-file` and `cad-bridge eido-ws`.
//!
//! Exit codes: 0 done; 1 a document was refused (nothing submitted); 2 anything else (the
//! server unreachable, a bad flag value), with the reason on stderr.

use crate::conveyance::files::{Sink, read_document};
use crate::conveyance::outbound::{self, Position};
use crate::conveyance::subscriber::{self, Backoff, Publishing, SubscriberConfig};
use crate::eido::{Eido, Mapper, Publisher, Renderer};
use crate::ingest::Ingest;
use anyhow::{Context, bail};
use clap::Args;
use dispatch_proto::v1;
use futures_util::StreamExt;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use tonic::transport::Channel;

/// Where the dispatch server is and who we are to it.
#[derive(Debug, Args)]
pub struct ServerArgs {
    /// The dispatch server's gRPC address.
    #[arg(
        long,
        default_value = "http://127.0.0.1:50051",
        env = "CAD_BRIDGE_SERVER"
    )]
    pub server: String,
    /// A token with the `cad` (or `cad:<source>`) role, from `dispatch-server token --role cad`.
    /// Leave it out where the server knows this CAD by its certificate (--cert, mutual TLS).
    #[arg(
        long,
        env = "CAD_BRIDGE_TOKEN",
        hide_env_values = true,
        default_value = ""
    )]
    pub token: String,
    #[command(flatten)]
    pub tls: super::TlsArgs,
    /// The name of this CAD at the server (calls are keyed by source and call number).
    #[arg(long, default_value = "eido")]
    pub source: String,
}

/// How outbound updates are written as EIDO.
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// Our agency's identifier in the documents we write.
    #[arg(long, default_value = "crisis-response.invalid")]
    pub agency: String,
    /// A file keeping the last outbound update handled, so a restart resumes there. Without
    /// it, updates are followed from now on.
    #[arg(long)]
    pub state: Option<PathBuf>,
    /// The common disposition code to send for a disposition, e.g.
    /// `--disposition-code RESOLVED_ON_SCENE=<code>` (repeatable). Default: the program's codes
    /// the console shows (10 resolved on scene ... 17 handed to police; 15 is APCO's referral).
    #[arg(long = "disposition-code", value_name = "NAME=CODE")]
    pub disposition_codes: Vec<String>,
}

#[derive(Debug, Args)]
pub struct FileArgs {
    /// EIDO JSON documents, one per file; `-` reads one document from stdin.
    #[arg(value_name = "FILES")]
    pub files: Vec<String>,
    #[command(flatten)]
    pub server: ServerArgs,
    /// After submitting, follow the server's updates and write each as EIDO: `-` for stdout
    /// (one document per line), a directory (one file per update), or a file (JSON lines).
    #[arg(long, value_name = "TARGET")]
    pub outbound: Option<String>,
    #[command(flatten)]
    pub publish: PublishArgs,
}

#[derive(Debug, Args)]
pub struct WsArgs {
    /// The CAD's STA-024 WebSocket endpoint, e.g. `ws://cad.example:8080/IncidentData/ent`.
    #[arg(long)]
    pub url: String,
    #[command(flatten)]
    pub server: ServerArgs,
    /// `requestSubType` of the subscription: new, single or resource.
    #[arg(long, default_value = "new")]
    pub sub_type: String,
    /// Publish the server's updates when the CAD subscribes to them on the connection.
    #[arg(long)]
    pub publish_updates: bool,
    #[command(flatten)]
    pub publish: PublishArgs,
    /// Longest wait between reconnection attempts, in seconds.
    #[arg(long, default_value_t = 60)]
    pub max_backoff_secs: u64,
}

pub async fn run_file(args: FileArgs) -> anyhow::Result<ExitCode> {
    if args.files.is_empty() && args.outbound.is_none() {
        bail!("give EIDO files to submit (`-` for stdin), or --outbound to follow updates");
    }
    let publisher = publisher(&args.publish)?;
    // Every document is read and checked before any is sent.
    let mapper = Mapper::new(&args.server.source);
    let mut docs: Vec<(String, Eido)> = Vec::new();
    let mut refused = 0;
    for name in &args.files {
        match read_document(name).and_then(|d| mapper.map(&d).map(|_| d)) {
            Ok(doc) => {
                for warning in &doc.warnings {
                    eprintln!("{name}: warning: {warning}");
                }
                docs.push((name.clone(), doc));
            }
            Err(e) => {
                eprintln!("{name}: {e}");
                refused += 1;
            }
        }
    }
    if refused > 0 {
        eprintln!("{refused} document(s) refused; nothing was submitted");
        return Ok(ExitCode::from(1));
    }
    let channel = connect(&args.server).await?;
    let mut ingest = Ingest::new(channel.clone(), &args.server.token, mapper)?;
    for (name, doc) in &docs {
        let done = ingest
            .submit(doc)
            .await
            .with_context(|| format!("{name}: submitting"))?;
        let warned = match doc.warnings.len() {
            0 => String::new(),
            n => format!(" ({n} warning(s) on stderr)"),
        };
        println!(
            "{name}: call {} -> incident {}: {} event(s), {} already known{warned}",
            done.call_number, done.incident_id, done.events, done.duplicates
        );
    }
    let Some(target) = args.outbound else {
        return Ok(ExitCode::SUCCESS);
    };
    let mut sink = Sink::open(&target).with_context(|| format!("--outbound {target}"))?;
    let mut position = Position::load(args.publish.state.as_deref()).context("--state")?;
    let mut renderer = Renderer::new(publisher);
    for (_, doc) in &docs {
        if let Some(incident) = doc.incident_component.first() {
            renderer.know_incident_type(&doc.id, &incident.incident_type_common_registry_text);
        }
    }
    follow(
        &channel,
        &args.server.token,
        &mut position,
        &mut renderer,
        &mut sink,
    )
    .await
}

/// Writes updates until the stream ends or Ctrl-C.
async fn follow(
    channel: &Channel,
    token: &str,
    position: &mut Position,
    renderer: &mut Renderer,
    sink: &mut Sink,
) -> anyhow::Result<ExitCode> {
    let mut updates = outbound::open(channel.clone(), token, position.seq())
        .await
        .context("opening the outbound stream")?;
    loop {
        let update: v1::CadUpdate = tokio::select! {
            next = updates.next() => match next {
                Some(Ok(u)) => u,
                Some(Err(status)) => bail!("outbound stream: {status}"),
                None => return Ok(ExitCode::SUCCESS),
            },
            _ = tokio::signal::ctrl_c() => return Ok(ExitCode::SUCCESS),
        };
        if let Some(doc) = renderer.render(&update) {
            sink.write(update.seq, &doc)
                .context("writing an outbound document")?;
        }
        position.advance(update.seq).context("saving --state")?;
    }
}

pub async fn run_ws(args: WsArgs) -> anyhow::Result<ExitCode> {
    if !args.url.starts_with("ws://") && !args.url.starts_with("wss://") {
        bail!("--url must be a ws:// address, got {:?}", args.url);
    }
    if args.url.starts_with("wss://") {
        bail!("--url: this build speaks ws:// only; put a TLS terminator in front of it");
    }
    let publisher = publisher(&args.publish)?;
    let channel = super::endpoint(&args.server.server, &args.server.tls)?
        .connect_timeout(Duration::from_secs(10))
        .connect_lazy();
    let ingest = Ingest::new(
        channel.clone(),
        &args.server.token,
        Mapper::new(&args.server.source),
    )?;
    let publishing = if args.publish_updates {
        Some(Publishing {
            channel,
            token: args.server.token.clone(),
            renderer: Renderer::new(publisher),
            position: Position::load(args.publish.state.as_deref()).context("--state")?,
        })
    } else {
        None
    };
    let config = SubscriberConfig {
        url: args.url,
        sub_type: args.sub_type,
        backoff: Backoff {
            initial: Duration::from_secs(1),
            max: Duration::from_secs(args.max_backoff_secs.max(1)),
        },
    };
    let shutdown = CancellationToken::new();
    let stop = shutdown.clone();
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        stop.cancel();
    });
    subscriber::run(config, ingest, publishing, shutdown).await;
    Ok(ExitCode::SUCCESS)
}

async fn connect(args: &ServerArgs) -> anyhow::Result<Channel> {
    super::endpoint(&args.server, &args.tls)?
        .connect_timeout(Duration::from_secs(10))
        .connect()
        .await
        .with_context(|| format!("cannot reach the dispatch server at {}", args.server))
}

fn publisher(args: &PublishArgs) -> anyhow::Result<Publisher> {
    let mut publisher = Publisher::new(&args.agency);
    for pair in &args.disposition_codes {
        let (name, code) = pair
            .split_once('=')
            .with_context(|| format!("--disposition-code {pair:?}: expected NAME=CODE"))?;
        let disposition = v1::Disposition::from_str_name(&format!("DISPOSITION_{}", name.trim()))
            .filter(|d| *d != v1::Disposition::Unspecified)
            .with_context(|| {
                format!(
                    "--disposition-code {pair:?}: {name:?} is not one of RESOLVED_ON_SCENE, CONNECTED_TO_SERVICES, DECLINED_SERVICES, TRANSPORTED, REFERRED_TO_PARTNER_AGENCY, UNABLE_TO_LOCATE, HANDED_TO_POLICE"
                )
            })?;
        publisher
            .disposition_codes
            .insert(disposition, code.trim().to_string());
    }
    Ok(publisher)
}
