//! CadIngest: CAD events in. Acknowledged only after the durable commit; replay-safe.

use super::status::stream_rejection;
use super::{Caller, Ctx, Stream};
use crate::app::access::Area;
use crate::app::{Actor, AppError, Submitted, stream_channel};
use crate::auth::Role;
use dispatch_proto::convert::{cad_event_to_command, cad_update};
use dispatch_proto::v1::{self, cad_ingest_server::CadIngest};
use tokio::sync::mpsc;
use tokio_stream::StreamExt;
use tonic::{Request, Response, Status, Streaming};

pub struct CadIngestService {
    pub(super) ctx: Ctx,
}

impl CadIngestService {
    async fn submit_one(
        &self,
        caller: &Caller,
        event: v1::CadEvent,
    ) -> Result<Submitted, AppError> {
        let app = &self.ctx.app;
        app.submit_cad(&caller.role, &caller.actor, |id| {
            cad_event_to_command(event, id)
        })
        .await
    }

    /// Submits a stream's events in order, one receipt each, until either side stops. One
    /// task reads the stream and hands each event to the writer; another answers them in
    /// order. Between them at most [`IN_FLIGHT`] events wait for their commit, so a fast
    /// client fills a group commit instead of waiting for one commit per event; when the
    /// queue is full the reader stops reading and HTTP/2 flow control holds the client
    /// back (see `server::STREAM_WINDOW`).
    async fn answer_each(
        self,
        role: Role,
        actor: Actor,
        mut events: Streaming<v1::CadEvent>,
        tx: mpsc::Sender<Result<v1::SubmitReceipt, Status>>,
    ) {
        let (queued_tx, mut queued) = mpsc::channel(IN_FLIGHT);
        let app = self.ctx.app.clone();
        let reader = tokio::spawn(async move {
            while let Some(next) = events.next().await {
                let item = match next {
                    Ok(event) => {
                        let ids = (event.source.clone(), event.event_id.clone());
                        let q = app
                            .queue_cad(&role, &actor, |id| cad_event_to_command(event, id))
                            .await;
                        Ok((ids, q))
                    }
                    Err(status) => Err(status),
                };
                let broken = item.is_err();
                if queued_tx.send(item).await.is_err() || broken {
                    return;
                }
            }
        });
        while let Some(item) = queued.recv().await {
            let answer = match item {
                Ok(((source, event_id), q)) => Ok(q
                    .answer()
                    .await
                    .map_or_else(|e| refused(source, event_id, e), receipt)),
                Err(status) => Err(status),
            };
            let broken = answer.is_err();
            if tx.send(answer).await.is_err() || broken {
                break;
            }
        }
        reader.abort();
    }
}

/// How many events of one `SubmitStream` may wait for their commit at once.
const IN_FLIGHT: usize = 1024;

fn receipt(s: Submitted) -> v1::SubmitReceipt {
    v1::SubmitReceipt {
        source: s.key.source,
        event_id: s.key.event_id,
        seq: s.seq,
        duplicate: s.duplicate,
        incident_id: s.incident_id.map(|i| i.0).unwrap_or_default(),
        triage: s.triage.as_ref().map(Into::into),
        rejection: None,
    }
}

/// A refused event's receipt inside a stream: the code, the field and the reason.
fn refused(source: String, event_id: String, e: AppError) -> v1::SubmitReceipt {
    v1::SubmitReceipt {
        source,
        event_id,
        rejection: Some(stream_rejection(e)),
        ..Default::default()
    }
}

#[tonic::async_trait]
impl CadIngest for CadIngestService {
    async fn submit(
        &self,
        request: Request<v1::CadEvent>,
    ) -> Result<Response<v1::SubmitReceipt>, Status> {
        let caller = (self.ctx)
            .caller(&request, Area::Cad, "submit CAD events")
            .await?;
        let submitted = self.submit_one(&caller, request.into_inner()).await?;
        Ok(Response::new(receipt(submitted)))
    }

    type OutboundStream = Stream<v1::CadUpdate>;

    /// Updates about the caller's calls, resumable by `after_seq`.
    async fn outbound(
        &self,
        request: Request<v1::OutboundRequest>,
    ) -> Result<Response<Self::OutboundStream>, Status> {
        let caller = (self.ctx)
            .caller(&request, Area::Cad, "receive CAD updates")
            .await?;
        let scope = self.ctx.stream_scope(&caller);
        let after = request.into_inner().after_seq;
        let stream = self.ctx.app.watch_cad_updates(
            &caller.role,
            &caller.actor,
            after,
            &scope.cancel,
            |e, call| {
                let mut update = cad_update(e.seq, e.at, &e.event)?;
                update.source = call.source.to_owned();
                update.call_number = call.call_number.to_owned();
                Some(update)
            },
        );
        Ok(Response::new(scope.wrap(stream)))
    }

    type SubmitStreamStream = Stream<v1::SubmitReceipt>;

    /// A receipt for every event, in order; a refused event's receipt says why and the
    /// stream goes on. A broken stream (an undecodable message) ends it.
    async fn submit_stream(
        &self,
        request: Request<Streaming<v1::CadEvent>>,
    ) -> Result<Response<Self::SubmitStreamStream>, Status> {
        let caller = (self.ctx)
            .caller(&request, Area::Cad, "submit CAD events")
            .await?;
        let scope = self.ctx.stream_scope(&caller);
        let (tx, rx) = stream_channel();
        let service = CadIngestService {
            ctx: self.ctx.clone(),
        };
        let cancel = scope.cancel.clone();
        let answers = service.answer_each(caller.role, caller.actor, request.into_inner(), tx);
        tokio::spawn(async move {
            tokio::select! {
                () = answers => {}
                () = cancel.cancelled() => {}
            }
        });
        let receipts = tokio_stream::wrappers::ReceiverStream::new(rx);
        Ok(Response::new(scope.wrap(receipts)))
    }
}
