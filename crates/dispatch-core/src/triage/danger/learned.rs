//! The learned screen: a second opinion on the calls the phrase model finds nothing wrong in.
//!
//! A logistic regression over the narrative's word stems and pairs of neighbouring stems,
//! trained on labelled calls (`dispatch-server triage-learn`); the shipped weights are
//! `learned.tsv` beside this file. It can only send a call that would be eligible to review,
//! never make a call eligible. Why: the phrase model reached 0 dangerous calls eligible on every
//! set it had been shown and still let 5–13 % of the dangerous calls of each new writer through;
//! the dangers a new hand writes share words with the dangers already labelled more often than
//! they share whole phrases (docs/triage.md, "The learned screen").
//!
//! Features: every stem of the narrative and every pair of neighbouring stems in one line,
//! except those made only of function words ("the", "at", "rp", "subj": with them, the model
//! learned each writer's style instead of the danger). The nature text is left to the table.

use super::compiled::Fnv;
use super::text::Token;
use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap as StdHashMap, HashSet as StdHashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

type HashMap<K, V> = StdHashMap<K, V, BuildHasherDefault<Fnv>>;

/// The screen's settings (`[danger.learned]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LearnedScreen {
    pub enabled: bool,
    /// A call the phrase model would make eligible goes to review when its learned danger
    /// score is above this (0 to 1)...
    pub review_above: f64,
    /// ...and one of its words or pairs weighs at least this much toward danger alone: a
    /// score made only of everyday words ("yelling", "bus") is not evidence enough.
    pub strongest_word: f64,
}

impl Default for LearnedScreen {
    fn default() -> Self {
        Self {
            enabled: true,
            review_above: 0.6,
            strongest_word: 0.0,
        }
    }
}

impl LearnedScreen {
    pub fn validate(&self) -> Result<(), String> {
        if !(self.review_above > 0.0 && self.review_above < 1.0) {
            return Err(format!(
                "danger.learned.review_above: {} is not between 0 and 1 (exclusive)",
                self.review_above
            ));
        }
        Ok(())
    }
}

/// The learned danger score of one call, with the words that weighed most toward danger.
#[derive(Clone, Debug, PartialEq)]
pub struct LearnedScore {
    /// 0 (like the eligible calls it was trained on) to 1 (like the dangerous ones).
    pub probability: f64,
    /// Up to three words or word pairs as written (folded), heaviest first.
    pub words: Vec<String>,
}

/// Trained weights: one per feature, and the intercept.
#[derive(Clone, Debug, Default)]
pub struct Weights {
    bias: f64,
    by_feature: HashMap<u64, f64>,
}

const SHIPPED: &str = include_str!("learned.tsv");

