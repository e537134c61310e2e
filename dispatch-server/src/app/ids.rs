//! The ids the server mints. Those a client's retry must find again are derived from its
//! command id (an assignment made by hand, follow-up tasks); the rest are fresh UUIDv7s, whose
//! time order keeps the store's indexes local. A command's fingerprint (what it is) catches a
//! command id re-used for another command.

use dispatch_core::{AssignmentId, Command, IncidentId, TaskId};
use sha2::{Digest, Sha256};

/// The assignment a dispatcher's Assign makes: a repeated command names the same one.
pub fn assignment_by_hand(command_id: &str) -> AssignmentId {
    AssignmentId::new(format!("asg-{command_id}"))
}

/// An assignment made by auto-assign (inside the writer, so never retried by a client).
pub fn assignment_automatic() -> AssignmentId {
    AssignmentId::new(uuid::Uuid::now_v7().to_string())
}

/// A new call's incident. The CAD's (source, event id) is the idempotency key, so a resent
/// event finds its receipt and never mints twice.
pub fn new_incident() -> IncidentId {
    IncidentId::new(uuid::Uuid::now_v7().to_string())
}

/// The follow-up task a peer's Create makes.
pub fn follow_up_by_hand(command_id: &str) -> TaskId {
    TaskId::new(format!("fu-{command_id}"))
}

/// The follow-up tasks a clearance may create: one per rule of the follow-up policy.
pub fn follow_ups_of_clearance(command_id: &str, rules: usize) -> Vec<TaskId> {
    (0..rules)
        .map(|n| TaskId::new(format!("fu-{command_id}-{n}")))
        .collect()
}

/// What a command is, so a command id re-used for another command is caught.
pub fn fingerprint(command: &Command) -> String {
    let json = serde_json::to_vec(command).unwrap_or_default();
    crate::auth::hex(&Sha256::digest(&json))
}
