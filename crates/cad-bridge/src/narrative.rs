//! What the synthetic CAD says about a call of a given kind: a short code, CAD-style
//! narrative lines, the safety screen and the kind of place. All of it is written by this
//! project; none of it describes a real person.

use crate::rng::Rng;
use dispatch_core::{Answer, PlaceType, SafetyFlags};

/// Families of Seattle call types, as far as the demo needs to tell them apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Crisis,
    Welfare,
    Suspicious,
    Unwanted,
    Disturbance,
    Intoxicated,
    Violence,
    Property,
    Traffic,
    Fire,
    Other,
}

impl Family {
    pub fn of(call_type: &str) -> Family {
        let t = call_type.to_uppercase();
        let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
        if has(&["BEHAVIORAL", "CRISIS", "SUICID"]) {
            Family::Crisis
        } else if has(&["WELFARE", "MISSING", "FOUND PERSON"]) {
            Family::Welfare
        } else if has(&[
            "ASLT", "ASSAULT", "THREAT", "FIGHT", "WEAPN", "WEAPON", "SHOTS", "SHOOT", "ROBBERY",
            "DV ", "DOMESTIC", "HARAS",
        ]) {
            Family::Violence
        } else if has(&["BURN", "FIRE"]) {
            Family::Fire
        } else if has(&["TRAFFIC", "MVC", "DUI", "COLLISION"]) {
            Family::Traffic
        } else if has(&["LIQUOR", "NARCOTICS", "INTOX", "DRUNK"]) {
            Family::Intoxicated
        } else if has(&["TRESPASS", "NUISANCE", "UNWANTED", "LOITER"]) {
            Family::Unwanted
        } else if has(&["SUSPICIOUS"]) {
            Family::Suspicious
        } else if has(&["DISTURBANCE", "NOISE"]) {
            Family::Disturbance
        } else if has(&[
            "THEFT", "BURG", "PROPERTY", "PROWL", "LEWD", "VANDAL", "SHOPLIFT",
        ]) {
            Family::Property
        } else {
            Family::Other
        }
    }

    /// A short CAD code for the family (the real call-type text travels as nature text).
    pub fn code(self, call_type: &str) -> String {
        match self {
            Family::Crisis => "CRISIS".into(),
            Family::Welfare => "WELFARE".into(),
            Family::Suspicious => "SUSP".into(),
            Family::Unwanted if call_type.contains("TRESPASS") => "TRESPASS".into(),
            Family::Unwanted => "NUIS".into(),
            Family::Disturbance => "DIST".into(),
            Family::Intoxicated => "LIQ".into(),
            Family::Violence if call_type.contains("SHOTS") => "SHOTS".into(),
            Family::Violence if call_type.contains("THREAT") => "THREAT".into(),
            Family::Violence => "ASLT".into(),
            Family::Property => "PROP".into(),
            Family::Traffic => "TRAF".into(),
            Family::Fire => "FIRE".into(),
            Family::Other => call_type
                .split(|c: char| !c.is_ascii_alphanumeric())
                .find(|w| !w.is_empty())
                .map_or_else(|| "MISC".into(), |w| w.chars().take(6).collect()),
        }
    }
}

const SUBJECTS: &[&str] = &[
    "W/M 40S",
    "B/M 30S",
    "W/F 20S",
    "H/M 50S",
    "A/F 30S",
    "UNK SEX 20S",
    "W/M 60S",
    "B/F 40S",
    "N/M 30S",
];
const CLOTHES: &[&str] = &[
    "GRY HOODIE, BLU JEANS",
    "BLK JACKET, RED BACKPACK",
    "NO SHIRT, TAN SHORTS",
    "GRN ARMY JACKET, BLANKET",
    "YEL RAIN COAT",
    "WHT TSHIRT, BLK PANTS, BARE FEET",
];
const PLACES: &[&str] = &[
    "BUS SHELTER",
    "DOORWAY OF BUSINESS",
    "PARK BENCH",
    "SIDEWALK",
    "MAX PLATFORM",
    "PARKING LOT",
    "LIBRARY ENTRANCE",
    "UNDER OVERPASS",
];

fn fill(template: &str, rng: &mut Rng) -> String {
    template
        .replace("{subj}", rng.pick::<&str>(SUBJECTS))
        .replace("{clothes}", rng.pick::<&str>(CLOTHES))
        .replace("{place}", rng.pick::<&str>(PLACES))
}

