//! The danger model on phrases a dispatcher would recognise: each concept, denial in both
//! directions, benign uses, misspellings, Spanish, combos.

use super::*;

fn asserted(text: &str) -> Vec<String> {
    let model = DangerModel::default();
    model
        .assess(&[(Source::Narrative, text)])
        .asserted
        .iter()
        .map(|f| f.concept.name.clone())
        .collect()
}

fn dangers(text: &str) -> Vec<String> {
    let model = DangerModel::default();
    model
        .assess(&[(Source::Narrative, text)])
        .asserted
        .iter()
        .filter(|f| !f.concept.severity.is_sign_for_the_team())
        .map(|f| f.concept.name.clone())
        .collect()
}

#[test]
fn the_shipped_model_parses_and_validates() {
    let model = DangerModel::default();
    model.validate().expect("valid");
    assert!(model.concepts.len() >= 20);
}

#[test]
fn table_of_phrases_and_what_they_assert() {
    let cases: &[(&str, &str)] = &[
        ("SUBJ HAS A GUN IN HIS WAISTBAND", "weapon-firearm"),
        ("said he would put a hole in him", "threat"),
        (
            "smashed a bottle and is holding the neck",
            "weapon-improvised",
        ),
        ("swinging a 2x4 at people", "weapon-improvised"),
        ("throwing rocks at cars", "violence"),
        ("vomiting blood", "medical-bleeding"),
        ("unk if breathing", "medical-breathing"),
        ("diabetic, shaky and sweating", "medical-diabetic"),
        ("lips blue, not answering", "medical-breathing"),
        ("hypothermic and cold to the touch", "medical-exposure"),
        ("took a whole bottle of her pills", "medical-overdose"),
        (
            "pouring gasoline on the tent. has a lighter",
            "fire-accelerant-ignition",
        ),
        ("texted goodbye messages to her sister", "suicide-plan"),
        ("suicidal, has a rope in his backpack", "suicide-plan"),
        ("denies SI but wrote goodbye letters", "suicide-plan"),
        ("SUBJ IS UNCONSIOUS", "medical-unconscious"),
        ("subj thretening staff", "threat"),
        ("tiene un cuchillo", "weapon-blade"),
        ("no respira", "medical-breathing"),
        ("quiere matarse", "suicide-ideation"),
        ("walking in the lanes of I-84", "traffic"),
        ("SUBJ ON FIRE W/M 40S", "fire"),
        ("black smoke, a smoke column behind the store", "fire"),
        ("subj made a threat of violence to staff", "threat"),
        ("subj hit on the head with a bottle", "violence"),
        ("subj fighting the security guard", "violence"),
        ("crash at the intersection", "traffic"),
        ("says he is shooting up the school", "weapon-firearm"),
        (
            "no weapons seen; RP now sees a gun in his waistband",
            "weapon-firearm",
        ),
    ];
    for (text, concept) in cases {
        let got = asserted(text);
        assert!(
            got.iter().any(|c| c == concept),
            "{text:?}: expected {concept}, got {got:?}"
        );
    }
}

#[test]
fn denials_clear_only_what_they_deny() {
    for text in [
        "NO WPNS SEEN",
        "denies SI",
        "not bleeding",
        "NEG WEAPONS",
        "WPNS NEG",
        "weapons: none",
        "no visible injuries",
        "denies any thoughts of suicide",
        "sin armas",
        "MENTAL HEALTH - NON VIOLENT",
        "not violent, not armed",
        "no weapons or violence",
    ] {
        assert!(dangers(text).is_empty(), "{text:?}: {:?}", dangers(text));
    }
    for text in [
        "no shoes, holding a knife",
        "without shoes holding a knife",
        "no one knows if he has a gun",
        "not sure if he has a knife",
        "won't put down the knife",
        "not breathing",
        "no pulse",
    ] {
        assert!(!dangers(text).is_empty(), "{text:?} must assert a danger");
    }
}

