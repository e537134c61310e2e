//! Journal events → the wire `Event` every stream carries.

use super::enums::*;
use super::follow_up_tasks::follow_up_task_to_proto;
use super::{opt_id as opt, to_proto_time};
use crate::v1;
use crate::v1::event::Kind;
use dispatch_core::{Event, Timestamp};

/// One journal event as sent on the streams: its sequence, when it was committed, and what
/// happened. Absent optional ids are empty strings; `IncidentTriaged` without a new status
/// (a team already holds the incident) carries INCIDENT_STATUS_UNSPECIFIED.
pub fn event_to_proto(seq: u64, at: Timestamp, event: &Event) -> v1::Event {
    let kind = match event {
        Event::TeamRegistered { team } => Kind::TeamRegistered(v1::TeamRegistered {
            team: Some(team.into()),
        }),
        Event::IncidentReceived { incident } => Kind::IncidentReceived(v1::IncidentReceived {
            incident: Some(incident.into()),
        }),
        Event::IncidentUpdated {
            incident_id,
            team_id,
            details,
        } => Kind::IncidentUpdated(v1::IncidentUpdated {
            incident_id: incident_id.to_string(),
            team_id: opt(team_id),
            details: Some(details.into()),
        }),
        Event::NarrativeAdded {
            incident_id,
            team_id,
            lines,
        } => Kind::NarrativeAdded(v1::NarrativeAdded {
            incident_id: incident_id.to_string(),
            team_id: opt(team_id),
            lines: lines.iter().map(Into::into).collect(),
        }),
        Event::IncidentTriaged {
            incident_id,
            team_id,
            triage,
            status,
        } => Kind::IncidentTriaged(v1::IncidentTriaged {
            incident_id: incident_id.to_string(),
            team_id: opt(team_id),
            triage: Some(triage.into()),
            status: status.map_or(
                v1::IncidentStatus::Unspecified as i32,
                incident_status::to_wire,
            ),
        }),
        Event::SafetyAlert {
            incident_id,
            team_id,
            reasons,
        } => Kind::SafetyAlert(v1::SafetyAlert {
            incident_id: incident_id.to_string(),
            team_id: opt(team_id),
            reasons: reasons.iter().map(Into::into).collect(),
        }),
        Event::IncidentDeclined {
            incident_id,
            route: r,
            reason,
        } => Kind::IncidentDeclined(v1::IncidentDeclined {
            incident_id: incident_id.to_string(),
            route: route::to_wire(*r),
            reason: reason.clone(),
        }),
        Event::IncidentCancelled {
            incident_id,
            team_id,
            reason,
        } => Kind::IncidentCancelled(v1::IncidentCancelled {
            incident_id: incident_id.to_string(),
            team_id: opt(team_id),
            reason: reason.clone(),
        }),
        Event::AssignmentMade {
            assignment,
            incident,
        } => Kind::AssignmentMade(v1::AssignmentMade {
            assignment: Some(assignment.into()),
            incident: Some(incident.into()),
            premise_history: Vec::new(),
        }),
        Event::AssignmentRepushed {
            assignment_id,
            team_id,
            incident_id,
            repushes,
            ack_deadline,
        } => Kind::AssignmentRepushed(v1::AssignmentRepushed {
            assignment_id: assignment_id.to_string(),
            team_id: team_id.to_string(),
            incident_id: incident_id.to_string(),
            repushes: *repushes,
            ack_deadline: Some(to_proto_time(*ack_deadline)),
        }),
        Event::AssignmentEscalated {
            assignment_id,
            team_id,
            incident_id,
            suggested_team_id,
        } => Kind::AssignmentEscalated(v1::AssignmentEscalated {
            assignment_id: assignment_id.to_string(),
            team_id: team_id.to_string(),
            incident_id: incident_id.to_string(),
            suggested_team_id: opt(suggested_team_id),
        }),
        Event::TeamCheckedIn {
            team_id,
            incident_id,
            next_due,
        } => Kind::TeamCheckedIn(v1::TeamCheckedIn {
            team_id: team_id.to_string(),
            incident_id: incident_id.to_string(),
            next_due: Some(to_proto_time(*next_due)),
        }),
        Event::CheckInRequested {
            team_id,
            incident_id,
            respond_by,
        } => Kind::CheckInRequested(v1::CheckInRequested {
            team_id: team_id.to_string(),
            incident_id: incident_id.to_string(),
            respond_by: Some(to_proto_time(*respond_by)),
        }),
        Event::FollowUpOverdue {
            task_id,
            incident_id,
            assignee,
            due_at,
        } => Kind::FollowUpOverdue(v1::FollowUpOverdue {
            task_id: task_id.to_string(),
            incident_id: incident_id.to_string(),
            assignee: opt(assignee),
            due_at: Some(to_proto_time(*due_at)),
        }),
        Event::CheckInMissed {
            team_id,
            incident_id,
        } => Kind::CheckInMissed(v1::CheckInMissed {
            team_id: team_id.to_string(),
            incident_id: incident_id.to_string(),
        }),
        Event::AssignmentAcknowledged {
            assignment_id,
            team_id,
            incident_id,
            ack,
        } => Kind::AssignmentAcknowledged(v1::AssignmentAcknowledged {
            assignment_id: assignment_id.to_string(),
            team_id: team_id.to_string(),
            incident_id: incident_id.to_string(),
            ack: Some(ack.into()),
        }),
        Event::AssignmentEnded {
            assignment_id,
            team_id,
            incident_id,
            status,
        } => Kind::AssignmentEnded(v1::AssignmentEnded {
            assignment_id: assignment_id.to_string(),
            team_id: team_id.to_string(),
            incident_id: incident_id.to_string(),
            status: assignment_status::to_wire(*status),
        }),
        Event::TeamStatusChanged {
            team_id,
            status,
            incident_id,
        } => Kind::TeamStatusChanged(v1::TeamStatusChanged {
            team_id: team_id.to_string(),
            status: team_status::to_wire(*status),
            incident_id: opt(incident_id),
        }),
        Event::TeamPositionReported { team_id, position } => {
            Kind::TeamPositionReported(v1::TeamPositionReported {
                team_id: team_id.to_string(),
                position: Some(position.into()),
            })
        }
        Event::BackupRequested {
            incident_id,
            team_id,
            urgent,
            note,
        } => Kind::BackupRequested(v1::BackupRequested {
            incident_id: incident_id.to_string(),
            team_id: team_id.to_string(),
            urgent: *urgent,
            note: note.clone(),
        }),
        Event::IncidentCleared {
            incident_id,
            team_id,
            disposition: d,
            encounter,
        } => Kind::IncidentCleared(v1::IncidentCleared {
            incident_id: incident_id.to_string(),
            team_id: team_id.to_string(),
            disposition: disposition::to_wire(*d),
            encounter: Some(encounter.into()),
        }),
        // A task is never overdue as it is created, and the event must read the same when
        // replayed later, so `overdue` is not computed here.
        Event::FollowUpCreated { task } => Kind::FollowUpCreated(v1::FollowUpCreated {
            task: Some(v1::FollowUpTask {
                overdue: false,
                ..follow_up_task_to_proto(task, at)
            }),
        }),
        Event::FollowUpScheduled {
            task_id,
            due_at,
            assignee,
        } => Kind::FollowUpScheduled(v1::FollowUpScheduled {
            task_id: task_id.to_string(),
            due_at: Some(to_proto_time(*due_at)),
            assignee: opt(assignee),
        }),
        Event::FollowUpAttemptRecorded {
            task_id,
            attempt,
            status,
            assignee,
        } => Kind::FollowUpAttemptRecorded(v1::FollowUpAttemptRecorded {
            task_id: task_id.to_string(),
            attempt: Some(attempt.into()),
            status: follow_up_status::to_wire(*status),
            assignee: opt(assignee),
        }),
        Event::FollowUpCompleted {
            task_id,
            status,
            measures,
        } => Kind::FollowUpCompleted(v1::FollowUpCompleted {
            task_id: task_id.to_string(),
            status: follow_up_status::to_wire(*status),
            measures: Some(measures.into()),
        }),
    };
    v1::Event {
        seq,
        at: Some(to_proto_time(at)),
        kind: Some(kind),
    }
}

