//! The danger model: what a dispatcher would call a danger (a firearm, a threat, a medical
//! emergency described by its signs, accelerant plus ignition, a suicide plan...), read from
//! the CAD's free text and its nature text, with negation, stems, misspellings and Spanish.
//!
//! The model is data (`danger.toml` beside this file, shipped as the default; a program adds
//! its own concepts in `[[danger.extra_concepts]]`). Each *concept* has a group (weapon,
//! violence, crime, medical, fire, traffic, suicide; `unsure` for words that are ambiguous
//! alone; `need` for the signs of a call the team exists for), a severity and:
//! - `terms`: words or phrases that alone assert the concept, matched on Snowball stems
//!   ("threatening" = "threatens"), or exactly when written `=word`;
//! - `combos`: one phrase from each part within a few words of each other in one clause
//!   ("THROWING ... ROCKS"), or anywhere in the call (`across_clauses`: "POURING GASOLINE" and
//!   "LIGHTER");
//! - `except`: phrases that, where they overlap a term, mean something else ("KILL HIMSELF" is
//!   not a threat to others);
//! - `unless`: phrases that, anywhere in the call, explain the concept's terms (an unsure
//!   "COLD" where the person is "ASKING FOR A BLANKET").
//!
//! A term is *negated* when a negation word stands before it in its own clause with nothing
//! but filler words between ("NO VISIBLE WPNS", "DENIES ANY SI"), or a trailing one right after
//! it ("WPNS NEG"). A benign phrase that covers a term explains it ("BLOOD PRESSURE", "ASKING
//! FOR A LIGHTER"). Everything else asserts.

mod assess;
mod compiled;
pub mod learned;
mod text;

use crate::model::Route;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, OnceLock};

pub use assess::{Assessment, Finding, Source};
pub use learned::{LearnedScore, LearnedScreen};

/// What kind of danger (or need) a concept is, as a dispatcher would group it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Weapon,
    Violence,
    Crime,
    Medical,
    Fire,
    Traffic,
    Suicide,
    /// Words that often signal danger but are ambiguous alone.
    Unsure,
    /// Signs of a call the crisis team exists for.
    Need,
}

impl Group {
    /// The call-taker's safety question the group answers, if any.
    pub fn flag(self) -> Option<crate::model::DangerFlag> {
        use crate::model::DangerFlag;
        match self {
            Group::Weapon => Some(DangerFlag::Weapon),
            Group::Violence => Some(DangerFlag::Violence),
            Group::Medical => Some(DangerFlag::Medical),
            Group::Fire => Some(DangerFlag::Fire),
            Group::Traffic => Some(DangerFlag::Traffic),
            Group::Suicide => Some(DangerFlag::Suicidal),
            Group::Crime | Group::Unsure | Group::Need => None,
        }
    }

    /// Where a call asserting the group goes when the concept names no route.
    pub fn default_route(self) -> Route {
        match self {
            Group::Weapon | Group::Violence | Group::Crime | Group::Traffic => Route::Police,
            Group::Medical | Group::Suicide => Route::Ems,
            Group::Fire => Route::Fire,
            Group::Unsure => Route::Dispatcher,
            Group::Need => Route::CrisisTeam,
        }
    }
}

/// What an asserted concept does to the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Not for the crisis team.
    NotEligible,
    /// A person must look at it first.
    Review,
    /// A sign that the call is one the team exists for (never overrides a danger).
    Need,
    /// A sign of a harmless nuisance ("SINGING LOUDLY", "NOT AGGRESSIVE"): enough to read a
    /// call type that needs judgement as one for the team, not an unknown one.
    Nuisance,
}

impl Severity {
    /// Needs and nuisances are signs for the team, not dangers.
    pub fn is_sign_for_the_team(self) -> bool {
        matches!(self, Severity::Need | Severity::Nuisance)
    }
}

