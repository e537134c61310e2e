//! The audit trail of every read, change and disclosure of health information (issue 14).
//!
//! Where records are written, so that no path skips them:
//! - a command's record is made by the writer for every request it takes (applied, refused
//!   or repeated) and goes into the same group commit as the command's events: a change is
//!   never durable without its record. A round whose commit fails hands its records to the
//!   appender with the outcome `unavailable`;
//! - reads (snapshots, a task's incident, reports, the audit itself), disclosures (the CAD
//!   outbound stream) and refusals at the door (no credential, wrong role) are recorded by
//!   the use-case that serves them, through [`AuditLog`]: a background appender that writes
//!   what has queued up in one transaction, so a read costs a channel send, not a commit.
//!   The channel is unbounded (a read never waits on the database) and the appender drains
//!   it before the server's stop completes, so a clean shutdown loses nothing.

use super::hub::stream_channel;
use super::{App, AppError, Feed};
use crate::auth::AuthError;
use crate::clock::Clock;
use dispatch_core::{Command, Rejection, Timestamp};
use dispatch_store::audit::{Broken, Verifier};
use dispatch_store::{AuditAction, AuditEvent, AuditRecord, Chain, Store, StoreError};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_util::sync::CancellationToken;
use tracing::{error, warn};

/// Who is asking, as the audit trail names them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The token's or certificate's holder.
    pub holder: String,
    /// The role, as the credential grants it (`dispatcher`, `peer:p-1`).
    pub role: String,
    /// The caller's address.
    pub peer: Option<String>,
    /// The RPC, `/crisis.dispatch.v1.Dispatch/Assign`.
    pub operation: String,
}

/// The actor of the server's own commands (timers, the roster at start).
pub const SERVER: &str = "dispatch-server";

impl Actor {
    /// An audit event of this actor.
    pub fn event(
        &self,
        at: Timestamp,
        action: AuditAction,
        incident_ids: Vec<String>,
        task_ids: Vec<String>,
        outcome: String,
    ) -> AuditEvent {
        AuditEvent {
            at,
            actor: self.holder.clone(),
            role: self.role.clone(),
            action,
            operation: self.operation.clone(),
            incident_ids,
            task_ids,
            peer: self.peer.clone(),
            outcome,
            recipient: None,
        }
    }
}

/// `ok`, or the refusal's gRPC code in snake case (as `grpc/status.rs` maps it).
pub fn outcome<T>(result: &Result<T, AppError>) -> String {
    match result {
        Ok(_) => "ok".into(),
        Err(e) => refusal_code(e).into(),
    }
}

pub fn refusal_code(e: &AppError) -> &'static str {
    match e {
        AppError::Invalid { .. } => "invalid_argument",
        AppError::Rejected(r) => match r {
            Rejection::NotFound { .. } => "not_found",
            Rejection::Invalid { .. } => "invalid_argument",
            Rejection::Forbidden { .. } => "failed_precondition",
            Rejection::NotPermitted { .. } => "permission_denied",
        },
        AppError::CommandIdReused(_) => "already_exists",
        AppError::Auth(a) => match a {
            AuthError::Forbidden { .. } | AuthError::OutOfScope { .. } => "permission_denied",
            _ => "unauthenticated",
        },
        AppError::Store(StoreError::Unavailable(_))
        | AppError::JournalUnavailable(_)
        | AppError::ShuttingDown => "unavailable",
        AppError::Store(_) => "internal",
    }
}

/// Whether a command creates a record (a call, an assignment, a task) or changes one.
pub fn action_of(command: &Command) -> AuditAction {
    match command {
        Command::CallCreated { .. }
        | Command::Assign { .. }
        | Command::CreateFollowUp { .. }
        | Command::RegisterTeam { .. } => AuditAction::Create,
        _ => AuditAction::Update,
    }
}

/// The incident and task a command names (what a refused command was about).
pub fn named_ids(command: &Command) -> (Vec<String>, Vec<String>) {
    match command {
        Command::Assign { incident_id, .. }
        | Command::Decline { incident_id, .. }
        | Command::CreateFollowUp { incident_id, .. } => (vec![incident_id.to_string()], vec![]),
        Command::ScheduleFollowUp { task_id, .. }
        | Command::RecordAttempt { task_id, .. }
        | Command::CompleteFollowUp { task_id, .. }
        | Command::FollowUpReminderDue { task_id } => (vec![], vec![task_id.to_string()]),
        _ => (vec![], vec![]),
    }
}

/// Records that do not ride with a group commit: sent to the appender.
#[derive(Clone)]
pub struct AuditLog {
    tx: mpsc::UnboundedSender<AuditEvent>,
    clock: Clock,
}

impl AuditLog {
    pub fn new(clock: Clock) -> (AuditLog, mpsc::UnboundedReceiver<AuditEvent>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (AuditLog { tx, clock }, rx)
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn record(&self, event: AuditEvent) {
        if self.tx.send(event).is_err() {
            // Only after the appender has stopped, which waits for every sender: a bug.
            error!("audit record after the appender stopped");
        }
    }

    /// A read by `actor` of the given incidents and tasks.
    pub fn read(
        &self,
        actor: &Actor,
        incident_ids: Vec<String>,
        task_ids: Vec<String>,
        outcome: String,
    ) {
        self.record(actor.event(
            self.now(),
            AuditAction::Read,
            incident_ids,
            task_ids,
            outcome,
        ));
    }
}

/// Records per transaction of the appender.
const APPEND_BATCH: usize = 1024;
/// Tries of one transaction before its records are given up (and the loss logged).
const APPEND_TRIES: u32 = 30;

/// Writes queued records until every [`AuditLog`] is dropped and the queue is empty.
pub async fn run_appender<S: Store>(store: Arc<S>, mut rx: mpsc::UnboundedReceiver<AuditEvent>) {
    let mut events = Vec::with_capacity(APPEND_BATCH);
    while rx.recv_many(&mut events, APPEND_BATCH).await > 0 {
        let mut tries = 0;
        while let Err(e) = store.append_audit(&events).await {
            tries += 1;
            if tries >= APPEND_TRIES {
                error!(error = %e, lost = events.len(), "audit records could not be written");
                break;
            }
            warn!(error = %e, "audit append failed; retrying");
            tokio::time::sleep(Duration::from_millis(200 * u64::from(tries.min(5)))).await;
        }
        events.clear();
    }
}

/// What `audit verify` answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub records: u64,
    pub broken: Option<(u64, String)>,
}

