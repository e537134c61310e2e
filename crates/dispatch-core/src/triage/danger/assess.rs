//! Reading a call with the model: which concepts its texts assert, which they deny.

use super::compiled::{Found, Matcher, Role};
use super::learned::{self, LearnedScore, Weights};
use super::text::{Token, Words};
use super::{Concept, DangerModel};

/// Which field of the call a text came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    NatureText,
    Narrative,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::NatureText => "nature_text",
            Source::Narrative => "narrative",
        }
    }
}

/// A concept the call asserts (or denies), with where and the words as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding<'m> {
    pub concept: &'m Concept,
    pub source: Source,
    /// The clause (or, for a combo across clauses, the clauses) as written.
    pub evidence: String,
}

/// What the texts of a call say: one finding per concept asserted (the first place it is),
/// and the concepts found only denied.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Assessment<'m> {
    pub asserted: Vec<Finding<'m>>,
    pub denied: Vec<Finding<'m>>,
    /// The learned screen's score of the narrative (None when the screen is off or knows none
    /// of its words).
    pub learned: Option<LearnedScore>,
}

/// The call's texts as one run of tokens.
struct Call<'t> {
    tokens: Vec<Token>,
    /// For each token, which text it came from.
    text_of: Vec<usize>,
    texts: &'t [(Source, &'t str)],
    words: Vec<Words>,
}

impl<'t> Call<'t> {
    fn read(matcher: &Matcher, texts: &'t [(Source, &'t str)]) -> Self {
        let mut call = Call {
            tokens: Vec::new(),
            text_of: Vec::new(),
            texts,
            words: Vec::with_capacity(texts.len()),
        };
        let mut next_clause = 0;
        for (i, (source, text)) in texts.iter().enumerate() {
            let free_text = *source == Source::Narrative;
            let mut words = Words::split(text, next_clause, &|w| matcher.is_break(w), free_text);
            next_clause += words.clause_count();
            for mut token in std::mem::take(&mut words.tokens) {
                matcher.stem(&mut token);
                call.tokens.push(token);
                call.text_of.push(i);
            }
            call.words.push(words);
        }
        call
    }

    fn is_narrative(&self, token: usize) -> bool {
        self.texts[self.text_of[token]].0 == Source::Narrative
    }

    fn clause_of(&self, token: usize) -> u32 {
        self.tokens[token].clause
    }

    fn evidence(&self, token: usize) -> (Source, String) {
        let text = self.text_of[token];
        let (source, original) = self.texts[text];
        let clause = self.words[text].clause_text(original, self.tokens[token].clause);
        (source, clause.to_owned())
    }
}

/// The phrases found, sorted by role.
struct Phrases {
    terms: Vec<Found>,
    parts: Vec<Found>,
    excepts: Vec<Found>,
    /// Concepts explained anywhere in the call.
    unless: Vec<u32>,
    benign: Vec<Found>,
    negations: Vec<Found>,
    trailing: Vec<Found>,
    /// Tokens that may stand between a denial and what it denies.
    filler: Vec<bool>,
}

impl Phrases {
    /// Sorts what the matcher found; `is_need` tells the concepts that are needs, not dangers.
    fn sort(found: Vec<Found>, tokens: usize, is_need: &dyn Fn(u32) -> bool) -> Self {
        let mut f = Phrases {
            terms: Vec::new(),
            parts: Vec::new(),
            excepts: Vec::new(),
            unless: Vec::new(),
            benign: Vec::new(),
            negations: Vec::new(),
            trailing: Vec::new(),
            filler: vec![false; tokens],
        };
        for hit in found {
            match hit.role {
                Role::Term { .. } => f.terms.push(hit),
                Role::Part { .. } => f.parts.push(hit),
                Role::Except { .. } => f.excepts.push(hit),
                Role::Unless { concept } => f.unless.push(concept),
                Role::Benign => f.benign.push(hit),
                Role::Negation => f.negations.push(hit),
                Role::Trailing => f.trailing.push(hit),
                Role::Filler => f.filler[hit.start..hit.end].fill(true),
            }
        }
        // Words of other danger phrases may stand in a denied list ("NO WEAPONS OR VIOLENCE").
        for hit in f.terms.iter().chain(&f.parts) {
            if !is_need(concept_of(hit.role)) {
                f.filler[hit.start..hit.end].fill(true);
            }
        }
        // A denial inside a danger phrase is part of it ("NOT BREATHING", "NO PULSE"); inside
        // a need ("NOT AGGRESSIVE") it still denies.
        let inside = |n: &Found, all: &[Found]| {
            all.iter().any(|t| {
                !is_need(concept_of(t.role))
                    && t.start <= n.start
                    && n.end <= t.end
                    && t.end - t.start > n.end - n.start
            })
        };
        let (terms, parts) = (&f.terms, &f.parts);
        f.negations
            .retain(|n| !inside(n, terms) && !inside(n, parts));
        f.trailing
            .retain(|n| !inside(n, terms) && !inside(n, parts));
        // Terms in the order they stand, so a concept's first finding is its first place.
        f.terms.sort_by_key(|h| (h.start, h.end));
        f
    }
}

