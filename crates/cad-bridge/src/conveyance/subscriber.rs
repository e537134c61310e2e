//! `cad-bridge eido-ws`: a NENA-STA-024 subscriber to a CAD's WebSocket endpoint. It
//! subscribes to the CAD's EIDOs, forwards each notification to the dispatch server and acks
//! it by its transaction id (200 once every document is committed, 400 naming the JSON path
//! when a document is refused, 503 when the server cannot take it now, so the CAD sends it
//! again), and resubscribes with capped exponential backoff when the connection drops or the
//! CAD terminates the subscription.
//!
//! Publishing back: when the CAD subscribes to the bridge on the same connection, the bridge
//! answers as a notifier and sends the server's outbound updates as EIDO `event`s, one at a
//! time; the outbound position advances only when the CAD acks the event with 200. A refused
//! ack ends the session, and the next session resends from the last acked update.

use super::outbound::{self, Position};
use super::sta024::{self, Event, EventResponse, Message, Subscribe, SubscribeResponse, status};
use crate::eido::{self, EidoError, Renderer};
use crate::ingest::{Ingest, IngestError};
use dispatch_proto::v1;
use futures_util::{SinkExt, Stream, StreamExt};
use std::time::Duration;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{self, Message as Frame};
use tokio_util::sync::CancellationToken;
use tonic::transport::Channel;
use tracing::{info, warn};

/// The MIME type of EIDO (NENA-STA-021), major version 1.
pub const EIDO_MIME: &str = "application/emergency.eido+json; version=1";

/// How long to wait before reconnecting: doubling from `initial`, never above `max`.
#[derive(Clone, Copy, Debug)]
pub struct Backoff {
    pub initial: Duration,
    pub max: Duration,
}

impl Backoff {
    /// The wait after `delay`: doubled, capped at `max`.
    pub fn after(&self, delay: Duration) -> Duration {
        delay.saturating_mul(2).min(self.max)
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            initial: Duration::from_secs(1),
            max: Duration::from_secs(60),
        }
    }
}

#[derive(Clone, Debug)]
pub struct SubscriberConfig {
    /// The CAD's endpoint, `ws://...`.
    pub url: String,
    /// `requestSubType`: `new` (every new incident and its updates), `single` or `resource`.
    pub sub_type: String,
    pub backoff: Backoff,
}

/// Publishing the server's outbound updates back to the CAD.
pub struct Publishing {
    pub channel: Channel,
    pub token: String,
    pub renderer: Renderer,
    pub position: Position,
}

