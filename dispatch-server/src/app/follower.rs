//! The journal follower, for a store that several replicas share: what other replicas
//! commit becomes visible here too (state, streams, timers). It reads `seq > cursor` in
//! order whenever woken (a `NOTIFY` after another replica's commit, a reconnect of the
//! listening connection) and every second anyway, since notifications are lost while the
//! listener is disconnected. Whether those reads succeed is what the health service
//! reports (NOT_SERVING while the database does not answer).

use super::App;
use super::published::advance;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

/// How often the journal is read even without a notification.
pub const POLL_EVERY: Duration = Duration::from_secs(1);
const PAGE: u32 = 1000;

/// Runs until `cancel`; `wake` says "read now" (extra wake-ups cost one query).
pub async fn follow_journal(app: App, mut wake: mpsc::Receiver<()>, cancel: CancellationToken) {
    let mut poll = tokio::time::interval(POLL_EVERY);
    poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut failing = false;
    loop {
        tokio::select! {
            () = cancel.cancelled() => return,
            _ = poll.tick() => {}
            woken = wake.recv() => if woken.is_none() { return },
        }
        match read_new(&app).await {
            Ok(()) => {
                if failing {
                    info!("the journal answers again");
                }
                failing = false;
            }
            Err(e) => {
                if !failing {
                    warn!(error = %e, "cannot read the journal; trying again every second");
                }
                failing = true;
            }
        }
        app.inner.store_up.send_if_modified(|up| {
            let changed = *up == failing;
            *up = !failing;
            changed
        });
    }
}

/// Publishes every entry after the replica's cursor.
async fn read_new(app: &App) -> Result<(), dispatch_store::StoreError> {
    let journal = app.journal();
    loop {
        let after = app.last_seq();
        let page = journal.read(after, PAGE).await?;
        let full = page.len() == PAGE as usize;
        if page.is_empty() {
            return Ok(());
        }
        advance(&app.inner.published, &app.inner.hub, page);
        if !full {
            return Ok(());
        }
    }
}
