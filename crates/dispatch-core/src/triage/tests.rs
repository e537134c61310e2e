//! Triage table cases and the safety invariant as a property.

use super::*;
use crate::model::{Answer, CallDetails, DangerFlag, Location, PlaceType, SafetyFlags};
use proptest::prelude::*;

fn call(code: &str, text: &str) -> CallDetails {
    CallDetails {
        nature_code: code.into(),
        nature_text: text.into(),
        cad_priority: 3,
        location: Location {
            place_type: PlaceType::OutdoorPublic,
            ..Location::default()
        },
        flags: SafetyFlags {
            weapon: Answer::No,
            violence: Answer::No,
            medical: Answer::No,
            fire: Answer::No,
            traffic: Answer::No,
            suicidal: Answer::No,
        },
        ..CallDetails::default()
    }
}

fn decide(d: &CallDetails) -> (Decision, Route) {
    let t = triage(&TriageConfig::default(), d);
    (t.decision, t.route)
}

#[test]
fn each_danger_flag_blocks_and_routes() {
    let routes = [
        (DangerFlag::Weapon, Route::Police),
        (DangerFlag::Violence, Route::Police),
        (DangerFlag::Medical, Route::Ems),
        (DangerFlag::Fire, Route::Fire),
        (DangerFlag::Traffic, Route::Police),
        (DangerFlag::Suicidal, Route::Ems),
    ];
    for (flag, route) in routes {
        let mut d = call("CRISIS", "PERSON IN BEHAVIORAL/EMOTIONAL CRISIS");
        d.flags.set(flag, Answer::Yes);
        let t = triage(&TriageConfig::default(), &d);
        assert_eq!(
            (t.decision, t.route),
            (Decision::NotEligible, route),
            "{flag:?}"
        );
        assert_eq!(t.reasons[0].rule, format!("flag:{}", flag.name()));
        assert_eq!(t.reasons[0].evidence, format!("{}=yes", flag.name()));
    }
}

#[test]
fn nature_codes_and_texts_pick_their_family() {
    let cases = [
        ("EDP", "", Decision::Eligible, Route::CrisisTeam),
        ("MNTL", "", Decision::Eligible, Route::CrisisTeam),
        ("cw", "", Decision::Eligible, Route::CrisisTeam),
        (
            "",
            "PERSON IN BEHAVIORAL/EMOTIONAL CRISIS",
            Decision::Eligible,
            Route::CrisisTeam,
        ),
        (
            "",
            "SERVICE - WELFARE CHECK",
            Decision::Eligible,
            Route::CrisisTeam,
        ),
        (
            "",
            "SUSPICIOUS PERSON, VEHICLE, OR INCIDENT",
            Decision::Eligible,
            Route::CrisisTeam,
        ),
        ("", "TRESPASS", Decision::Eligible, Route::CrisisTeam),
        // Equally long phrases of two families: the tie goes to review.
        (
            "",
            "SUSPICIOUS CIRCUM. - SUSPICIOUS PERSON",
            Decision::Review,
            Route::Dispatcher,
        ),
        (
            "",
            "SUSPICIOUS CIRCUM.",
            Decision::Review,
            Route::Dispatcher,
        ),
        ("", "DISTURBANCE", Decision::Review, Route::Dispatcher),
        ("SUICTHRT", "", Decision::Review, Route::Dispatcher),
        (
            "",
            "ASLT - WITH OR W/O WPNS (NO SHOOTINGS)",
            Decision::NotEligible,
            Route::Police,
        ),
        (
            "",
            "SHOTS HEARD - IN PROGRESS",
            Decision::NotEligible,
            Route::Police,
        ),
        ("1140OD", "", Decision::NotEligible, Route::Ems),
        (
            "",
            "BURN - RECKLESS BURNING",
            Decision::NotEligible,
            Route::Fire,
        ),
        (
            "",
            "TRAFFIC - BLOCKING ROADWAY",
            Decision::NotEligible,
            Route::Police,
        ),
        (
            "",
            "THEFT (DOES NOT INCLUDE SHOPLIFT OR SVCS)",
            Decision::NotEligible,
            Route::Police,
        ),
        (
            "ZZZ",
            "SOMETHING NOBODY LISTED",
            Decision::Review,
            Route::Dispatcher,
        ),
        ("", "", Decision::Review, Route::Dispatcher),
    ];
    for (code, text, decision, route) in cases {
        assert_eq!(
            decide(&call(code, text)),
            (decision, route),
            "{code:?} {text:?}"
        );
    }
}

