//! Commands: every request to change state, from the CAD, a dispatcher, a team, a peer or a
//! timer. Ids for new things are minted by the caller so that decide stays deterministic.

use crate::ids::{AssignmentId, IncidentId, PeerId, TaskId, TeamId};
use crate::model::*;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Who issues a command, as authenticated by the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Cad {
        source: String,
    },
    Dispatcher,
    Supervisor,
    Unit {
        team_id: TeamId,
    },
    Peer {
        peer_id: PeerId,
    },
    /// Timers and auto-assign.
    System,
    Admin,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    // --- roster ---
    /// Adds a team to the roster, or updates its members, languages and position.
    RegisterTeam {
        team_id: TeamId,
        members: Vec<Member>,
        languages: Vec<String>,
        position: Option<GeoPoint>,
    },

    // --- CAD ---
    CallCreated {
        source: String,
        call_number: String,
        /// Used when the call is new; ignored when the call exists (then it is an update).
        incident_id: IncidentId,
        details: CallDetails,
    },
    CallUpdated {
        source: String,
        call_number: String,
        changes: CallChanges,
    },
    NarrativeAppended {
        source: String,
        call_number: String,
        lines: Vec<String>,
    },
    CallClosed {
        source: String,
        call_number: String,
        reason: String,
    },
    CallCancelled {
        source: String,
        call_number: String,
        reason: String,
    },

    // --- dispatcher ---
    Assign {
        incident_id: IncidentId,
        team_id: TeamId,
        assignment_id: AssignmentId,
        automatic: bool,
    },
    Decline {
        incident_id: IncidentId,
        route: Route,
        reason: String,
    },
    AckOnBehalf {
        assignment_id: AssignmentId,
        channel: String,
        note: String,
    },
    SetTeamStatus {
        team_id: TeamId,
        status: TeamStatus,
    },

    // --- team ---
    Acknowledge {
        team_id: TeamId,
        assignment_id: AssignmentId,
    },
    UpdateStatus {
        team_id: TeamId,
        status: Option<TeamStatus>,
        position: Option<GeoPoint>,
    },
    RequestBackup {
        team_id: TeamId,
        urgent: bool,
        note: String,
    },
    Clear {
        team_id: TeamId,
        disposition: Disposition,
        encounter: Encounter,
        /// Ids for the follow-up tasks the policy may create, in rule order.
        task_ids: Vec<TaskId>,
    },

    // --- timers ---
    AckDeadlinePassed {
        assignment_id: AssignmentId,
    },
    /// A team's on-scene check-in is due (or its grace has run out).
    CheckInDue {
        team_id: TeamId,
    },

    // --- follow-ups ---
    CreateFollowUp {
        task_id: TaskId,
        incident_id: IncidentId,
        kind: FollowUpKind,
        due_at: Timestamp,
        assignee: Option<PeerId>,
        /// Who the task is for (links it to the person's other tasks); blank when unknown.
        #[serde(default)]
        person_ref: String,
    },
    ScheduleFollowUp {
        task_id: TaskId,
        due_at: Timestamp,
        assignee: Option<PeerId>,
    },
    RecordAttempt {
        task_id: TaskId,
        peer_id: PeerId,
        result: AttemptResult,
        note: String,
        referrals: Vec<Referral>,
    },
    CompleteFollowUp {
        task_id: TaskId,
        /// The peer completing it; `None` for a supervisor.
        peer_id: Option<PeerId>,
        outcome: TaskOutcome,
        measures: OutcomeMeasures,
    },
    /// The reminder timer of a task fired.
    FollowUpReminderDue {
        task_id: TaskId,
    },
}

impl Command {
    /// A short name for logs and metrics (no PHI).
    pub fn name(&self) -> &'static str {
        match self {
            Command::RegisterTeam { .. } => "register_team",
            Command::CallCreated { .. } => "call_created",
            Command::CallUpdated { .. } => "call_updated",
            Command::NarrativeAppended { .. } => "narrative_appended",
            Command::CallClosed { .. } => "call_closed",
            Command::CallCancelled { .. } => "call_cancelled",
            Command::Assign { .. } => "assign",
            Command::Decline { .. } => "decline",
            Command::AckOnBehalf { .. } => "ack_on_behalf",
            Command::SetTeamStatus { .. } => "set_team_status",
            Command::Acknowledge { .. } => "acknowledge",
            Command::UpdateStatus { .. } => "update_status",
            Command::RequestBackup { .. } => "request_backup",
            Command::Clear { .. } => "clear",
            Command::AckDeadlinePassed { .. } => "ack_deadline_passed",
            Command::CheckInDue { .. } => "check_in_due",
            Command::CreateFollowUp { .. } => "create_follow_up",
            Command::ScheduleFollowUp { .. } => "schedule_follow_up",
            Command::RecordAttempt { .. } => "record_attempt",
            Command::CompleteFollowUp { .. } => "complete_follow_up",
            Command::FollowUpReminderDue { .. } => "follow_up_reminder_due",
        }
    }
}
