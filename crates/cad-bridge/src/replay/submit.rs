//! Submission: the timeline goes to the server over one `CadIngest.SubmitStream`, each event
//! when its paced time comes; every receipt is matched to its event. If the stream breaks
//! (server restart, network), it is reopened with backoff and every event without a receipt
//! is sent again: event ids make that safe (a repeat is acknowledged as a duplicate).

use super::events::Timed;
use super::pace::{Speed, schedule};
use super::report::{Failure, Report};
use dispatch_proto::v1;
use dispatch_proto::v1::cad_ingest_client::CadIngestClient;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_stream::wrappers::ReceiverStream;
use tonic::transport::Channel;
use tonic::{Code, Request, Status};

/// Attempts to open the stream before the remaining events are given up as failed.
const ATTEMPTS: u32 = 6;
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(8);

/// Why a replay stopped before the end.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error("the server refused the token ({0}): pass a token of role cad or cad:<source>")]
    Refused(String),
    #[error("the server answered out of order: receipt for {got:?}, expected {expected:?}")]
    OutOfOrder { got: String, expected: String },
}

/// Where and as whom to submit.
#[derive(Clone)]
pub struct Target {
    pub channel: Channel,
    /// `authorization: Bearer` token of role `cad` or `cad:<source>`.
    pub token: String,
}

/// Sends every event at its paced time and records each receipt in the report;
/// `progress` sees the report after every receipt.
pub async fn submit(
    target: &Target,
    timeline: Vec<Timed>,
    speed: Speed,
    report: &mut Report,
    progress: &mut (dyn FnMut(&Report) + Send),
) -> Result<(), SubmitError> {
    let due = schedule(&timeline.iter().map(|t| t.at).collect::<Vec<_>>(), speed);
    let timeline = Arc::new(timeline);
    let due = Arc::new(due);
    let start = Instant::now();
    let mut client = CadIngestClient::new(target.channel.clone());
    let mut next = 0; // the first event without a receipt
    let mut attempt = 0;
    let mut backoff = FIRST_BACKOFF;
    let mut last_error = String::new();
    while next < timeline.len() {
        if attempt > 0 {
            if attempt >= ATTEMPTS {
                for t in &timeline[next..] {
                    report.failures.push(Failure {
                        line: t.line,
                        event_id: t.event.event_id.clone(),
                        message: format!("not delivered: {last_error}"),
                    });
                }
                return Ok(());
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
            report.reconnects += 1;
        }
        attempt += 1;
        let (tx, rx) = mpsc::channel::<v1::CadEvent>(256);
        let feeder = tokio::spawn(feed(
            tx,
            Arc::clone(&timeline),
            Arc::clone(&due),
            next,
            start,
        ));
        let mut request = Request::new(ReceiverStream::new(rx));
        bearer(&mut request, &target.token)?;
        let progress_before = next;
        match client.submit_stream(request).await {
            Err(status) => {
                fatal(&status)?;
                last_error = describe(&status);
            }
            Ok(response) => {
                let mut receipts = response.into_inner();
                loop {
                    match receipts.message().await {
                        Ok(Some(receipt)) => {
                            let Some(timed) = timeline.get(next) else {
                                break;
                            };
                            if receipt.event_id != timed.event.event_id {
                                feeder.abort();
                                return Err(SubmitError::OutOfOrder {
                                    got: receipt.event_id,
                                    expected: timed.event.event_id.clone(),
                                });
                            }
                            record(report, timed, &receipt);
                            progress(report);
                            next += 1;
                            if next == timeline.len() {
                                break;
                            }
                        }
                        Ok(None) => {
                            last_error = "the server ended the stream".into();
                            break;
                        }
                        Err(status) => {
                            fatal(&status)?;
                            last_error = describe(&status);
                            break;
                        }
                    }
                }
            }
        }
        feeder.abort();
        if next > progress_before {
            // Progress was made: the next break starts a fresh round of attempts.
            attempt = if next < timeline.len() { 1 } else { attempt };
            backoff = FIRST_BACKOFF;
        }
    }
    Ok(())
}

/// Sends events `from..` at their due times; stops when the stream is gone.
async fn feed(
    tx: mpsc::Sender<v1::CadEvent>,
    timeline: Arc<Vec<Timed>>,
    due: Arc<Vec<Duration>>,
    from: usize,
    start: Instant,
) {
    for (timed, due) in timeline[from..].iter().zip(&due[from..]) {
        tokio::time::sleep_until(start + *due).await;
        if tx.send(timed.event.clone()).await.is_err() {
            return;
        }
    }
}

fn record(report: &mut Report, timed: &Timed, receipt: &v1::SubmitReceipt) {
    if let Some(rejection) = &receipt.rejection {
        let field = if rejection.field.is_empty() {
            String::new()
        } else {
            format!(" [{}]", rejection.field)
        };
        report.failures.push(Failure {
            line: timed.line,
            event_id: timed.event.event_id.clone(),
            message: format!(
                "refused ({}){field}: {}",
                Code::from_i32(rejection.code).description(),
                rejection.message
            ),
        });
    } else if timed.is_created() {
        report.count_created(receipt);
    } else {
        report.closed += 1;
    }
}

fn bearer<T>(request: &mut Request<T>, token: &str) -> Result<(), SubmitError> {
    let value = format!("Bearer {token}").parse().map_err(|_| {
        SubmitError::Refused("the token has characters a header cannot carry".into())
    })?;
    request.metadata_mut().insert("authorization", value);
    Ok(())
}

/// Errors that no retry will fix.
fn fatal(status: &Status) -> Result<(), SubmitError> {
    match status.code() {
        Code::Unauthenticated | Code::PermissionDenied => {
            Err(SubmitError::Refused(describe(status)))
        }
        _ => Ok(()),
    }
}

fn describe(status: &Status) -> String {
    format!("{}: {}", status.code().description(), status.message())
}
