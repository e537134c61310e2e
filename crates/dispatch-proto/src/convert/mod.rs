//! Conversions between the wire types (`crate::v1`) and `dispatch-core`. Shape only: output
//! conversions are infallible; input conversions check what the wire cannot (required fields,
//! enum values in range) and name the field a client must fix.

mod entities;
mod enums;
mod events;
mod outbound;
mod requests;

pub use entities::follow_up_task_to_proto;
pub use events::event_to_proto;
pub use outbound::cad_update;
pub use requests::*;

use dispatch_core::Timestamp;

/// A request field that is missing or malformed, named as the client sees it
/// ("location.lat", "encounter.referrals[0].category").
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct FieldError {
    pub field: String,
    pub reason: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub fn required(field: impl Into<String>) -> Self {
        Self::new(field, "is required")
    }

    /// The same error, under a parent field ("flags" → "created.flags").
    pub fn under(self, parent: &str) -> Self {
        Self {
            field: format!("{parent}.{}", self.field),
            reason: self.reason,
        }
    }
}

pub fn to_proto_time(t: Timestamp) -> prost_types::Timestamp {
    let ms = t.millis();
    prost_types::Timestamp {
        seconds: ms.div_euclid(1000),
        nanos: (ms.rem_euclid(1000) * 1_000_000) as i32,
    }
}

pub fn from_proto_time(field: &str, t: &prost_types::Timestamp) -> Result<Timestamp, FieldError> {
    if !(0..1_000_000_000).contains(&t.nanos) {
        return Err(FieldError::new(field, "nanos must be within 0..1e9"));
    }
    let ms = t
        .seconds
        .checked_mul(1000)
        .and_then(|s| s.checked_add(i64::from(t.nanos / 1_000_000)))
        .ok_or_else(|| FieldError::new(field, "out of range"))?;
    Ok(Timestamp(ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_round_trips_and_rejects_bad_nanos() {
        for ms in [0, 1, 999, 1_700_000_000_123, -1, -1001] {
            assert_eq!(
                from_proto_time("t", &to_proto_time(Timestamp(ms))).unwrap(),
                Timestamp(ms)
            );
        }
        let bad = prost_types::Timestamp {
            seconds: 1,
            nanos: -5,
        };
        assert_eq!(from_proto_time("due_at", &bad).unwrap_err().field, "due_at");
    }
}
