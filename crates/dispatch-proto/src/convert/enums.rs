//! Enum mappings, both ways. Out: `From<core::E> for v1::E` (and `to_wire` for the `i32` a
//! message field holds). In: `from_wire(field, i32)`, which fails on values out of range and on
//! UNSPECIFIED where the enum has one: wherever an input takes one of these enums, a value must
//! be chosen. The one input where UNSPECIFIED means "no change" (UpdateStatusRequest.status)
//! checks for it before calling `from_wire`.

use super::FieldError;
use crate::v1;
use dispatch_core as core;

/// Declares, for one enum pair, `From<core> for wire` and a module with
/// `to_wire(core) -> i32` and `from_wire(field, i32) -> Result<core, FieldError>`.
/// `unspecified` names the wire value that means "not said", if the enum has one. The match in
/// `From` is exhaustive, so a core variant added without a wire value fails to compile.
macro_rules! enum_map {
    ($mod_name:ident, $core:ty, $wire:ty, [$($c:ident => $w:ident),+ $(,)?] $(, unspecified = $u:ident)?) => {
        impl From<$core> for $wire {
            fn from(value: $core) -> Self {
                match value { $(<$core>::$c => <$wire>::$w),+ }
            }
        }

        #[allow(dead_code)]
        pub mod $mod_name {
            use super::*;

            pub fn to_wire(value: $core) -> i32 {
                <$wire>::from(value) as i32
            }

            pub fn from_wire(field: &str, value: i32) -> Result<$core, FieldError> {
                match <$wire>::try_from(value) {
                    $(Ok(<$wire>::$w) => Ok(<$core>::$c),)+
                    $(Ok(<$wire>::$u) => Err(FieldError::required(field)),)?
                    #[allow(unreachable_patterns)]
                    _ => Err(FieldError::new(field, format!("{value} is not a valid value"))),
                }
            }

            #[cfg(test)]
            mod tests {
                use super::*;

                #[test]
                fn every_value_maps_both_ways_by_name() {
                    let prefix = super::super::wire_prefix(stringify!($wire));
                    for c in [$(<$core>::$c),+] {
                        let wire = to_wire(c);
                        assert_eq!(from_wire("f", wire), Ok(c));
                        let name = <$wire>::try_from(wire).unwrap().as_str_name();
                        assert_eq!(
                            name,
                            format!("{prefix}_{}", super::super::screaming(&format!("{c:?}"))),
                        );
                    }
                    let unspecified: Option<i32> = None $(.or(Some(<$wire>::$u as i32)))?;
                    for value in -2..40 {
                        let got = from_wire("some.field", value);
                        match <$wire>::try_from(value) {
                            Ok(_) if Some(value) == unspecified => assert_eq!(
                                got,
                                Err(FieldError::required("some.field"))
                            ),
                            Ok(_) => assert_eq!(got.map(to_wire), Ok(value)),
                            Err(_) => {
                                let e = got.unwrap_err();
                                assert_eq!(e.field, "some.field");
                                assert!(e.reason.contains(&value.to_string()), "{e}");
                            }
                        }
                    }
                }
            }
        }
    };
}

