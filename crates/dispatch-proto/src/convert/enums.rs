//! Enum mappings, both ways. Wire → core fails on values out of range, and on UNSPECIFIED
//! where the caller must choose.

use super::FieldError;
use crate::v1;
use dispatch_core as core;

/// Declares `to_wire(core) -> i32` and `from_wire(field, i32) -> Result<core, FieldError>`
/// for one enum pair; `unspecified` lists the wire value that means "not said", if any.
macro_rules! enum_map {
    ($mod_name:ident, $core:ty, $wire:ty, [$($c:ident => $w:ident),+ $(,)?] $(, unspecified = $u:ident)?) => {
        #[allow(dead_code)]
        pub mod $mod_name {
            use super::*;
            pub fn to_wire(value: $core) -> i32 {
                match value { $(<$core>::$c => <$wire>::$w as i32),+ }
            }
            pub fn from_wire(field: &str, value: i32) -> Result<$core, FieldError> {
                match <$wire>::try_from(value) {
                    $(Ok(<$wire>::$w) => Ok(<$core>::$c),)+
                    $(Ok(<$wire>::$u) => Err(FieldError::required(field)),)?
                    #[allow(unreachable_patterns)]
                    _ => Err(FieldError::new(field, format!("{value} is not a valid value"))),
                }
            }
        }
    };
}

enum_map!(answer, core::Answer, v1::Answer, [Unknown => Unknown, No => No, Yes => Yes]);
enum_map!(place_type, core::PlaceType, v1::PlaceType, [
    Unknown => Unknown, OutdoorPublic => OutdoorPublic, Business => Business,
    PrivateResidence => PrivateResidence, Vehicle => Vehicle, Roadway => Roadway,
]);
enum_map!(decision, core::Decision, v1::Decision, [Eligible => Eligible, Review => Review, NotEligible => NotEligible], unspecified = Unspecified);
enum_map!(route, core::Route, v1::Route, [
    CrisisTeam => CrisisTeam, Dispatcher => Dispatcher, Police => Police, Fire => Fire, Ems => Ems, Other => Other,
], unspecified = Unspecified);
enum_map!(incident_status, core::IncidentStatus, v1::IncidentStatus, [
    Received => Received, Triaged => Triaged, Queued => Queued, Declined => Declined, Assigned => Assigned,
    Acknowledged => Acknowledged, EnRoute => EnRoute, OnScene => OnScene, Transporting => Transporting,
    Cleared => Cleared, Cancelled => Cancelled,
], unspecified = Unspecified);
enum_map!(disposition, core::Disposition, v1::Disposition, [
    ResolvedOnScene => ResolvedOnScene, ConnectedToServices => ConnectedToServices,
    DeclinedServices => DeclinedServices, Transported => Transported,
    ReferredToPartnerAgency => ReferredToPartnerAgency, UnableToLocate => UnableToLocate,
    HandedToPolice => HandedToPolice,
], unspecified = Unspecified);
enum_map!(resource_category, core::ResourceCategory, v1::ResourceCategory, [
    Housing => Housing, Shelter => Shelter, DetoxTreatment => DetoxTreatment,
    MentalHealthCare => MentalHealthCare, Benefits => Benefits, Food => Food,
    Transportation => Transportation, Education => Education, Employment => Employment,
    IdDocuments => IdDocuments,
], unspecified = Unspecified);
enum_map!(referral_status, core::ReferralStatus, v1::ReferralStatus, [Made => Made, Completed => Completed], unspecified = Unspecified);
enum_map!(member_role, core::MemberRole, v1::MemberRole, [Clinician => Clinician, Emt => Emt, Peer => Peer], unspecified = Unspecified);
enum_map!(team_status, core::TeamStatus, v1::TeamStatus, [
    Available => Available, Dispatched => Dispatched, Acknowledged => Acknowledged, EnRoute => EnRoute,
    OnScene => OnScene, Transporting => Transporting, OutOfService => OutOfService, OffShift => OffShift,
], unspecified = Unspecified);
enum_map!(assignment_status, core::AssignmentStatus, v1::AssignmentStatus, [
    AwaitingAck => AwaitingAck, Acknowledged => Acknowledged, Reassigned => Reassigned,
    Cancelled => Cancelled, Completed => Completed,
], unspecified = Unspecified);
enum_map!(follow_up_kind, core::FollowUpKind, v1::FollowUpKind, [
    PhoneCheckIn => PhoneCheckIn, InPersonVisit => InPersonVisit,
    TransportToAppointment => TransportToAppointment, ResourceLinkage => ResourceLinkage,
    WelfareRecheck => WelfareRecheck,
], unspecified = Unspecified);
enum_map!(follow_up_status, core::FollowUpStatus, v1::FollowUpStatus, [
    Open => Open, Scheduled => Scheduled, Done => Done, ClosedUnreachable => ClosedUnreachable,
    Cancelled => Cancelled,
], unspecified = Unspecified);
enum_map!(attempt_result, core::AttemptResult, v1::AttemptResult, [Reached => Reached, NoContact => NoContact, Declined => Declined], unspecified = Unspecified);
enum_map!(task_outcome, core::TaskOutcome, v1::TaskOutcome, [
    Done => Done, ClosedUnreachable => ClosedUnreachable, Cancelled => Cancelled,
], unspecified = Unspecified);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_value_round_trips() {
        for d in core::Disposition::ALL {
            assert_eq!(
                disposition::from_wire("d", disposition::to_wire(d)).unwrap(),
                d
            );
        }
        for s in [
            core::TeamStatus::Available,
            core::TeamStatus::OnScene,
            core::TeamStatus::OffShift,
        ] {
            assert_eq!(
                team_status::from_wire("s", team_status::to_wire(s)).unwrap(),
                s
            );
        }
        for a in [core::Answer::Unknown, core::Answer::No, core::Answer::Yes] {
            assert_eq!(answer::from_wire("a", answer::to_wire(a)).unwrap(), a);
        }
    }

    #[test]
    fn unspecified_and_out_of_range_values_name_the_field() {
        let e = route::from_wire("route", 0).unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.reason.as_str()),
            ("route", "is required")
        );
        let e = disposition::from_wire("disposition", 99).unwrap_err();
        assert_eq!(e.field, "disposition");
        assert!(e.reason.contains("99"));
        // UNKNOWN is a real answer, not a missing one.
        assert_eq!(
            answer::from_wire("flags.weapon", 0).unwrap(),
            core::Answer::Unknown
        );
        assert_eq!(
            place_type::from_wire("location.place_type", 0).unwrap(),
            core::PlaceType::Unknown
        );
    }
}
