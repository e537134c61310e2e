//! Why decide refused a command. Variants carry ids, not formatted prose, so that the server
//! maps each to one gRPC code in one place.

use thiserror::Error;

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum Rejection {
    /// The command names something that does not exist.
    #[error("{kind} {id} not found")]
    NotFound { kind: &'static str, id: String },

    /// A field's value is not acceptable.
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },

    /// The current state forbids the command (e.g. acking an assignment that was reassigned).
    #[error("{kind} {id}: {reason}")]
    Forbidden {
        kind: &'static str,
        id: String,
        reason: String,
    },

    /// The actor may not act on this thing (a unit acting on another team's assignment).
    #[error("not permitted: {reason}")]
    NotPermitted { reason: String },
}

impl Rejection {
    pub(crate) fn forbidden(
        kind: &'static str,
        id: impl ToString,
        reason: impl Into<String>,
    ) -> Self {
        Rejection::Forbidden {
            kind,
            id: id.to_string(),
            reason: reason.into(),
        }
    }

    pub(crate) fn not_found(kind: &'static str, id: impl ToString) -> Self {
        Rejection::NotFound {
            kind,
            id: id.to_string(),
        }
    }

    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Rejection::Invalid {
            field,
            reason: reason.into(),
        }
    }
}
