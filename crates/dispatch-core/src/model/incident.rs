//! An incident: one CAD call, its triage, its assignment and how it ended.

use super::call::CallDetails;
use super::follow_up::Referral;
use crate::ids::{AssignmentId, IncidentId, TeamId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Triage's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Eligible,
    Review,
    NotEligible,
}

/// Who should take the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    CrisisTeam,
    Dispatcher,
    Police,
    Fire,
    Ems,
    Other,
}

impl Route {
    pub fn name(self) -> &'static str {
        match self {
            Route::CrisisTeam => "crisis_team",
            Route::Dispatcher => "dispatcher",
            Route::Police => "police",
            Route::Fire => "fire",
            Route::Ems => "ems",
            Route::Other => "other",
        }
    }
}

/// One rule that fired, with the exact evidence it saw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub rule: String,
    pub evidence: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriageDecision {
    pub decision: Decision,
    pub route: Route,
    /// Urgency, 1 (most urgent) to 5.
    pub priority: u32,
    pub reasons: Vec<Reason>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentStatus {
    Received,
    /// Triaged as not eligible: stays off the crisis queue unless the dispatcher declines it.
    Triaged,
    /// On the crisis queue, waiting for a team.
    Queued,
    /// Sent back to police / fire / EMS by the dispatcher.
    Declined,
    Assigned,
    Acknowledged,
    EnRoute,
    OnScene,
    Transporting,
    Cleared,
    Cancelled,
}

impl IncidentStatus {
    /// Whether the incident is over (nothing more happens to it but follow-ups).
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            IncidentStatus::Declined | IncidentStatus::Cleared | IncidentStatus::Cancelled
        )
    }

    /// Whether a team is working it.
    pub fn has_team(self) -> bool {
        matches!(
            self,
            IncidentStatus::Assigned
                | IncidentStatus::Acknowledged
                | IncidentStatus::EnRoute
                | IncidentStatus::OnScene
                | IncidentStatus::Transporting
        )
    }
}

/// How a team's encounter ended (APCO-style disposition, in words).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    /// Resolved on scene, no further services wanted or needed.
    ResolvedOnScene,
    /// Person accepted and was connected to services.
    ConnectedToServices,
    /// Person declined services.
    DeclinedServices,
    /// Person transported (to a clinic, shelter, detox, hospital...).
    Transported,
    /// Referred to a partner agency (APCO 15).
    ReferredToPartnerAgency,
    /// Person not found on arrival.
    UnableToLocate,
    /// Handed to police (safety).
    HandedToPolice,
}

impl Disposition {
    /// The program's disposition code, in APCO's short numeric style, shown to the team on
    /// the clear form and sent to the CAD. `15` is APCO's common code for "referred to a
    /// partner agency"; the others are this program's own until an agency maps them to its
    /// CAD's codes (`cad-bridge --disposition-code NAME=CODE`).
    pub fn code(self) -> &'static str {
        match self {
            Disposition::ResolvedOnScene => "10",
            Disposition::ConnectedToServices => "11",
            Disposition::DeclinedServices => "12",
            Disposition::Transported => "13",
            Disposition::ReferredToPartnerAgency => "15",
            Disposition::UnableToLocate => "16",
            Disposition::HandedToPolice => "17",
        }
    }

    /// The disposition in words, as teams and CAD operators read it.
    pub fn words(self) -> &'static str {
        match self {
            Disposition::ResolvedOnScene => "resolved on scene",
            Disposition::ConnectedToServices => "connected to services",
            Disposition::DeclinedServices => "declined services",
            Disposition::Transported => "transported",
            Disposition::ReferredToPartnerAgency => "referred to partner agency",
            Disposition::UnableToLocate => "unable to locate",
            Disposition::HandedToPolice => "handed to police",
        }
    }

    pub const ALL: [Disposition; 7] = [
        Disposition::ResolvedOnScene,
        Disposition::ConnectedToServices,
        Disposition::DeclinedServices,
        Disposition::Transported,
        Disposition::ReferredToPartnerAgency,
        Disposition::UnableToLocate,
        Disposition::HandedToPolice,
    ];
}

/// What the team documents when it clears. PHI: never logged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Encounter {
    pub notes: String,
    pub services_provided: Vec<String>,
    pub referrals: Vec<Referral>,
    /// Whether the person agreed to be contacted again.
    pub consents_to_follow_up: bool,
    /// The program's own reference for the person met (a client number, or what the program
    /// uses instead); blank when unknown. Follow-up tasks for the same person are linked by it.
    pub person_ref: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Clearance {
    pub at: Timestamp,
    pub team_id: TeamId,
    pub disposition: Disposition,
    pub encounter: Encounter,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclineInfo {
    pub at: Timestamp,
    pub route: Route,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    pub id: IncidentId,
    /// CAD system that owns the call.
    pub source: String,
    pub call_number: String,
    pub details: CallDetails,
    pub triage: Option<TriageDecision>,
    pub status: IncidentStatus,
    pub received_at: Timestamp,
    pub updated_at: Timestamp,
    /// The assignment in force, if a team has it.
    pub assignment_id: Option<AssignmentId>,
    pub team_id: Option<TeamId>,
    pub declined: Option<DeclineInfo>,
    pub clearance: Option<Clearance>,
    pub cancel_reason: Option<String>,
    /// Whether police backup was requested.
    pub backup_requested: bool,
}

impl Incident {
    /// A call just received from the CAD: not yet triaged, no team, nothing closed.
    pub fn received(
        id: IncidentId,
        source: String,
        call_number: String,
        details: CallDetails,
        at: Timestamp,
    ) -> Self {
        Incident {
            id,
            source,
            call_number,
            details,
            triage: None,
            status: IncidentStatus::Received,
            received_at: at,
            updated_at: at,
            assignment_id: None,
            team_id: None,
            declined: None,
            clearance: None,
            cancel_reason: None,
            backup_requested: false,
        }
    }
}
