//! Utilization reports: what the program did in a period, computed from the journal alone.
//!
//! A report is a fold of journal entries through [`UtilizationTally`]. Calls are counted by
//! the period they were received in and follow-up tasks by the period they were created in,
//! each with what had happened to them by the report's `as_of` (the end of the period, or now
//! when the period has not ended); referrals count when they were made. Entries at or after
//! `as_of` are ignored, so a report on a past period gives the same figures however late it is
//! run. `docs/reports.md` defines every figure.

mod figures;
mod tally;

pub use figures::{DurationSummary, Figures};
pub use tally::UtilizationTally;

use crate::ids::TeamId;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UtilizationReport {
    pub from: Timestamp,
    pub to: Timestamp,
    /// The instant the figures describe: `to`, or the time of the report if earlier.
    pub as_of: Timestamp,
    pub totals: Figures,
    /// By the team that last held the call (and the follow-ups that came of it).
    pub by_team: BTreeMap<TeamId, Figures>,
    /// By local calendar day ("YYYY-MM-DD" in the service's time zone).
    pub by_day: BTreeMap<String, Figures>,
}

/// Why a report cannot be made for the period asked.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("the period must end after it starts")]
    Empty,
    #[error("a report covers at most {max_days} days; split the period")]
    TooLong { max_days: i64 },
}

/// The longest period one report covers (its by-day breakdown stays readable).
pub const MAX_PERIOD_DAYS: i64 = 400;

/// Checks a report period.
pub fn check_period(from: Timestamp, to: Timestamp) -> Result<(), PeriodError> {
    if to <= from {
        return Err(PeriodError::Empty);
    }
    if to.millis() - from.millis() > MAX_PERIOD_DAYS * 86_400_000 {
        return Err(PeriodError::TooLong {
            max_days: MAX_PERIOD_DAYS,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
