//! The danger model compiled for speed: two Aho-Corasick automata (one over stems, one over
//! exact words) that find every phrase of every role in one pass over a call, and an index of
//! one-edit variants of the model's long words for misspellings (symmetric deletion).

use super::DangerModel;
use super::text::{Token, Words};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::{HashMap as StdHashMap, HashSet as StdHashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Mutex;

/// FNV-1a: the maps here are keyed by short words, where SipHash's cost showed in profiles.
#[derive(Default)]
pub(super) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type HashMap<K, V> = StdHashMap<K, V, BuildHasherDefault<Fnv>>;
type HashSet<K> = StdHashSet<K, BuildHasherDefault<Fnv>>;

/// How many words the stem cache keeps before it starts over (a few MiB at most).
const STEM_CACHE_WORDS: usize = 100_000;

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
    /// Words already read, with their stems: CAD notes repeat their words, and stemming
    /// and the misspelling check were most of the time spent on a call.
    stems_seen: Mutex<HashMap<String, String>>,
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
        let mut vocabulary = HashSet::default();
        let mut danger_words = HashSet::default();
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
        let mut deletions = HashMap::default();
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
            stems_seen: Mutex::new(HashMap::default()),
        }
    }

    pub(super) fn is_break(&self, word: &str) -> bool {
        self.breaks.contains(word)
    }

    /// Fills in each token's stem, correcting a long unknown word one edit away from a danger
    /// word of the model to that word.
    pub(super) fn stem(&self, token: &mut Token) {
        if let Ok(seen) = self.stems_seen.lock()
            && let Some(stem) = seen.get(&token.raw)
        {
            token.stem.clone_from(stem);
            return;
        }
        if let Some(fixed) = self.correction(&token.raw) {
            token.stem.clone_from(&self.long_words[fixed].1);
        } else {
            token.stem = self.stemmer.stem(&token.raw).into_owned();
        }
        if let Ok(mut seen) = self.stems_seen.lock() {
            if seen.len() >= STEM_CACHE_WORDS {
                seen.clear();
            }
            seen.insert(token.raw.clone(), token.stem.clone());
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
        let lines = joined(tokens);
        for (line, starts, automaton, set) in [
            (
                &lines.stems,
                &lines.stem_starts,
                &self.stems,
                &self.stem_set,
            ),
            (
                &lines.exact,
                &lines.exact_starts,
                &self.exact,
                &self.exact_set,
            ),
        ] {
            if set.patterns.is_empty() {
                continue;
            }
            for m in automaton.find_overlapping_iter(line.as_str()) {
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

/// The tokens as two lines of words (stems, exact words) between single spaces, with a `|`
/// between clauses so that no phrase spans two; and where each token starts in each.
struct Lines {
    stems: String,
    stem_starts: Vec<usize>,
    exact: String,
    exact_starts: Vec<usize>,
}

fn joined(tokens: &[Token]) -> Lines {
    let mut lines = Lines {
        stems: String::with_capacity(tokens.len() * 8 + 2),
        stem_starts: Vec::with_capacity(tokens.len()),
        exact: String::with_capacity(tokens.len() * 8 + 2),
        exact_starts: Vec::with_capacity(tokens.len()),
    };
    lines.stems.push(' ');
    lines.exact.push(' ');
    let mut clause = tokens.first().map_or(0, |t| t.clause);
    for token in tokens {
        if token.clause != clause {
            lines.stems.push_str("| ");
            lines.exact.push_str("| ");
            clause = token.clause;
        }
        lines.stem_starts.push(lines.stems.len());
        lines.stems.push_str(&token.stem);
        lines.stems.push(' ');
        lines.exact_starts.push(lines.exact.len());
        lines.exact.push_str(&token.raw);
        lines.exact.push(' ');
    }
    lines
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