#[test]
fn words_match_whole_not_inside_other_words() {
    assert!(contains_words("OD IN PROGRESS", "OD"));
    assert!(!contains_words("CODE RED", "OD"));
    assert!(!contains_words("GODOT", "OD"));
    assert!(contains_words("SUBJ/OD", "OD"));
    assert!(!contains_words("", "OD"));
    assert_eq!(
        decide(&call("", "CODE ENFORCEMENT")).0,
        Decision::Review,
        "no false overdose"
    );
}

#[test]
fn private_residences_and_roadways_are_excluded() {
    let mut d = call("CRISIS", "");
    d.location.place_type = PlaceType::PrivateResidence;
    let t = triage(&TriageConfig::default(), &d);
    assert_eq!(
        (t.decision, t.route),
        (Decision::NotEligible, Route::Police)
    );
    assert!(
        t.reasons
            .iter()
            .any(|r| r.evidence == "place_type=private_residence")
    );
    d.location.place_type = PlaceType::Roadway;
    assert_eq!(decide(&d).0, Decision::NotEligible);
}

#[test]
fn priority_is_urgency_raised_by_the_cad() {
    let mut d = call("", "TRESPASS");
    assert_eq!(triage(&TriageConfig::default(), &d).priority, 3);
    d.cad_priority = 5;
    assert_eq!(
        triage(&TriageConfig::default(), &d).priority,
        4,
        "the family's urgency when the CAD says less"
    );
    d.cad_priority = 1;
    assert_eq!(triage(&TriageConfig::default(), &d).priority, 1);
}

fn answer() -> impl Strategy<Value = Answer> {
    prop_oneof![Just(Answer::Unknown), Just(Answer::No), Just(Answer::Yes)]
}

fn place() -> impl Strategy<Value = PlaceType> {
    prop_oneof![
        Just(PlaceType::Unknown),
        Just(PlaceType::OutdoorPublic),
        Just(PlaceType::Business),
        Just(PlaceType::PrivateResidence),
        Just(PlaceType::Vehicle),
        Just(PlaceType::Roadway),
    ]
}

fn any_call() -> impl Strategy<Value = CallDetails> {
    let codes = prop_oneof![
        Just(String::new()),
        Just("CRISIS".to_owned()),
        Just("EDP".to_owned()),
        Just("602".to_owned()),
        "\\PC{0,12}"
    ];
    let texts = prop_oneof![
        Just("PERSON IN BEHAVIORAL/EMOTIONAL CRISIS".to_owned()),
        Just("SERVICE - WELFARE CHECK".to_owned()),
        Just("TRESPASS".to_owned()),
        "\\PC{0,200}",
    ];
    (
        codes,
        texts,
        0u32..10,
        [answer(), answer(), answer(), answer(), answer(), answer()],
        place(),
    )
        .prop_map(|(code, text, priority, f, place_type)| CallDetails {
            nature_code: code,
            nature_text: text,
            cad_priority: priority,
            location: Location {
                place_type,
                ..Location::default()
            },
            flags: SafetyFlags {
                weapon: f[0],
                violence: f[1],
                medical: f[2],
                fire: f[3],
                traffic: f[4],
                suicidal: f[5],
            },
            ..CallDetails::default()
        })
}

proptest! {
    #[test]
    fn a_call_with_any_danger_flag_yes_is_never_eligible(d in any_call(), which in 0usize..6) {
        let mut d = d;
        d.flags.set(DangerFlag::ALL[which], Answer::Yes);
        let t = triage(&TriageConfig::default(), &d);
        prop_assert_eq!(t.decision, Decision::NotEligible);
        prop_assert!(t.route != Route::CrisisTeam);
    }

    #[test]
    fn triage_is_deterministic_explained_and_bounded(d in any_call()) {
        let a = triage(&TriageConfig::default(), &d);
        let b = triage(&TriageConfig::default(), &d);
        prop_assert_eq!(&a, &b);
        prop_assert!(!a.reasons.is_empty(), "every decision says why");
        prop_assert!((1..=5).contains(&a.priority) || a.decision == Decision::NotEligible);
        prop_assert_eq!(a.decision == Decision::Eligible, a.route == Route::CrisisTeam);
    }

    #[test]
    fn huge_and_strange_text_never_panics(text in "\\PC{0,5000}", code in "\\PC{0,64}") {
        let _ = triage(&TriageConfig::default(), &call(&code, &text));
    }
}

