//! What can go wrong in a use-case. Every variant carries the request field it is about as
//! data (see [`AppError::field`]), so the edge never parses it back out of a message; the one
//! mapping to gRPC statuses is `grpc/status.rs`.

use crate::auth::AuthError;
use dispatch_core::Rejection;
use dispatch_store::StoreError;

#[derive(Clone, Debug, thiserror::Error)]
pub enum AppError {
    /// A request field is malformed (before the domain sees it).
    #[error("{field}: {reason}")]
    Invalid { field: String, reason: String },
    /// The domain refused the command.
    #[error(transparent)]
    Rejected(#[from] Rejection),
    /// A client re-used a command id for a different command.
    #[error("command_id {0} was already used for a different command")]
    CommandIdReused(String),
    /// The caller is unknown, or its role does not allow the request.
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stream could not read the journal; the caller resubscribes with its last sequence.
    #[error("the journal is unavailable: {0}")]
    JournalUnavailable(StoreError),
    #[error("the server is shutting down")]
    ShuttingDown,
}

impl AppError {
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        AppError::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// The request field the error is about, as the client names it ("location.lat"), when
    /// it is about one.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Invalid { field, .. } => Some(field),
            AppError::Rejected(Rejection::Invalid { field, .. }) => Some(field),
            AppError::CommandIdReused(_) => Some("command_id"),
            AppError::Auth(AuthError::OutOfScope { field, .. }) => Some(field),
            _ => None,
        }
    }
}

impl From<dispatch_proto::convert::FieldError> for AppError {
    fn from(e: dispatch_proto::convert::FieldError) -> Self {
        AppError::Invalid {
            field: e.field,
            reason: e.reason,
        }
    }
}
