//! The call-taker's structured safety screen for a demo call: what the call type itself
//! means (an assault is violent, shots mean a weapon), what the narrative says ("NO WPNS
//! SEEN"), and otherwise the usual mix of "no" and questions not asked ("unknown").

use crate::family::Family;
use crate::rng::Rng;
use crate::says::{Line, Says};
use dispatch_core::{Answer, DangerFlag, PlaceType, SafetyFlags};

/// The dangers a call of this family always carries.
pub fn forced(family: Family) -> &'static [DangerFlag] {
    match family {
        Family::Violence | Family::Robbery | Family::SexAssault | Family::Threats => {
            &[DangerFlag::Violence]
        }
        Family::Shots | Family::Weapon => &[DangerFlag::Weapon],
        Family::Medical => &[DangerFlag::Medical],
        Family::Suicide => &[DangerFlag::Suicidal],
        Family::Fire => &[DangerFlag::Fire],
        Family::Traffic | Family::Crash | Family::Driving => &[DangerFlag::Traffic],
        _ => &[],
    }
}

/// Families where call-takers rarely run the person-safety questions (a stolen bike, an
/// open line): most answers stay unknown.
fn rarely_screened(family: Family) -> bool {
    matches!(
        family,
        Family::Theft
            | Family::VehicleTheft
            | Family::Damage
            | Family::Fraud
            | Family::Burglary
            | Family::OpenLine
            | Family::Unknown
            | Family::Assist
            | Family::CourtOrder
            | Family::Hazard
            | Family::Water
            | Family::Animal
            | Family::AnimalBite
            | Family::AnimalNoise
            | Family::Other
    )
}

/// The screen for a call of this family whose call type states `stated`, with these opening
/// lines, at this kind of place.
pub fn screen(
    family: Family,
    stated: Says,
    place: PlaceType,
    lines: &[Line],
    rng: &mut Rng,
) -> SafetyFlags {
    let asked = if rarely_screened(family) { 0.35 } else { 0.75 };
    let mut flags = SafetyFlags::default();
    for flag in DangerFlag::ALL {
        // Fire and traffic are usually obvious to the caller, so mostly answered.
        let p = match flag {
            DangerFlag::Fire | DangerFlag::Traffic => 0.9,
            _ => asked,
        };
        if rng.chance(p) {
            flags.set(flag, Answer::No);
        }
    }
    for says in lines.iter().map(|l| l.says).chain([stated]) {
        for (flag, answer) in says {
            flags.set(*flag, *answer);
        }
    }
    for flag in forced(family) {
        flags.set(*flag, Answer::Yes);
    }
    if place == PlaceType::Roadway {
        flags.traffic = Answer::Yes;
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_that_mean_danger_always_carry_it() {
        let mut rng = Rng::new(1);
        for _ in 0..200 {
            for family in Family::ALL {
                let flags = screen(family, &[], PlaceType::OutdoorPublic, &[], &mut rng);
                for flag in forced(family) {
                    assert_eq!(flags.get(*flag), Answer::Yes, "{family:?}");
                }
            }
            let on_road = screen(Family::Crisis, &[], PlaceType::Roadway, &[], &mut rng);
            assert_eq!(on_road.traffic, Answer::Yes);
        }
    }

    #[test]
    fn crisis_calls_are_mostly_no_or_unknown() {
        let mut rng = Rng::new(2);
        let mut yes = 0;
        for _ in 0..1000 {
            let flags = screen(Family::Crisis, &[], PlaceType::OutdoorPublic, &[], &mut rng);
            yes += DangerFlag::ALL
                .iter()
                .filter(|f| flags.get(**f) == Answer::Yes)
                .count();
        }
        assert_eq!(yes, 0);
    }
}