/// Phrases from each part within `window` words of each other.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Combo {
    pub parts: Vec<Vec<String>>,
    #[serde(default = "default_combo_window")]
    pub window: usize,
    /// The parts may stand in different clauses and lines of the call.
    #[serde(default)]
    pub across_clauses: bool,
    /// The parts must come in the order written ("IN" before "HIS TENT", so "OUTSIDE THE
    /// TENT SITTING IN A CHAIR" is not inside a tent).
    #[serde(default)]
    pub ordered: bool,
}

fn default_combo_window() -> usize {
    6
}

/// One concept of the model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    /// Shown in reasons: `narrative:<name>`.
    pub name: String,
    pub group: Group,
    pub severity: Severity,
    /// Where the call goes; the group's route when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<Route>,
    #[serde(default)]
    pub terms: Vec<String>,
    #[serde(default)]
    pub combos: Vec<Combo>,
    #[serde(default)]
    pub except: Vec<String>,
    /// Phrases that, anywhere in the call, explain this concept's terms ("COLD" where the
    /// person is "ASKING FOR A BLANKET").
    #[serde(default)]
    pub unless: Vec<String>,
}

impl Concept {
    pub fn route(&self) -> Route {
        self.route.unwrap_or_else(|| self.group.default_route())
    }
}

/// How denials are read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Negation {
    /// Words or phrases that deny what follows them ("NO", "DENIES", "NON", "SIN").
    pub before: Vec<String>,
    /// Words that deny what stands right before them ("NEG", "DENIED", "NONE").
    pub after: Vec<String>,
    /// Words that may stand between a denial and what it denies ("ANY", "VISIBLE", "SIGNS
    /// OF"); any other word ends the denial's reach ("NO SHOES, HOLDING A KNIFE").
    pub fillers: Vec<String>,
    /// At most this many words between a denial and what it denies.
    pub window: usize,
}

/// Tolerance for misspellings of long words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spelling {
    /// Words of the model this long or longer also match at one edit (a letter missing,
    /// added, changed, or two swapped): "UNCONSIOUS", "THRETENING".
    pub min_length: usize,
    /// Real words one edit away from a model word, which are not misspellings of it
    /// ("SHOUTING" is not "SHOOTING").
    pub known_words: Vec<String>,
}

/// The whole danger model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DangerModel {
    #[serde(default = "shipped_concepts")]
    pub concepts: Vec<Concept>,
    /// A program's own concepts, added to `concepts`.
    #[serde(default)]
    pub extra_concepts: Vec<Concept>,
    /// Phrases that explain a term they contain.
    #[serde(default = "shipped_benign")]
    pub benign: Vec<String>,
    #[serde(default = "shipped_negation")]
    pub negation: Negation,
    /// Words that start a new clause ("BUT", "NOW").
    #[serde(default = "shipped_clause_breaks")]
    pub clause_breaks: Vec<String>,
    #[serde(default = "shipped_spelling")]
    pub spelling: Spelling,
    /// The learned second opinion on calls the phrases find nothing in.
    #[serde(default)]
    pub learned: LearnedScreen,
    #[serde(skip)]
    compiled: CompiledCell,
}

/// The model's on-disk shape, every part required (the shipped file).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    concepts: Vec<Concept>,
    benign: Vec<String>,
    negation: Negation,
    clause_breaks: Vec<String>,
    spelling: Spelling,
}

const SHIPPED: &str = include_str!("danger.toml");

fn shipped_file() -> &'static ModelFile {
    static FILE: OnceLock<ModelFile> = OnceLock::new();
    FILE.get_or_init(|| match toml::from_str(SHIPPED) {
        Ok(file) => file,
        // The shipped file is checked by a unit test; a broken build must not start.
        Err(e) => panic!("triage/danger/danger.toml: {e}"),
    })
}
fn shipped_concepts() -> Vec<Concept> {
    shipped_file().concepts.clone()
}
fn shipped_benign() -> Vec<String> {
    shipped_file().benign.clone()
}
fn shipped_negation() -> Negation {
    shipped_file().negation.clone()
}
fn shipped_clause_breaks() -> Vec<String> {
    shipped_file().clause_breaks.clone()
}
fn shipped_spelling() -> Spelling {
    shipped_file().spelling.clone()
}

