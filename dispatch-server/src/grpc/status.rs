//! The one place where errors become gRPC statuses. Messages name the field and the reason;
//! internal detail goes to the log, never to the caller.

use crate::app::AppError;
use crate::auth::AuthError;
use dispatch_core::Rejection;
use dispatch_proto::convert::FieldError;
use dispatch_store::StoreError;
use tonic::Status;
use tracing::error;

impl From<AppError> for Status {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Invalid { field, reason } => {
                Status::invalid_argument(format!("{field}: {reason}"))
            }
            AppError::Rejected(r) => rejection(r),
            AppError::CommandIdReused(id) => Status::already_exists(format!(
                "command_id: {id} was already used for a different command"
            )),
            AppError::Auth(a) => auth(a),
            AppError::Store(StoreError::Unavailable(detail)) => {
                error!(%detail, "store unavailable");
                Status::unavailable("the database is unavailable; retry later")
            }
            AppError::Store(other) => {
                error!(error = %other, "store error");
                Status::internal("internal error")
            }
            AppError::ShuttingDown => {
                Status::unavailable("the server is shutting down; retry later")
            }
        }
    }
}

fn rejection(r: Rejection) -> Status {
    match r {
        Rejection::NotFound { kind, id } => Status::not_found(format!("{kind} {id} not found")),
        Rejection::Invalid { field, reason } => {
            Status::invalid_argument(format!("{field}: {reason}"))
        }
        Rejection::Forbidden { kind, id, reason } => {
            Status::failed_precondition(format!("{kind} {id} {reason}"))
        }
        Rejection::NotPermitted { reason } => Status::permission_denied(reason),
    }
}

pub fn auth(a: AuthError) -> Status {
    match a {
        AuthError::Missing | AuthError::Unknown => Status::unauthenticated(a.to_string()),
        AuthError::Forbidden { .. } => Status::permission_denied(a.to_string()),
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::Invalid {
            field: e.field,
            reason: e.reason,
        }
    }
}

/// Shorthand for handlers: a request that does not convert.
pub fn invalid(e: FieldError) -> Status {
    Status::from(AppError::from(e))
}
