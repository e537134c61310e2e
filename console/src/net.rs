//! The network side, thin: a stream per mode that resumes from the last sequence it saw and
//! reconnects with capped exponential backoff; one task that sends commands in the order they
//! were made; recommendations on request; and the probe that learns a token's mode. Everything
//! it hears goes to the driver as `NetMsg`.

use crate::app::NetMsg;
use crate::command::{Command, Failure, Outgoing};
use crate::state::{Mode, StreamKind};
use crate::{clock, words};
use dispatch_proto::endpoint::{ClientTls, EndpointError, endpoint};
use dispatch_proto::v1;
use dispatch_proto::v1::dispatch_client::DispatchClient;
use dispatch_proto::v1::follow_ups_client::FollowUpsClient;
use dispatch_proto::v1::responder_client::ResponderClient;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_stream::StreamExt;
use tonic::transport::Channel;
use tonic::{Code, Request, Status};

/// How long a command may take before it counts as not delivered.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum NetError {
    #[error(
        "--server {0:?} is not an address such as http://127.0.0.1:50051 or https://dispatch.example:50051"
    )]
    BadAddress(String),
    #[error("--server: {0}")]
    Tls(dispatch_proto::endpoint::EndpointError),
    #[error("the token cannot be sent as a header (it has characters a token never has)")]
    BadToken,
    #[error("the server refused the token: {0}")]
    Refused(String),
    #[error("cannot reach the server: {0}")]
    Unreachable(String),
    #[error(
        "this token's role has no console (it is neither a unit, a dispatcher, a peer nor a supervisor)"
    )]
    NoConsoleRole,
}

/// The server address and the caller's token.
#[derive(Clone)]
pub struct Link {
    pub channel: Channel,
    token: Arc<str>,
}

impl Link {
    /// A channel over plain HTTP/2 (loopback) that connects when first used and reconnects
    /// by itself.
    pub fn new(server: &str, token: &str) -> Result<Self, NetError> {
        Self::with_tls(server, token, &ClientTls::default())
    }

    /// [`Link::new`] for an `https://` server: `tls` names the CA and, for mutual TLS, the
    /// console's certificate and key.
    pub fn with_tls(server: &str, token: &str, tls: &ClientTls) -> Result<Self, NetError> {
        let endpoint = endpoint(server, tls)
            .map_err(|e| match e {
                EndpointError::BadAddress(a) => NetError::BadAddress(a),
                other => NetError::Tls(other),
            })?
            .connect_timeout(Duration::from_secs(3))
            .http2_keep_alive_interval(Duration::from_secs(10))
            .keep_alive_timeout(Duration::from_secs(5))
            .keep_alive_while_idle(true);
        format!("Bearer {token}")
            .parse::<tonic::metadata::MetadataValue<_>>()
            .map_err(|_| NetError::BadToken)?;
        Ok(Self {
            channel: endpoint.connect_lazy(),
            token: token.into(),
        })
    }

    fn request<T>(&self, message: T) -> Request<T> {
        let mut r = Request::new(message);
        if let Ok(v) = format!("Bearer {}", self.token).parse() {
            r.metadata_mut().insert("authorization", v);
        }
        r
    }
}

/// Capped exponential backoff: `first`, doubling, never more than `cap`.
#[derive(Clone, Copy, Debug)]
pub struct Backoff {
    pub first: Duration,
    pub cap: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            first: Duration::from_millis(250),
            cap: Duration::from_secs(8),
        }
    }
}

impl Backoff {
    /// The wait after the `failures`-th failure in a row (1-based).
    pub fn delay(&self, failures: u32) -> Duration {
        let doubled = self
            .first
            .saturating_mul(1u32 << failures.saturating_sub(1).min(20));
        doubled.min(self.cap)
    }
}

fn is_refusal(s: &Status) -> bool {
    matches!(s.code(), Code::Unauthenticated | Code::PermissionDenied)
}

fn is_unreachable(s: &Status) -> bool {
    matches!(
        s.code(),
        Code::Unavailable
            | Code::DeadlineExceeded
            | Code::Cancelled
            | Code::Unknown
            | Code::Aborted
    )
}

