//! The narrative screen: danger cues in the CAD's free text, in the abbreviations real CAD
//! notes use, with negation ("NO WPNS SEEN", "DENIES SI", "WPNS NEG", "NOT VIOLENT").
//!
//! A negation clears a cue only within its own clause (clauses end at punctuation and at
//! "BUT"/"PERO") and only when it stands at most a few words before the cue, or as "NEG"
//! right after it. A cue that any clause asserts is a hit, whatever other clauses deny:
//! "NO WEAPONS SEEN BUT HE SAYS HE HAS A GUN" is a weapon.

use crate::model::{DangerFlag, Route};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

/// What a cue means when it is asserted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Not for the crisis team (route by the category).
    NotEligible,
    /// A person must look at it first (route dispatcher).
    Review,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CueCategory {
    /// Shown in reasons: `narrative:<name>`.
    pub name: String,
    /// The safety-screen category it belongs to.
    pub flag: DangerFlag,
    pub severity: Severity,
    pub route: Route,
    /// Words or phrases, matched as whole words, case-insensitively.
    pub cues: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NarrativeScreen {
    pub categories: Vec<CueCategory>,
    /// Words or phrases that negate a cue that follows them closely.
    pub negations: Vec<String>,
    /// Words that negate the cue right before them ("WPNS NEG").
    pub trailing_negations: Vec<String>,
    /// How many words may stand between a negation and its cue.
    pub negation_window: usize,
    /// Words that start a new clause ("BUT").
    pub clause_breaks: Vec<String>,
    /// The lists above as word sequences, built on first use.
    #[serde(skip)]
    pub(crate) compiled: OnceLock<Compiled>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Compiled {
    /// Cues by their first word: (category index, the cue's words).
    cues: HashMap<String, Vec<(usize, Words)>>,
    negations: Vec<Words>,
    trailing: Vec<Words>,
    /// Upper-case clause-breaking phrases.
    breaks: Vec<String>,
}

/// One asserted cue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit<'a> {
    pub category: &'a CueCategory,
    /// The clause the cue stands in, as written.
    pub evidence: String,
}

type Words = Vec<String>;

fn words(text: &str) -> Words {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_uppercase)
        .collect()
}

/// Clauses of a text: its pieces between punctuation and clause-breaking words, as
/// (original text, words).
fn clauses<'t>(text: &'t str, breaks: &[String]) -> Vec<(&'t str, Words)> {
    let mut out = Vec::new();
    for piece in text.split(['.', ',', ';', ':', '!', '?', '\n', '(', ')']) {
        // ASCII upper-casing keeps byte offsets, so cuts found in it apply to the original.
        let upper = piece.to_ascii_uppercase();
        let mut cuts: Vec<(usize, usize)> = breaks
            .iter()
            .flat_map(|b| word_positions(&upper, b))
            .collect();
        cuts.sort_unstable();
        let mut start = 0;
        for (from, to) in cuts {
            if from < start {
                continue;
            }
            push_clause(&mut out, &piece[start..from]);
            start = to;
        }
        push_clause(&mut out, &piece[start..]);
    }
    out
}

fn push_clause<'t>(out: &mut Vec<(&'t str, Words)>, text: &'t str) {
    let w = words(text);
    if !w.is_empty() {
        out.push((text.trim(), w));
    }
}

