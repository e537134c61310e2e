//! Submission: the timeline goes to the server over `CadIngest.SubmitStream`s, each event
//! when its paced time comes; every receipt is matched to its event. Calls are split over
//! `streams` streams by call number, so one call's events stay in order on one stream while
//! the server commits several streams' events together.
//!
//! If a stream breaks (server restart, network), it is reopened with backoff and every event
//! without a receipt is sent again: event ids make that safe (a repeat is acknowledged as a
//! duplicate).

use super::events::Timed;
use super::pace::{Speed, schedule};
use super::report::{Failure, Report};
use dispatch_proto::v1;
use dispatch_proto::v1::cad_ingest_client::CadIngestClient;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio::time::Instant;
use tokio_stream::wrappers::ReceiverStream;
use tonic::transport::Channel;
use tonic::{Code, Request, Status};

/// Attempts to open a stream, without progress in between, before its remaining events are
/// given up as failed.
const ATTEMPTS: u32 = 6;
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(8);
/// The most streams a replay opens.
pub const MAX_STREAMS: usize = 64;

/// Why a replay stopped before the end.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error("the server refused the token ({0}): pass a token of role cad or cad:<source>")]
    Refused(String),
    #[error("the server answered out of order: receipt for {got:?}, expected {expected:?}")]
    OutOfOrder { got: String, expected: String },
}

/// Where, as whom and how wide to submit.
#[derive(Clone)]
pub struct Target {
    pub channel: Channel,
    /// `authorization: Bearer` token of role `cad` or `cad:<source>`.
    pub token: String,
    /// How many `SubmitStream`s to use at once (1 to [`MAX_STREAMS`]).
    pub streams: usize,
}

/// What a stream task tells the submitter.
enum Delivery {
    Receipt(usize, v1::SubmitReceipt),
    Undelivered(usize, String),
    Reopened,
    Fatal(SubmitError),
}

/// The events a stream task sends: shared timeline, its own indices into it.
struct Share {
    timeline: Arc<Vec<Timed>>,
    due: Arc<Vec<Duration>>,
    start: Instant,
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
    let streams = target.streams.clamp(1, MAX_STREAMS);
    let mut parts: Vec<Vec<usize>> = vec![Vec::new(); streams];
    for (i, t) in timeline.iter().enumerate() {
        parts[partition(&t.event.call_number, streams)].push(i);
    }
    let share = Arc::new(Share {
        timeline: Arc::new(timeline),
        due: Arc::new(due),
        start: Instant::now(),
    });
    let (tx, mut rx) = mpsc::channel::<Delivery>(1024);
    let mut tasks = JoinSet::new();
    for part in parts.into_iter().filter(|p| !p.is_empty()) {
        tasks.spawn(deliver(
            target.clone(),
            Arc::clone(&share),
            part,
            tx.clone(),
        ));
    }
    drop(tx);
    while let Some(delivery) = rx.recv().await {
        match delivery {
            Delivery::Receipt(i, receipt) => {
                record(report, &share.timeline[i], &receipt);
                progress(report);
            }
            Delivery::Undelivered(i, message) => {
                let t = &share.timeline[i];
                report.failures.push(Failure {
                    line: t.line,
                    event_id: t.event.event_id.clone(),
                    message: format!("not delivered: {message}"),
                });
            }
            Delivery::Reopened => report.reconnects += 1,
            Delivery::Fatal(e) => {
                tasks.abort_all();
                return Err(e);
            }
        }
    }
    // Every task has ended (the channel closed); reap them.
    while tasks.join_next().await.is_some() {}
    Ok(())
}

/// A call's stream: FNV-1a of its call number, so the split is the same on every run.
fn partition(call_number: &str, streams: usize) -> usize {
    let hash = call_number.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (hash % streams as u64) as usize
}

