//! The one place where errors become gRPC statuses. Messages name the field and the reason;
//! internal detail goes to the log, never to the caller.

use crate::app::AppError;
use crate::auth::AuthError;
use dispatch_core::Rejection;
use dispatch_proto::convert::FieldError;
use dispatch_proto::v1;
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
            AppError::JournalUnavailable(detail) => {
                error!(%detail, "journal unavailable to a stream");
                Status::unavailable("the journal is unavailable; resubscribe with your last seq")
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

fn auth(a: AuthError) -> Status {
    match a {
        AuthError::Missing
        | AuthError::Unknown
        | AuthError::Expired
        | AuthError::CertificateNotMapped { .. } => Status::unauthenticated(a.to_string()),
        AuthError::Forbidden { .. } | AuthError::OutOfScope { .. } => {
            Status::permission_denied(a.to_string())
        }
    }
}

/// A request that does not convert.
pub fn invalid(e: FieldError) -> Status {
    Status::from(AppError::from(e))
}

/// An error inside a stream of answers (a CAD's receipts): its code and message as the status
/// would say them, and the field from the error itself.
pub fn stream_rejection(e: AppError) -> v1::Rejection {
    let field = e.field().unwrap_or_default().to_owned();
    let status = Status::from(e);
    v1::Rejection {
        code: status.code() as i32,
        field,
        message: status.message().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::access::speaks_for;
    use crate::auth::Role;
    use tonic::Code;

    #[test]
    fn a_stream_receipt_takes_the_field_from_the_error_not_its_text() {
        let wrong_source = speaks_for(&Role::Cad(Some("boec".into())), "other").unwrap_err();
        let r = stream_rejection(wrong_source);
        assert_eq!(
            (r.code, r.field.as_str()),
            (Code::PermissionDenied as i32, "source")
        );
        assert_eq!(r.message, "source: this token speaks for boec, not other");

        let core = AppError::Rejected(Rejection::Invalid {
            field: "location.lat",
            reason: "95 is not a latitude".into(),
        });
        assert_eq!(stream_rejection(core).field, "location.lat");

        // A message that merely looks like "field: reason" names no field.
        let missing = stream_rejection(AppError::Rejected(Rejection::NotFound {
            kind: "incident",
            id: "a: b".into(),
        }));
        assert_eq!(
            (missing.code, missing.field.as_str()),
            (Code::NotFound as i32, "")
        );
    }
}
