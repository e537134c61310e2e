//! The utilization report use-case: the journal, read from the start, through the core's tally.

use super::{Actor, App, AppError};
use dispatch_core::Timestamp;
use dispatch_core::hours::ServiceHours;
use dispatch_core::report::{UtilizationReport, UtilizationTally, check_period};

/// Journal entries read per round trip to the store.
const PAGE: u32 = 10_000;

impl App {
    /// The report of `[from, to)` as of now, with the last journal sequence it includes.
    pub async fn utilization(
        &self,
        actor: &Actor,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<(UtilizationReport, u64), AppError> {
        let result = self.tally(from, to).await;
        // Aggregates only, about no one call: a read of no incident.
        (self.audit()).read(actor, vec![], vec![], super::audit::outcome(&result));
        result
    }

    async fn tally(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<(UtilizationReport, u64), AppError> {
        check_period(from, to).map_err(|e| AppError::invalid("to", e.to_string()))?;
        let now = self.clock().now();
        let last_seq = self.read(|_, seq| seq);
        let hours = self
            .policy()
            .triage
            .service_hours
            .clone()
            .unwrap_or_else(ServiceHours::always);
        let mut tally = UtilizationTally::new(from, to, now, hours);
        let journal = self.journal();
        let mut after = 0;
        while after < last_seq {
            let page = journal.read(after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            for entry in page.iter().take_while(|e| e.seq <= last_seq) {
                tally.observe(entry.at, &entry.event);
            }
        }
        Ok((tally.finish(), last_seq))
    }
}