/// What `audit export` selects: `[from, to)`, optionally one actor or one incident.
#[derive(Clone, Debug, Default)]
pub struct ExportFilter {
    pub from: Timestamp,
    pub to: Timestamp,
    pub actor: Option<String>,
    pub incident_id: Option<String>,
}

impl ExportFilter {
    fn admits(&self, e: &AuditEvent) -> bool {
        e.at >= self.from
            && e.at < self.to
            && self.actor.as_ref().is_none_or(|a| *a == e.actor)
            && self
                .incident_id
                .as_ref()
                .is_none_or(|i| e.incident_ids.contains(i))
    }
}

/// Audit records read per round trip to the store.
const AUDIT_PAGE: u32 = 5_000;

impl App {
    /// The log of records that do not ride with a commit.
    pub fn audit(&self) -> &AuditLog {
        &self.inner.audit
    }

    /// A refusal at the door (no credential, a role that may not): recorded as a read of
    /// nothing with the refusal's code.
    pub fn audit_refusal(&self, actor: &Actor, e: &AppError) {
        self.audit()
            .read(actor, vec![], vec![], refusal_code(e).to_owned());
    }

    /// Walks the chain up to the stored head and compares its end with the head. The head
    /// is read first, so records appended meanwhile (this check's own record among them) are
    /// left for the next check.
    pub async fn verify_audit(&self, actor: &Actor) -> Result<Verified, AppError> {
        let store = self.inner.audit_store.clone();
        self.audit().read(actor, vec![], vec![], "ok".into());
        let head = store.head().await?;
        let mut verifier = Verifier::default();
        let mut after = 0;
        while after < head.seq {
            let page = store.records(after, AUDIT_PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            for record in page.iter().take_while(|r| r.seq <= head.seq) {
                if let Err(broken) = verifier.check(record) {
                    return Ok(broken_at(verifier.count, broken));
                }
            }
        }
        match verifier.finish(&head) {
            Ok(records) => Ok(Verified {
                records,
                broken: None,
            }),
            Err(broken) => Ok(broken_at(verifier.count, broken)),
        }
    }

    /// The records `filter` selects, in order, as a stream of `map`'s messages. The export
    /// is recorded before it starts.
    pub fn export_audit<M, E>(
        &self,
        actor: &Actor,
        filter: ExportFilter,
        cancel: &CancellationToken,
        mut map: impl FnMut(AuditRecord, AuditEvent) -> M + Send + 'static,
    ) -> Result<Feed<M, E>, AppError>
    where
        M: Send + 'static,
        E: From<AppError> + Send + 'static,
    {
        if filter.to <= filter.from {
            return Err(AppError::invalid("to", "must be after from"));
        }
        self.audit().read(
            actor,
            filter.incident_id.iter().cloned().collect(),
            vec![],
            "ok".into(),
        );
        let store = self.inner.audit_store.clone();
        let (tx, rx) = stream_channel();
        let cancel = cancel.clone();
        tokio::spawn(async move {
            let send = async {
                let mut after = 0;
                loop {
                    let page = store.records(after, AUDIT_PAGE).await?;
                    let Some(last) = page.last() else {
                        return Ok(());
                    };
                    after = last.seq;
                    for record in page {
                        let event = record.event().map_err(|e| {
                            StoreError::Corrupt(format!("audit record {}: {e}", record.seq))
                        })?;
                        if filter.admits(&event) && tx.send(Ok(map(record, event))).await.is_err() {
                            return Ok(());
                        }
                    }
                }
            };
            tokio::select! {
                result = send => {
                    if let Err(e) = result {
                        let _ = tx.send(Err(AppError::Store(e).into())).await;
                    }
                }
                () = cancel.cancelled() => {}
            }
        });
        Ok(ReceiverStream::new(rx))
    }
}

fn broken_at(count: u64, broken: Broken) -> Verified {
    let seq = match broken {
        Broken::Edited { seq } | Broken::Unlinked { seq, .. } => seq,
        Broken::Truncated { last, .. } => last + 1,
    };
    Verified {
        records: count,
        broken: Some((seq, broken.to_string())),
    }
}

type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// The audit trail as the use-cases read it (object-safe, like the journal reader).
pub trait AuditReader: Send + Sync + 'static {
    fn records(
        &self,
        after: u64,
        limit: u32,
    ) -> BoxFuture<'_, Result<Vec<AuditRecord>, StoreError>>;
    fn head(&self) -> BoxFuture<'_, Result<Chain, StoreError>>;
}

impl<S: Store> AuditReader for S {
    fn records(
        &self,
        after: u64,
        limit: u32,
    ) -> BoxFuture<'_, Result<Vec<AuditRecord>, StoreError>> {
        Box::pin(self.read_audit(after, limit))
    }

    fn head(&self) -> BoxFuture<'_, Result<Chain, StoreError>> {
        Box::pin(self.audit_head())
    }
}
