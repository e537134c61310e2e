//! Feeds: what a stream sends. A snapshot (when the caller starts from 0) or the journal
//! after the caller's sequence, then live entries, each turned into zero or one message.
//! Feeds end when the caller goes away or `cancel` fires (the server shuts down).

use super::hub::{Topic, follow, stream_channel};
use super::{App, AppError};
use dispatch_core::State;
use dispatch_store::JournalEntry;
use tokio_stream::wrappers::ReceiverStream;
use tokio_util::sync::CancellationToken;
use tracing::warn;

/// The messages of one stream; `E` is the transport's error (built from [`AppError`]).
pub type Feed<M, E> = ReceiverStream<Result<M, E>>;

impl App {
    pub(super) fn open_feed<M, E, Snap, Map>(
        &self,
        topic: Topic,
        after_seq: u64,
        cancel: &CancellationToken,
        snapshot: Snap,
        mut map: Map,
    ) -> Feed<M, E>
    where
        M: Send + 'static,
        E: From<AppError> + Send + 'static,
        Snap: FnOnce(&State, u64) -> Option<M>,
        Map: FnMut(&JournalEntry) -> Option<M> + Send + 'static,
    {
        // Subscribe before reading anything, so nothing committed in between is missed.
        let live = self.hub().subscribe(topic);
        let (start, first) = if after_seq == 0 {
            self.read(|state, seq| (seq, snapshot(state, seq)))
        } else {
            (after_seq, None)
        };
        let (tx, rx) = stream_channel();
        let journal = self.journal();
        let cancel = cancel.clone();
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
                        let _ = errors.send(Err(AppError::JournalUnavailable(e).into())).await;
                    }
                }
                () = cancel.cancelled() => {}
            }
        });
        ReceiverStream::new(rx)
    }
}