/// Learns which console a token opens by asking the server what it may watch.
pub async fn detect_mode(link: &Link) -> Result<Mode, NetError> {
    let refused_or = |s: Status| {
        if s.code() == Code::Unauthenticated {
            Err(NetError::Refused(s.message().to_owned()))
        } else if is_unreachable(&s) {
            Err(NetError::Unreachable(s.message().to_owned()))
        } else {
            Ok(())
        }
    };
    let unit = ResponderClient::new(link.channel.clone())
        .subscribe(link.request(v1::SubscribeRequest {
            team_id: String::new(),
            after_seq: 0,
        }))
        .await;
    match unit {
        Ok(_) => return Ok(Mode::Unit),
        Err(s) => refused_or(s)?,
    }
    let board = DispatchClient::new(link.channel.clone())
        .watch_board(link.request(v1::WatchRequest { after_seq: 0 }))
        .await;
    let queue = FollowUpsClient::new(link.channel.clone())
        .watch_queue(link.request(v1::WatchRequest { after_seq: 0 }))
        .await;
    match (board, queue) {
        (Ok(_), Ok(_)) => Ok(Mode::Supervisor),
        (Ok(_), Err(_)) => Ok(Mode::Dispatcher),
        (Err(_), Ok(_)) => Ok(Mode::Peer),
        (Err(a), Err(_)) => {
            refused_or(a)?;
            Err(NetError::NoConsoleRole)
        }
    }
}

/// Keeps one stream open for as long as the console runs: resumes after the last sequence it
/// passed on, so the model sees every event once; waits `backoff` between attempts; stops
/// for good only when the server refuses the token.
pub fn spawn_stream(
    kind: StreamKind,
    link: Link,
    backoff: Backoff,
    tx: mpsc::UnboundedSender<NetMsg>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut after_seq = 0u64;
        let mut failures = 0u32;
        loop {
            let error = match run_stream(kind, &link, &mut after_seq, &mut failures, &tx).await {
                Ok(()) => "the server ended the stream".to_owned(),
                Err(s) if is_refusal(&s) => {
                    let _ = tx.send(NetMsg::Refused {
                        kind,
                        error: s.message().to_owned(),
                    });
                    return;
                }
                Err(s) => s.message().to_owned(),
            };
            if tx.is_closed() {
                return;
            }
            failures += 1;
            let wait = backoff.delay(failures);
            let _ = tx.send(NetMsg::Down {
                kind,
                error,
                retry_in_ms: wait.as_millis() as i64,
            });
            tokio::time::sleep(wait).await;
        }
    })
}

async fn run_stream(
    kind: StreamKind,
    link: &Link,
    after_seq: &mut u64,
    failures: &mut u32,
    tx: &mpsc::UnboundedSender<NetMsg>,
) -> Result<(), Status> {
    let watch = v1::WatchRequest {
        after_seq: *after_seq,
    };
    match kind {
        StreamKind::Board => {
            let mut s = DispatchClient::new(link.channel.clone())
                .watch_board(link.request(watch))
                .await?
                .into_inner();
            up(kind, failures, tx);
            while let Some(m) = s.next().await {
                let m = m?;
                *after_seq = match &m.kind {
                    Some(v1::board_event::Kind::Snapshot(x)) => x.seq,
                    Some(v1::board_event::Kind::Event(e)) => e.seq,
                    None => *after_seq,
                };
                if tx.send(NetMsg::Board(m)).is_err() {
                    return Ok(());
                }
            }
        }
        StreamKind::Team => {
            let mut s = ResponderClient::new(link.channel.clone())
                .subscribe(link.request(v1::SubscribeRequest {
                    team_id: String::new(),
                    after_seq: *after_seq,
                }))
                .await?
                .into_inner();
            up(kind, failures, tx);
            while let Some(m) = s.next().await {
                let m = m?;
                *after_seq = match &m.kind {
                    Some(v1::responder_event::Kind::Snapshot(x)) => x.seq,
                    Some(v1::responder_event::Kind::Event(e)) => e.seq,
                    None => *after_seq,
                };
                if tx.send(NetMsg::Team(m)).is_err() {
                    return Ok(());
                }
            }
        }
        StreamKind::Queue => {
            let mut s = FollowUpsClient::new(link.channel.clone())
                .watch_queue(link.request(watch))
                .await?
                .into_inner();
            up(kind, failures, tx);
            while let Some(m) = s.next().await {
                let m = m?;
                *after_seq = match &m.kind {
                    Some(v1::follow_up_event::Kind::Snapshot(x)) => x.seq,
                    Some(v1::follow_up_event::Kind::Event(e)) => e.seq,
                    None => *after_seq,
                };
                if tx.send(NetMsg::Queue(m)).is_err() {
                    return Ok(());
                }
            }
        }
    }
    Ok(())
}

