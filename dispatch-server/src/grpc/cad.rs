//! CadIngest: CAD events in. Acknowledged only after the durable commit; replay-safe.

use super::{Ctx, status::invalid};
use crate::app::CadOutcome;
use crate::auth::Role;
use dispatch_core::IncidentId;
use dispatch_proto::convert::{cad_event_to_command, cad_update};
use dispatch_proto::v1::{self, cad_ingest_server::CadIngest};
use tokio_stream::StreamExt;
use tonic::{Request, Response, Status, Streaming};
use tracing::Instrument;

pub struct CadIngestService {
    pub(super) ctx: Ctx,
}

impl CadIngestService {
    /// One event: validate, check the caller may speak for its source, submit, build the receipt.
    async fn submit_one(
        &self,
        role: &Role,
        event: v1::CadEvent,
    ) -> Result<v1::SubmitReceipt, Status> {
        let new_id = IncidentId::new(uuid::Uuid::now_v7().to_string());
        let (key, command) = cad_event_to_command(event, new_id).map_err(invalid)?;
        if let Role::Cad(Some(source)) = role
            && *source != key.source
        {
            return Err(Status::permission_denied(format!(
                "source: this token speaks for {source}, not {}",
                key.source
            )));
        }
        let span = tracing::info_span!("cad_event", source = %key.source, event_id = %key.event_id);
        let outcome = self
            .ctx
            .app
            .cad_event(key.source.clone(), key.event_id.clone(), command)
            .instrument(span)
            .await?;
        Ok(self.receipt(key.source, key.event_id, outcome))
    }

    fn receipt(&self, source: String, event_id: String, outcome: CadOutcome) -> v1::SubmitReceipt {
        let triage = outcome.incident_id.as_ref().and_then(|id| {
            self.ctx.app.read(|state, _| {
                state
                    .incidents
                    .get(id)
                    .and_then(|i| i.triage.as_ref())
                    .map(v1::TriageDecision::from)
            })
        });
        v1::SubmitReceipt {
            source,
            event_id,
            seq: outcome.seq,
            duplicate: outcome.duplicate,
            incident_id: outcome.incident_id.map(|i| i.0).unwrap_or_default(),
            triage,
            rejection: None,
        }
    }
}

fn is_cad(role: &Role) -> bool {
    matches!(role, Role::Cad(_))
}

#[tonic::async_trait]
impl CadIngest for CadIngestService {
    async fn submit(
        &self,
        request: Request<v1::CadEvent>,
    ) -> Result<Response<v1::SubmitReceipt>, Status> {
        let role = self
            .ctx
            .require(request.metadata(), "submit CAD events", is_cad)?;
        Ok(Response::new(
            self.submit_one(&role, request.into_inner()).await?,
        ))
    }

    type OutboundStream = super::streams::Stream<v1::CadUpdate>;

    /// Updates about the caller's calls (all calls for a `cad` token, one source's for
    /// `cad:<source>`). Starting from 0 means "from now on": the CAD already knows the past.
    async fn outbound(
        &self,
        request: Request<v1::OutboundRequest>,
    ) -> Result<Response<Self::OutboundStream>, Status> {
        let role = self
            .ctx
            .require(request.metadata(), "receive CAD updates", is_cad)?;
        let only = match role {
            Role::Cad(source) => source,
            _ => None,
        };
        let after = request.into_inner().after_seq;
        let start = if after == 0 {
            self.ctx.app.read(|_, seq| seq)
        } else {
            after
        };
        let app = self.ctx.app.clone();
        let stream = super::streams::open(
            &self.ctx,
            crate::hub::Topic::Board,
            start,
            |_, _| None,
            move |entry| {
                let mut update = cad_update(entry.seq, entry.at, &entry.event)?;
                let id = entry.event.audience().incident_id?.clone();
                let (source, call_number) = app.read(|state, _| {
                    state
                        .incidents
                        .get(&id)
                        .map(|i| (i.source.clone(), i.call_number.clone()))
                })?;
                if only.as_ref().is_some_and(|s| *s != source) {
                    return None;
                }
                update.source = source;
                update.call_number = call_number;
                Some(update)
            },
        );
        Ok(Response::new(stream))
    }

    type SubmitStreamStream = super::streams::Stream<v1::SubmitReceipt>;

    async fn submit_stream(
        &self,
        request: Request<Streaming<v1::CadEvent>>,
    ) -> Result<Response<Self::SubmitStreamStream>, Status> {
        let role = self
            .ctx
            .require(request.metadata(), "submit CAD events", is_cad)?;
        let mut events = request.into_inner();
        let (tx, rx) = crate::hub::stream_channel();
        let service = CadIngestService {
            ctx: self.ctx.clone(),
        };
        tokio::spawn(async move {
            while let Some(next) = events.next().await {
                let receipt = match next {
                    Ok(event) => {
                        let (source, event_id) = (event.source.clone(), event.event_id.clone());
                        service
                            .submit_one(&role, event)
                            .await
                            .unwrap_or_else(|status| v1::SubmitReceipt {
                                source,
                                event_id,
                                rejection: Some(v1::Rejection {
                                    code: status.code() as i32,
                                    field: field_of(status.message()),
                                    message: status.message().to_owned(),
                                }),
                                ..Default::default()
                            })
                    }
                    // The stream itself broke (e.g. an undecodable message): say so and stop.
                    Err(status) => {
                        let _ = tx.send(Err(status)).await;
                        return;
                    }
                };
                if tx.send(Ok(receipt)).await.is_err() {
                    return;
                }
            }
        });
        Ok(Response::new(tokio_stream::wrappers::ReceiverStream::new(
            rx,
        )))
    }
}

/// The field a validation message names ("location.lat: ..." → "location.lat").
fn field_of(message: &str) -> String {
    message
        .split_once(": ")
        .map(|(f, _)| f)
        .filter(|f| !f.contains(' '))
        .unwrap_or_default()
        .to_owned()
}