/// Byte ranges where `needle` stands as whole words in `haystack`.
fn word_positions(haystack: &str, needle: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    if needle.is_empty() {
        return found;
    }
    let mut from = 0;
    while let Some(pos) = haystack[from..].find(needle) {
        let (start, end) = (from + pos, from + pos + needle.len());
        let before = haystack[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after = haystack[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if before && after {
            found.push((start, end));
        }
        from = start + needle.chars().next().map_or(1, char::len_utf8);
    }
    found
}

fn find_all<'h>(haystack: &'h [String], needle: &'h [String]) -> impl Iterator<Item = usize> + 'h {
    let last = if needle.is_empty() {
        0
    } else {
        (haystack.len() + 1).saturating_sub(needle.len())
    };
    (0..last).filter(move |&i| haystack[i..].starts_with(needle))
}

impl NarrativeScreen {
    fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(|| {
            let parse = |list: &[String]| {
                list.iter()
                    .map(|s| words(s))
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<Words>>()
            };
            Compiled {
                cues: {
                    let mut index: HashMap<String, Vec<(usize, Words)>> = HashMap::new();
                    for (i, category) in self.categories.iter().enumerate() {
                        for cue in parse(&category.cues) {
                            index.entry(cue[0].clone()).or_default().push((i, cue));
                        }
                    }
                    index
                },
                negations: parse(&self.negations),
                trailing: parse(&self.trailing_negations),
                breaks: self
                    .clause_breaks
                    .iter()
                    .map(|b| b.trim().to_ascii_uppercase())
                    .filter(|b| !b.is_empty())
                    .collect(),
            }
        })
    }

    /// Every asserted cue in the lines, one hit per category (the first clause asserting it).
    pub fn screen<'a>(&'a self, lines: &[&str]) -> Vec<Hit<'a>> {
        let compiled = self.compiled();
        let mut hits: Vec<Hit<'a>> = Vec::new();
        for line in lines {
            // A note like "WPNS: NEG" splits at the colon: rejoin such a trailing negation.
            let joined = if line.contains(':') {
                std::borrow::Cow::Owned(line.replace(": NEG", " NEG").replace(":NEG", " NEG"))
            } else {
                std::borrow::Cow::Borrowed(*line)
            };
            for (text, clause) in clauses(&joined, &compiled.breaks) {
                for (at, word) in clause.iter().enumerate() {
                    for stem in stems(word) {
                        let Some(candidates) = compiled.cues.get(stem) else {
                            continue;
                        };
                        for (index, cue) in candidates {
                            let category = &self.categories[*index];
                            if hits.iter().any(|h| std::ptr::eq(h.category, category)) {
                                continue;
                            }
                            let asserted = matches_at(&clause[at..], cue)
                                && !negated_before(
                                    &clause,
                                    at,
                                    &compiled.negations,
                                    self.negation_window,
                                )
                                && !negated_after(&clause, at + cue.len(), &compiled.trailing);
                            if asserted {
                                hits.push(Hit {
                                    category,
                                    evidence: text.to_owned(),
                                });
                            }
                        }
                    }
                }
            }
        }
        hits
    }
}

/// Inflections a cue word of six letters or more also matches ("ASSAULTED", "THREATENS");
/// shorter words are too easily something else ("FIRED", "SMOKED").
const SUFFIXES: [&str; 4] = ["ING", "ED", "ES", "S"];
const MIN_STEM: usize = 6;

/// The word itself, then the stems it may be an inflection of.
fn stems(word: &str) -> impl Iterator<Item = &str> {
    std::iter::once(word).chain(
        SUFFIXES
            .iter()
            .filter_map(move |s| word.strip_suffix(s))
            .filter(|stem| stem.chars().count() >= MIN_STEM),
    )
}

fn word_matches(word: &str, cue_word: &str) -> bool {
    word == cue_word || (cue_word.chars().count() >= MIN_STEM && stems(word).any(|s| s == cue_word))
}

/// Whether the cue's words stand at the start of `words`.
fn matches_at(words: &[String], cue: &[String]) -> bool {
    cue.len() <= words.len() && words.iter().zip(cue).all(|(w, c)| word_matches(w, c))
}

/// A negation ends within `window` words before the cue at `at`.
fn negated_before(clause: &[String], at: usize, negations: &[Words], window: usize) -> bool {
    negations.iter().any(|neg| {
        find_all(&clause[..at], neg).any(|n| {
            let end = n + neg.len();
            end <= at && at - end <= window
        })
    })
}

fn negated_after(clause: &[String], end: usize, trailing: &[Words]) -> bool {
    trailing.iter().any(|t| clause[end..].starts_with(t))
}

impl NarrativeScreen {
    /// No cues at all (the base the shipped lexicon fills in).
    pub fn default_empty() -> Self {
        Self {
            categories: Vec::new(),
            negations: Vec::new(),
            trailing_negations: Vec::new(),
            negation_window: 3,
            clause_breaks: Vec::new(),
            compiled: OnceLock::new(),
        }
    }
}

impl Default for NarrativeScreen {
    fn default() -> Self {
        super::table::narrative_screen()
    }
}
