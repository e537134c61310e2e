//! Nature codes: which family a real Seattle call type belongs to (what the demo writes about
//! it) and the short CAD code it travels under. The real call-type text stays the nature text.
//!
//! Where the shipped triage table (`deploy/triage/portland.toml`) knows a code (CRISIS,
//! WELFARE, TRESPASS, SUICTHRT, ASLT, SHOTS, THREAT, DV, OD, BURN, MVC, DUI...), the demo uses
//! that code, so codes and texts tell the triage the same story.

use crate::family::Family;
use crate::says::Says;
use dispatch_core::{Answer, DangerFlag};

/// (phrase in the Seattle call type, family, CAD code). The first phrase found wins, so the
/// more specific phrases come first ("OBS WEAPN-IP ... (NO THRT/ASLT/DIST)" is a weapon call,
/// "HARAS - NO BIAS OR THREATS" is not a threat, "DISTURBANCE - DV - NO ASLT" is no assault).
const RULES: &[(&str, Family, &str)] = &[
    ("BEHAVIORAL", Family::Crisis, "CRISIS"),
    ("SUICID", Family::Suicide, "SUICTHRT"),
    ("WELFARE", Family::Welfare, "WELFARE"),
    ("DOWN - CHECK", Family::Down, "DOWN"),
    ("OVERDOSE", Family::Medical, "OD"),
    ("SFD - ASSIST", Family::Medical, "FDASST"),
    ("PERSON SHOT", Family::Shots, "SHOOT"),
    ("SHOTS", Family::Shots, "SHOTS"),
    ("WEAPN", Family::Weapon, "WEAPON"),
    ("HARAS", Family::Harassment, "HARASS"),
    ("COURT ORDER", Family::CourtOrder, "ORDER"),
    ("DV - NO ASLT", Family::Disturbance, "DV"),
    (" DV ", Family::Violence, "DV"),
    ("THREAT", Family::Threats, "THREAT"),
    ("CHILD", Family::Child, "CHILD"),
    ("RAPE", Family::SexAssault, "RAPE"),
    ("MOLESTED", Family::SexAssault, "SXASLT"),
    ("ROBBERY", Family::Robbery, "ROBBERY"),
    ("ASLT", Family::Violence, "ASLT"),
    ("FIGHT", Family::Violence, "FIGHT"),
    ("ARSON", Family::Fire, "ARSON"),
    ("BURN", Family::Fire, "BURN"),
    ("FIREWORKS", Family::Fireworks, "FWORKS"),
    ("BURG", Family::Burglary, "BURG"),
    ("AUTO THEFT", Family::VehicleTheft, "VTHEFT"),
    ("THEFT", Family::Theft, "THEFT"),
    ("SHOPLIFT", Family::Theft, "SHOPLF"),
    ("FRAUD", Family::Fraud, "FRAUD"),
    ("PROPERTY", Family::Damage, "PROPDMG"),
    ("LEWD", Family::Lewd, "LEWD"),
    ("SEX IN PUBLIC", Family::Lewd, "LEWD"),
    ("TRESPASS", Family::Trespass, "TRESPASS"),
    ("NUISANCE", Family::Nuisance, "NUIS"),
    ("URINATING", Family::Urinating, "URIN"),
    ("PARKS VIOLATION", Family::Nuisance, "PARKS"),
    ("NOISE - ANIMAL", Family::AnimalNoise, "NOISE"),
    ("NOISE", Family::Noise, "NOISE"),
    ("DISTURBANCE", Family::Disturbance, "DIST"),
    ("LIQUOR", Family::Intoxicated, "LIQ"),
    ("NARCOTICS", Family::Narcotics, "NARC"),
    ("SUSPICIOUS", Family::Suspicious, "SUSP"),
    ("MVC", Family::Crash, "MVC"),
    ("DUI", Family::Driving, "DUI"),
    ("ROAD RAGE", Family::Driving, "RDRAGE"),
    ("MOVING VIOLATION", Family::Driving, "TRAF"),
    ("TRAFFIC", Family::Traffic, "TRAF"),
    ("ANIMAL BITE", Family::AnimalBite, "ANBITE"),
    ("ANIMAL", Family::Animal, "ANIMAL"),
    ("HARBOR", Family::Water, "WATER"),
    ("HAZ", Family::Hazard, "HAZ"),
    ("TREES DOWN", Family::Hazard, "HAZ"),
    ("ANI/ALI", Family::OpenLine, "911HU"),
    ("UNKNOWN", Family::Unknown, "UNK"),
    ("ASSIST", Family::Assist, "ASSIST"),
];

/// The family and CAD code of a Seattle call type.
pub fn classify(call_type: &str) -> (Family, String) {
    // Padded so that " DV " also finds DV at either end of the text.
    let text = format!(" {} ", call_type.to_uppercase());
    RULES
        .iter()
        .find(|(phrase, _, _)| text.contains(phrase))
        .map_or_else(
            || (Family::Other, fallback_code(&text)),
            |(_, family, code)| (*family, (*code).to_owned()),
        )
}