#[test]
fn a_call_outside_the_service_area_goes_to_other() {
    let mut config = TriageConfig::default();
    let p = |lat, lon| crate::model::GeoPoint { lat, lon };
    config.service_area = crate::area::ServiceArea::from_ring(vec![
        p(45.4, -122.8),
        p(45.4, -122.5),
        p(45.6, -122.5),
        p(45.6, -122.8),
    ]);
    let mut d = call("CRISIS", "");
    d.location.point = Some(p(45.52, -122.68));
    assert_eq!(triage(&config, &d).decision, Decision::Eligible);
    d.location.point = Some(p(47.6, -122.3));
    let t = triage(&config, &d);
    assert_eq!((t.decision, t.route), (Decision::NotEligible, Route::Other));
    assert_eq!(t.reasons[0].rule, "area:outside");
    d.location.point = None;
    assert_eq!(
        triage(&config, &d).decision,
        Decision::Eligible,
        "no position: the area cannot judge"
    );
}

// ---------- narrative screen ----------

fn with_narrative(lines: &[&str]) -> CallDetails {
    let mut d = call("CRISIS", "PERSON IN BEHAVIORAL/EMOTIONAL CRISIS");
    d.narrative = lines
        .iter()
        .map(|t| crate::model::NarrativeLine {
            at: crate::time::Timestamp(0),
            text: (*t).to_owned(),
        })
        .collect();
    d
}

fn outcome(lines: &[&str]) -> TriageDecision {
    triage(&TriageConfig::default(), &with_narrative(lines))
}

/// The phrase model and the rules without the learned screen.
fn phrases_only(lines: &[&str]) -> TriageDecision {
    let mut config = TriageConfig::default();
    config.danger.learned.enabled = false;
    triage(&config, &with_narrative(lines))
}

#[test]
fn denials_clear_a_cue_only_in_their_own_clause() {
    let eligible = [
        "RP STS SUBJ YELLING AT SIGNS, NO WPNS SEEN",
        "SUBJ DENIES SI",
        "NEG WEAPONS, NOT VIOLENT",
        "WPNS: NEG",
        "no weapons seen, subj calm",
        "SUBJ HAS NO KNOWN WPNS",
        "RP SPANISH SPEAKING, SIN ARMAS",
    ];
    for text in eligible {
        assert_eq!(
            outcome(&[text]).decision,
            Decision::Eligible,
            "{text:?} → {:?}",
            outcome(&[text]).reasons
        );
    }
    let weapon = [
        "no weapons seen but he says he has a gun",
        "NO WPNS SEEN, SUBJ NOW HOLDING KNIFE",
        "SUBJ HAS NO SHOES, HOLDING A KNIFE",
        "RP NOT SURE IF SUBJ HAS A GUN IN HIS BAG",
        "Subj waving a machete",
        "SUBJ TIENE UN CUCHILLO",
    ];
    for text in weapon {
        let t = outcome(&[text]);
        assert_eq!(
            (t.decision, t.route),
            (Decision::NotEligible, Route::Police),
            "{text:?}"
        );
        assert!(
            t.reasons
                .iter()
                .any(|r| r.rule.starts_with("narrative:weapon")),
            "{text:?}: {:?}",
            t.reasons
        );
    }
}

#[test]
fn each_danger_category_is_read_from_cad_shorthand() {
    let cases = [
        ("SUBJ UNCONS ON SIDEWALK", Route::Ems, "narrative:medical"),
        (
            "POSS OD, NARCAN GIVEN BY RP",
            Route::Ems,
            "narrative:medical",
        ),
        ("SMALL FIRE IN ENCAMPMENT", Route::Fire, "narrative:fire"),
        (
            "POURING GASOLINE ON TENT. HAS A LIGHTER",
            Route::Fire,
            "narrative:fire",
        ),
        (
            "SUBJ WALKING IN TRAFFIC LANES ON I5",
            Route::Police,
            "narrative:traffic",
        ),
        (
            "SUBJ PUNCHING CARS, COMBATIVE",
            Route::Police,
            "narrative:violence",
        ),
        (
            "SUBJ ON THE BRIDGE RAILING, STS WILL JUMP",
            Route::Ems,
            "narrative:suicide",
        ),
        (
            "PER RP SUBJ TOOK PILLS 1 HR AGO",
            Route::Ems,
            "narrative:medical",
        ),
    ];
    for (text, route, rule) in cases {
        let t = outcome(&[text]);
        assert_eq!(
            (t.decision, t.route),
            (Decision::NotEligible, route),
            "{text:?}: {:?}",
            t.reasons
        );
        let reason = t
            .reasons
            .iter()
            .find(|r| r.rule.starts_with(rule))
            .unwrap_or_else(|| panic!("{text:?}: {:?}", t.reasons));
        assert!(
            !reason.evidence.is_empty()
                && reason.evidence.split(" … ").all(|part| text.contains(part)),
            "the evidence is the clause as written: {:?}",
            reason.evidence
        );
    }
}

