use super::*;
use dispatch_core::triage::{Family as TriageFamily, triage};
use dispatch_core::{CallDetails, Decision, NarrativeLine, Timestamp};

fn shipped() -> TriageConfig {
    TriageConfig::default()
}

fn seattle_rules() -> TriageConfig {
    let text = include_str!("../../../../deploy/triage/seattle.toml");
    toml::from_str(text).expect("seattle rules parse")
}

fn all_maps(rules: &TriageConfig) -> Vec<(&'static str, NatureMap)> {
    BUILT_IN
        .iter()
        .map(|(name, text)| {
            let map = NatureMap::parse(text, rules).unwrap_or_else(|e| panic!("{name}: {e}"));
            (*name, map)
        })
        .collect()
}

#[test]
fn every_built_in_map_loads_against_both_shipped_rule_sets() {
    for rules in [shipped(), seattle_rules()] {
        for (name, map) in all_maps(&rules) {
            assert!(map.len() > 20, "{name} maps only {} call types", map.len());
            assert!(!map.source.is_empty() && !map.agency.is_empty(), "{name}");
        }
    }
}

#[test]
fn codes_the_triage_knows_are_kept_and_others_get_the_familys_code() {
    let rules = shipped();
    let sd = NatureMap::built_in("sdpd", &rules).unwrap().unwrap();
    assert_eq!(
        sd.translate(&rules, "CW", ""),
        Nature {
            code: "CW".into(),
            text: "CHECK THE WELFARE".into(),
            family: Some("welfare-check".into()),
        }
    );
    // 5150V is listed by the triage under weapons-violence: kept as is.
    assert_eq!(sd.translate(&rules, "5150v", "").code, "5150v");
    // Not listed (1140OD is; 11-8 is too): a medical code the triage lists.
    let sleeper = sd.translate(&rules, "SLEEPER", "");
    assert_eq!(sleeper.family.as_deref(), Some("unwanted-person"));
    assert_eq!(sleeper.code, "SLEEPER");
    let spd = NatureMap::built_in("seattle-spd", &rules).unwrap().unwrap();
    let crisis = spd.translate(&rules, "", "PERSON IN BEHAVIORAL/EMOTIONAL  CRISIS");
    assert_eq!(crisis.family.as_deref(), Some("behavioral-crisis"));
    assert_eq!(crisis.code, "EDP", "the family's first code");
    assert_eq!(crisis.text, "PERSON IN BEHAVIORAL/EMOTIONAL  CRISIS");
    // A call type the map does not know goes through untouched.
    assert_eq!(
        spd.translate(&rules, "", "SOMETHING NEW"),
        Nature {
            code: String::new(),
            text: "SOMETHING NEW".into(),
            family: None,
        }
    );
}

#[test]
fn a_map_naming_a_family_the_triage_lacks_is_refused_with_the_code() {
    let text = r#"
        agency = "x"
        source = "y"
        [codes]
        "10-96" = "mental-crisis"
    "#;
    let err = NatureMap::parse(text, &shipped()).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.starts_with("codes.\"10-96\": the triage has no family \"mental-crisis\""),
        "{msg}"
    );
    assert!(
        msg.contains("behavioral-crisis"),
        "lists the families: {msg}"
    );
}

#[test]
fn the_same_code_twice_with_different_families_is_refused() {
    let text = r#"
        agency = "x"
        source = "y"
        [codes]
        "EDP" = "behavioral-crisis"
        "edp" = "needs-review"
    "#;
    let err = NatureMap::parse(text, &shipped()).unwrap_err();
    assert!(matches!(err, NatureMapError::Twice { .. }), "{err}");
}

#[test]
fn a_broken_map_file_says_where() {
    let err = NatureMap::parse("agency = \"x\"\n[codes]\n\"A\" = 3\n", &shipped()).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("line"), "{msg}");
    let err = NatureMap::parse(
        "agency = \"x\"\nsource = \"y\"\ncodes = {}\nextra = 1\n",
        &shipped(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("extra"), "{err}");
}

fn details(nature: &Nature) -> CallDetails {
    CallDetails {
        nature_code: nature.code.clone(),
        nature_text: nature.text.clone(),
        ..CallDetails::default()
    }
}

