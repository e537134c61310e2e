//! What the synthetic call-taker writes: terse CAD narrative lines per call family, filled
//! with random details, each carrying what it says about the safety screen ("NO WPNS SEEN"
//! says weapon = no) so the flags can agree with the text. All of it is written by this
//! project; none of it describes a real person.

use crate::family::Family;
use crate::place;
use crate::rng::Rng;
use crate::says::{Line, Says};
use dispatch_core::{Answer, PlaceType, SafetyFlags};
use templates::{ANIMALS, CLOTHES, ITEMS, NONE, SUBJECTS, VEHICLES, templates};

use Answer::{No, Unknown as Unk, Yes};

mod templates;

/// A template and what it says.
type Template = (&'static str, Says);

/// One call's story: the kind of call and place, and the details that must stay the same
/// from line to line (the subject, what they wear, the vehicle, the direction of travel).
pub struct Scene {
    family: Family,
    /// What the call type itself states ("... WITH WEAPONS"): no line may contradict it.
    stated: Says,
    place: PlaceType,
    subject: &'static str,
    clothes: &'static str,
    vehicle: &'static str,
    direction: &'static str,
}

impl Scene {
    pub fn new(family: Family, stated: Says, place: PlaceType, rng: &mut Rng) -> Self {
        Self {
            family,
            stated,
            place,
            subject: rng.pick(SUBJECTS),
            clothes: rng.pick(CLOTHES),
            vehicle: rng.pick(VEHICLES),
            direction: rng.pick(&["NB", "SB", "EB", "WB"]),
        }
    }

    /// Fills `{name}` slots: the scene's fixed details, or a fresh random value (a place
    /// phrase, a number, an item).
    fn fill(&self, template: &str, rng: &mut Rng) -> String {
        let mut out = String::with_capacity(template.len() + 40);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(len) = rest[open..].find('}') else {
                break;
            };
            let value: &str = match &rest[open + 1..open + len] {
                "subj" => self.subject,
                "clothes" => self.clothes,
                "veh" => self.vehicle,
                "dir" => self.direction,
                "item" => rng.pick(ITEMS),
                "animal" => rng.pick(ANIMALS),
                "n" => rng.pick(&["2", "3", "3-4", "5-6"]),
                "mins" => rng.pick(&["10", "15", "20", "30", "45"]),
                "at" => place::at(self.place, rng),
                "rp" => place::reporting_party(self.place, rng),
                other => other,
            };
            out.push_str(value);
            rest = &rest[open + len + 1..];
        }
        out.push_str(rest);
        out
    }

    /// The call-taker's first entry: one to three lines (the situation, the language line
    /// for a Spanish-speaking caller, sometimes a description of the subject).
    pub fn opening(&self, spanish: bool, rng: &mut Rng) -> Vec<Line> {
        let (first, _) = templates(self.family);
        let fitting: Vec<Template> = first
            .iter()
            .copied()
            .filter(|(_, says)| consistent(says, self.stated))
            .collect();
        let (template, says) = rng.pick(if fitting.is_empty() { first } else { &fitting });
        let mut lines = vec![Line {
            text: self.fill(template, rng),
            says,
        }];
        if spanish {
            let text = rng.pick(&[
                "RP SPANISH SPEAKING, LANG LINE USED",
                "LANG LINE SPANISH, RP LIMITED ENGLISH",
            ]);
            lines.push(Line {
                text: text.to_owned(),
                says: NONE,
            });
        }
        // Only for a subject the first line names and whose clothes it has not given yet.
        if template.contains("{subj}") && !template.contains("{clothes}") && rng.chance(0.35) {
            lines.push(Line {
                text: self.fill("SUBJ DESC {subj}, {clothes}", rng),
                says: NONE,
            });
        }
        lines
    }

    /// Zero to two lines the CAD appends a little later, never contradicting the screen.
    pub fn later(&self, flags: &SafetyFlags, rng: &mut Rng) -> Vec<String> {
        let (_, more) = templates(self.family);
        let fitting: Vec<Template> = more
            .iter()
            .copied()
            .filter(|(_, says)| agrees(says, flags))
            .collect();
        let mut out: Vec<String> = Vec::new();
        if fitting.is_empty() {
            return out;
        }
        for _ in 0..rng.below(3) {
            let (template, _) = rng.pick(&fitting);
            let line = self.fill(template, rng);
            if !out.contains(&line) {
                out.push(line);
            }
        }
        out
    }
}

/// Whether two statements never give one flag different answers (a line unsure of what the
/// call type states contradicts it too).
fn consistent(a: Says, b: Says) -> bool {
    a.iter().all(|(flag, answer)| {
        b.iter()
            .all(|(other, theirs)| other != flag || theirs == answer)
    })
}

/// Whether a line agrees with the safety screen: what it asserts is answered yes, and what it
/// denies is not answered yes.
fn agrees(says: Says, flags: &SafetyFlags) -> bool {
    says.iter().all(|(flag, answer)| match answer {
        Yes => flags.get(*flag) == Yes,
        No => flags.get(*flag) != Yes,
        Unk => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::safety::forced;

    #[test]
    fn templates_fill_every_slot() {
        let mut rng = Rng::new(4);
        for family in Family::ALL {
            let (first, more) = templates(family);
            assert!(first.len() >= 3, "{family:?} needs several openings");
            assert!(more.len() >= 2, "{family:?} needs several later lines");
            for (template, _) in first.iter().chain(more) {
                for place in [PlaceType::OutdoorPublic, PlaceType::PrivateResidence] {
                    let text = Scene::new(family, &[], place, &mut rng).fill(template, &mut rng);
                    assert!(!text.contains('{') && !text.contains('}'), "{text}");
                    assert_eq!(text, text.to_uppercase(), "CAD notes are upper case");
                    assert!(text.len() <= 120, "{text}");
                }
            }
        }
    }

    #[test]
    fn a_call_keeps_its_subject_from_line_to_line() {
        let mut rng = Rng::new(5);
        let scene = Scene::new(Family::Crisis, &[], PlaceType::OutdoorPublic, &mut rng);
        let a = scene.fill("{subj} {clothes} {dir}", &mut rng);
        let b = scene.fill("{subj} {clothes} {dir}", &mut rng);
        assert_eq!(a, b);
        for _ in 0..200 {
            let lines = scene.opening(false, &mut rng);
            if let [first, desc] = lines.as_slice() {
                assert!(first.text.contains(scene.subject) || !first.text.contains('/'));
                assert_eq!(
                    desc.text,
                    format!("SUBJ DESC {}, {}", scene.subject, scene.clothes)
                );
            }
        }
    }

    #[test]
    fn no_opening_contradicts_its_call_type() {
        let mut rng = Rng::new(6);
        let no_weapons = &[(dispatch_core::DangerFlag::Weapon, No)][..];
        let scene = Scene::new(
            Family::Violence,
            no_weapons,
            PlaceType::OutdoorPublic,
            &mut rng,
        );
        for _ in 0..200 {
            let first = &scene.opening(false, &mut rng)[0];
            assert!(consistent(first.says, no_weapons), "{}", first.text);
        }
    }

    #[test]
    fn no_template_denies_what_its_family_asserts() {
        for family in Family::ALL {
            let (first, _) = templates(family);
            for (template, says) in first {
                for (flag, answer) in *says {
                    assert!(
                        *answer == Yes || !forced(family).contains(flag),
                        "{template} denies {flag:?} for {family:?}"
                    );
                }
            }
        }
    }
}