#[test]
fn benign_uses_of_alarming_words_assert_nothing() {
    for text in [
        "fired from his job last week, upset",
        "fell asleep on the bench",
        "cold and hungry, asking for a blanket",
        "asking passersby for a lighter",
        "W/M wearing blue jacket",
        "yelling at traffic from the sidewalk",
        "camping under the bridge",
        "kicked out of the shelter",
        "mentally ill, off his meds",
        "shouting at passersby",
        "hunched over on the bench",
        "matches description of earlier caller",
    ] {
        assert!(dangers(text).is_empty(), "{text:?}: {:?}", dangers(text));
    }
}

#[test]
fn ambiguous_words_ask_for_review() {
    for text in [
        "blood on his shirt",
        "has a rope",
        "shaking",
        "not responding",
    ] {
        let model = DangerModel::default();
        let read = model.assess(&[(Source::Narrative, text)]);
        assert!(
            read.asserted
                .iter()
                .any(|f| f.concept.severity == Severity::Review),
            "{text:?}: {:?}",
            read.asserted
        );
    }
}

#[test]
fn a_denied_phrase_in_the_nature_text_is_not_asserted() {
    let model = DangerModel::default();
    assert_eq!(
        model.phrase_asserted("DISTURBANCE - NON VIOLENT", "VIOLENT"),
        Some(false)
    );
    assert_eq!(
        model.phrase_asserted("DISTURBANCE WITH VIOLENCE", "VIOLENCE"),
        Some(true)
    );
    assert_eq!(model.phrase_asserted("WELFARE CHECK", "VIOLENT"), None);
}

#[test]
fn extra_concepts_from_a_program_are_read() {
    let model: DangerModel = toml::from_str(
        r#"
        [[extra_concepts]]
        name = "local-bridge"
        group = "suicide"
        severity = "not_eligible"
        terms = ["vista bridge"]
        "#,
    )
    .expect("parses");
    let read = model.assess(&[(Source::Narrative, "man standing at the Vista Bridge")]);
    assert!(
        read.asserted
            .iter()
            .any(|f| f.concept.name == "local-bridge")
    );
}

/// Misspelled danger words take the stem of the word they misspell; a real word one edit from a
/// danger word keeps its own.
#[test]
fn misspellings_read_as_the_word_and_known_words_as_themselves() {
    let model = DangerModel::default();
    let stems = assess::debug_tokens(&model, "subj unconsious, shouting, thretening staff");
    let stem_of = |raw: &str| {
        stems
            .iter()
            .find(|(r, _)| r == raw)
            .map(|(_, s)| s.clone())
            .unwrap_or_default()
    };
    assert_eq!(stem_of("unconsious"), "unconsci");
    assert_eq!(stem_of("thretening"), "threaten");
    assert_eq!(stem_of("shouting"), "shout");
}

/// Mistakes in a program's model are refused, each naming the setting to fix.
#[test]
fn a_broken_model_is_refused_with_the_setting_named() {
    let refused = |toml_text: &str, names: &str| {
        let model: DangerModel = toml::from_str(toml_text).expect("parses");
        let err = model.validate().expect_err("refused");
        assert!(err.contains(names), "{err:?} should name {names}");
    };
    refused(
        "[[extra_concepts]]\nname = \"x\"\ngroup = \"weapon\"\nseverity = \"not_eligible\"\n",
        "danger.concepts.x: no terms",
    );
    refused(
        "[[extra_concepts]]\nname = \"x\"\ngroup = \"weapon\"\nseverity = \"not_eligible\"\n\
         [[extra_concepts.combos]]\nparts = [[\"swing\"]]\n",
        "danger.concepts.x.combos",
    );
    refused(
        "[spelling]\nmin_length = 3\nknown_words = []\n",
        "danger.spelling.min_length",
    );
}

#[test]
fn a_rules_file_with_the_old_narrative_screen_is_refused_with_what_to_write() {
    let config: crate::triage::TriageConfig =
        toml::from_str("[narrative]\nnegation_window = 3\n").expect("parses");
    let err = config.validate().expect_err("refused");
    assert!(err.contains("[[danger.extra_concepts]]"), "{err}");
}