/// One stream's work: the events `part` (indices into the timeline, in time order), with
/// reopening and re-sending until each has a receipt or the attempts run out.
async fn deliver(target: Target, share: Arc<Share>, part: Vec<usize>, out: mpsc::Sender<Delivery>) {
    let part = Arc::new(part);
    let mut client = CadIngestClient::new(target.channel.clone());
    let mut next = 0; // the first event of `part` without a receipt
    let mut attempt = 0;
    let mut backoff = FIRST_BACKOFF;
    let mut last_error = String::new();
    while next < part.len() {
        if attempt > 0 {
            if attempt >= ATTEMPTS {
                for i in &part[next..] {
                    let _ = out
                        .send(Delivery::Undelivered(*i, last_error.clone()))
                        .await;
                }
                return;
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
            let _ = out.send(Delivery::Reopened).await;
        }
        attempt += 1;
        let (tx, rx) = mpsc::channel::<v1::CadEvent>(256);
        let feeder = tokio::spawn(feed(tx, Arc::clone(&share), Arc::clone(&part), next));
        let mut request = Request::new(ReceiverStream::new(rx));
        if let Err(e) = bearer(&mut request, &target.token) {
            feeder.abort();
            let _ = out.send(Delivery::Fatal(e)).await;
            return;
        }
        let progress_before = next;
        match client.submit_stream(request).await {
            Err(status) => {
                if let Err(e) = fatal(&status) {
                    feeder.abort();
                    let _ = out.send(Delivery::Fatal(e)).await;
                    return;
                }
                last_error = describe(&status);
            }
            Ok(response) => {
                let mut receipts = response.into_inner();
                while next < part.len() {
                    match receipts.message().await {
                        Ok(Some(receipt)) => {
                            let i = part[next];
                            let expected = &share.timeline[i].event.event_id;
                            if receipt.event_id != *expected {
                                feeder.abort();
                                let e = SubmitError::OutOfOrder {
                                    got: receipt.event_id,
                                    expected: expected.clone(),
                                };
                                let _ = out.send(Delivery::Fatal(e)).await;
                                return;
                            }
                            if out.send(Delivery::Receipt(i, receipt)).await.is_err() {
                                feeder.abort();
                                return; // the submitter is gone
                            }
                            next += 1;
                        }
                        Ok(None) => {
                            last_error = "the server ended the stream".into();
                            break;
                        }
                        Err(status) => {
                            if let Err(e) = fatal(&status) {
                                feeder.abort();
                                let _ = out.send(Delivery::Fatal(e)).await;
                                return;
                            }
                            last_error = describe(&status);
                            break;
                        }
                    }
                }
            }
        }
        feeder.abort();
        if next > progress_before {
            // Progress was made: a break after it starts a fresh round of attempts.
            attempt = 1;
            backoff = FIRST_BACKOFF;
        }
    }
}

/// Sends events `part[from..]` at their due times; stops when the stream is gone.
async fn feed(
    tx: mpsc::Sender<v1::CadEvent>,
    share: Arc<Share>,
    part: Arc<Vec<usize>>,
    from: usize,
) {
    for i in &part[from..] {
        tokio::time::sleep_until(share.start + share.due[*i]).await;
        if tx.send(share.timeline[*i].event.clone()).await.is_err() {
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

/// An empty token sends none: the server knows the CAD by its client certificate.
fn bearer<T>(request: &mut Request<T>, token: &str) -> Result<(), SubmitError> {
    if token.is_empty() {
        return Ok(());
    }
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

#[cfg(test)]
mod tests {
    use super::partition;

    #[test]
    fn a_call_always_goes_to_the_same_stream_and_calls_spread() {
        let streams = 8;
        let mut used = [0usize; 8];
        for n in 0..800 {
            let call = format!("E2301{n:07}");
            let p = partition(&call, streams);
            assert_eq!(p, partition(&call, streams));
            used[p] += 1;
        }
        assert!(used.iter().all(|u| *u > 50), "{used:?}");
        assert_eq!(partition("anything", 1), 0);
    }
}