/// The map and the triage agree: a mapped call lands in the family the map names, wherever
/// that family can be named by a code; families without codes are reached by words only,
/// and then the call is at least never eligible.
#[test]
fn the_triage_puts_every_mapped_call_type_in_the_family_the_map_names() {
    let rules = shipped();
    for (name, map) in all_maps(&rules) {
        for (code, family, _) in map.entries() {
            let (code_sent, text_sent) = if name == "seattle-spd" || name == "ucsd-pd" {
                ("", code)
            } else {
                (code, "")
            };
            let nature = map.translate(&rules, code_sent, text_sent);
            let decision = triage(&rules, &details(&nature));
            let rule = rules.nature.iter().find(|r| r.name == family).unwrap();
            if rule.codes.is_empty() {
                assert_ne!(
                    decision.decision,
                    Decision::Eligible,
                    "{name}: {code} ({family}) came out eligible"
                );
            } else {
                let wanted = format!("nature:{family}");
                let matched = decision.reasons.iter().any(|r| r.rule == wanted);
                assert!(
                    matched,
                    "{name}: {code} → {family}, triage said {decision:?}"
                );
            }
        }
    }
}

/// Safety: a call type the map sends to an eligible family must not say, in its own words,
/// anything the triage would exclude (weapon, violence, injury, fire, traffic, crime).
#[test]
fn no_call_type_whose_words_name_a_danger_is_mapped_eligible() {
    let rules = shipped();
    for (name, map) in all_maps(&rules) {
        for (code, family, description) in map.entries() {
            let rule = rules.nature.iter().find(|r| r.name == family).unwrap();
            if rule.family != TriageFamily::Eligible {
                continue;
            }
            let words = if description.is_empty() {
                code
            } else {
                description
            };
            let call = CallDetails {
                nature_text: words.to_owned(),
                narrative: vec![NarrativeLine {
                    at: Timestamp(0),
                    text: words.to_owned(),
                }],
                ..CallDetails::default()
            };
            let decision = triage(&rules, &call);
            assert_ne!(
                decision.decision,
                Decision::NotEligible,
                "{name}: {code} is mapped to {family} but its words say {:?}",
                decision.reasons
            );
        }
    }
}

fn merged(rules: &TriageConfig, map: &NatureMap) -> TriageConfig {
    let mut merged = rules.clone();
    map.merge_into(&mut merged);
    merged
}

/// With the map merged into the rules, the triage knows every agency call type: each lands
/// exactly in the family the map names, code-less families included.
#[test]
fn merged_rules_put_every_call_type_exactly_in_its_family() {
    for base in [shipped(), seattle_rules()] {
        for (name, map) in all_maps(&base) {
            let rules = merged(&base, &map);
            for (code, family, _) in map.entries() {
                let (code_sent, text_sent) = match map.keys {
                    Keys::Text => ("", code),
                    Keys::Code => (code, ""),
                };
                let nature = map.translate(&rules, code_sent, text_sent);
                assert_eq!(
                    key(&nature.code),
                    code,
                    "{name}: the agency's call type is kept"
                );
                let decision = triage(&rules, &details(&nature));
                let wanted = format!("nature:{family}");
                assert!(
                    decision.reasons.iter().any(|r| r.rule == wanted),
                    "{name}: {code} → {family}, merged triage said {:?}",
                    decision.reasons
                );
            }
        }
    }
}

#[test]
fn merging_adds_each_code_once_and_survives_a_round_trip_through_toml() {
    let base = shipped();
    let sd = NatureMap::built_in("sdpd", &base).unwrap().unwrap();
    let once = merged(&base, &sd);
    let twice = merged(&once, &sd);
    assert_eq!(once, twice, "merging again changes nothing");
    let welfare = once
        .nature
        .iter()
        .find(|r| r.name == "welfare-check")
        .unwrap();
    assert_eq!(welfare.codes.iter().filter(|c| *c == "CW").count(), 1);
    let crime = once.nature.iter().find(|r| r.name == "crime").unwrap();
    assert!(crime.codes.iter().any(|c| c == "459R"), "{:?}", crime.codes);
    let text = toml::to_string(&once).expect("serialises");
    let back: TriageConfig = toml::from_str(&text).expect("parses back");
    assert_eq!(back, once);
    back.validate().expect("valid");

    let spd = NatureMap::built_in("seattle-spd", &base).unwrap().unwrap();
    let by_text = merged(&base, &spd);
    let welfare = by_text
        .nature
        .iter()
        .find(|r| r.name == "welfare-check")
        .unwrap();
    assert!(welfare.codes.iter().any(|t| t == "SERVICE - WELFARE CHECK"));
}

/// The demo feed (`synthetic-calls`) draws its call types from the same SPD sample: the
/// Seattle map knows them all.
#[test]
fn every_call_type_of_the_demo_sample_is_in_the_seattle_map() {
    let rules = shipped();
    let spd = NatureMap::built_in("seattle-spd", &rules).unwrap().unwrap();
    let sample = include_str!("../../data/seattle-calls-sample.csv");
    for row in csv::Reader::from_reader(sample.as_bytes()).records() {
        let call_type = row.expect("a CSV row")[0].trim().to_owned();
        assert!(
            spd.family(&call_type).is_some(),
            "{call_type} is not in seattle-spd.toml"
        );
    }
}