fn up(kind: StreamKind, failures: &mut u32, tx: &mpsc::UnboundedSender<NetMsg>) {
    *failures = 0;
    let _ = tx.send(NetMsg::Up(kind));
}

/// Sends commands one at a time, in the order they were made (an ack before the status that
/// follows it), and reports each answer.
pub fn spawn_sender(
    link: Link,
    mut commands: mpsc::UnboundedReceiver<Outgoing>,
    tx: mpsc::UnboundedSender<NetMsg>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        while let Some(out) = commands.recv().await {
            let result = match tokio::time::timeout(COMMAND_TIMEOUT, send(&link, &out)).await {
                Ok(Ok(summary)) => Ok(summary),
                Ok(Err(s)) if is_unreachable(&s) => Err(Failure::Unreachable(s.message().into())),
                Ok(Err(s)) => Err(Failure::Refused(s.message().into())),
                Err(_) => Err(Failure::Unreachable("no answer in 10 s".into())),
            };
            if tx.send(NetMsg::Answered { id: out.id, result }).is_err() {
                return;
            }
        }
    })
}

async fn send(link: &Link, out: &Outgoing) -> Result<String, Status> {
    let id = out.id.clone();
    let ch = link.channel.clone();
    match out.command.clone() {
        Command::Acknowledge { assignment_id } => {
            ResponderClient::new(ch)
                .acknowledge(link.request(v1::AcknowledgeRequest {
                    command_id: id,
                    assignment_id,
                }))
                .await?;
            Ok(String::new())
        }
        Command::UpdateStatus { status, position } => {
            let r = ResponderClient::new(ch)
                .update_status(link.request(v1::UpdateStatusRequest {
                    command_id: id,
                    status: status as i32,
                    position,
                    team_id: String::new(),
                }))
                .await?
                .into_inner();
            Ok(r.team.map_or_else(String::new, |t| {
                format!("team is {}", words::team_status(t.status()))
            }))
        }
        Command::RequestBackup { urgent, note } => {
            ResponderClient::new(ch)
                .request_backup(link.request(v1::BackupRequest {
                    command_id: id,
                    urgent,
                    note,
                }))
                .await?;
            Ok("dispatch and the CAD are told".into())
        }
        Command::Clear {
            disposition,
            encounter,
        } => {
            let r = ResponderClient::new(ch)
                .clear(link.request(v1::ClearRequest {
                    command_id: id,
                    disposition: disposition as i32,
                    encounter: Some(encounter),
                }))
                .await?
                .into_inner();
            Ok(format!("{} follow-up task(s) created", r.follow_ups.len()))
        }
        Command::Assign {
            incident_id,
            team_id,
        } => {
            DispatchClient::new(ch)
                .assign(link.request(v1::AssignRequest {
                    command_id: id,
                    incident_id,
                    team_id,
                }))
                .await?;
            Ok(String::new())
        }
        Command::Decline {
            incident_id,
            route,
            reason,
        } => {
            DispatchClient::new(ch)
                .decline(link.request(v1::DeclineRequest {
                    command_id: id,
                    incident_id,
                    route: route as i32,
                    reason,
                }))
                .await?;
            Ok(String::new())
        }
        Command::AckOnBehalf {
            assignment_id,
            channel,
            note,
        } => {
            DispatchClient::new(ch)
                .ack_on_behalf(link.request(v1::AckOnBehalfRequest {
                    command_id: id,
                    assignment_id,
                    channel,
                    note,
                }))
                .await?;
            Ok(String::new())
        }
        Command::SetTeamStatus { team_id, status } => {
            DispatchClient::new(ch)
                .set_team_status(link.request(v1::SetTeamStatusRequest {
                    command_id: id,
                    team_id,
                    status: status as i32,
                }))
                .await?;
            Ok(String::new())
        }
        Command::Schedule {
            task_id,
            due_at_ms,
            assignee,
        } => {
            FollowUpsClient::new(ch)
                .schedule(link.request(v1::ScheduleRequest {
                    command_id: id,
                    task_id,
                    due_at: Some(clock::timestamp(due_at_ms)),
                    assignee,
                }))
                .await?;
            Ok(String::new())
        }
        Command::RecordAttempt {
            task_id,
            result,
            note,
            referrals,
        } => {
            FollowUpsClient::new(ch)
                .record_attempt(link.request(v1::AttemptRequest {
                    command_id: id,
                    task_id,
                    result: result as i32,
                    note,
                    referrals,
                }))
                .await?;
            Ok(String::new())
        }
        Command::Complete {
            task_id,
            outcome,
            measures,
        } => {
            FollowUpsClient::new(ch)
                .complete(link.request(v1::CompleteRequest {
                    command_id: id,
                    task_id,
                    outcome: outcome as i32,
                    measures: Some(measures),
                }))
                .await?;
            Ok(String::new())
        }
    }
}

