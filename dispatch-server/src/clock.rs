//! The server's clock, the one place that reads time for the domain. Injected, so tests move
//! time forward instead of sleeping: [`Clock::manual`] only advances when told to.

use dispatch_core::Timestamp;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::watch;

/// The wall clock (the default) or a manual one (tests).
#[derive(Clone, Debug)]
pub struct Clock {
    manual: Option<Arc<watch::Sender<Timestamp>>>,
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

impl Clock {
    pub fn system() -> Self {
        Self { manual: None }
    }

    /// A clock that stands still at `start` until [`Clock::advance`] moves it.
    pub fn manual(start: Timestamp) -> Self {
        Self {
            manual: Some(Arc::new(watch::channel(start).0)),
        }
    }

    pub fn now(&self) -> Timestamp {
        match &self.manual {
            Some(tx) => *tx.borrow(),
            None => system_now(),
        }
    }

    /// Moves a manual clock forward (no effect on the wall clock).
    pub fn advance(&self, by: Duration) {
        if let Some(tx) = &self.manual {
            let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
            tx.send_modify(|t| *t = t.plus_millis(ms));
        }
    }

    /// Resolves once the clock reads `at` or later.
    pub async fn sleep_until(&self, at: Timestamp) {
        match &self.manual {
            Some(tx) => {
                let mut rx = tx.subscribe();
                // The sender lives as long as this clock, so this only ends when time has come.
                let _ = rx.wait_for(|now| *now >= at).await;
            }
            None => {
                let wait = u64::try_from(at.millis() - system_now().millis()).unwrap_or(0);
                tokio::time::sleep(Duration::from_millis(wait)).await;
            }
        }
    }
}

fn system_now() -> Timestamp {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    Timestamp(i64::try_from(ms).unwrap_or(i64::MAX))
}

/// The wall clock, for what is not part of the domain (the demo feed).
pub fn now() -> Timestamp {
    system_now()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_manual_clock_wakes_sleepers_only_when_advanced_past_their_time() {
        let clock = Clock::manual(Timestamp(1000));
        let sleeper = tokio::spawn({
            let clock = clock.clone();
            async move { clock.sleep_until(Timestamp(61_000)).await }
        });
        clock.advance(Duration::from_secs(30));
        tokio::task::yield_now().await;
        assert!(!sleeper.is_finished());
        clock.advance(Duration::from_secs(30));
        tokio::time::timeout(Duration::from_secs(5), sleeper)
            .await
            .expect("woke")
            .expect("ok");
        assert_eq!(clock.now(), Timestamp(61_000));
    }
}
