//! Wire pieces → core pieces, shared by the inputs: required strings, optional ids, the
//! safety screen, locations, callers, referrals, encounters, outcome measures, timestamps.
//!
//! Each piece names fields relative to itself ("lat", "referrals[0].category"); the caller puts
//! the piece's own name in front with [`FieldError::under`], so the client sees the full path.

use super::enums::*;
use super::{FieldError, from_proto_time};
use crate::v1;
use dispatch_core as core;
use dispatch_core::Timestamp;

/// A string the request cannot do without. Blank (empty or only whitespace) counts as missing;
/// the value itself is passed on as given.
pub(super) fn required(field: &str, value: String) -> Result<String, FieldError> {
    if value.trim().is_empty() {
        Err(FieldError::required(field))
    } else {
        Ok(value)
    }
}

/// An id the request may leave out: blank means absent.
pub(super) fn optional_id(value: String) -> Option<String> {
    (!value.trim().is_empty()).then_some(value)
}

/// A timestamp the request cannot do without.
pub(super) fn required_time(
    field: &str,
    value: Option<&prost_types::Timestamp>,
) -> Result<Timestamp, FieldError> {
    from_proto_time(field, value.ok_or_else(|| FieldError::required(field))?)
}

pub(super) fn flags(f: &v1::SafetyFlags) -> Result<core::SafetyFlags, FieldError> {
    Ok(core::SafetyFlags {
        weapon: answer::from_wire("weapon", f.weapon)?,
        violence: answer::from_wire("violence", f.violence)?,
        medical: answer::from_wire("medical", f.medical)?,
        fire: answer::from_wire("fire", f.fire)?,
        traffic: answer::from_wire("traffic", f.traffic)?,
        suicidal: answer::from_wire("suicidal", f.suicidal)?,
    })
}

/// Numbers with a meaning are checked here, against their documented ranges, so that an
/// out-of-range value is refused with INVALID_ARGUMENT naming its field before anything is
/// journaled: the CAD priority (0 = not given, 1 ..= [`core::MAX_CAD_PRIORITY`]) and
/// coordinates (finite, ±90 / ±180). Times are checked by [`super::from_proto_time`].
pub(super) fn cad_priority(value: u32) -> Result<u32, FieldError> {
    if value > core::MAX_CAD_PRIORITY {
        return Err(FieldError::new(
            "cad_priority",
            format!(
                "{value} is not a CAD priority (1 most urgent ..= {}, 0 not given)",
                core::MAX_CAD_PRIORITY
            ),
        ));
    }
    Ok(value)
}

/// A position: both coordinates finite and in range (see [`cad_priority`]).
pub(super) fn point(lat: f64, lon: f64) -> Result<core::GeoPoint, FieldError> {
    let p = core::GeoPoint { lat, lon };
    match p.problem() {
        None => Ok(p),
        Some((field, reason)) => Err(FieldError::new(field, reason)),
    }
}

/// Lat and lon come both or neither, and must be a real position.
pub(super) fn location(l: v1::Location) -> Result<core::Location, FieldError> {
    let point = match (l.lat, l.lon) {
        (Some(lat), Some(lon)) => Some(point(lat, lon)?),
        (None, None) => None,
        (Some(_), None) => return Err(FieldError::new("lon", "is required when lat is given")),
        (None, Some(_)) => return Err(FieldError::new("lat", "is required when lon is given")),
    };
    Ok(core::Location {
        address: l.address,
        point,
        place_type: place_type::from_wire("place_type", l.place_type)?,
        cross_streets: l.cross_streets,
        beat: l.beat,
    })
}

/// A reported position, checked like a [`location`]'s.
pub(super) fn geo_point(p: v1::GeoPoint) -> Result<core::GeoPoint, FieldError> {
    point(p.lat, p.lon)
}

pub(super) fn caller(c: v1::Caller) -> core::Caller {
    core::Caller {
        name: c.name,
        callback: c.callback,
    }
}

/// A list of referrals; `field` is the list's name, errors name the item ("referrals[2].status").
pub(super) fn referrals(
    field: &str,
    list: Vec<v1::Referral>,
) -> Result<Vec<core::Referral>, FieldError> {
    list.into_iter()
        .enumerate()
        .map(|(i, r)| {
            let item = format!("{field}[{i}]");
            Ok(core::Referral {
                category: resource_category::from_wire("category", r.category)
                    .map_err(|e| e.under(&item))?,
                status: referral_status::from_wire("status", r.status)
                    .map_err(|e| e.under(&item))?,
                note: r.note,
            })
        })
        .collect()
}

pub(super) fn encounter(e: v1::Encounter) -> Result<core::Encounter, FieldError> {
    Ok(core::Encounter {
        notes: e.notes,
        services_provided: e.services_provided,
        referrals: referrals("referrals", e.referrals)?,
        consents_to_follow_up: e.consents_to_follow_up,
        person_ref: e.person_ref,
    })
}

