//! The narrative screen: danger cues in the CAD's free text, in the abbreviations real CAD
//! notes use, with negation ("NO WPNS SEEN", "DENIES SI", "WPNS NEG", "NOT VIOLENT").
//!
//! A negation clears a cue only within its own clause (clauses end at punctuation and at
//! "BUT"/"PERO") and only when it stands at most a few words before the cue, or as "NEG"
//! right after it. A cue that any clause asserts is a hit, whatever other clauses deny:
//! "NO WEAPONS SEEN BUT HE SAYS HE HAS A GUN" is a weapon.

use crate::model::{DangerFlag, Route};
use serde::{Deserialize, Serialize};

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

/// Clauses of a text: its pieces between punctuation, as (original text, words).
fn clauses<'t>(text: &'t str, breaks: &[Words]) -> Vec<(&'t str, Words)> {
    let mut out = Vec::new();
    for piece in text.split(['.', ',', ';', ':', '!', '?', '\n', '(', ')']) {
        // "WPNS: NEG" puts the negation after a colon; keep "NEG" with its cue.
        let w = words(piece);
        if w.is_empty() {
            continue;
        }
        let mut start = 0;
        let mut i = 0;
        while i < w.len() {
            if let Some(b) = breaks.iter().find(|b| w[i..].starts_with(b)) {
                if i > start {
                    out.push((piece.trim(), w[start..i].to_vec()));
                }
                i += b.len();
                start = i;
            } else {
                i += 1;
            }
        }
        if start < w.len() {
            out.push((piece.trim(), w[start..].to_vec()));
        }
    }
    out
}

fn find_all(haystack: &[String], needle: &[String]) -> Vec<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return Vec::new();
    }
    (0..=haystack.len() - needle.len())
        .filter(|&i| haystack[i..].starts_with(needle))
        .collect()
}

impl NarrativeScreen {
    /// Every asserted cue in the lines, one hit per category (the first clause asserting it).
    pub fn screen<'a>(&'a self, lines: &[&str]) -> Vec<Hit<'a>> {
        let parse = |list: &[String]| {
            list.iter()
                .map(|s| words(s))
                .filter(|w| !w.is_empty())
                .collect::<Vec<Words>>()
        };
        let negations = parse(&self.negations);
        let trailing = parse(&self.trailing_negations);
        let breaks = parse(&self.clause_breaks);
        let mut hits: Vec<Hit<'a>> = Vec::new();
        for line in lines {
            // A note like "WPNS: NEG" splits at the colon: rejoin such a trailing negation.
            let joined = line.replace(": NEG", " NEG").replace(":NEG", " NEG");
            for (text, clause) in clauses(&joined, &breaks) {
                for category in &self.categories {
                    if hits.iter().any(|h| h.category.name == category.name) {
                        continue;
                    }
                    let asserted = category
                        .cues
                        .iter()
                        .map(|c| words(c))
                        .filter(|c| !c.is_empty())
                        .any(|cue| {
                            find_all(&clause, &cue).into_iter().any(|at| {
                                !negated_before(&clause, at, &negations, self.negation_window)
                                    && !negated_after(&clause, at + cue.len(), &trailing)
                            })
                        });
                    if asserted {
                        hits.push(Hit {
                            category,
                            evidence: text.to_owned(),
                        });
                    }
                }
            }
        }
        hits
    }
}

/// A negation ends within `window` words before the cue at `at`.
fn negated_before(clause: &[String], at: usize, negations: &[Words], window: usize) -> bool {
    negations.iter().any(|neg| {
        find_all(&clause[..at], neg).into_iter().any(|n| {
            let end = n + neg.len();
            end <= at && at - end <= window
        })
    })
}

fn negated_after(clause: &[String], end: usize, trailing: &[Words]) -> bool {
    trailing.iter().any(|t| clause[end..].starts_with(t))
}

impl Default for NarrativeScreen {
    fn default() -> Self {
        super::table::narrative_screen()
    }
}
