//! The danger model compiled for speed: two Aho-Corasick automata (one over stems, one over
//! exact words) that find every phrase of every role in one pass over a call, and an index of
//! one-edit variants of the model's long words for misspellings (symmetric deletion).

use super::DangerModel;
use super::text::{Token, Words};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::{HashMap, HashSet};

/// What a phrase found in the text means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Role {
    Term { concept: u32 },
    Part { concept: u32, combo: u32, part: u32 },
    Except { concept: u32 },
    Unless { concept: u32 },
    Benign,
    Negation,
    Trailing,
    Filler,
}

/// Phrases of one automaton, with their roles and lengths in words.
#[derive(Default)]
struct PatternSet {
    index: HashMap<String, usize>,
    patterns: Vec<String>,
    roles: Vec<Vec<Role>>,
    lengths: Vec<u32>,
}

impl PatternSet {
    fn add(&mut self, key: String, words: usize, role: Role) {
        let id = *self.index.entry(key.clone()).or_insert_with(|| {
            self.patterns.push(key);
            self.roles.push(Vec::new());
            self.lengths.push(words as u32);
            self.patterns.len() - 1
        });
        if !self.roles[id].contains(&role) {
            self.roles[id].push(role);
        }
    }

    fn automaton(&self) -> AhoCorasick {
        AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&self.patterns)
            .expect("phrases of words and spaces always build")
    }
}

pub(super) struct Matcher {
    stemmer: Stemmer,
    stems: AhoCorasick,
    stem_set: PatternSet,
    exact: AhoCorasick,
    exact_set: PatternSet,
    breaks: HashSet<String>,
    /// Every word the model spells out, and the known real words: never "corrected".
    vocabulary: HashSet<String>,
    /// One-deletion variants (and the words themselves) of the model's long danger words.
    deletions: HashMap<String, u32>,
    /// The long danger words, with their stems.
    long_words: Vec<(String, String)>,
    min_length: usize,
    pub(super) window: usize,
}

/// A phrase found in the call: its role and the tokens it covers.
#[derive(Clone, Copy, Debug)]
pub(super) struct Found {
    pub role: Role,
    pub start: usize,
    pub end: usize,
}

impl Matcher {
    pub(super) fn build(model: &DangerModel) -> Self {
        let stemmer = Stemmer::create(Algorithm::English);
        let no_breaks = |_: &str| false;
        let split = |phrase: &str| Words::split(phrase, 0, &no_breaks, true);
        let mut stem_set = PatternSet::default();
        let mut exact_set = PatternSet::default();
        let mut vocabulary = HashSet::new();
        let mut danger_words = HashSet::new();
        let mut add = |phrase: &str, role: Role, danger: bool| {
            let (exact, phrase) = match phrase.trim().strip_prefix('=') {
                Some(rest) => (true, rest),
                None => (false, phrase),
            };
            let words = split(phrase);
            if words.tokens.is_empty() {
                return;
            }
            let mut key = String::from(" ");
            for token in &words.tokens {
                vocabulary.insert(token.raw.clone());
                if danger && token.raw.chars().count() >= model.spelling.min_length {
                    danger_words.insert(token.raw.clone());
                }
                if exact {
                    key.push_str(&token.raw);
                } else {
                    key.push_str(&stemmer.stem(&token.raw));
                }
                key.push(' ');
            }
            let set = if exact { &mut exact_set } else { &mut stem_set };
            set.add(key, words.tokens.len(), role);
        };
        for (i, concept) in model.all_concepts().enumerate() {
            let concept_id = i as u32;
            let danger = !concept.severity.is_sign_for_the_team();
            for term in &concept.terms {
                add(
                    term,
                    Role::Term {
                        concept: concept_id,
                    },
                    danger,
                );
            }
            for (c, combo) in concept.combos.iter().enumerate() {
                for (p, part) in combo.parts.iter().enumerate() {
                    for phrase in part {
                        let role = Role::Part {
                            concept: concept_id,
                            combo: c as u32,
                            part: p as u32,
                        };
                        add(phrase, role, danger);
                    }
                }
            }
            for phrase in &concept.except {
                add(
                    phrase,
                    Role::Except {
                        concept: concept_id,
                    },
                    false,
                );
            }
            for phrase in &concept.unless {
                add(
                    phrase,
                    Role::Unless {
                        concept: concept_id,
                    },
                    false,
                );
            }
        }
        for phrase in &model.benign {
            add(phrase, Role::Benign, false);
        }
        for phrase in &model.negation.before {
            add(phrase, Role::Negation, false);
        }
        for phrase in &model.negation.after {
            add(phrase, Role::Trailing, false);
        }
        for phrase in &model.negation.fillers {
            add(phrase, Role::Filler, false);
        }
        for word in &model.spelling.known_words {
            vocabulary.insert(word.trim().to_lowercase());
        }
        let mut long_words: Vec<(String, String)> = danger_words
            .into_iter()
            .map(|w| {
                let stem = stemmer.stem(&w).into_owned();
                (w, stem)
            })
            .collect();
        long_words.sort();
        let mut deletions = HashMap::new();
        for (i, (word, _)) in long_words.iter().enumerate() {
            for variant in std::iter::once(word.clone()).chain(deletions_of(word)) {
                deletions.entry(variant).or_insert(i as u32);
            }
        }
        let breaks = model
            .clause_breaks
            .iter()
            .map(|b| b.trim().to_lowercase())
            .filter(|b| !b.is_empty())
            .collect();
        Self {
            stems: stem_set.automaton(),
            exact: exact_set.automaton(),
            stemmer,
            stem_set,
            exact_set,
            breaks,
            vocabulary,
            deletions,
            long_words,
            min_length: model.spelling.min_length,
            window: model.negation.window,
        }
    }

