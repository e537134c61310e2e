//! Conversions between the wire types (`crate::v1`) and `dispatch-core`. Shape only, no
//! business rules.
//!
//! - Output (core → wire) never fails: `From<&core::X> for v1::X` for the entities,
//!   `From<core::E> for v1::E` for the enums, [`event_to_proto`], [`follow_up_task_to_proto`]
//!   (whose `overdue` flag depends on the time) and [`cad_update`].
//! - Input (wire → core) checks what the wire cannot: required strings and messages, enum values
//!   in range, UNSPECIFIED where a choice is required, lat/lon given together, valid timestamps,
//!   and every number with a meaning within its documented range (CAD priority, coordinates,
//!   times: `fields::cad_priority`, `fields::point`, [`from_proto_time`]), the one place they
//!   are checked for a request. A failure is a [`FieldError`] naming the field as the client
//!   sees it.
//!
//! One file per concept. Both ways: `enums`. Out: `incidents`, `teams`, `follow_up_tasks`,
//! `events` (the journal event every stream carries) and `outbound` (what the CAD hears back).
//! In: `fields` (pieces the inputs share), `cad_events`, `requests` (Dispatch and Responder)
//! and `follow_up_requests`. Both: `reports` (the period in, the figures out).

mod cad_events;
mod enums;
mod events;
mod fields;
mod follow_up_requests;
mod follow_up_tasks;
mod incidents;
mod outbound;
mod reports;
mod requests;
#[cfg(test)]
mod samples;
mod teams;

pub use cad_events::{CadKey, cad_event_to_command};
pub use events::event_to_proto;
pub use follow_up_requests::*;
pub use follow_up_tasks::follow_up_task_to_proto;
pub use incidents::{prior_call_to_proto, service_area_to_proto};

/// The domain's disposition of a wire one (`None` for UNSPECIFIED or an unknown value), for
/// clients that show or send its code and words.
pub fn disposition_of(d: crate::v1::Disposition) -> Option<dispatch_core::Disposition> {
    enums::disposition::from_wire("disposition", d as i32).ok()
}
pub use outbound::cad_update;
pub use reports::{utilization_period, utilization_report_to_proto};
pub use requests::*;

use dispatch_core::Timestamp;

/// An optional id as the wire carries it: empty when absent.
fn opt_id<T: ToString>(id: &Option<T>) -> String {
    id.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// A request field that is missing or malformed, named as the client sees it
/// ("location.lat", "encounter.referrals[0].category"). Displays as "field: reason".
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct FieldError {
    /// The proto field path, e.g. `created.flags.weapon`.
    pub field: String,
    /// What is wrong with it, e.g. `is required`.
    pub reason: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// The field is missing, empty, or UNSPECIFIED where a value must be chosen.
    pub fn required(field: impl Into<String>) -> Self {
        Self::new(field, "is required")
    }

    /// The same error, under a parent field ("flags.weapon" → "created.flags.weapon").
    pub fn under(self, parent: &str) -> Self {
        Self {
            field: format!("{parent}.{}", self.field),
            reason: self.reason,
        }
    }
}

/// Core time (milliseconds since the epoch) as a protobuf `Timestamp`. Negative times are
/// normalised the protobuf way: whole seconds rounded down, nanos in 0..1e9.
pub fn to_proto_time(t: Timestamp) -> prost_types::Timestamp {
    let ms = t.millis();
    prost_types::Timestamp {
        seconds: ms.div_euclid(1000),
        // rem_euclid(1000) * 1e6 < 1e9, which fits an i32.
        nanos: (ms.rem_euclid(1000) * 1_000_000) as i32,
    }
}

/// The range protobuf documents for a `Timestamp`: 0001-01-01T00:00:00Z to
/// 9999-12-31T23:59:59Z, in seconds since the epoch.
const TIMESTAMP_SECONDS: std::ops::RangeInclusive<i64> = -62_135_596_800..=253_402_300_799;

/// A protobuf `Timestamp` from the wire as core time, truncated to the millisecond. `field`
/// names it in the error: nanos outside 0..1e9, or seconds outside the range protobuf
/// documents (years 1 to 9999).
pub fn from_proto_time(field: &str, t: &prost_types::Timestamp) -> Result<Timestamp, FieldError> {
    if !(0..1_000_000_000).contains(&t.nanos) {
        return Err(FieldError::new(field, "nanos must be within 0..1e9"));
    }
    if !TIMESTAMP_SECONDS.contains(&t.seconds) {
        return Err(FieldError::new(
            field,
            format!(
                "{} seconds is outside the Timestamp range (years 1 to 9999)",
                t.seconds
            ),
        ));
    }
    let ms = t
        .seconds
        .checked_mul(1000)
        .and_then(|s| s.checked_add(i64::from(t.nanos / 1_000_000)))
        .ok_or_else(|| FieldError::new(field, "is out of range"))?;
    Ok(Timestamp(ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_round_trips_including_before_the_epoch() {
        for ms in [0, 1, 999, 1000, 1_700_000_000_123, -1, -999, -1000, -1001] {
            let wire = to_proto_time(Timestamp(ms));
            assert!((0..1_000_000_000).contains(&wire.nanos), "{ms}: {wire:?}");
            assert_eq!(from_proto_time("t", &wire), Ok(Timestamp(ms)));
        }
        assert_eq!(
            to_proto_time(Timestamp(-1)),
            prost_types::Timestamp {
                seconds: -1,
                nanos: 999_000_000
            }
        );
    }

    #[test]
    fn sub_millisecond_nanos_are_truncated() {
        let t = prost_types::Timestamp {
            seconds: 2,
            nanos: 345_678_901,
        };
        assert_eq!(from_proto_time("t", &t), Ok(Timestamp(2345)));
    }

    #[test]
    fn bad_timestamps_name_the_field() {
        for (seconds, nanos) in [
            (1, -5),
            (1, 1_000_000_000),
            (i64::MAX, 0),
            (i64::MIN, 0),
            (253_402_300_800, 0),
            (-62_135_596_801, 0),
        ] {
            let e =
                from_proto_time("due_at", &prost_types::Timestamp { seconds, nanos }).unwrap_err();
            assert_eq!(e.field, "due_at", "{seconds} {nanos}");
        }
    }

    #[test]
    fn field_errors_display_and_nest() {
        let e = FieldError::required("weapon")
            .under("flags")
            .under("created");
        assert_eq!(e.field, "created.flags.weapon");
        assert_eq!(e.to_string(), "created.flags.weapon: is required");
    }
}