/// What the call type itself states about the safety screen: "FIGHT - CRITICAL WITH
/// WEAPONS" is a weapon, "FIGHT - PHYSICAL (NO WEAPONS)" is not, "DV - NO ASLT" no assault.
pub fn stated(call_type: &str) -> Says {
    let text = call_type.to_uppercase();
    if text.contains("WITH WEAPONS") {
        &[(DangerFlag::Weapon, Answer::Yes)]
    } else if text.contains("(NO WEAPONS)") {
        &[(DangerFlag::Weapon, Answer::No)]
    } else if text.contains("NO ASLT") {
        &[(DangerFlag::Violence, Answer::No)]
    } else {
        &[]
    }
}

/// The call type's first word, cut to six letters, as CADs abbreviate.
fn fallback_code(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| !w.is_empty())
        .map_or_else(|| "MISC".to_owned(), |w| w.chars().take(6).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::calls;

    #[test]
    fn seattle_call_types_get_their_family_and_code() {
        let cases = [
            (
                "PERSON IN BEHAVIORAL/EMOTIONAL CRISIS",
                Family::Crisis,
                "CRISIS",
            ),
            (
                "SUICIDE - SUICIDAL PERSON AND ATTEMPTS",
                Family::Suicide,
                "SUICTHRT",
            ),
            ("SERVICE - WELFARE CHECK", Family::Welfare, "WELFARE"),
            (
                "SUSPICIOUS PERSON, VEHICLE, OR INCIDENT",
                Family::Suspicious,
                "SUSP",
            ),
            ("TRESPASS", Family::Trespass, "TRESPASS"),
            (
                "ASLT - WITH OR W/O WPNS (NO SHOOTINGS)",
                Family::Violence,
                "ASLT",
            ),
            ("ASLT - PERSON SHOT OR SHOT AT", Family::Shots, "SHOOT"),
            ("ASLT - DV CRITICAL", Family::Violence, "DV"),
            (
                "OBS WEAPN-IP/JO-GUN,DEADLY WPN (NO THRT/ASLT/DIST)",
                Family::Weapon,
                "WEAPON",
            ),
            ("HARAS - NO BIAS OR THREATS", Family::Harassment, "HARASS"),
            (
                "THREATS (INCLS IN-PERSON/BY PHONE/IN WRITING)",
                Family::Threats,
                "THREAT",
            ),
            ("DISTURBANCE - DV - NO ASLT", Family::Disturbance, "DV"),
            ("DISTURBANCE", Family::Disturbance, "DIST"),
            (
                "ORDER  - SERVICE OF DV COURT ORDER",
                Family::CourtOrder,
                "ORDER",
            ),
            ("FIREWORKS (NO HAZARD)", Family::Fireworks, "FWORKS"),
            ("BURN - RECKLESS BURNING", Family::Fire, "BURN"),
            (
                "AUTO THEFT - VEH THEFT OR THEFT AND RECOVERY",
                Family::VehicleTheft,
                "VTHEFT",
            ),
            ("PROPERTY - DAMAGE (GUN RELATED)", Family::Damage, "PROPDMG"),
            (
                "NOISE - ANIMAL (INCLUDES BARKING DOGS)",
                Family::AnimalNoise,
                "NOISE",
            ),
            ("OVERDOSE", Family::Medical, "OD"),
            (
                "UNKNOWN - ANI/ALI - LANDLINE (INCLUDES OPEN LINE)",
                Family::OpenLine,
                "911HU",
            ),
            ("TRAFFIC - ROAD RAGE", Family::Driving, "RDRAGE"),
            (
                "ROBBERY - CRITICAL (INCLUDES STRONG ARM)",
                Family::Robbery,
                "ROBBERY",
            ),
            (
                "CHILD - CRITICAL ABAND, ABUSE, MOLEST, NEGLECT",
                Family::Child,
                "CHILD",
            ),
            (
                "HARBOR - WATER DEBRIS, NAVIGATIONAL HAZARDS",
                Family::Water,
                "WATER",
            ),
            ("SOMETHING NEW", Family::Other, "SOMETH"),
        ];
        for (text, family, code) in cases {
            assert_eq!(classify(text), (family, code.to_owned()), "{text}");
        }
    }

    #[test]
    fn call_types_that_state_a_danger_say_so() {
        let weapon = |t| {
            stated(t)
                .iter()
                .find(|(f, _)| *f == DangerFlag::Weapon)
                .map(|x| x.1)
        };
        assert_eq!(weapon("FIGHT - CRITICAL WITH WEAPONS"), Some(Answer::Yes));
        assert_eq!(weapon("FIGHT - PHYSICAL (NO WEAPONS)"), Some(Answer::No));
        assert_eq!(weapon("ASLT - WITH OR W/O WPNS (NO SHOOTINGS)"), None);
        assert_eq!(
            stated("DISTURBANCE - DV - NO ASLT"),
            &[(DangerFlag::Violence, Answer::No)]
        );
        assert!(stated("TRESPASS").is_empty());
    }

    #[test]
    fn every_call_type_of_the_sample_has_a_rule_and_a_short_code() {
        for call in calls() {
            let text = format!(" {} ", call.call_type);
            assert!(
                RULES.iter().any(|(phrase, _, _)| text.contains(phrase)),
                "{} has no rule",
                call.call_type
            );
            let (_, code) = classify(&call.call_type);
            assert!(!code.is_empty() && code.len() <= 8, "{code}");
            assert!(
                code.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            );
        }
    }
}