#[derive(Debug, thiserror::Error)]
enum SessionError {
    #[error("WebSocket: {0}")]
    Ws(#[from] tungstenite::Error),
    #[error("the CAD refused the subscription: {code} {text}")]
    Refused { code: u16, text: String },
    #[error("the CAD did not accept outbound update {seq}: {code} {text}")]
    NotAcked { seq: u64, code: u16, text: String },
    #[error("outbound stream from the dispatch server: {0}")]
    Outbound(Box<tonic::Status>),
    #[error("saving the outbound position: {0}")]
    Position(#[from] std::io::Error),
}

/// Runs sessions until `shutdown` is cancelled.
pub async fn run(
    config: SubscriberConfig,
    mut ingest: Ingest,
    mut publishing: Option<Publishing>,
    shutdown: CancellationToken,
) {
    let mut delay = config.backoff.initial;
    loop {
        let mut subscribed = false;
        let result = tokio::select! {
            r = session(&config, &mut ingest, publishing.as_mut(), &shutdown, &mut subscribed) => r,
            () = shutdown.cancelled() => return,
        };
        if shutdown.is_cancelled() {
            return;
        }
        if subscribed {
            delay = config.backoff.initial;
        }
        match result {
            Ok(()) => info!(url = %config.url, "the CAD closed the connection; reconnecting"),
            Err(e) => warn!(url = %config.url, error = %e, "session ended; reconnecting"),
        }
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            () = shutdown.cancelled() => return,
        }
        delay = config.backoff.after(delay);
    }
}

/// The largest WebSocket message read: one 10 MiB document and its envelope.
const MAX_MESSAGE_BYTES: usize = eido::MAX_DOCUMENT_BYTES + 64 * 1024;

async fn session(
    config: &SubscriberConfig,
    ingest: &mut Ingest,
    mut publishing: Option<&mut Publishing>,
    shutdown: &CancellationToken,
    subscribed: &mut bool,
) -> Result<(), SessionError> {
    let ws_config = WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE_BYTES))
        .max_frame_size(Some(MAX_MESSAGE_BYTES));
    let (mut ws, _) =
        tokio_tungstenite::connect_async_with_config(config.url.as_str(), Some(ws_config), true)
            .await?;
    let mut request_id = new_id();
    ws.send(text(&subscribe(&request_id, &config.sub_type)))
        .await?;
    let mut ours: Option<String> = None;
    // The CAD's subscription to us, the server's outbound stream, and the update awaiting ack.
    let mut theirs: Option<String> = None;
    let mut updates: Option<tonic::Streaming<v1::CadUpdate>> = None;
    let mut pending: Option<(String, u64)> = None;
    loop {
        let ready = pending.is_none();
        tokio::select! {
            frame = ws.next() => {
                let frame = match frame {
                    None => return Ok(()),
                    Some(f) => f?,
                };
                let Frame::Text(body) = frame else {
                    if let Frame::Close(_) = frame {
                        return Ok(());
                    }
                    continue;
                };
                let Ok(message) = serde_json::from_str::<Message>(body.as_str()) else {
                    warn!("ignored a WebSocket message that is not an STA-024 message");
                    continue;
                };
                match message {
                    Message::SubscribeResponse(r) if r.request_id == request_id => {
                        if r.status_code != status::OK {
                            return Err(SessionError::Refused { code: r.status_code, text: r.status_text });
                        }
                        info!(subscription = ?r.subscription_id, "subscribed to the CAD's EIDOs");
                        ours = Some(r.subscription_id.unwrap_or_default());
                        *subscribed = true;
                    }
                    Message::Event(event) => {
                        let reply = if ours.as_deref() == Some(event.subscription_id.as_str()) {
                            forward(ingest, publishing.as_deref_mut(), &event).await
                        } else {
                            ack(&event, status::NO_SUCH_SUBSCRIPTION, "no such subscription".into())
                        };
                        ws.send(text(&Message::EventResponse(reply))).await?;
                    }
                    Message::Terminate(t) => {
                        ws.send(text(&Message::TerminateResponse(sta024::TerminateResponse {
                            request_id: t.request_id,
                            subscription_id: t.subscription_id,
                            status_code: status::OK,
                            status_text: "OK".into(),
                        }))).await?;
                        // The CAD ended our subscription: ask again.
                        ours = None;
                        request_id = new_id();
                        ws.send(text(&subscribe(&request_id, &config.sub_type))).await?;
                    }
                    Message::Subscribe(s) => {
                        let reply = match publishing.as_deref_mut() {
                            Some(p) => {
                                let id = new_id();
                                let stream = outbound::open(p.channel.clone(), &p.token, p.position.seq())
                                    .await
                                    .map_err(|s| SessionError::Outbound(Box::new(s)))?;
                                updates = Some(stream);
                                theirs = Some(id.clone());
                                info!("the CAD subscribed to outbound updates");
                                SubscribeResponse { request_id: s.request_id, subscription_id: Some(id), expires: None, status_code: status::OK, status_text: "OK".into() }
                            }
                            None => SubscribeResponse { request_id: s.request_id, subscription_id: None, expires: None, status_code: 403, status_text: "this bridge does not publish updates (start it with --publish)".into() },
                        };
                        ws.send(text(&Message::SubscribeResponse(reply))).await?;
                    }
                    Message::Unsubscribe(u) => {
                        let known = theirs.as_deref() == Some(u.subscription_id.as_str());
                        if known {
                            theirs = None;
                            updates = None;
                            pending = None;
                        }
                        ws.send(text(&Message::UnsubscribeResponse(sta024::UnsubscribeResponse {
                            request_id: u.request_id,
                            subscription_id: u.subscription_id,
                            status_code: if known { status::OK } else { status::NO_SUCH_SUBSCRIPTION },
                            status_text: if known { "OK".into() } else { "no such subscription".into() },
                        }))).await?;
                    }
                    Message::EventResponse(r) => {
                        if let (Some((tid, seq)), Some(p)) = (&pending, publishing.as_deref_mut())
                            && *tid == r.transaction_id
                        {
                            if r.status_code != status::OK {
                                return Err(SessionError::NotAcked { seq: *seq, code: r.status_code, text: r.status_text });
                            }
                            p.position.advance(*seq)?;
                            pending = None;
                        }
                    }
                    _ => {}
                }
            }
            update = next_or_never(updates.as_mut(), ready) => {
                let (Some(p), Some(sub)) = (publishing.as_deref_mut(), theirs.as_ref()) else { continue };
                let update = match update {
                    Some(Ok(u)) => u,
                    Some(Err(status)) => return Err(SessionError::Outbound(Box::new(status))),
                    None => return Err(SessionError::Outbound(Box::new(tonic::Status::unavailable("the outbound stream ended")))),
                };
                let Some(doc) = p.renderer.render(&update) else {
                    p.position.advance(update.seq)?;
                    continue;
                };
                let transaction_id = new_id();
                let event = Event {
                    subscription_id: sub.clone(),
                    transaction_id: transaction_id.clone(),
                    notification: vec![serde_json::to_value(&doc).unwrap_or_default()],
                };
                ws.send(text(&Message::Event(event))).await?;
                pending = Some((transaction_id, update.seq));
            }
            () = shutdown.cancelled() => {
                let _ = ws.close(None).await;
                return Ok(());
            }
        }
    }
}

