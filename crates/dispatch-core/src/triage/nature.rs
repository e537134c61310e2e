//! The nature-code table: an exact CAD code, else whole-word phrases in the nature text that
//! the text does not deny ("MENTAL HEALTH - NON VIOLENT" is not violent).

use super::{Family, NatureRule, TriageConfig};
use crate::model::CallDetails;

/// Exact code first; then whole-word text.
pub(super) fn match_nature<'a>(
    config: &'a TriageConfig,
    call: &CallDetails,
) -> Option<(&'a NatureRule, String)> {
    let code = call.nature_code.trim();
    if !code.is_empty()
        && let Some(rule) = config
            .nature
            .iter()
            .find(|r| r.codes.iter().any(|c| c.eq_ignore_ascii_case(code)))
    {
        return Some((rule, format!("nature_code={code}")));
    }
    let text = call.nature_text.as_str();
    if text.trim().is_empty() {
        return None;
    }
    let words: Vec<&str> = words_of(text).collect();
    // Excluded families win on any hit; otherwise the longest phrase wins, review on a tie, so
    // "SUSPICIOUS PERSON" is eligible while a bare "SUSPICIOUS CIRCUM." goes to review.
    let hits = |family: Family| {
        config
            .nature
            .iter()
            .filter(move |r| r.family == family)
            .flat_map(|rule| {
                rule.text
                    .iter()
                    .filter(|t| {
                        contains_word_run(&words, t)
                            && config.danger.phrase_asserted(text, t) == Some(true)
                    })
                    .map(move |t| (rule, t))
            })
    };
    if let Some((rule, hit)) = hits(Family::Excluded).next() {
        return Some((rule, format!("nature_text~{hit}")));
    }
    let mut best: Option<(&NatureRule, &String)> = None;
    for (rule, hit) in hits(Family::Review).chain(hits(Family::Eligible)) {
        if best.is_none_or(|(_, b)| hit.len() > b.len()) {
            best = Some((rule, hit));
        }
    }
    if let Some((rule, hit)) = best {
        return Some((rule, format!("nature_text~{hit}")));
    }
    None
}

/// Whether the words of `needle` stand, in order and next to each other, among the words of
/// `haystack` (words are runs of letters and digits; case does not matter): "OD" is in "SUBJ/OD"
/// but not in "CODE RED".
#[cfg(test)]
pub(crate) fn contains_words(haystack: &str, needle: &str) -> bool {
    let words: Vec<&str> = words_of(haystack).collect();
    contains_word_run(&words, needle)
}

fn words_of(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

fn same_word(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b) || (!a.is_ascii() && a.to_uppercase() == b.to_uppercase())
}

/// `contains_words` over a text already split into words (no allocation per phrase).
fn contains_word_run(words: &[&str], needle: &str) -> bool {
    let Some(first) = words_of(needle).next() else {
        return false;
    };
    (0..words.len()).any(|i| {
        same_word(words[i], first) && {
            let mut at = i;
            words_of(needle).all(|w| {
                let ok = words.get(at).is_some_and(|t| same_word(t, w));
                at += 1;
                ok
            })
        }
    })
}
