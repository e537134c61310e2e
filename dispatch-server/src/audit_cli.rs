//! `dispatch-server audit verify|export`: asks a running server (`Audit` service, token of
//! the `admin` or `auditor` role) to check the audit trail's hash chain, or to export its
//! records as JSON lines. Like `report`, dates are local midnights in the time zone of the
//! configured service hours; RFC 3339 instants are taken as given.

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use dispatch_proto::convert::{from_proto_time, to_proto_time};
use dispatch_proto::v1::{self, audit_client::AuditClient};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: AuditCmd,
    /// The server's address.
    #[arg(
        long,
        global = true,
        env = "DISPATCH_SERVER",
        default_value = "http://127.0.0.1:50051"
    )]
    pub server: String,
    /// An admin's or auditor's bearer token.
    #[arg(long, global = true, env = "DISPATCH_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// The CA certificate (PEM) that signed the server's, for an https:// --server.
    #[arg(long, global = true, env = "DISPATCH_CA", value_name = "PEM")]
    pub ca: Option<PathBuf>,
    /// A client certificate (PEM), where the server requires one (mutual TLS).
    #[arg(long, global = true, env = "DISPATCH_CERT", value_name = "PEM")]
    pub cert: Option<PathBuf>,
    /// The key (PEM) of --cert.
    #[arg(long, global = true, env = "DISPATCH_KEY", value_name = "PEM")]
    pub key: Option<PathBuf>,
    /// Configuration file (TOML), for the time zone dates are read in.
    #[arg(long, short, global = true, env = "DISPATCH_CONFIG")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// Check the hash chain: prints the number of records and "chain intact", or exits 1
    /// naming the first broken record.
    Verify,
    /// Print the records of a period, one JSON object per line.
    Export {
        /// Start: a date (YYYY-MM-DD, local midnight) or an RFC 3339 instant.
        #[arg(long)]
        from: String,
        /// End, not included: a date (YYYY-MM-DD) or an RFC 3339 instant.
        #[arg(long)]
        to: String,
        /// Only the records of this holder.
        #[arg(long)]
        actor: Option<String>,
        /// Only the records that touched this incident.
        #[arg(long)]
        incident: Option<String>,
    },
}

pub fn run(args: AuditArgs) -> anyhow::Result<ExitCode> {
    let hours = crate::report_cli::program_hours(args.config.as_deref())?;
    let rt = crate::process::runtime()?;
    match &args.command {
        AuditCmd::Verify => {
            let reply = rt.block_on(async {
                let mut client = client(&args).await?;
                let reply = client
                    .verify(authed(&args, v1::VerifyAuditRequest {})?)
                    .await
                    .map_err(refused)?;
                anyhow::Ok(reply.into_inner())
            })?;
            if reply.intact {
                println!("{} records, chain intact", reply.records);
                Ok(ExitCode::SUCCESS)
            } else {
                println!(
                    "chain broken at record {}: {} ({} records before it check)",
                    reply.first_broken_seq, reply.problem, reply.records
                );
                Ok(ExitCode::FAILURE)
            }
        }
        AuditCmd::Export {
            from,
            to,
            actor,
            incident,
        } => {
            let from_at = crate::report_cli::period_end("--from", from, &hours)?;
            let to_at = crate::report_cli::period_end("--to", to, &hours)?;
            if to_at <= from_at {
                bail!("--to must be after --from ({to} is not after {from})");
            }
            let request = v1::ExportAuditRequest {
                from: Some(to_proto_time(from_at)),
                to: Some(to_proto_time(to_at)),
                actor: actor.clone().unwrap_or_default(),
                incident_id: incident.clone().unwrap_or_default(),
            };
            rt.block_on(async {
                let mut client = client(&args).await?;
                let mut stream = client
                    .export(authed(&args, request)?)
                    .await
                    .map_err(refused)?
                    .into_inner();
                while let Some(record) = stream.message().await.map_err(refused)? {
                    println!("{}", json_line(&record));
                }
                anyhow::Ok(())
            })?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// One record as a JSON object with the AuditEvent fields.
pub fn json_line(r: &v1::AuditRecord) -> String {
    let at =
        r.at.as_ref()
            .and_then(|t| from_proto_time("at", t).ok())
            .map(|t| t.rfc3339())
            .unwrap_or_default();
    let optional = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    serde_json::json!({
        "seq": r.seq,
        "at": at,
        "actor": r.actor,
        "role": r.role,
        "action": r.action,
        "operation": r.operation,
        "incident_ids": r.incident_ids,
        "task_ids": r.task_ids,
        "peer": optional(&r.peer),
        "outcome": r.outcome,
        "recipient": optional(&r.recipient),
        "hash": r.hash,
    })
    .to_string()
}

async fn client(args: &AuditArgs) -> anyhow::Result<AuditClient<tonic::transport::Channel>> {
    let tls = dispatch_proto::endpoint::ClientTls {
        ca: args.ca.clone(),
        cert: args.cert.clone(),
        key: args.key.clone(),
    };
    let channel = dispatch_proto::endpoint::endpoint(&args.server, &tls)
        .with_context(|| format!("--server {}", args.server))?
        .connect()
        .await
        .with_context(|| format!("cannot reach the server at {}", args.server))?;
    Ok(AuditClient::new(channel))
}

fn authed<T>(args: &AuditArgs, message: T) -> anyhow::Result<tonic::Request<T>> {
    let mut request = tonic::Request::new(message);
    if let Some(token) = &args.token {
        let bearer = format!("Bearer {}", token.trim())
            .parse()
            .context("--token: not a valid token")?;
        request.metadata_mut().insert("authorization", bearer);
    }
    Ok(request)
}

fn refused(s: tonic::Status) -> anyhow::Error {
    anyhow::anyhow!("the server refused: {}", s.message())
}