    pub(super) fn is_break(&self, word: &str) -> bool {
        self.breaks.contains(word)
    }

    /// Fills in each token's stem, correcting a long unknown word one edit away from a danger
    /// word of the model to that word.
    pub(super) fn stem(&self, token: &mut Token) {
        if let Some(fixed) = self.correction(&token.raw) {
            token.stem.clone_from(&self.long_words[fixed].1);
        } else {
            token.stem = self.stemmer.stem(&token.raw).into_owned();
        }
    }

    fn correction(&self, raw: &str) -> Option<usize> {
        let letters = raw.chars().count();
        if letters + 1 < self.min_length
            || self.vocabulary.contains(raw)
            || !raw.chars().all(char::is_alphabetic)
        {
            return None;
        }
        let candidate = std::iter::once(raw.to_owned())
            .chain(deletions_of(raw))
            .find_map(|v| self.deletions.get(&v).copied())?;
        let (word, _) = &self.long_words[candidate as usize];
        (word.chars().count().abs_diff(letters) <= 1 && word.chars().count() >= self.min_length)
            .then_some(candidate as usize)
    }

    /// Every phrase of the model in the tokens (whose stems are filled in), overlapping.
    pub(super) fn find(&self, tokens: &[Token]) -> Vec<Found> {
        let mut found = Vec::new();
        for (exact, automaton, set) in [
            (false, &self.stems, &self.stem_set),
            (true, &self.exact, &self.exact_set),
        ] {
            if set.patterns.is_empty() {
                continue;
            }
            let (line, starts) = joined(tokens, exact);
            for m in automaton.find_overlapping_iter(&line) {
                // The phrase begins with the space before its first word.
                let Ok(first) = starts.binary_search(&(m.start() + 1)) else {
                    continue;
                };
                let id = m.pattern().as_usize();
                let end = first + set.lengths[id] as usize;
                for &role in &set.roles[id] {
                    found.push(Found {
                        role,
                        start: first,
                        end,
                    });
                }
            }
        }
        found
    }
}

/// The tokens as one line of words (stems or exact) between single spaces, with a `|` between
/// clauses so that no phrase spans two; and where each token starts in it.
fn joined(tokens: &[Token], exact: bool) -> (String, Vec<usize>) {
    let mut line = String::with_capacity(tokens.len() * 8 + 2);
    let mut starts = Vec::with_capacity(tokens.len());
    line.push(' ');
    let mut clause = tokens.first().map_or(0, |t| t.clause);
    for token in tokens {
        if token.clause != clause {
            line.push_str("| ");
            clause = token.clause;
        }
        starts.push(line.len());
        line.push_str(if exact { &token.raw } else { &token.stem });
        line.push(' ');
    }
    (line, starts)
}

/// The word with one letter left out, for every letter.
fn deletions_of(word: &str) -> impl Iterator<Item = String> + '_ {
    word.char_indices().map(move |(i, c)| {
        let mut v = String::with_capacity(word.len());
        v.push_str(&word[..i]);
        v.push_str(&word[i + c.len_utf8()..]);
        v
    })
}
