//! A team (unit): the three people in one van, their status and position.

use super::call::GeoPoint;
use crate::ids::{AssignmentId, IncidentId, PeerId, TeamId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    Clinician,
    Emt,
    Peer,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    pub role: MemberRole,
    /// For peers: their id in the follow-up queue.
    #[serde(default)]
    pub peer_id: Option<PeerId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TeamStatus {
    Available,
    Dispatched,
    Acknowledged,
    EnRoute,
    OnScene,
    Transporting,
    OutOfService,
    OffShift,
}

impl TeamStatus {
    /// Whether the status belongs to working an incident.
    pub fn is_on_incident(self) -> bool {
        matches!(
            self,
            TeamStatus::Dispatched
                | TeamStatus::Acknowledged
                | TeamStatus::EnRoute
                | TeamStatus::OnScene
                | TeamStatus::Transporting
        )
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Team {
    pub id: TeamId,
    pub members: Vec<Member>,
    /// Languages spoken (lower-case names or ISO codes, as configured).
    pub languages: Vec<String>,
    pub position: Option<GeoPoint>,
    pub status: TeamStatus,
    pub status_since: Timestamp,
    pub incident_id: Option<IncidentId>,
    pub assignment_id: Option<AssignmentId>,
    /// When the team last cleared a call (for rest between calls).
    #[serde(default)]
    pub last_cleared_at: Option<Timestamp>,
    /// The on-scene check-in the team owes, for its safety.
    #[serde(default)]
    pub check_in: Option<CheckIn>,
}

/// When a team on scene must next be heard from, and whether it has been asked already.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckIn {
    pub due: Timestamp,
    pub requested: bool,
}

impl Team {
    /// Whether the team has all three roles on board.
    pub fn fully_staffed(&self) -> bool {
        [MemberRole::Clinician, MemberRole::Emt, MemberRole::Peer]
            .iter()
            .all(|r| self.members.iter().any(|m| m.role == *r))
    }

    pub fn speaks(&self, language: &str) -> bool {
        let wanted = language.trim();
        !wanted.is_empty()
            && self
                .languages
                .iter()
                .any(|l| l.eq_ignore_ascii_case(wanted))
    }
}
