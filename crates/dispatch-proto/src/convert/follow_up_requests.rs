//! FollowUps requests → the inputs the server turns into core commands.
//!
//! Every request needs a non-blank `command_id` and the ids it acts on; a due time, where one is
//! taken, must be present and valid. Checks run in field order. The peer recording an attempt
//! or completing a task comes from the caller's token, not from these inputs.

use super::FieldError;
use super::enums::*;
use super::fields::{measures, optional_id, referrals, required, required_time};
use crate::v1;
use dispatch_core as core;
use dispatch_core::{IncidentId, PeerId, TaskId, Timestamp};

/// FollowUps.Schedule: set a task's due time, and its assignee when one is given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduleInput {
    pub command_id: String,
    pub task_id: TaskId,
    pub due_at: Timestamp,
    /// `None` when blank: the current assignee stays.
    pub assignee: Option<PeerId>,
}

pub fn schedule_input(r: v1::ScheduleRequest) -> Result<ScheduleInput, FieldError> {
    Ok(ScheduleInput {
        command_id: required("command_id", r.command_id)?,
        task_id: TaskId(required("task_id", r.task_id)?),
        due_at: required_time("due_at", r.due_at.as_ref())?,
        assignee: optional_id(r.assignee).map(PeerId),
    })
}

/// FollowUps.RecordAttempt: the result must be chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttemptInput {
    pub command_id: String,
    pub task_id: TaskId,
    pub result: core::AttemptResult,
    pub note: String,
    pub referrals: Vec<core::Referral>,
}

pub fn attempt_input(r: v1::AttemptRequest) -> Result<AttemptInput, FieldError> {
    Ok(AttemptInput {
        command_id: required("command_id", r.command_id)?,
        task_id: TaskId(required("task_id", r.task_id)?),
        result: attempt_result::from_wire("result", r.result)?,
        note: r.note,
        referrals: referrals("referrals", r.referrals)?,
    })
}

/// FollowUps.Complete: the outcome must be chosen; absent measures are all false.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompleteInput {
    pub command_id: String,
    pub task_id: TaskId,
    pub outcome: core::TaskOutcome,
    pub measures: core::OutcomeMeasures,
}

pub fn complete_input(r: v1::CompleteRequest) -> Result<CompleteInput, FieldError> {
    Ok(CompleteInput {
        command_id: required("command_id", r.command_id)?,
        task_id: TaskId(required("task_id", r.task_id)?),
        outcome: task_outcome::from_wire("outcome", r.outcome)?,
        measures: measures(r.measures.unwrap_or_default()),
    })
}

/// FollowUps.Create: a manual task on an incident; kind and due time must be given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateFollowUpInput {
    pub command_id: String,
    pub incident_id: IncidentId,
    pub kind: core::FollowUpKind,
    pub due_at: Timestamp,
    /// `None` when blank: unassigned.
    pub assignee: Option<PeerId>,
    pub person_ref: String,
}

