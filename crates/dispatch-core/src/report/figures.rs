//! The figures a utilization report gives for one scope (the whole period, one team, one day)
//! and the duration summaries in them.

use crate::model::ResourceCategory;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How long a step took across the calls that reached it: count, median and 90th percentile.
///
/// Percentiles are nearest-rank (the smallest value with at least p% of the values at or
/// below it), so every figure is a duration that really happened and a recount gets it to the
/// millisecond.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DurationSummary {
    pub count: u64,
    pub median_ms: i64,
    pub p90_ms: i64,
}

impl DurationSummary {
    pub fn of(mut millis: Vec<i64>) -> Self {
        if millis.is_empty() {
            return Self::default();
        }
        millis.sort_unstable();
        Self {
            count: millis.len() as u64,
            median_ms: nearest_rank(&millis, 50),
            p90_ms: nearest_rank(&millis, 90),
        }
    }
}

/// The nearest-rank percentile of sorted, non-empty values.
fn nearest_rank(sorted: &[i64], percent: usize) -> i64 {
    let rank = (sorted.len() * percent).div_ceil(100).max(1);
    sorted[rank - 1]
}

/// Counts and durations for one scope. See `docs/reports.md` for what each counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub calls_received: u64,
    pub eligible: u64,
    pub review: u64,
    pub not_eligible: u64,
    /// Not-eligible calls by the triage rule that blocked them (a call counts once per rule).
    pub not_eligible_by_rule: BTreeMap<String, u64>,
    /// Calls the dispatcher declined back to police / fire / EMS, by "route: reason".
    pub declined_by_reason: BTreeMap<String, u64>,
    pub declined: u64,
    pub cancelled: u64,
    pub dispatched: u64,
    pub acknowledged: u64,
    pub backup_requested: u64,
    pub transported: u64,
    pub cleared: u64,
    pub received_to_assigned: DurationSummary,
    pub assigned_to_acknowledged: DurationSummary,
    pub acknowledged_to_on_scene: DurationSummary,
    pub received_to_on_scene: DurationSummary,
    pub time_on_scene: DurationSummary,
    pub follow_ups_created: u64,
    pub follow_ups_completed: u64,
    pub follow_ups_closed_unreachable: u64,
    pub follow_ups_cancelled: u64,
    pub follow_ups_overdue: u64,
    pub time_to_first_contact: DurationSummary,
    /// Referrals made (at clearance and on follow-up attempts), by category.
    pub referrals: BTreeMap<ResourceCategory, u64>,
}

/// Durations gathered for a scope before they are summarised.
#[derive(Debug, Default)]
pub(crate) struct Samples {
    pub received_to_assigned: Vec<i64>,
    pub assigned_to_acknowledged: Vec<i64>,
    pub acknowledged_to_on_scene: Vec<i64>,
    pub received_to_on_scene: Vec<i64>,
    pub time_on_scene: Vec<i64>,
    pub time_to_first_contact: Vec<i64>,
}

impl Samples {
    pub fn summarise_into(self, figures: &mut Figures) {
        figures.received_to_assigned = DurationSummary::of(self.received_to_assigned);
        figures.assigned_to_acknowledged = DurationSummary::of(self.assigned_to_acknowledged);
        figures.acknowledged_to_on_scene = DurationSummary::of(self.acknowledged_to_on_scene);
        figures.received_to_on_scene = DurationSummary::of(self.received_to_on_scene);
        figures.time_on_scene = DurationSummary::of(self.time_on_scene);
        figures.time_to_first_contact = DurationSummary::of(self.time_to_first_contact);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let s = DurationSummary::of(vec![5, 1, 4, 2, 3]);
        assert_eq!((s.count, s.median_ms, s.p90_ms), (5, 3, 5));
        let s = DurationSummary::of(vec![10, 20]);
        assert_eq!((s.median_ms, s.p90_ms), (10, 20));
        let s = DurationSummary::of((1..=10).collect());
        assert_eq!((s.median_ms, s.p90_ms), (5, 9));
        let s = DurationSummary::of(vec![7]);
        assert_eq!((s.count, s.median_ms, s.p90_ms), (1, 7, 7));
        assert_eq!(DurationSummary::of(vec![]), DurationSummary::default());
    }
}