// No UNSPECIFIED: UNKNOWN (zero) is a real answer / place type.
enum_map!(answer, core::Answer, v1::Answer, [Unknown => Unknown, No => No, Yes => Yes]);
enum_map!(place_type, core::PlaceType, v1::PlaceType, [
    Unknown => Unknown, OutdoorPublic => OutdoorPublic, Business => Business,
    PrivateResidence => PrivateResidence, Vehicle => Vehicle, Roadway => Roadway,
]);
enum_map!(decision, core::Decision, v1::Decision, [
    Eligible => Eligible, Review => Review, NotEligible => NotEligible,
], unspecified = Unspecified);
enum_map!(route, core::Route, v1::Route, [
    CrisisTeam => CrisisTeam, Dispatcher => Dispatcher, Police => Police, Fire => Fire,
    Ems => Ems, Other => Other,
], unspecified = Unspecified);
enum_map!(incident_status, core::IncidentStatus, v1::IncidentStatus, [
    Received => Received, Triaged => Triaged, Queued => Queued, Declined => Declined,
    Assigned => Assigned, Acknowledged => Acknowledged, EnRoute => EnRoute, OnScene => OnScene,
    Transporting => Transporting, Cleared => Cleared, Cancelled => Cancelled,
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
enum_map!(referral_status, core::ReferralStatus, v1::ReferralStatus, [
    Made => Made, Completed => Completed,
], unspecified = Unspecified);
enum_map!(member_role, core::MemberRole, v1::MemberRole, [
    Clinician => Clinician, Emt => Emt, Peer => Peer,
], unspecified = Unspecified);
enum_map!(team_status, core::TeamStatus, v1::TeamStatus, [
    Available => Available, Dispatched => Dispatched, Acknowledged => Acknowledged,
    EnRoute => EnRoute, OnScene => OnScene, Transporting => Transporting,
    OutOfService => OutOfService, OffShift => OffShift,
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
enum_map!(attempt_result, core::AttemptResult, v1::AttemptResult, [
    Reached => Reached, NoContact => NoContact, Declined => Declined,
], unspecified = Unspecified);
enum_map!(task_outcome, core::TaskOutcome, v1::TaskOutcome, [
    Done => Done, ClosedUnreachable => ClosedUnreachable, Cancelled => Cancelled,
], unspecified = Unspecified);

/// `OutOfService` → `OUT_OF_SERVICE`, to compare a core variant with its wire name.
#[cfg(test)]
fn screaming(camel: &str) -> String {
    let mut out = String::new();
    for (i, ch) in camel.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(ch.to_ascii_uppercase());
    }
    out
}

/// `v1::FollowUpKind` → `FOLLOW_UP_KIND`, the prefix of its values' names.
#[cfg(test)]
fn wire_prefix(path: &str) -> String {
    screaming(path.rsplit("::").next().unwrap_or(path).trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_convert_to_proto_style() {
        assert_eq!(screaming("IdDocuments"), "ID_DOCUMENTS");
        assert_eq!(wire_prefix("v1 :: FollowUpKind"), "FOLLOW_UP_KIND");
    }

    #[test]
    fn unknown_is_a_real_answer_and_place_type() {
        assert_eq!(
            answer::from_wire("flags.weapon", 0),
            Ok(core::Answer::Unknown)
        );
        assert_eq!(
            place_type::from_wire("location.place_type", 0),
            Ok(core::PlaceType::Unknown)
        );
    }

    type Check = fn(&str, i32) -> Result<(), FieldError>;

    #[test]
    fn unspecified_is_refused_where_a_value_is_required() {
        let cases: [(&str, Check); 7] = [
            ("route", |f, v| route::from_wire(f, v).map(drop)),
            ("disposition", |f, v| disposition::from_wire(f, v).map(drop)),
            ("result", |f, v| attempt_result::from_wire(f, v).map(drop)),
            ("outcome", |f, v| task_outcome::from_wire(f, v).map(drop)),
            ("kind", |f, v| follow_up_kind::from_wire(f, v).map(drop)),
            ("referrals[0].category", |f, v| {
                resource_category::from_wire(f, v).map(drop)
            }),
            ("referrals[0].status", |f, v| {
                referral_status::from_wire(f, v).map(drop)
            }),
        ];
        for (field, from_wire) in cases {
            assert_eq!(from_wire(field, 0), Err(FieldError::required(field)));
        }
    }

    #[test]
    fn output_is_the_rust_enum_too() {
        assert_eq!(v1::Route::from(core::Route::Police), v1::Route::Police);
        assert_eq!(
            v1::TeamStatus::from(core::TeamStatus::OutOfService),
            v1::TeamStatus::OutOfService
        );
        assert_eq!(
            team_status::to_wire(core::TeamStatus::OffShift),
            v1::TeamStatus::OffShift as i32
        );
    }
}