fn concept_of(role: Role) -> u32 {
    match role {
        Role::Term { concept }
        | Role::Part { concept, .. }
        | Role::Except { concept }
        | Role::Unless { concept } => concept,
        _ => u32::MAX,
    }
}

/// Whether the phrase at `hit` is explained, excepted or denied where it stands.
enum Reading {
    Asserted,
    Denied,
    Explained,
}

fn read(call: &Call<'_>, found: &Phrases, hit: &Found, window: usize) -> Reading {
    let covers = |b: &Found| b.start <= hit.start && hit.end <= b.end;
    if found.benign.iter().any(covers) {
        return Reading::Explained;
    }
    let concept = concept_of(hit.role);
    if found.unless.contains(&concept) {
        return Reading::Explained;
    }
    if found
        .excepts
        .iter()
        .any(|e| concept_of(e.role) == concept && e.start < hit.end && hit.start < e.end)
    {
        return Reading::Explained;
    }
    let clause = call.clause_of(hit.start);
    let only_filler = |from: usize, to: usize| (from..to).all(|t| found.filler[t]);
    let before = found.negations.iter().any(|n| {
        n.end <= hit.start
            && call.clause_of(n.start) == clause
            && hit.start - n.end <= window
            && only_filler(n.end, hit.start)
    });
    let after = found.trailing.iter().any(|n| {
        n.start >= hit.end
            && call.clause_of(n.start) == clause
            && n.start - hit.end <= 2
            && only_filler(hit.end, n.start)
    });
    if before || after {
        Reading::Denied
    } else {
        Reading::Asserted
    }
}

pub(super) fn assess<'m>(
    model: &'m DangerModel,
    matcher: &Matcher,
    texts: &[(Source, &str)],
) -> Assessment<'m> {
    let call = Call::read(matcher, texts);
    let is_need = |c: u32| model.concept(c as usize).severity.is_sign_for_the_team();
    let found = Phrases::sort(matcher.find(&call.tokens), call.tokens.len(), &is_need);
    let mut out = Assessment {
        learned: model
            .learned
            .enabled
            .then(|| {
                Weights::shipped().score(
                    &call.tokens,
                    &|i| call.is_narrative(i),
                    &|i| call.text_of[i],
                    model.learned.strongest_word,
                )
            })
            .flatten(),
        ..Assessment::default()
    };
    let mut note = |asserted: bool, concept: u32, source: Source, evidence: String| {
        let concept = model.concept(concept as usize);
        let list = if asserted {
            &mut out.asserted
        } else {
            &mut out.denied
        };
        if !list.iter().any(|f| std::ptr::eq(f.concept, concept)) {
            list.push(Finding {
                concept,
                source,
                evidence,
            });
        }
    };

    for hit in &found.terms {
        let (source, evidence) = call.evidence(hit.start);
        match read(&call, &found, hit, matcher.window) {
            Reading::Asserted => note(true, concept_of(hit.role), source, evidence),
            Reading::Denied => note(false, concept_of(hit.role), source, evidence),
            Reading::Explained => {}
        }
    }

    // Combos: the asserted phrases of each part, then one of every part close enough.
    let mut parts: Vec<(u32, u32, u32, Found)> = found
        .parts
        .iter()
        .filter(|h| matches!(read(&call, &found, h, matcher.window), Reading::Asserted))
        .filter_map(|h| match h.role {
            Role::Part {
                concept,
                combo,
                part,
            } => Some((concept, combo, part, *h)),
            _ => None,
        })
        .collect();
    parts.sort_by_key(|(c, k, p, h)| (*c, *k, *p, h.start));
    let mut i = 0;
    while i < parts.len() {
        let (concept, combo, _, _) = parts[i];
        let group_end = parts[i..]
            .iter()
            .position(|(c, k, _, _)| (*c, *k) != (concept, combo))
            .map_or(parts.len(), |n| i + n);
        let group = &parts[i..group_end];
        let spec = &model.concept(concept as usize).combos[combo as usize];
        if let Some((first, last)) = combo_match(&call, group, spec.parts.len(), spec) {
            let (source, mut evidence) = call.evidence(first);
            let (_, other) = call.evidence(last);
            if other != evidence {
                evidence = format!("{evidence} … {other}");
            }
            note(true, concept, source, evidence);
        }
        i = group_end;
    }
    // A concept both asserted somewhere and denied elsewhere is asserted.
    out.denied.retain(|d| {
        !out.asserted
            .iter()
            .any(|a| std::ptr::eq(a.concept, d.concept))
    });
    out
}

