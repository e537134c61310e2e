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
    let text = call.nature_text.to_uppercase();
    if text.trim().is_empty() {
        return None;
    }
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
                        contains_words(&text, t)
                            && config.danger.phrase_asserted(&text, t) == Some(true)
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

/// Whether `needle` occurs in `haystack` (upper case) with no letter or digit right before or
/// after it; `needle` may be in any case.
pub(crate) fn contains_words(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    if !needle.is_ascii() {
        return contains_upper_words(haystack, &needle.to_uppercase());
    }
    // ASCII needles: compare bytes case-insensitively, without allocating.
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    if n.len() > h.len() {
        return false;
    }
    (0..=h.len() - n.len()).any(|i| {
        h[i..i + n.len()].eq_ignore_ascii_case(n)
            && haystack.is_char_boundary(i)
            && haystack.is_char_boundary(i + n.len())
            && haystack[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
            && haystack[i + n.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
    })
}

fn contains_upper_words(haystack: &str, needle: &str) -> bool {
    let mut start = 0;
    while let Some(pos) = haystack[start..].find(needle) {
        let begin = start + pos;
        let end = begin + needle.len();
        let before_ok = haystack[..begin]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after_ok = haystack[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if before_ok && after_ok {
            return true;
        }
        start = begin + needle.chars().next().map_or(1, char::len_utf8);
    }
    false
}