pub fn create_follow_up_input(
    r: v1::CreateFollowUpRequest,
) -> Result<CreateFollowUpInput, FieldError> {
    Ok(CreateFollowUpInput {
        command_id: required("command_id", r.command_id)?,
        incident_id: IncidentId(required("incident_id", r.incident_id)?),
        kind: follow_up_kind::from_wire("kind", r.kind)?,
        due_at: required_time("due_at", r.due_at.as_ref())?,
        assignee: optional_id(r.assignee).map(PeerId),
        person_ref: r.person_ref,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{samples, to_proto_time};
    use super::*;

    fn field<T: std::fmt::Debug>(r: Result<T, FieldError>) -> String {
        r.unwrap_err().field
    }

    fn bad_time() -> Option<prost_types::Timestamp> {
        Some(prost_types::Timestamp {
            seconds: 1,
            nanos: -1,
        })
    }

    #[test]
    fn schedule() {
        let ok = v1::ScheduleRequest {
            command_id: "c1".into(),
            task_id: "fu-1".into(),
            due_at: Some(to_proto_time(Timestamp(60_000))),
            assignee: String::new(),
        };
        assert_eq!(
            schedule_input(ok.clone()),
            Ok(ScheduleInput {
                command_id: "c1".into(),
                task_id: TaskId::new("fu-1"),
                due_at: Timestamp(60_000),
                assignee: None,
            })
        );
        let with_peer = v1::ScheduleRequest {
            assignee: "peer-bo".into(),
            ..ok.clone()
        };
        assert_eq!(
            schedule_input(with_peer).unwrap().assignee,
            Some(PeerId::new("peer-bo"))
        );
        let cases = [
            (
                v1::ScheduleRequest {
                    command_id: String::new(),
                    ..ok.clone()
                },
                "command_id",
            ),
            (
                v1::ScheduleRequest {
                    task_id: String::new(),
                    ..ok.clone()
                },
                "task_id",
            ),
            (
                v1::ScheduleRequest {
                    due_at: None,
                    ..ok.clone()
                },
                "due_at",
            ),
            (
                v1::ScheduleRequest {
                    due_at: bad_time(),
                    ..ok
                },
                "due_at",
            ),
        ];
        for (request, name) in cases {
            assert_eq!(field(schedule_input(request)), name);
        }
    }

    #[test]
    fn attempt() {
        let ok = v1::AttemptRequest {
            command_id: "c1".into(),
            task_id: "fu-1".into(),
            result: v1::AttemptResult::Reached as i32,
            note: "talked".into(),
            referrals: vec![(&samples::referral()).into()],
        };
        assert_eq!(
            attempt_input(ok.clone()),
            Ok(AttemptInput {
                command_id: "c1".into(),
                task_id: TaskId::new("fu-1"),
                result: core::AttemptResult::Reached,
                note: "talked".into(),
                referrals: vec![samples::referral()],
            })
        );
        let no_result = v1::AttemptRequest {
            result: 0,
            ..ok.clone()
        };
        assert_eq!(
            attempt_input(no_result),
            Err(FieldError::required("result"))
        );
        let bad_referral = v1::AttemptRequest {
            referrals: vec![
                (&samples::referral()).into(),
                v1::Referral {
                    status: 0,
                    ..(&samples::referral()).into()
                },
            ],
            ..ok.clone()
        };
        assert_eq!(
            attempt_input(bad_referral),
            Err(FieldError::required("referrals[1].status"))
        );
        let no_task = v1::AttemptRequest {
            task_id: String::new(),
            ..ok
        };
        assert_eq!(field(attempt_input(no_task)), "task_id");
        assert_eq!(
            field(attempt_input(v1::AttemptRequest::default())),
            "command_id"
        );
    }

    #[test]
    fn complete() {
        let ok = v1::CompleteRequest {
            command_id: "c1".into(),
            task_id: "fu-1".into(),
            outcome: v1::TaskOutcome::ClosedUnreachable as i32,
            measures: Some((&samples::measures()).into()),
        };
        assert_eq!(
            complete_input(ok.clone()),
            Ok(CompleteInput {
                command_id: "c1".into(),
                task_id: TaskId::new("fu-1"),
                outcome: core::TaskOutcome::ClosedUnreachable,
                measures: samples::measures(),
            })
        );
        let no_measures = v1::CompleteRequest {
            measures: None,
            ..ok.clone()
        };
        assert_eq!(
            complete_input(no_measures).unwrap().measures,
            core::OutcomeMeasures::default()
        );
        let no_outcome = v1::CompleteRequest {
            outcome: 0,
            ..ok.clone()
        };
        assert_eq!(
            complete_input(no_outcome),
            Err(FieldError::required("outcome"))
        );
        let bad_outcome = v1::CompleteRequest { outcome: 9, ..ok };
        assert_eq!(field(complete_input(bad_outcome)), "outcome");
        assert_eq!(
            field(complete_input(v1::CompleteRequest::default())),
            "command_id"
        );
    }

    #[test]
    fn create() {
        let ok = v1::CreateFollowUpRequest {
            command_id: "c1".into(),
            incident_id: "inc-1".into(),
            kind: v1::FollowUpKind::WelfareRecheck as i32,
            due_at: Some(to_proto_time(Timestamp(5_000))),
            assignee: "peer-bo".into(),
            person_ref: "client 12".into(),
        };
        assert_eq!(
            create_follow_up_input(ok.clone()),
            Ok(CreateFollowUpInput {
                command_id: "c1".into(),
                incident_id: IncidentId::new("inc-1"),
                kind: core::FollowUpKind::WelfareRecheck,
                due_at: Timestamp(5_000),
                assignee: Some(PeerId::new("peer-bo")),
                person_ref: "client 12".into(),
            })
        );
        let unassigned = v1::CreateFollowUpRequest {
            assignee: String::new(),
            ..ok.clone()
        };
        assert_eq!(create_follow_up_input(unassigned).unwrap().assignee, None);
        let cases = [
            (
                v1::CreateFollowUpRequest {
                    command_id: String::new(),
                    ..ok.clone()
                },
                "command_id",
            ),
            (
                v1::CreateFollowUpRequest {
                    incident_id: String::new(),
                    ..ok.clone()
                },
                "incident_id",
            ),
            (
                v1::CreateFollowUpRequest {
                    kind: 0,
                    ..ok.clone()
                },
                "kind",
            ),
            (
                v1::CreateFollowUpRequest {
                    due_at: None,
                    ..ok.clone()
                },
                "due_at",
            ),
            (
                v1::CreateFollowUpRequest {
                    due_at: bad_time(),
                    ..ok
                },
                "due_at",
            ),
        ];
        for (request, name) in cases {
            assert_eq!(field(create_follow_up_input(request)), name);
        }
    }
}