/// The next item of the stream when there is one and we are ready for it; never otherwise.
async fn next_or_never<S: Stream + Unpin>(stream: Option<&mut S>, ready: bool) -> Option<S::Item> {
    match stream {
        Some(s) if ready => s.next().await,
        _ => std::future::pending().await,
    }
}

/// Every document of the notification is read and checked before any is submitted.
async fn forward(
    ingest: &mut Ingest,
    publishing: Option<&mut Publishing>,
    event: &Event,
) -> EventResponse {
    let mut docs = Vec::with_capacity(event.notification.len());
    for (i, value) in event.notification.iter().enumerate() {
        let bytes = serde_json::to_vec(value).unwrap_or_default();
        let checked = eido::parse(&bytes).and_then(|d| ingest.check(&d).map(|_| d));
        match checked {
            Ok(doc) => docs.push(doc),
            Err(e) => {
                let code = if matches!(e, EidoError::TooLarge { .. }) {
                    status::TOO_LARGE
                } else {
                    status::BAD_REQUEST
                };
                // The reason may quote the document (PHI): the log gets the path only.
                warn!(transaction = %event.transaction_id, path = e.path().unwrap_or("-"), "refused a notification; nothing of it was submitted");
                return ack(event, code, format!("notification[{i}]: {e}"));
            }
        }
    }
    let mut renderer = publishing.map(|p| &mut p.renderer);
    for doc in &docs {
        if let (Some(r), Some(incident)) = (renderer.as_deref_mut(), doc.incident_component.first())
        {
            r.know_incident_type(&doc.id, &incident.incident_type_common_registry_text);
        }
        match ingest.submit(doc).await {
            Ok(done) => info!(
                transaction = %event.transaction_id,
                call = %done.call_number,
                events = done.events,
                duplicates = done.duplicates,
                "forwarded to the dispatch server"
            ),
            Err(e @ (IngestError::Rejected { .. } | IngestError::Document(_))) => {
                warn!(transaction = %event.transaction_id, call = %doc.id, "the dispatch server refused a document");
                return ack(event, status::BAD_REQUEST, e.to_string());
            }
            Err(e) => {
                warn!(transaction = %event.transaction_id, error = %e, "the dispatch server is unavailable");
                return ack(
                    event,
                    status::UNAVAILABLE,
                    "the dispatch server is unavailable; send again".into(),
                );
            }
        }
    }
    // The receipt carries what was let pass: the sender should fix it, nothing was lost.
    let warnings: Vec<String> = docs
        .iter()
        .enumerate()
        .flat_map(|(i, d)| {
            d.warnings
                .iter()
                .map(move |w| format!("notification[{i}]: {w}"))
        })
        .collect();
    if warnings.is_empty() {
        return ack(event, status::OK, "OK".into());
    }
    warn!(transaction = %event.transaction_id, warnings = warnings.len(), "accepted with warnings");
    ack(
        event,
        status::OK,
        format!(
            "OK with {} warning(s): {}",
            warnings.len(),
            warnings.join("; ")
        ),
    )
}

fn ack(event: &Event, status_code: u16, status_text: String) -> EventResponse {
    EventResponse {
        transaction_id: event.transaction_id.clone(),
        status_code,
        status_text,
    }
}

fn subscribe(request_id: &str, sub_type: &str) -> Message {
    Message::Subscribe(Subscribe {
        request_id: request_id.to_string(),
        request_type: Some("EIDO".into()),
        request_sub_type: Some(sub_type.to_string()),
        request_accepts: Some(EIDO_MIME.into()),
        subscription_id: None,
        expires: None,
    })
}

fn text(message: &Message) -> Frame {
    Frame::text(message.to_json())
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        let b = Backoff::default();
        let mut d = b.initial;
        let mut waits = Vec::new();
        for _ in 0..9 {
            waits.push(d.as_secs());
            d = b.after(d);
        }
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(b.after(Duration::MAX), b.max, "no overflow");
    }
}