/// The learned screen's features of narrative lines, read as when scoring.
///
/// Denied danger words are read too: a call-taker notes "NO WPNS SEEN" where a scene looked
/// tense, and with them left out the screen caught fewer of the dangerous calls of a new hand.
/// What a denial clears is the phrase model's to judge.
pub(super) fn learning_features(matcher: &Matcher, narrative: &[&str]) -> Vec<String> {
    let texts: Vec<(Source, &str)> = narrative.iter().map(|l| (Source::Narrative, *l)).collect();
    let call = Call::read(matcher, &texts);
    learned::feature_names(&call.tokens, &|_| true, &|i| call.text_of[i])
}

/// The first and last token of a set of phrases, one per part, that satisfy the combo.
fn combo_match(
    call: &Call<'_>,
    group: &[(u32, u32, u32, Found)],
    parts: usize,
    spec: &super::Combo,
) -> Option<(usize, usize)> {
    let of_part = |p: usize| group.iter().filter(move |(_, _, q, _)| *q as usize == p);
    if (0..parts).any(|p| of_part(p).next().is_none()) {
        return None;
    }
    for (_, _, _, anchor) in of_part(0) {
        let mut first = anchor.start;
        let mut last = anchor.start;
        let all = (1..parts).all(|p| {
            of_part(p).any(|(_, _, _, h)| {
                let in_order = !spec.ordered || h.start >= anchor.end;
                let near = in_order
                    && (spec.across_clauses
                        || (call.clause_of(h.start) == call.clause_of(anchor.start)
                            && gap(anchor, h) <= spec.window));
                if near {
                    first = first.min(h.start);
                    last = last.max(h.start);
                }
                near
            })
        });
        if all {
            return Some((first, last));
        }
    }
    None
}

/// Words between two phrases (0 when they touch or overlap).
fn gap(a: &Found, b: &Found) -> usize {
    if a.end <= b.start {
        b.start - a.end
    } else {
        a.start.saturating_sub(b.end)
    }
}

pub(super) fn phrase_asserted(
    model: &DangerModel,
    matcher: &Matcher,
    text: &str,
    phrase: &str,
) -> Option<bool> {
    let texts = [(Source::NatureText, text)];
    let call = Call::read(matcher, &texts);
    let wanted: Vec<String> = Words::split(phrase, 0, &|_| false, false)
        .tokens
        .into_iter()
        .map(|t| t.raw)
        .collect();
    if wanted.is_empty() || call.tokens.len() < wanted.len() {
        return None;
    }
    let is_need = |c: u32| model.concept(c as usize).severity.is_sign_for_the_team();
    let found = Phrases::sort(matcher.find(&call.tokens), call.tokens.len(), &is_need);
    // Only denial counts here; benign and except phrases are for the danger terms.
    let denials = Phrases {
        terms: Vec::new(),
        parts: Vec::new(),
        excepts: Vec::new(),
        unless: Vec::new(),
        benign: Vec::new(),
        ..found
    };
    let mut seen = false;
    for start in 0..=call.tokens.len() - wanted.len() {
        let here = &call.tokens[start..start + wanted.len()];
        if here.iter().zip(&wanted).all(|(t, w)| &t.raw == w)
            && here.iter().all(|t| t.clause == here[0].clause)
        {
            seen = true;
            let hit = Found {
                role: Role::Benign,
                start,
                end: start + wanted.len(),
            };
            if matches!(
                read(&call, &denials, &hit, matcher.window),
                Reading::Asserted
            ) {
                return Some(true);
            }
        }
    }
    seen.then_some(false)
}

/// Each token with its stem (after any spelling correction), for the tests.
#[cfg(test)]
pub(super) fn debug_tokens(model: &DangerModel, text: &str) -> Vec<(String, String)> {
    let texts = [(Source::Narrative, text)];
    Call::read(model.matcher(), &texts)
        .tokens
        .into_iter()
        .map(|t| (t.raw, t.stem))
        .collect()
}
