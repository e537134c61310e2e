//! The CAD's use-cases: events in (acknowledged after the durable commit, replay-safe by
//! (source, event id)) and updates out about the CAD's own calls.

use super::feed::Feed;
use super::hub::Topic;
use super::writer::{CadOutcome, Work};
use super::{Actor, App, AppError, access, ids};
use crate::auth::Role;
use dispatch_core::{Command, IncidentId, TriageDecision};
use dispatch_proto::convert::{CadKey, FieldError};
use dispatch_store::JournalEntry;
use tokio::sync::oneshot;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

/// What became of one CAD event.
#[derive(Clone, Debug, PartialEq)]
pub struct Submitted {
    pub key: CadKey,
    /// Sequence of the event's last journal entry (or of the journal when it had no effect).
    pub seq: u64,
    /// The event was already applied: nothing changed.
    pub duplicate: bool,
    pub incident_id: Option<IncidentId>,
    /// How the call is triaged now.
    pub triage: Option<TriageDecision>,
}

/// A CAD event handed to the writer (or refused before it), its answer still to come.
pub struct QueuedCad {
    app: App,
    queued: Result<(CadKey, CadReply), AppError>,
}

type CadReply = oneshot::Receiver<Result<CadOutcome, AppError>>;

impl QueuedCad {
    /// What became of the event, once it is durable (or why it was refused). The triage is
    /// the call's as committed when the answer is read.
    pub async fn answer(self) -> Result<Submitted, AppError> {
        let (key, rx) = self.queued?;
        let outcome = rx.await.map_err(|_| AppError::ShuttingDown)??;
        let triage = outcome.incident_id.as_ref().and_then(|id| {
            self.app
                .read(|state, _| state.incidents.get(id).and_then(|i| i.triage.clone()))
        });
        Ok(Submitted {
            key,
            seq: outcome.seq,
            duplicate: outcome.duplicate,
            incident_id: outcome.incident_id,
            triage,
        })
    }
}

/// The CAD's own names for the call an update is about.
#[derive(Clone, Copy, Debug)]
pub struct CadCall<'a> {
    pub source: &'a str,
    pub call_number: &'a str,
}

impl App {
    /// One CAD event. `convert` reads it into its key and command, naming a call it creates
    /// with the id given (minted here; the core ignores it when the call exists).
    pub async fn submit_cad(
        &self,
        role: &Role,
        actor: &Actor,
        convert: impl FnOnce(IncidentId) -> Result<(CadKey, Command), FieldError>,
    ) -> Result<Submitted, AppError> {
        self.queue_cad(role, actor, convert).await.answer().await
    }

    /// [`App::submit_cad`] in two steps, for a stream that keeps many events in flight: this
    /// converts the event, checks access and hands it to the writer, which takes events in
    /// the order they are handed in; [`QueuedCad::answer`] waits for its commit. A refusal
    /// before the writer (a bad field, another source's event) is kept for the answer, so a
    /// stream still answers in order.
    pub async fn queue_cad(
        &self,
        role: &Role,
        actor: &Actor,
        convert: impl FnOnce(IncidentId) -> Result<(CadKey, Command), FieldError>,
    ) -> QueuedCad {
        let queued = async {
            let (key, command) = convert(ids::new_incident())?;
            if let Err(e) = access::speaks_for(role, &key.source) {
                self.audit_refusal(actor, &e);
                return Err(e);
            }
            let span =
                tracing::info_span!("cad_event", source = %key.source, event_id = %key.event_id);
            let (reply, rx) = oneshot::channel();
            self.send(Work::Cad {
                actor: actor.clone(),
                source: key.source.clone(),
                event_id: key.event_id.clone(),
                command,
                reply,
            })
            .instrument(span)
            .await?;
            Ok((key, rx))
        };
        QueuedCad {
            app: self.clone(),
            queued: queued.await,
        }
    }

    /// Updates about the caller's calls (every call for a `cad` token, one source's for
    /// `cad:<source>`). Starting from 0 means "from now on": the CAD already knows the past.
    /// `update` turns an entry into what the CAD hears, if anything.
    /// Updates about the caller's calls, each recorded as a disclosure to the caller (the
    /// CAD, and through it whoever it forwards EIDO to).
    pub fn watch_cad_updates<M, E>(
        &self,
        role: &Role,
        actor: &Actor,
        after_seq: u64,
        cancel: &CancellationToken,
        mut update: impl FnMut(&JournalEntry, CadCall<'_>) -> Option<M> + Send + 'static,
    ) -> Feed<M, E>
    where
        M: Send + 'static,
        E: From<AppError> + Send + 'static,
    {
        let only = access::cad_source(role);
        let recipient = actor.clone();
        let start = if after_seq == 0 {
            self.last_seq()
        } else {
            after_seq
        };
        let app = self.clone();
        self.open_feed(
            Topic::Board,
            start,
            cancel,
            |_, _| None,
            move |entry| {
                let id = entry.event.audience().incident_id?;
                app.read(|state, _| {
                    let incident = state.incidents.get(id)?;
                    if only.as_ref().is_some_and(|s| *s != incident.source) {
                        return None;
                    }
                    let call = CadCall {
                        source: &incident.source,
                        call_number: &incident.call_number,
                    };
                    let sent = update(entry, call)?;
                    let mut record = recipient.event(
                        entry.at,
                        dispatch_store::AuditAction::Disclose,
                        vec![id.to_string()],
                        vec![],
                        "ok".into(),
                    );
                    record.at = app.audit().now();
                    record.recipient = Some(format!("{} ({})", recipient.holder, recipient.role));
                    app.audit().record(record);
                    Some(sent)
                })
            },
        )
    }
}