#[cfg(test)]
mod tests {
    use super::super::samples;
    use super::*;
    use dispatch_core as core;
    use dispatch_core::{IncidentId, TeamId};

    fn t(ms: i64) -> Option<prost_types::Timestamp> {
        Some(to_proto_time(Timestamp(ms)))
    }

    /// The wire name of a kind, to check each core event lands in its own oneof case. The
    /// match is exhaustive, so a new wire event fails to compile here until it is named.
    fn kind_name(kind: &Kind) -> &'static str {
        match kind {
            Kind::TeamRegistered(_) => "team_registered",
            Kind::IncidentReceived(_) => "incident_received",
            Kind::IncidentUpdated(_) => "incident_updated",
            Kind::NarrativeAdded(_) => "narrative_added",
            Kind::IncidentTriaged(_) => "incident_triaged",
            Kind::SafetyAlert(_) => "safety_alert",
            Kind::IncidentDeclined(_) => "incident_declined",
            Kind::IncidentCancelled(_) => "incident_cancelled",
            Kind::AssignmentMade(_) => "assignment_made",
            Kind::AssignmentRepushed(_) => "assignment_repushed",
            Kind::AssignmentEscalated(_) => "assignment_escalated",
            Kind::AssignmentAcknowledged(_) => "assignment_acknowledged",
            Kind::AssignmentEnded(_) => "assignment_ended",
            Kind::TeamStatusChanged(_) => "team_status_changed",
            Kind::TeamPositionReported(_) => "team_position_reported",
            Kind::BackupRequested(_) => "backup_requested",
            Kind::IncidentCleared(_) => "incident_cleared",
            Kind::FollowUpCreated(_) => "follow_up_created",
            Kind::FollowUpScheduled(_) => "follow_up_scheduled",
            Kind::FollowUpAttemptRecorded(_) => "follow_up_attempt_recorded",
            Kind::FollowUpCompleted(_) => "follow_up_completed",
            Kind::TeamCheckedIn(_) => "team_checked_in",
            Kind::CheckInRequested(_) => "check_in_requested",
            Kind::CheckInMissed(_) => "check_in_missed",
            Kind::FollowUpOverdue(_) => "follow_up_overdue",
        }
    }

    #[test]
    fn every_event_lands_in_its_own_kind_with_seq_and_time() {
        let events = samples::every_event();
        let mut names: Vec<_> = events.iter().map(Event::name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), events.len(), "one sample per core event");
        for (i, event) in events.iter().enumerate() {
            let seq = i as u64 + 1;
            let wire = event_to_proto(seq, Timestamp(77_000), event);
            assert_eq!(wire.seq, seq);
            assert_eq!(wire.at, t(77_000));
            assert_eq!(kind_name(&wire.kind.unwrap()), event.name());
        }
    }

    fn kind(event: Event) -> Kind {
        event_to_proto(1, Timestamp(0), &event).kind.unwrap()
    }

    /// The wire kind of the sample event with that name.
    fn sample_kind(name: &str) -> Kind {
        kind(samples::event(name))
    }

    #[test]
    fn absent_ids_are_empty_strings() {
        let Kind::NarrativeAdded(n) = sample_kind("narrative_added") else {
            panic!()
        };
        assert_eq!((n.incident_id.as_str(), n.team_id.as_str()), ("inc-1", ""));
        assert_eq!(n.lines[0].at, t(1_000));
        let Kind::AssignmentEscalated(e) = sample_kind("assignment_escalated") else {
            panic!()
        };
        assert_eq!(e.suggested_team_id, "");
        let Kind::TeamStatusChanged(s) = sample_kind("team_status_changed") else {
            panic!()
        };
        assert_eq!(s.incident_id, "");
        assert_eq!(s.status, v1::TeamStatus::EnRoute as i32);
        let Kind::FollowUpScheduled(s) = sample_kind("follow_up_scheduled") else {
            panic!()
        };
        assert_eq!((s.assignee.as_str(), s.due_at), ("", t(8_000)));
        let Kind::FollowUpOverdue(o) = sample_kind("follow_up_overdue") else {
            panic!()
        };
        assert_eq!(o.assignee, "");
    }

    #[test]
    fn present_ids_and_values_are_carried() {
        let Kind::IncidentUpdated(u) = sample_kind("incident_updated") else {
            panic!()
        };
        assert_eq!(u.team_id, "PSR-3");
        assert_eq!(u.details.unwrap().nature_code, "WELCK");
        let Kind::AssignmentRepushed(r) = sample_kind("assignment_repushed") else {
            panic!()
        };
        assert_eq!(
            r,
            v1::AssignmentRepushed {
                assignment_id: "asg-1".into(),
                team_id: "PSR-3".into(),
                incident_id: "inc-1".into(),
                repushes: 2,
                ack_deadline: t(4_000),
            }
        );
        let Kind::AssignmentAcknowledged(a) = sample_kind("assignment_acknowledged") else {
            panic!()
        };
        assert!(a.ack.unwrap().by_dispatcher);
        let Kind::IncidentCleared(c) = sample_kind("incident_cleared") else {
            panic!()
        };
        assert_eq!(c.disposition, v1::Disposition::HandedToPolice as i32);
        assert_eq!(c.encounter, Some((&samples::encounter()).into()));
        let Kind::FollowUpAttemptRecorded(a) = sample_kind("follow_up_attempt_recorded") else {
            panic!()
        };
        assert_eq!(a.assignee, "peer-bo");
        assert_eq!(a.status, v1::FollowUpStatus::Open as i32);
        assert_eq!(a.attempt, Some((&samples::attempt()).into()));
        let Kind::FollowUpCompleted(c) = sample_kind("follow_up_completed") else {
            panic!()
        };
        assert_eq!(c.measures, Some((&samples::measures()).into()));
    }

    #[test]
    fn a_triage_without_a_new_status_says_unspecified() {
        let triaged = |status| {
            kind(Event::IncidentTriaged {
                incident_id: IncidentId::new("inc-1"),
                team_id: Some(TeamId::new("PSR-3")),
                triage: samples::triage(),
                status,
            })
        };
        let Kind::IncidentTriaged(t) = triaged(None) else {
            panic!()
        };
        assert_eq!(t.status, v1::IncidentStatus::Unspecified as i32);
        assert_eq!(t.team_id, "PSR-3");
        let Kind::IncidentTriaged(t) = triaged(Some(core::IncidentStatus::Triaged)) else {
            panic!()
        };
        assert_eq!(t.status, v1::IncidentStatus::Triaged as i32);
    }

    #[test]
    fn a_created_follow_up_is_never_overdue_even_when_replayed_late() {
        let created = Event::FollowUpCreated {
            task: samples::task(), // due at 10 000
        };
        let wire = event_to_proto(1, Timestamp(99_999_999), &created);
        let Some(Kind::FollowUpCreated(c)) = wire.kind else {
            panic!()
        };
        let task = c.task.unwrap();
        assert!(!task.overdue);
        assert_eq!(task.id, "fu-1");
    }
}