#[test]
fn suicidal_ideation_goes_to_review_and_a_plan_is_not_eligible() {
    let t = outcome(&["SUBJ STS HE IS SUICIDAL, NO WPNS"]);
    assert_eq!((t.decision, t.route), (Decision::Review, Route::Dispatcher));
    assert_eq!(t.reasons[0].rule, "narrative:suicide-ideation");
    assert!(t.priority <= 2, "acute distress is urgent");
    assert_eq!(outcome(&["SUBJ DENIES SI"]).decision, Decision::Eligible);
    assert_eq!(
        outcome(&["DENIES SI BUT STS HAS A PLAN"]).decision,
        Decision::NotEligible
    );
}

#[test]
fn a_later_narrative_line_can_turn_a_call_dangerous() {
    assert_eq!(
        outcome(&["SUBJ TALKING TO SELF"]).decision,
        Decision::Eligible
    );
    assert_eq!(
        outcome(&["SUBJ TALKING TO SELF", "HE HAS A KNIFE"]).decision,
        Decision::NotEligible
    );
}

const SAFE_WORDS: &[&str] = &[
    "SUBJ", "RP", "STS", "W/M", "40S", "AT", "BUS", "STOP", "YELLING", "CALM", "WALKING", "NB",
    "PER", "THE", "HIS", "BAG", "CRYING", "NEAR", "PARK", "TODAY", "REPORTS", "THAT",
];

/// Every phrase that alone asserts a danger, and every combo with one phrase per part, as a
/// dispatcher could type them.
fn danger_phrases() -> Vec<String> {
    let model = crate::triage::danger::DangerModel::default();
    let mut phrases = Vec::new();
    for concept in model
        .all_concepts()
        .filter(|c| c.severity == crate::triage::danger::Severity::NotEligible)
    {
        phrases.extend(
            concept
                .terms
                .iter()
                .map(|t| t.trim_start_matches('=').to_owned()),
        );
        for combo in &concept.combos {
            let glue = if combo.across_clauses { ". " } else { " " };
            for (i, _) in combo.parts[0].iter().enumerate() {
                let pick: Vec<&str> = combo
                    .parts
                    .iter()
                    .map(|part| part[i % part.len()].as_str())
                    .collect();
                phrases.push(pick.join(glue));
            }
        }
    }
    phrases
}

fn blocking_cue() -> impl Strategy<Value = String> {
    proptest::sample::select(danger_phrases())
}

/// Verbs of danger in their inflections, as call-takers write them.
const INFLECTED: &[&[&str]] = &[
    &["threaten", "threatens", "threatened", "threatening"],
    &["stab", "stabs", "stabbed", "stabbing"],
    &["punch", "punches", "punched", "punching"],
    &["assault", "assaults", "assaulted", "assaulting"],
    &["attack", "attacks", "attacked", "attacking"],
    &["overdose", "overdoses", "overdosed", "overdosing"],
    &["bleed", "bleeds", "bleeding"],
    &["seize", "seizes", "seizing", "seized"],
    &["brandish", "brandishes", "brandished", "brandishing"],
    &["choke", "chokes", "choked", "choking"],
    &["strangle", "strangles", "strangled", "strangling"],
    &["convulse", "convulses", "convulsing", "convulsed"],
    &["collapse", "collapses", "collapsed", "collapsing"],
    &["faint", "faints", "fainted", "fainting"],
];

