//! An assignment: one incident given to one team, and its acknowledgement.

use crate::ids::{AssignmentId, IncidentId, TeamId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentStatus {
    /// Sent to the team, waiting for its acknowledgement.
    AwaitingAck,
    Acknowledged,
    /// The incident was given to another team.
    Reassigned,
    /// The CAD cancelled the call, or the dispatcher pulled it.
    Cancelled,
    /// The team cleared the incident.
    Completed,
}

impl AssignmentStatus {
    pub fn is_active(self) -> bool {
        matches!(
            self,
            AssignmentStatus::AwaitingAck | AssignmentStatus::Acknowledged
        )
    }
}

/// Who acknowledged: the team itself, or the dispatcher on its behalf (radio, phone).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "by")]
pub enum AckedBy {
    Team,
    Dispatcher { channel: String, note: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ack {
    pub at: Timestamp,
    pub by: AckedBy,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub id: AssignmentId,
    pub incident_id: IncidentId,
    pub team_id: TeamId,
    pub assigned_at: Timestamp,
    /// When the team must have acknowledged; `None` once acknowledged or escalated.
    pub ack_deadline: Option<Timestamp>,
    /// How many times the assignment was pushed again for lack of an ack.
    pub repushes: u32,
    /// Whether the missing ack was escalated to the dispatcher.
    pub escalated: bool,
    pub ack: Option<Ack>,
    pub status: AssignmentStatus,
    /// Set by auto-assign rather than by a dispatcher.
    pub automatic: bool,
}
