//! Journal events → the wire `Event` every stream carries.

use super::entities::follow_up_task_to_proto;
use super::enums::*;
use super::to_proto_time;
use crate::v1;
use crate::v1::event::Kind;
use dispatch_core::{Event, Timestamp};

fn opt<T: ToString>(id: &Option<T>) -> String {
    id.as_ref().map(ToString::to_string).unwrap_or_default()
}

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
        Event::FollowUpCreated { task } => Kind::FollowUpCreated(v1::FollowUpCreated {
            task: Some(follow_up_task_to_proto(task, Timestamp(i64::MIN))),
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
