//! Follow-up tasks that peers work after an incident: check-ins, visits, linkage.

use crate::ids::{IncidentId, PeerId, TaskId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpKind {
    PhoneCheckIn,
    InPersonVisit,
    TransportToAppointment,
    ResourceLinkage,
    WelfareRecheck,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpStatus {
    Open,
    Scheduled,
    Done,
    ClosedUnreachable,
    Cancelled,
}

impl FollowUpStatus {
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            FollowUpStatus::Done | FollowUpStatus::ClosedUnreachable | FollowUpStatus::Cancelled
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptResult {
    Reached,
    NoContact,
    Declined,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceCategory {
    Housing,
    Shelter,
    DetoxTreatment,
    MentalHealthCare,
    Benefits,
    Food,
    Transportation,
    Education,
    Employment,
    IdDocuments,
}

impl ResourceCategory {
    pub const ALL: [ResourceCategory; 10] = [
        ResourceCategory::Housing,
        ResourceCategory::Shelter,
        ResourceCategory::DetoxTreatment,
        ResourceCategory::MentalHealthCare,
        ResourceCategory::Benefits,
        ResourceCategory::Food,
        ResourceCategory::Transportation,
        ResourceCategory::Education,
        ResourceCategory::Employment,
        ResourceCategory::IdDocuments,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ResourceCategory::Housing => "housing",
            ResourceCategory::Shelter => "shelter",
            ResourceCategory::DetoxTreatment => "detox_treatment",
            ResourceCategory::MentalHealthCare => "mental_health_care",
            ResourceCategory::Benefits => "benefits",
            ResourceCategory::Food => "food",
            ResourceCategory::Transportation => "transportation",
            ResourceCategory::Education => "education",
            ResourceCategory::Employment => "employment",
            ResourceCategory::IdDocuments => "id_documents",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    Made,
    Completed,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    pub category: ResourceCategory,
    pub status: ReferralStatus,
    #[serde(default)]
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    pub at: Timestamp,
    pub by: PeerId,
    pub result: AttemptResult,
    /// PHI: never logged.
    pub note: String,
    pub referrals: Vec<Referral>,
}

/// How a task ended, as the peer records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskOutcome {
    Done,
    ClosedUnreachable,
    Cancelled,
}

/// Outcome measures recorded on completion.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OutcomeMeasures {
    pub connected_to_services: bool,
    pub housing_status_improved: bool,
    pub returned_to_crisis: bool,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpTask {
    pub id: TaskId,
    pub incident_id: IncidentId,
    pub kind: FollowUpKind,
    pub due_at: Timestamp,
    pub assignee: Option<PeerId>,
    pub status: FollowUpStatus,
    pub attempts: Vec<Attempt>,
    pub referrals: Vec<Referral>,
    pub outcome: Option<OutcomeMeasures>,
    pub created_at: Timestamp,
    /// Why it exists: the policy rule's name, or "manual".
    pub origin: String,
    /// When the last overdue reminder went out (one a day at most).
    #[serde(default)]
    pub reminded_at: Option<Timestamp>,
    /// Who the task is for, as the program refers to them (see `Encounter::person_ref`).
    #[serde(default)]
    pub person_ref: String,
    /// The same person's earlier tasks, oldest first (at most [`MAX_LINKED_TASKS`]), as they
    /// stood when this one was created; later ones name this one.
    #[serde(default)]
    pub linked_task_ids: Vec<TaskId>,
}

/// How many earlier tasks of the same person a task lists.
pub const MAX_LINKED_TASKS: usize = 20;

/// The form of a person reference that links tasks: trimmed, case and spacing folded, so that
/// "Client 4471" and " client  4471" are the same person.
pub fn person_key(person_ref: &str) -> String {
    person_ref
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl FollowUpTask {
    /// Whether `peer` may work this task (and read its incident): their own tasks and
    /// unassigned ones. `None` is a supervisor, who may work any.
    pub fn may_be_worked_by(&self, peer: Option<&PeerId>) -> bool {
        match (peer, &self.assignee) {
            (Some(p), Some(a)) => p == a,
            _ => true,
        }
    }

    pub fn is_overdue(&self, now: Timestamp) -> bool {
        !self.status.is_finished() && self.due_at < now
    }
}