fn templates(family: Family) -> (&'static [&'static str], &'static [&'static str]) {
    match family {
        Family::Crisis => (
            &[
                "RP STS {subj} YELLING AT PASSERSBY AT {place}, NO WPNS SEEN",
                "SUBJ {subj} TALKING TO SELF, PACING IN AND OUT OF TRAFFIC LANE EDGE, RP CONCERNED",
                "{subj} CRYING, STS HEARING VOICES, WANTS TO TALK TO SOMEONE, NOT VIOLENT",
                "RP IS SUBJ'S SISTER, SUBJ OFF MEDS X3 DAYS, LS AT {place}",
                "SUBJ {clothes}, DISORIENTED, ASKING FOR HELP, NO WPNS PER RP",
            ],
            &[
                "SUBJ NOW SITTING AT {place}, CALMER",
                "PER RP SUBJ WALKING NB, SAME CLOTHING",
                "RP ADV SUBJ DENIES SI WHEN ASKED",
            ],
        ),
        Family::Welfare => (
            &[
                "RP REQ WELFARE CHECK ON {subj} LAYING ON SIDEWALK, BREATHING, NOT RESPONDING TO RP",
                "{subj} SLEEPING IN {place} SINCE YESTERDAY, RP CONCERNED, NFI",
                "RP STS ELDERLY NEIGHBOR SEEN WANDERING, CONFUSED, {clothes}",
            ],
            &["RP ADV SUBJ NOW SITTING UP", "UNK IF SUBJ HAS MEDS"],
        ),
        Family::Suspicious => (
            &[
                "RP STS {subj} LOOKING INTO CAR WINDOWS, {clothes}, NO WPNS SEEN",
                "{subj} STANDING IN {place} FOR 2 HRS, RP UNEASY, NFI",
                "SUBJ GOING THROUGH RECYCLING BINS, {clothes}",
            ],
            &["SUBJ LS WB ON FOOT"],
        ),
        Family::Unwanted => (
            &[
                "MGR REQ UNWANTED {subj} REMOVED FROM {place}, REFUSING TO LEAVE, NOT VIOLENT",
                "{subj} CAMPED IN {place}, BLOCKING ENTRANCE, RP REQ HELP",
                "SUBJ SLEEPING IN {place} AT OPEN, {clothes}, NO WPNS",
            ],
            &["MGR ADV SUBJ STILL ON PROP", "SUBJ PACKING UP PER RP"],
        ),
        Family::Disturbance => (
            &[
                "RP STS {subj} SCREAMING AT {place}, UNK IF ANYONE ELSE INVOLVED",
                "LOUD ARGUMENT BETWEEN 2 SUBJS AT {place}, NO WPNS SEEN",
                "{subj} BANGING ON DOORS, {clothes}",
            ],
            &["RP ADV YELLING HAS STOPPED", "ONE SUBJ LEFT NB"],
        ),
        Family::Intoxicated => (
            &[
                "{subj} APPEARS HEAVILY INTOX AT {place}, UNSTEADY, RP CONCERNED",
                "SUBJ DRINKING IN {place}, FELL ONCE, GOT BACK UP",
                "{subj} PASSED OUT ON BENCH, BREATHING PER RP, {clothes}",
            ],
            &["SUBJ NOW SITTING UP PER RP"],
        ),
        Family::Violence => (
            &[
                "RP STS {subj} SWINGING A BAT AT PEOPLE AT {place}",
                "2 SUBJS FIGHTING, ONE ON GROUND, RP UNK IF WPNS",
                "{subj} THREATENING RP WITH KNIFE, {clothes}, LS WB",
            ],
            &["RP ADV SUBJ STILL HAS KNIFE", "ONE SUBJ BLEEDING FROM HEAD"],
        ),
        Family::Property => (
            &[
                "RP RETURNED TO CAR, WINDOW BROKEN, ITEMS MISSING",
                "{subj} SEEN TAKING BIKE FROM RACK AT {place}",
                "RP STS DAMAGE TO FENCE OVERNIGHT, NO SUSP INFO",
            ],
            &["RP WILL BE AT LOC"],
        ),
        Family::Traffic => (
            &[
                "VEH STALLED IN LANE, {subj} WALKING IN ROADWAY",
                "2 VEH COLLISION, UNK INJ, BLOCKING LANE",
            ],
            &["TOW REQ"],
        ),
        Family::Fire => (
            &[
                "RP STS SMALL FIRE IN {place}, {subj} NEARBY",
                "SMOKE FROM ENCAMPMENT, RP UNK IF ANYONE INSIDE",
            ],
            &["FD ADV"],
        ),
        Family::Other => (
            &[
                "RP REQ OFFICER CONTACT RE: ONGOING ISSUE AT {place}",
                "{subj} ACTING ODD AT {place}, NFI",
            ],
            &["RP CALLED BACK, NO CHANGE"],
        ),
    }
}

