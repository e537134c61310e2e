//! What can go wrong in a use-case. Mapped to gRPC statuses in one place: `grpc/status.rs`.

use crate::auth::AuthError;
use dispatch_core::Rejection;
use dispatch_store::StoreError;

#[derive(Debug, thiserror::Error)]
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
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    Store(#[from] StoreError),
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
}
