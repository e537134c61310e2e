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
    config.service_area = crate::area::ServiceArea {
        ring: vec![
            p(45.4, -122.8),
            p(45.4, -122.5),
            p(45.6, -122.5),
            p(45.6, -122.8),
        ],
    };
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