/// One to three opening narrative lines and zero to two later ones.
pub fn narrative(family: Family, spanish: bool, rng: &mut Rng) -> (Vec<String>, Vec<String>) {
    let (first, later) = templates(family);
    let opening: &str = rng.pick::<&str>(first);
    let mut lines = vec![fill(opening, rng)];
    if spanish {
        lines.push("RP SPANISH SPEAKING, LANG LINE USED".to_owned());
    }
    if rng.chance(0.3) {
        lines.push(format!("SUBJ DESC {}", fill("{subj}, {clothes}", rng)));
    }
    let mut more = Vec::new();
    for _ in 0..rng.below(3) {
        let template: &str = rng.pick::<&str>(later);
        let line = fill(template, rng);
        if !more.contains(&line) {
            more.push(line);
        }
    }
    (lines, more)
}

/// The call-taker's safety screen, consistent with the kind of call.
pub fn flags(family: Family, rng: &mut Rng) -> SafetyFlags {
    let mostly_no = |rng: &mut Rng| {
        if rng.chance(0.8) {
            Answer::No
        } else {
            Answer::Unknown
        }
    };
    let mut f = SafetyFlags {
        weapon: mostly_no(rng),
        violence: mostly_no(rng),
        medical: mostly_no(rng),
        fire: Answer::No,
        traffic: Answer::No,
        suicidal: mostly_no(rng),
    };
    match family {
        Family::Violence => {
            f.violence = Answer::Yes;
            if rng.chance(0.5) {
                f.weapon = Answer::Yes;
            }
        }
        Family::Fire => f.fire = Answer::Yes,
        Family::Traffic => f.traffic = Answer::Yes,
        Family::Property | Family::Other => {
            f.weapon = Answer::Unknown;
            f.violence = Answer::Unknown;
        }
        _ => {}
    }
    f
}

pub fn place_type(family: Family, rng: &mut Rng) -> PlaceType {
    let roll = rng.unit();
    match family {
        Family::Traffic => PlaceType::Roadway,
        Family::Welfare | Family::Crisis if roll < 0.12 => PlaceType::PrivateResidence,
        Family::Unwanted | Family::Suspicious if roll < 0.45 => PlaceType::Business,
        Family::Property if roll < 0.5 => PlaceType::PrivateResidence,
        _ if roll < 0.75 => PlaceType::OutdoorPublic,
        _ if roll < 0.9 => PlaceType::Business,
        _ => PlaceType::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seattle_call_types_fall_in_the_right_families() {
        assert_eq!(
            Family::of("PERSON IN BEHAVIORAL/EMOTIONAL CRISIS"),
            Family::Crisis
        );
        assert_eq!(Family::of("SERVICE - WELFARE CHECK"), Family::Welfare);
        assert_eq!(
            Family::of("ASLT - WITH OR W/O WPNS (NO SHOOTINGS)"),
            Family::Violence
        );
        assert_eq!(
            Family::of("SUSPICIOUS PERSON, VEHICLE, OR INCIDENT"),
            Family::Suspicious
        );
        assert_eq!(Family::of("TRESPASS"), Family::Unwanted);
        assert_eq!(Family::of("BURN - RECKLESS BURNING"), Family::Fire);
        assert_eq!(Family::Unwanted.code("TRESPASS"), "TRESPASS");
    }

    #[test]
    fn violent_calls_always_carry_a_danger_flag() {
        let mut rng = Rng::new(1);
        for _ in 0..200 {
            assert_eq!(flags(Family::Violence, &mut rng).violence, Answer::Yes);
            assert_eq!(flags(Family::Fire, &mut rng).fire, Answer::Yes);
        }
    }
}
