//! Events: what happened. The journal stores them; state is their fold.
//!
//! Incident-level events carry the team that holds the incident at that moment, so that a
//! team's stream can be filtered from the event alone, without looking state up.

use crate::ids::{AssignmentId, IncidentId, PeerId, TaskId, TeamId};
use crate::model::*;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Event {
    TeamRegistered {
        team: Team,
    },
    IncidentReceived {
        incident: Incident,
    },
    IncidentUpdated {
        incident_id: IncidentId,
        team_id: Option<TeamId>,
        details: CallDetails,
    },
    NarrativeAdded {
        incident_id: IncidentId,
        team_id: Option<TeamId>,
        lines: Vec<NarrativeLine>,
    },
    IncidentTriaged {
        incident_id: IncidentId,
        team_id: Option<TeamId>,
        triage: TriageDecision,
        /// The status the incident moves to (queued, or triaged when not eligible); `None`
        /// when a team already has it (re-triage must not pull it back).
        status: Option<IncidentStatus>,
    },
    /// A CAD update made a call that a team holds no longer eligible: the team and the
    /// dispatcher must know at once.
    SafetyAlert {
        incident_id: IncidentId,
        team_id: Option<TeamId>,
        reasons: Vec<Reason>,
    },
    IncidentDeclined {
        incident_id: IncidentId,
        route: Route,
        reason: String,
    },
    IncidentCancelled {
        incident_id: IncidentId,
        team_id: Option<TeamId>,
        reason: String,
    },
    /// The incident was given to a team. Carries the incident as it stood, so that a team
    /// replaying its stream has the whole card.
    AssignmentMade {
        assignment: Assignment,
        incident: Incident,
    },
    AssignmentRepushed {
        assignment_id: AssignmentId,
        team_id: TeamId,
        incident_id: IncidentId,
        repushes: u32,
        ack_deadline: Timestamp,
    },
    AssignmentEscalated {
        assignment_id: AssignmentId,
        team_id: TeamId,
        incident_id: IncidentId,
        /// The best available team now, for the dispatcher to reassign to.
        #[serde(default)]
        suggested_team_id: Option<TeamId>,
    },
    /// The team on scene was heard from; the next check-in is due at `next_due`.
    TeamCheckedIn {
        team_id: TeamId,
        incident_id: IncidentId,
        next_due: Timestamp,
    },
    /// The team on scene has been quiet too long: it is asked to check in by `respond_by`.
    CheckInRequested {
        team_id: TeamId,
        incident_id: IncidentId,
        respond_by: Timestamp,
    },
    /// The team did not answer a check-in request: a safety alert for the dispatcher.
    CheckInMissed {
        team_id: TeamId,
        incident_id: IncidentId,
    },
    AssignmentAcknowledged {
        assignment_id: AssignmentId,
        team_id: TeamId,
        incident_id: IncidentId,
        ack: Ack,
    },
    AssignmentEnded {
        assignment_id: AssignmentId,
        team_id: TeamId,
        incident_id: IncidentId,
        status: AssignmentStatus,
    },
    TeamStatusChanged {
        team_id: TeamId,
        status: TeamStatus,
        incident_id: Option<IncidentId>,
    },
    TeamPositionReported {
        team_id: TeamId,
        position: GeoPoint,
    },
    BackupRequested {
        incident_id: IncidentId,
        team_id: TeamId,
        urgent: bool,
        note: String,
    },
    IncidentCleared {
        incident_id: IncidentId,
        team_id: TeamId,
        disposition: Disposition,
        encounter: Encounter,
    },
    FollowUpCreated {
        task: FollowUpTask,
    },
    FollowUpScheduled {
        task_id: TaskId,
        due_at: Timestamp,
        assignee: Option<PeerId>,
    },
    FollowUpAttemptRecorded {
        task_id: TaskId,
        attempt: Attempt,
        /// The status the task moves to.
        status: FollowUpStatus,
        assignee: Option<PeerId>,
    },
    FollowUpCompleted {
        task_id: TaskId,
        status: FollowUpStatus,
        measures: OutcomeMeasures,
    },
    /// A task is past due and unfinished: a reminder to its assignee and the supervisor.
    FollowUpOverdue {
        task_id: TaskId,
        incident_id: IncidentId,
        assignee: Option<PeerId>,
        due_at: Timestamp,
    },
}

/// Who an event concerns, for routing it to streams.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Audience<'a> {
    pub incident_id: Option<&'a IncidentId>,
    pub team_id: Option<&'a TeamId>,
    pub follow_up: bool,
}

