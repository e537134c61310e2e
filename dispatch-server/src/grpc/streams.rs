//! Server streams: a snapshot (when the caller starts from 0) or the journal after the
//! caller's sequence, then live events, filtered to what the caller may see. Streams end when
//! the server shuts down.

use super::Ctx;
use crate::hub::{Topic, follow, stream_channel};
use dispatch_core::State;
use dispatch_store::JournalEntry;
use tokio_stream::wrappers::ReceiverStream;
use tonic::Status;
use tracing::warn;

pub type Stream<M> = ReceiverStream<Result<M, Status>>;

pub fn open<M, Snap, Map>(
    ctx: &Ctx,
    topic: Topic,
    after_seq: u64,
    snapshot: Snap,
    mut map: Map,
) -> Stream<M>
where
    M: Send + 'static,
    Snap: FnOnce(&State, u64) -> Option<M>,
    Map: FnMut(&JournalEntry) -> Option<M> + Send + 'static,
{
    // Subscribe before reading anything, so nothing committed in between is missed.
    let live = ctx.app.hub().subscribe(topic);
    let (start, first) = if after_seq == 0 {
        ctx.app.read(|state, seq| (seq, snapshot(state, seq)))
    } else {
        (after_seq, None)
    };
    let (tx, rx) = stream_channel();
    let journal = ctx.app.journal();
    let cancel = ctx.cancel.clone();
    tokio::spawn(async move {
        if let Some(first) = first
            && tx.send(Ok(first)).await.is_err()
        {
            return;
        }
        let errors = tx.clone();
        let feed = follow(journal, live, start, move |entry| map(entry).map(Ok), tx);
        tokio::select! {
            result = feed => {
                if let Err(e) = result {
                    warn!(error = %e, "stream could not read the journal");
                    let _ = errors
                        .send(Err(Status::unavailable("the journal is unavailable; resubscribe with your last seq")))
                        .await;
                }
            }
            () = cancel.cancelled() => {}
        }
    });
    ReceiverStream::new(rx)
}
