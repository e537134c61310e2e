//! Utilization reports: the request's period in, the figures out.

use super::fields::required_time;
use super::{FieldError, to_proto_time};
use crate::v1;
use dispatch_core::Timestamp;
use dispatch_core::report::{DurationSummary, Figures, UtilizationReport};

/// The period a report request asks for: both ends are required; their order and length are
/// the core's to judge.
pub fn utilization_period(
    r: &v1::UtilizationRequest,
) -> Result<(Timestamp, Timestamp), FieldError> {
    Ok((
        required_time("from", r.from.as_ref())?,
        required_time("to", r.to.as_ref())?,
    ))
}

/// The report as the wire carries it, with the journal sequence it reflects.
pub fn utilization_report_to_proto(
    r: &UtilizationReport,
    journal_seq: u64,
) -> v1::UtilizationReport {
    v1::UtilizationReport {
        from: Some(to_proto_time(r.from)),
        to: Some(to_proto_time(r.to)),
        as_of: Some(to_proto_time(r.as_of)),
        totals: Some((&r.totals).into()),
        by_team: r
            .by_team
            .iter()
            .map(|(team, figures)| v1::TeamFigures {
                team_id: team.to_string(),
                figures: Some(figures.into()),
            })
            .collect(),
        by_day: r
            .by_day
            .iter()
            .map(|(day, figures)| v1::DayFigures {
                day: day.clone(),
                figures: Some(figures.into()),
            })
            .collect(),
        journal_seq,
    }
}

impl From<DurationSummary> for v1::DurationSummary {
    fn from(d: DurationSummary) -> Self {
        v1::DurationSummary {
            count: d.count,
            median_ms: d.median_ms,
            p90_ms: d.p90_ms,
        }
    }
}

impl From<&Figures> for v1::Figures {
    fn from(f: &Figures) -> Self {
        v1::Figures {
            calls_received: f.calls_received,
            eligible: f.eligible,
            review: f.review,
            not_eligible: f.not_eligible,
            not_eligible_by_rule: f.not_eligible_by_rule.clone().into_iter().collect(),
            declined: f.declined,
            declined_by_reason: f.declined_by_reason.clone().into_iter().collect(),
            cancelled: f.cancelled,
            dispatched: f.dispatched,
            acknowledged: f.acknowledged,
            backup_requested: f.backup_requested,
            transported: f.transported,
            cleared: f.cleared,
            received_to_assigned: Some(f.received_to_assigned.into()),
            assigned_to_acknowledged: Some(f.assigned_to_acknowledged.into()),
            acknowledged_to_on_scene: Some(f.acknowledged_to_on_scene.into()),
            received_to_on_scene: Some(f.received_to_on_scene.into()),
            time_on_scene: Some(f.time_on_scene.into()),
            follow_ups_created: f.follow_ups_created,
            follow_ups_completed: f.follow_ups_completed,
            follow_ups_closed_unreachable: f.follow_ups_closed_unreachable,
            follow_ups_cancelled: f.follow_ups_cancelled,
            follow_ups_overdue: f.follow_ups_overdue,
            time_to_first_contact: Some(f.time_to_first_contact.into()),
            referrals: f
                .referrals
                .iter()
                .map(|(category, n)| (category.name().to_owned(), *n))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_needs_both_ends() {
        let t = Some(to_proto_time(Timestamp(1_000)));
        let ok = v1::UtilizationRequest { from: t, to: t };
        assert_eq!(
            utilization_period(&ok).unwrap(),
            (Timestamp(1_000), Timestamp(1_000))
        );
        let e = utilization_period(&v1::UtilizationRequest { from: None, to: t }).unwrap_err();
        assert_eq!(e.field, "from");
        let e = utilization_period(&v1::UtilizationRequest { from: t, to: None }).unwrap_err();
        assert_eq!(e.field, "to");
    }
}