/// A case a person might type: upper, lower, or capitalised word by word.
fn cased(text: &str, how: u8) -> String {
    match how % 3 {
        0 => text.to_uppercase(),
        1 => text.to_lowercase(),
        _ => text
            .split(' ')
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| {
                        f.to_uppercase()
                            .chain(c.flat_map(char::to_lowercase))
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect::<Vec<String>>()
            .join(" "),
    }
}

/// Dangers a denial can sensibly name, and denials in both directions.
const DENIABLE: &[&str] = &[
    "weapons",
    "wpns",
    "gun",
    "knife",
    "blade",
    "injuries",
    "bleeding",
    "violence",
    "violent",
    "fire",
    "smoke",
    "SI",
    "suicidal thoughts",
    "chest pain",
    "seizure",
    "overdose",
    "threats",
    "DV",
    "fighting",
    "trouble breathing",
    "head injury",
    "allergic reaction",
];
const DENIALS: &[(&str, &str)] = &[
    ("NO ", " SEEN"),
    ("DENIES ", ""),
    ("NEG ", ""),
    ("", " NEG"),
    ("NO VISIBLE ", ""),
    ("NOT ", ""),
    ("sin ", ""),
];

proptest! {
    #[test]
    fn an_asserted_danger_is_never_eligible(
        before in proptest::collection::vec(proptest::sample::select(SAFE_WORDS), 0..6),
        cue in blocking_cue(),
        after in proptest::collection::vec(proptest::sample::select(SAFE_WORDS), 0..6),
        case in any::<u8>(),
    ) {
        let text = cased(&format!("{} {} {}", before.join(" "), cue, after.join(" ")), case);
        let t = outcome(&[&text]);
        prop_assert_eq!(t.decision, Decision::NotEligible, "{:?} → {:?}", text, t.reasons);
    }

    #[test]
    fn every_inflection_of_a_danger_verb_is_never_eligible(
        forms in proptest::sample::select(INFLECTED),
        which in any::<proptest::sample::Index>(),
        before in proptest::collection::vec(proptest::sample::select(SAFE_WORDS), 0..4),
        case in any::<u8>(),
    ) {
        let text = cased(&format!("{} {}", before.join(" "), which.get(forms)), case);
        prop_assert_ne!(outcome(&[&text]).decision, Decision::Eligible, "{:?}", text);
    }

    /// The phrase model's reading of a denial. The learned screen may still send such a call to
    /// review for its words (it reads "bus stop" and a denied "gun" as weighing toward danger),
    /// never refuse it.
    #[test]
    fn a_denial_in_its_own_clause_does_not_block(
        what in proptest::sample::select(DENIABLE),
        (pre, post) in proptest::sample::select(DENIALS),
        case in any::<u8>(),
    ) {
        let text = cased(&format!("SUBJ YELLING AT BUS STOP, {pre}{what}{post}"), case);
        let t = phrases_only(&[&text]);
        prop_assert_eq!(t.decision, Decision::Eligible, "{:?} → {:?}", text, t.reasons);
        let screened = outcome(&[&text]);
        prop_assert!(
            screened.decision == Decision::Eligible
                || screened.reasons[0].rule == "learned:danger_words",
            "{:?} → {:?}", text, screened.reasons
        );
    }

    #[test]
    fn a_danger_clause_after_a_denied_one_still_blocks(
        denied in proptest::sample::select(DENIABLE),
        cue in blocking_cue(),
        case in any::<u8>(),
    ) {
        let text = cased(&format!("NO {denied} SEEN, BUT SUBJ {cue}"), case);
        prop_assert_eq!(outcome(&[&text]).decision, Decision::NotEligible, "{:?}", text);
    }
}

#[test]
fn a_megabyte_of_text_with_control_characters_is_triaged_safely() {
    let mut d = with_narrative(&["\u{0}\u{7}\r\n\t", "مرحبا שלום 🔪 e\u{301}\u{301}"]);
    d.nature_text = "SUICIDAL ".repeat(120_000) + "\u{202E}\u{FEFF}";
    d.nature_code = "\u{0}".into();
    // Speed belongs to the benchmark (dispatch-bench triage); this checks safety only.
    let t = triage(&TriageConfig::default(), &d);
    assert_ne!(t.decision, Decision::Eligible, "{:?}", t.reasons);
    d.narrative = vec![
        crate::model::NarrativeLine {
            at: crate::time::Timestamp(0),
            text: String::new(),
        };
        1000
    ];
    d.nature_text = String::new();
    d.nature_code = String::new();
    assert_eq!(
        triage(&TriageConfig::default(), &d).decision,
        Decision::Review,
        "nothing known: review, never eligible"
    );
}

proptest! {
    #[test]
    fn any_string_at_all_never_panics(text in any::<String>(), line in any::<String>()) {
        let mut d = call(&text, &text);
        d.narrative = vec![crate::model::NarrativeLine {
            at: crate::time::Timestamp(0),
            text: line,
        }];
        let t = triage(&TriageConfig::default(), &d);
        prop_assert!(!t.reasons.is_empty());
    }
}