pub(super) fn measures(m: v1::OutcomeMeasures) -> core::OutcomeMeasures {
    core::OutcomeMeasures {
        connected_to_services: m.connected_to_services,
        housing_status_improved: m.housing_status_improved,
        returned_to_crisis: m.returned_to_crisis,
        note: m.note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field<T: std::fmt::Debug>(r: Result<T, FieldError>) -> String {
        r.unwrap_err().field
    }

    #[test]
    fn blank_strings_are_missing() {
        assert_eq!(field(required("command_id", String::new())), "command_id");
        assert_eq!(field(required("command_id", " \t".into())), "command_id");
        assert_eq!(required("command_id", " c1".into()), Ok(" c1".into()));
        assert_eq!(optional_id(" ".into()), None);
        assert_eq!(optional_id("PSR-3".into()), Some("PSR-3".into()));
    }

    #[test]
    fn a_required_time_must_be_present_and_valid() {
        assert_eq!(
            required_time("due_at", None),
            Err(FieldError::required("due_at"))
        );
        let bad = prost_types::Timestamp {
            seconds: 0,
            nanos: -1,
        };
        assert_eq!(field(required_time("due_at", Some(&bad))), "due_at");
        let ok = prost_types::Timestamp {
            seconds: 3,
            nanos: 0,
        };
        assert_eq!(required_time("due_at", Some(&ok)), Ok(Timestamp(3000)));
    }

    #[test]
    fn lat_and_lon_come_together() {
        let at = |lat, lon| v1::Location {
            lat,
            lon,
            ..Default::default()
        };
        assert_eq!(field(location(at(Some(1.0), None))), "lon");
        assert_eq!(field(location(at(None, Some(1.0)))), "lat");
        assert_eq!(location(at(None, None)).unwrap().point, None);
        assert_eq!(field(location(at(Some(91.0), Some(2.0)))), "lat");
        assert_eq!(field(location(at(Some(1.0), Some(-200.0)))), "lon");
        assert_eq!(field(location(at(Some(f64::NAN), Some(2.0)))), "lat");
        assert_eq!(field(location(at(Some(1.0), Some(f64::INFINITY)))), "lon");
        assert_eq!(
            location(at(Some(-90.0), Some(180.0))).unwrap().point,
            Some(core::GeoPoint {
                lat: -90.0,
                lon: 180.0
            })
        );
        let l = v1::Location {
            place_type: 42,
            ..Default::default()
        };
        assert_eq!(field(location(l)), "place_type");
    }

    #[test]
    fn cad_priorities_have_a_range() {
        for ok in [0, 1, 5, core::MAX_CAD_PRIORITY] {
            assert_eq!(cad_priority(ok), Ok(ok));
        }
        for bad in [core::MAX_CAD_PRIORITY + 1, 4_000_000_000, u32::MAX] {
            let e = cad_priority(bad).unwrap_err();
            assert_eq!(e.field, "cad_priority");
            assert!(e.reason.contains(&bad.to_string()), "{e}");
        }
    }

    #[test]
    fn each_flag_is_named() {
        let names = [
            "weapon", "violence", "medical", "fire", "traffic", "suicidal",
        ];
        for (i, name) in names.into_iter().enumerate() {
            let mut f = v1::SafetyFlags::default();
            let slot = [
                &mut f.weapon,
                &mut f.violence,
                &mut f.medical,
                &mut f.fire,
                &mut f.traffic,
                &mut f.suicidal,
            ];
            *slot.into_iter().nth(i).unwrap() = 9;
            assert_eq!(field(flags(&f)), name);
        }
        assert_eq!(
            flags(&v1::SafetyFlags::default()),
            Ok(core::SafetyFlags::default())
        );
    }

    #[test]
    fn referral_errors_name_the_item() {
        let good = v1::Referral {
            category: v1::ResourceCategory::Food as i32,
            status: v1::ReferralStatus::Completed as i32,
            note: String::new(),
        };
        let no_category = v1::Referral {
            category: 0,
            ..good.clone()
        };
        let bad_status = v1::Referral {
            status: 7,
            ..good.clone()
        };
        let e = referrals("referrals", vec![good.clone(), no_category]).unwrap_err();
        assert_eq!(e, FieldError::required("referrals[1].category"));
        let e = encounter(v1::Encounter {
            referrals: vec![bad_status],
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(e.field, "referrals[0].status");
        assert_eq!(
            referrals("referrals", vec![good]),
            Ok(vec![core::Referral {
                category: core::ResourceCategory::Food,
                status: core::ReferralStatus::Completed,
                note: String::new()
            }])
        );
    }
}