impl Default for DangerModel {
    /// The shipped model, sharing one compiled matcher however often it is cloned.
    fn default() -> Self {
        static SHIPPED_MODEL: OnceLock<DangerModel> = OnceLock::new();
        SHIPPED_MODEL
            .get_or_init(|| {
                let model = DangerModel::shipped();
                model.matcher();
                model
            })
            .clone()
    }
}

impl DangerModel {
    fn shipped() -> Self {
        Self {
            concepts: shipped_concepts(),
            extra_concepts: Vec::new(),
            benign: shipped_benign(),
            negation: shipped_negation(),
            clause_breaks: shipped_clause_breaks(),
            spelling: shipped_spelling(),
            learned: LearnedScreen::default(),
            compiled: CompiledCell::default(),
        }
    }
}

/// The compiled matcher, built on first use; never part of equality.
#[derive(Default)]
struct CompiledCell(OnceLock<Arc<compiled::Matcher>>);

impl Clone for CompiledCell {
    fn clone(&self) -> Self {
        let cell = OnceLock::new();
        if let Some(m) = self.0.get() {
            let _ = cell.set(Arc::clone(m));
        }
        Self(cell)
    }
}
impl PartialEq for CompiledCell {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl std::fmt::Debug for CompiledCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "compiled"
        } else {
            "not compiled"
        })
    }
}

impl DangerModel {
    /// Every concept, the shipped ones first.
    pub fn all_concepts(&self) -> impl Iterator<Item = &Concept> {
        self.concepts.iter().chain(&self.extra_concepts)
    }

    fn concept(&self, index: usize) -> &Concept {
        match self.concepts.get(index) {
            Some(concept) => concept,
            None => &self.extra_concepts[index - self.concepts.len()],
        }
    }

    fn matcher(&self) -> &compiled::Matcher {
        self.compiled
            .0
            .get_or_init(|| Arc::new(compiled::Matcher::build(self)))
    }

    /// Checks what serde cannot; the error names the setting.
    pub fn validate(&self) -> Result<(), String> {
        if self.negation.window > 20 {
            return Err("danger.negation.window: more than 20 words is not a negation".into());
        }
        if self.spelling.min_length < 5 {
            return Err("danger.spelling.min_length: below 5 letters, too many real words are one edit from a danger word".into());
        }
        self.learned.validate()?;
        for (i, c) in self.all_concepts().enumerate() {
            if c.name.trim().is_empty() {
                return Err(format!("danger.concepts[{i}].name: empty"));
            }
            if c.terms.is_empty() && c.combos.is_empty() {
                return Err(format!(
                    "danger.concepts.{}: no terms and no combos",
                    c.name
                ));
            }
            for combo in &c.combos {
                if combo.parts.len() < 2 || combo.parts.iter().any(Vec::is_empty) {
                    return Err(format!(
                        "danger.concepts.{}.combos: a combo needs two or more non-empty parts",
                        c.name
                    ));
                }
                if combo.parts.len() > 8 {
                    return Err(format!(
                        "danger.concepts.{}.combos: at most 8 parts",
                        c.name
                    ));
                }
            }
        }
        Ok(())
    }

    /// Reads the texts of a call: what they assert, what they deny.
    pub fn assess<'m>(&'m self, texts: &[(Source, &str)]) -> Assessment<'m> {
        assess::assess(self, self.matcher(), texts)
    }

    /// The learned screen's features of narrative lines, as `triage-learn` trains on them.
    pub fn learning_features(&self, narrative: &[&str]) -> Vec<String> {
        assess::learning_features(self.matcher(), narrative)
    }

    /// Whether `phrase` (whole words) occurs in `text` and is not denied there; `None` when
    /// it does not occur at all. Used for the nature table's phrases ("NON VIOLENT").
    pub fn phrase_asserted(&self, text: &str, phrase: &str) -> Option<bool> {
        assess::phrase_asserted(self, self.matcher(), text, phrase)
    }
}

#[cfg(test)]
mod tests;