impl Weights {
    /// The weights shipped with the server.
    pub fn shipped() -> &'static Weights {
        static WEIGHTS: OnceLock<Weights> = OnceLock::new();
        WEIGHTS.get_or_init(|| match Weights::parse(SHIPPED) {
            Ok(w) => w,
            // Checked by a unit test; a broken build must not start.
            Err(e) => panic!("triage/danger/learned.tsv: {e}"),
        })
    }

    /// Reads the file `Trained::to_tsv` writes: `#` comments, a `bias` line, then one
    /// `feature<TAB>weight` per line (a pair is written `stem_stem`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut weights = Weights::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, value) = line
                .split_once('\t')
                .ok_or_else(|| format!("line {}: expected feature<TAB>weight", n + 1))?;
            let value: f64 = value
                .parse()
                .map_err(|_| format!("line {}: {value:?} is not a number", n + 1))?;
            if name == "bias" {
                weights.bias = value;
            } else {
                weights.by_feature.insert(key_of_name(name), value);
            }
        }
        Ok(weights)
    }

    /// How many features have a weight.
    pub fn len(&self) -> usize {
        self.by_feature.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_feature.is_empty()
    }

    /// Scores a call's tokens; `narrative(i)` says whether token `i` is narrative text, and
    /// `line_of(i)` which line it came from (pairs never cross lines).
    pub(super) fn score(
        &self,
        tokens: &[Token],
        narrative: &dyn Fn(usize) -> bool,
        line_of: &dyn Fn(usize) -> usize,
        strongest_word: f64,
    ) -> Option<LearnedScore> {
        let mut known: Vec<(u64, f64, usize, usize)> = Vec::new();
        for_each_feature(tokens, narrative, line_of, |start, len| {
            let key = key_of_tokens(&tokens[start..start + len]);
            if let Some(&w) = self.by_feature.get(&key) {
                known.push((key, w, start, len));
            }
        });
        known.sort_unstable_by_key(|k| k.0);
        known.dedup_by_key(|k| k.0);
        // No word it was trained on, or none that weighs much: no opinion (a call with no
        // notes yet is the table's).
        if known.is_empty() || known.iter().all(|k| k.1 < strongest_word) {
            return None;
        }
        let sum: f64 = known.iter().map(|k| k.1).sum();
        let n = known.len() as f64;
        let probability = sigmoid(self.bias + sum / n.sqrt());
        known.sort_by(|a, b| b.1.total_cmp(&a.1));
        let words = known
            .iter()
            .filter(|k| k.1 > 0.0)
            .take(3)
            .map(|&(_, _, start, len)| {
                tokens[start..start + len]
                    .iter()
                    .map(|t| t.raw.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        Some(LearnedScore { probability, words })
    }
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Words that say how a call-taker writes, not what happened.
const FUNCTION_WORDS: &str = "a an the at on in of to and or but is are was were be been he she \
    it they them his her hers their him i you we us my me your our this that these those with w \
    for from by as up out off into over under about near nr ifo rp subj subject says said sts \
    states stated advs advised per male female m f caller reports reported just also there here \
    has have had not no s t x2 unk nfi ls seen upd update";

fn is_function_stem(stem: &str) -> bool {
    static STEMS: OnceLock<StdHashSet<String>> = OnceLock::new();
    STEMS
        .get_or_init(|| {
            let stemmer = Stemmer::create(Algorithm::English);
            FUNCTION_WORDS
                .split_whitespace()
                .map(|w| stemmer.stem(w).into_owned())
                .collect()
        })
        .contains(stem)
}

/// Calls `f(start, len)` for every feature of the narrative tokens: each stem, and each pair
/// of neighbouring stems of one line, unless all of it is function words.
fn for_each_feature(
    tokens: &[Token],
    narrative: &dyn Fn(usize) -> bool,
    line_of: &dyn Fn(usize) -> usize,
    mut f: impl FnMut(usize, usize),
) {
    let mut previous: Option<(usize, bool)> = None;
    for (i, token) in tokens.iter().enumerate() {
        if !narrative(i) {
            previous = None;
            continue;
        }
        let function = is_function_stem(&token.stem);
        if !function {
            f(i, 1);
        }
        if let Some((p, p_function)) = previous
            && line_of(p) == line_of(i)
            && !(function && p_function)
        {
            f(p, 2);
        }
        previous = Some((i, function));
    }
}

fn key_of_tokens(tokens: &[Token]) -> u64 {
    let mut h = Fnv::default();
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 {
            h.write(b"_");
        }
        h.write(t.stem.as_bytes());
    }
    h.finish()
}

fn key_of_name(name: &str) -> u64 {
    let mut h = Fnv::default();
    h.write(name.as_bytes());
    h.finish()
}

/// The distinct feature names of a call's tokens (for training).
pub(super) fn feature_names(
    tokens: &[Token],
    narrative: &dyn Fn(usize) -> bool,
    line_of: &dyn Fn(usize) -> usize,
) -> Vec<String> {
    let mut names = Vec::new();
    for_each_feature(tokens, narrative, line_of, |start, len| {
        let name: Vec<&str> = tokens[start..start + len]
            .iter()
            .map(|t| t.stem.as_str())
            .collect();
        names.push(name.join("_"));
    });
    names.sort_unstable();
    names.dedup();
    names
}

/// One labelled call, as features.
#[derive(Clone, Debug)]
pub struct Example {
    pub features: Vec<String>,
    /// Labelled not eligible or review.
    pub dangerous: bool,
}

/// Weights fitted to examples, with their names (to write as `learned.tsv`).
#[derive(Clone, Debug)]
pub struct Trained {
    pub bias: f64,
    /// Sorted by name.
    pub weights: Vec<(String, f64)>,
}

/// L2-regularised logistic regression by full-batch gradient descent, deterministic: the same
/// examples give the same weights on every machine. Each call's features are scaled by one
/// over the square root of their number, as when scoring. No intercept: the score speaks from
/// the words alone, not from the share of dangerous calls in the training sets (with one, a
/// short note with few known words was sent to review for that share alone).
pub fn train(examples: &[Example]) -> Trained {
    const EPOCHS: usize = 300;
    const STEP: f64 = 5.0;
    const L2: f64 = 0.3;
    let mut names: Vec<&str> = examples
        .iter()
        .flat_map(|e| e.features.iter().map(String::as_str))
        .collect();
    names.sort_unstable();
    names.dedup();
    let index: StdHashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let rows: Vec<(Vec<usize>, f64, f64)> = examples
        .iter()
        .map(|e| {
            let mut cols: Vec<usize> = e.features.iter().map(|f| index[f.as_str()]).collect();
            cols.sort_unstable();
            cols.dedup();
            let scale = 1.0 / (cols.len().max(1) as f64).sqrt();
            (cols, scale, if e.dangerous { 1.0 } else { 0.0 })
        })
        .collect();
    let n = rows.len().max(1) as f64;
    let mut w = vec![0.0f64; names.len()];
    let bias = 0.0f64;
    let mut grad = vec![0.0f64; names.len()];
    for _ in 0..EPOCHS {
        grad.iter_mut().for_each(|g| *g = 0.0);
        for (cols, scale, y) in &rows {
            let z = scale * cols.iter().map(|&c| w[c]).sum::<f64>();
            let err = sigmoid(z) - y;
            for &c in cols {
                grad[c] += err * scale;
            }
        }
        for (wj, gj) in w.iter_mut().zip(&grad) {
            *wj -= STEP * (gj / n + L2 * *wj / n);
        }
    }
    Trained {
        bias,
        weights: names.into_iter().map(str::to_owned).zip(w).collect(),
    }
}

impl Trained {
    /// The weights file, with `header` as its first comment lines.
    pub fn to_tsv(&self, header: &str) -> String {
        let mut out = String::new();
        for line in header.lines() {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
        out.push_str(&format!("bias\t{:.6}\n", self.bias));
        for (name, w) in &self.weights {
            out.push_str(&format!("{name}\t{w:.6}\n"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CallDetails, Decision, NarrativeLine};
    use crate::time::Timestamp;
    use crate::triage::{TriageConfig, triage};

    fn call(lines: &[&str]) -> CallDetails {
        CallDetails {
            nature_code: "CRISIS".into(),
            narrative: lines
                .iter()
                .map(|l| NarrativeLine {
                    at: Timestamp(0),
                    text: (*l).to_owned(),
                })
                .collect(),
            ..CallDetails::default()
        }
    }

    #[test]
    fn the_shipped_weights_read_and_know_the_vocabulary_of_the_sets() {
        let w = Weights::shipped();
        assert!(w.len() > 10_000, "{} features", w.len());
        assert!(w.by_feature[&key_of_name("gun")] > 0.0);
    }

    #[test]
    fn training_separates_the_words_of_each_label_and_the_file_reads_back() {
        let ex = |f: &[&str], dangerous| Example {
            features: f.iter().map(|s| (*s).to_owned()).collect(),
            dangerous,
        };
        let examples = [
            ex(&["crowbar", "bench"], true),
            ex(&["crowbar", "park"], true),
            ex(&["blanket", "bench"], false),
            ex(&["blanket", "park"], false),
        ];
        let trained = train(&examples);
        let weight = |n: &str| trained.weights.iter().find(|(f, _)| f == n).unwrap().1;
        assert!(weight("crowbar") > 0.5 && weight("blanket") < -0.5);
        assert!(weight("bench").abs() < 0.1, "seen once each way");
        let again = train(&examples);
        assert_eq!(trained.to_tsv("t"), again.to_tsv("t"), "deterministic");
        let read = Weights::parse(&trained.to_tsv("a header\nof two lines")).unwrap();
        assert_eq!(read.len(), 4);
        assert!((read.by_feature[&key_of_name("crowbar")] - weight("crowbar")).abs() < 1e-5);
        assert!(Weights::parse("gun 1.0").unwrap_err().contains("line 1"));
    }

    #[test]
    fn it_sends_to_review_only_a_call_the_phrases_would_make_eligible() {
        let mut off = TriageConfig::default();
        off.danger.learned.enabled = false;
        let on = TriageConfig::default();
        // Words the labelled sets tie to danger, in no phrase of the model.
        let screened = call(&["subj told the clerk he has something for the manager in his bag"]);
        assert_eq!(triage(&off, &screened).decision, Decision::Eligible);
        let t = triage(&on, &screened);
        assert_eq!(t.decision, Decision::Review, "{:?}", t.reasons);
        assert_eq!(t.reasons[0].rule, "learned:danger_words");
        assert!(t.reasons[0].evidence.contains("told"), "{:?}", t.reasons);
        // A refused call stays refused; an everyday call stays the team's.
        let gun = call(&["SUBJ WAVING A GUN"]);
        assert_eq!(triage(&on, &gun).decision, Decision::NotEligible);
        let everyday = call(&["female crying on bench", "asking for shelter"]);
        assert_eq!(triage(&on, &everyday).decision, Decision::Eligible);
        // No notes: the screen has no opinion.
        assert_eq!(
            triage(&on, &call(&[])).decision,
            triage(&off, &call(&[])).decision
        );
    }

    #[test]
    fn a_threshold_outside_zero_to_one_is_refused_with_its_name() {
        let screen = LearnedScreen {
            review_above: 1.5,
            ..LearnedScreen::default()
        };
        assert!(screen.validate().unwrap_err().contains("review_above"));
    }
}