/// Asks for the recommended teams for a call; the answer comes back as a `NetMsg`.
pub fn spawn_recommend(link: Link, incident_id: String, tx: mpsc::UnboundedSender<NetMsg>) {
    tokio::spawn(async move {
        let r = tokio::time::timeout(
            COMMAND_TIMEOUT,
            DispatchClient::new(link.channel.clone()).recommend(link.request(v1::IncidentRef {
                incident_id: incident_id.clone(),
            })),
        )
        .await;
        let msg = match r {
            Ok(Ok(r)) => NetMsg::Recommendations(r.into_inner()),
            Ok(Err(s)) => NetMsg::RecommendFailed {
                incident_id,
                error: s.message().to_owned(),
            },
            Err(_) => NetMsg::RecommendFailed {
                incident_id,
                error: "no answer in 10 s".into(),
            },
        };
        let _ = tx.send(msg);
    });
}

/// Reads the incident behind a follow-up task; the answer comes back as a `NetMsg`.
pub fn spawn_task_incident(link: Link, task_id: String, tx: mpsc::UnboundedSender<NetMsg>) {
    tokio::spawn(async move {
        let r = tokio::time::timeout(
            COMMAND_TIMEOUT,
            FollowUpsClient::new(link.channel.clone()).task_incident(link.request(v1::TaskRef {
                task_id: task_id.clone(),
            })),
        )
        .await;
        let result = match r {
            Ok(Ok(r)) => Ok(r.into_inner()),
            Ok(Err(s)) => Err(s.message().to_owned()),
            Err(_) => Err("no answer in 10 s".into()),
        };
        let _ = tx.send(NetMsg::TaskIncident { task_id, result });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn addresses_and_tokens_are_checked_before_anything_is_sent() {
        assert!(matches!(
            Link::new("nope", "t"),
            Err(NetError::BadAddress(_))
        ));
        assert!(matches!(
            Link::new("http://", "t"),
            Err(NetError::BadAddress(_))
        ));
        assert!(matches!(
            Link::new("http://127.0.0.1:1", "bad\ntoken"),
            Err(NetError::BadToken)
        ));
        assert!(Link::new("http://127.0.0.1:1", "dsp_abc").is_ok());
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let b = Backoff::default();
        assert_eq!(b.delay(1), Duration::from_millis(250));
        assert_eq!(b.delay(2), Duration::from_millis(500));
        assert_eq!(b.delay(6), Duration::from_secs(8));
        assert_eq!(
            b.delay(60),
            Duration::from_secs(8),
            "never overflows past the cap"
        );
    }
}
