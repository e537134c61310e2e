//! Core follow-up tasks → wire messages. A task is sent with `overdue` computed at the time
//! given, so it goes through [`follow_up_task_to_proto`] rather than a `From`.

use super::enums::*;
use super::{opt_id, to_proto_time};
use crate::v1;
use dispatch_core as core;
use dispatch_core::Timestamp;

impl From<&core::Attempt> for v1::Attempt {
    fn from(a: &core::Attempt) -> Self {
        v1::Attempt {
            at: Some(to_proto_time(a.at)),
            by: a.by.to_string(),
            result: attempt_result::to_wire(a.result),
            note: a.note.clone(),
            referrals: a.referrals.iter().map(Into::into).collect(),
        }
    }
}

impl From<&core::OutcomeMeasures> for v1::OutcomeMeasures {
    fn from(m: &core::OutcomeMeasures) -> Self {
        v1::OutcomeMeasures {
            connected_to_services: m.connected_to_services,
            housing_status_improved: m.housing_status_improved,
            returned_to_crisis: m.returned_to_crisis,
            note: m.note.clone(),
        }
    }
}

/// A follow-up task as sent at `now`: `overdue` is computed (due before `now` and unfinished),
/// which is why this is a function and not a `From`. `reminded_at` has no wire field.
pub fn follow_up_task_to_proto(t: &core::FollowUpTask, now: Timestamp) -> v1::FollowUpTask {
    v1::FollowUpTask {
        id: t.id.to_string(),
        incident_id: t.incident_id.to_string(),
        kind: follow_up_kind::to_wire(t.kind),
        due_at: Some(to_proto_time(t.due_at)),
        assignee: opt_id(&t.assignee),
        status: follow_up_status::to_wire(t.status),
        attempts: t.attempts.iter().map(Into::into).collect(),
        referrals: t.referrals.iter().map(Into::into).collect(),
        outcome: t.outcome.as_ref().map(Into::into),
        created_at: Some(to_proto_time(t.created_at)),
        origin: t.origin.clone(),
        overdue: t.is_overdue(now),
        person_ref: t.person_ref.clone(),
        linked_task_ids: t.linked_task_ids.iter().map(ToString::to_string).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::samples;
    use super::*;

    fn t(ms: i64) -> Option<prost_types::Timestamp> {
        Some(to_proto_time(Timestamp(ms)))
    }

    #[test]
    fn a_follow_up_task_carries_every_field() {
        let wire = follow_up_task_to_proto(&samples::task(), Timestamp(0));
        assert_eq!(
            (wire.id.as_str(), wire.incident_id.as_str()),
            ("fu-1", "inc-1")
        );
        assert_eq!(wire.kind, v1::FollowUpKind::PhoneCheckIn as i32);
        assert_eq!(wire.due_at, t(10_000));
        assert_eq!(wire.assignee, "peer-bo");
        assert_eq!(wire.status, v1::FollowUpStatus::Scheduled as i32);
        assert_eq!(
            wire.attempts,
            [v1::Attempt {
                at: t(20_000),
                by: "peer-bo".into(),
                result: v1::AttemptResult::NoContact as i32,
                note: "voicemail".into(),
                referrals: vec![(&samples::referral()).into()],
            }]
        );
        assert_eq!(
            wire.referrals[0].category,
            v1::ResourceCategory::Shelter as i32
        );
        assert_eq!(wire.outcome.unwrap().note, "sheltered");
        assert_eq!(wire.created_at, t(9_000));
        assert_eq!(wire.origin, "consented");

        let unassigned = core::FollowUpTask {
            assignee: None,
            outcome: None,
            ..samples::task()
        };
        let wire = follow_up_task_to_proto(&unassigned, Timestamp(0));
        assert_eq!((wire.assignee.as_str(), wire.outcome), ("", None));
    }

    #[test]
    fn overdue_means_past_due_and_unfinished_at_the_time_given() {
        let task = samples::task(); // due at 10 000, scheduled
        assert!(!follow_up_task_to_proto(&task, Timestamp(10_000)).overdue);
        assert!(follow_up_task_to_proto(&task, Timestamp(10_001)).overdue);
        let done = core::FollowUpTask {
            status: core::FollowUpStatus::Done,
            ..task
        };
        assert!(!follow_up_task_to_proto(&done, Timestamp(99_999)).overdue);
    }
}