impl Event {
    pub fn name(&self) -> &'static str {
        match self {
            Event::TeamRegistered { .. } => "team_registered",
            Event::IncidentReceived { .. } => "incident_received",
            Event::IncidentUpdated { .. } => "incident_updated",
            Event::NarrativeAdded { .. } => "narrative_added",
            Event::IncidentTriaged { .. } => "incident_triaged",
            Event::SafetyAlert { .. } => "safety_alert",
            Event::IncidentDeclined { .. } => "incident_declined",
            Event::IncidentCancelled { .. } => "incident_cancelled",
            Event::AssignmentMade { .. } => "assignment_made",
            Event::AssignmentRepushed { .. } => "assignment_repushed",
            Event::AssignmentEscalated { .. } => "assignment_escalated",
            Event::TeamCheckedIn { .. } => "team_checked_in",
            Event::CheckInRequested { .. } => "check_in_requested",
            Event::CheckInMissed { .. } => "check_in_missed",
            Event::AssignmentAcknowledged { .. } => "assignment_acknowledged",
            Event::AssignmentEnded { .. } => "assignment_ended",
            Event::TeamStatusChanged { .. } => "team_status_changed",
            Event::TeamPositionReported { .. } => "team_position_reported",
            Event::BackupRequested { .. } => "backup_requested",
            Event::IncidentCleared { .. } => "incident_cleared",
            Event::FollowUpCreated { .. } => "follow_up_created",
            Event::FollowUpScheduled { .. } => "follow_up_scheduled",
            Event::FollowUpAttemptRecorded { .. } => "follow_up_attempt_recorded",
            Event::FollowUpCompleted { .. } => "follow_up_completed",
            Event::FollowUpOverdue { .. } => "follow_up_overdue",
        }
    }

    pub fn audience(&self) -> Audience<'_> {
        let inc = |incident_id, team_id| Audience {
            incident_id: Some(incident_id),
            team_id,
            follow_up: false,
        };
        match self {
            Event::TeamRegistered { team } => Audience {
                team_id: Some(&team.id),
                ..Audience::default()
            },
            Event::IncidentReceived { incident } => inc(&incident.id, None),
            Event::IncidentUpdated {
                incident_id,
                team_id,
                ..
            }
            | Event::NarrativeAdded {
                incident_id,
                team_id,
                ..
            }
            | Event::IncidentTriaged {
                incident_id,
                team_id,
                ..
            }
            | Event::SafetyAlert {
                incident_id,
                team_id,
                ..
            }
            | Event::IncidentCancelled {
                incident_id,
                team_id,
                ..
            } => inc(incident_id, team_id.as_ref()),
            Event::IncidentDeclined { incident_id, .. } => inc(incident_id, None),
            Event::AssignmentMade { assignment, .. } => {
                inc(&assignment.incident_id, Some(&assignment.team_id))
            }
            Event::AssignmentRepushed {
                incident_id,
                team_id,
                ..
            }
            | Event::AssignmentEscalated {
                incident_id,
                team_id,
                ..
            }
            | Event::AssignmentAcknowledged {
                incident_id,
                team_id,
                ..
            }
            | Event::AssignmentEnded {
                incident_id,
                team_id,
                ..
            }
            | Event::BackupRequested {
                incident_id,
                team_id,
                ..
            }
            | Event::TeamCheckedIn {
                incident_id,
                team_id,
                ..
            }
            | Event::CheckInRequested {
                incident_id,
                team_id,
                ..
            }
            | Event::CheckInMissed {
                incident_id,
                team_id,
                ..
            }
            | Event::IncidentCleared {
                incident_id,
                team_id,
                ..
            } => inc(incident_id, Some(team_id)),
            Event::TeamStatusChanged {
                team_id,
                incident_id,
                ..
            } => Audience {
                incident_id: incident_id.as_ref(),
                team_id: Some(team_id),
                follow_up: false,
            },
            Event::TeamPositionReported { team_id, .. } => Audience {
                team_id: Some(team_id),
                ..Audience::default()
            },
            Event::FollowUpCreated { task } => Audience {
                incident_id: Some(&task.incident_id),
                team_id: None,
                follow_up: true,
            },
            Event::FollowUpScheduled { .. }
            | Event::FollowUpAttemptRecorded { .. }
            | Event::FollowUpCompleted { .. }
            | Event::FollowUpOverdue { .. } => Audience {
                follow_up: true,
                ..Audience::default()
            },
        }
    }
}
