//! A CAD text as the danger model reads it: words in lower case with accents folded, each with
//! its stem and where it stands in the original, grouped into clauses.
//!
//! Clauses end at `. , ; ! ( ) [ ]`, at line ends and at clause-breaking words ("but",
//! "however", "now", "pero"), because a denial in CAD notes speaks for its own clause only.
//! `? : - /` do not end a clause: "WPNS? NEG", "SI: DENIES" and "SI/HI" are one thought.

use std::ops::Range;

/// One word of the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    /// Lower case, accents folded ("está" -> "esta"), apostrophes dropped ("he's" -> "hes").
    pub raw: String,
    /// The stem of `raw` (Snowball English), or a corrected word's stem.
    pub stem: String,
    /// Byte range in the original text.
    pub span: Range<usize>,
    pub clause: u32,
}

/// A text split into words and clauses.
#[derive(Clone, Debug, Default)]
pub(crate) struct Words {
    pub tokens: Vec<Token>,
    /// For each clause (by number, from `first_clause`): byte range in the original.
    pub clauses: Vec<Range<usize>>,
    pub first_clause: u32,
}

const CLAUSE_END: &[char] = &['.', ',', ';', '!', '(', ')', '[', ']', '\n', '\r', '|'];

/// Folds the accents of Spanish and the commonest other Latin letters, and lower-cases.
pub(crate) fn fold(c: char) -> Option<char> {
    let c = match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ñ' | 'Ñ' => 'n',
        'ç' | 'Ç' => 'c',
        '’' | '‘' | '`' => '\'',
        c if c.is_ascii() => c.to_ascii_lowercase(),
        c => return c.to_lowercase().next(),
    };
    Some(c)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

impl Words {
    /// Splits `text` into words and clauses; clause numbers start at `first_clause`.
    /// `breaks` are words (already folded) that start a new clause and are dropped. A comma
    /// ends a clause in free text, not in a call type's list ("NO BIAS, THREATS OR
    /// MALICIOUSNESS" denies all three).
    pub fn split(
        text: &str,
        first_clause: u32,
        breaks: &dyn Fn(&str) -> bool,
        comma_ends_clause: bool,
    ) -> Self {
        let mut words = Words {
            first_clause,
            ..Words::default()
        };
        let mut clause_start = 0usize;
        let mut clause_has_words = false;
        let mut current = String::new();
        let mut word_start = 0usize;
        // A line end after the text ends its last word and clause like any other.
        let mut chars = text
            .char_indices()
            .chain(std::iter::once((text.len(), '\n')))
            .peekable();
        while let Some((at, c)) = chars.next() {
            let folded = fold(c);
            let apostrophe_inside = folded == Some('\'')
                && !current.is_empty()
                && chars.peek().is_some_and(|&(_, n)| is_word_char(n));
            // An apostrophe inside a word is dropped: "doesn't" and "doesnt" are one word.
            if apostrophe_inside {
                continue;
            }
            if let Some(f) = folded.filter(|&f| is_word_char(f)) {
                if current.is_empty() {
                    word_start = at;
                }
                current.push(f);
                continue;
            }
            if !current.is_empty() {
                let end = at;
                words.push_word(
                    &mut current,
                    word_start..end,
                    &mut clause_start,
                    &mut clause_has_words,
                    breaks,
                );
            }
            if CLAUSE_END.contains(&c) && (comma_ends_clause || c != ',') {
                words.end_clause(clause_start..at, &mut clause_has_words);
                clause_start = (at + c.len_utf8()).min(text.len());
            }
        }
        words
    }

    fn next_clause(&self) -> u32 {
        self.first_clause + self.clauses.len() as u32
    }

    fn push_word(
        &mut self,
        word: &mut String,
        span: Range<usize>,
        clause_start: &mut usize,
        clause_has_words: &mut bool,
        breaks: &dyn Fn(&str) -> bool,
    ) {
        let raw = std::mem::take(word);
        if breaks(&raw) {
            self.end_clause(*clause_start..span.start, clause_has_words);
            *clause_start = span.end;
            return;
        }
        *clause_has_words = true;
        self.tokens.push(Token {
            raw,
            stem: String::new(),
            span,
            clause: self.next_clause(),
        });
    }

    fn end_clause(&mut self, span: Range<usize>, clause_has_words: &mut bool) {
        if std::mem::take(clause_has_words) {
            self.clauses.push(span);
        }
    }

    /// The clause `clause` as written in `text`, trimmed.
    pub fn clause_text<'t>(&self, text: &'t str, clause: u32) -> &'t str {
        self.clauses
            .get((clause - self.first_clause) as usize)
            .and_then(|r| text.get(r.clone()))
            .map_or("", |s| s.trim())
    }

    /// How many clause numbers this text used.
    pub fn clause_count(&self) -> u32 {
        self.clauses.len() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Words {
        Words::split(text, 0, &|w| w == "but" || w == "pero", true)
    }

    #[test]
    fn words_are_folded_and_clauses_end_at_punctuation_and_breaks() {
        let w = split("NO WPNS SEEN, but Está CON un CUCHILLO; he's ok? SI: neg");
        let raws: Vec<&str> = w.tokens.iter().map(|t| t.raw.as_str()).collect();
        assert_eq!(
            raws,
            [
                "no", "wpns", "seen", "esta", "con", "un", "cuchillo", "hes", "ok", "si", "neg"
            ]
        );
        let clauses: Vec<u32> = w.tokens.iter().map(|t| t.clause).collect();
        assert_eq!(clauses, [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
        assert_eq!(
            w.clause_text(
                "NO WPNS SEEN, but Está CON un CUCHILLO; he's ok? SI: neg",
                1
            ),
            "Está CON un CUCHILLO"
        );
    }

    #[test]
    fn spans_point_into_the_original() {
        let text = "ÉL TIENE arma";
        let w = split(text);
        assert_eq!(&text[w.tokens[0].span.clone()], "ÉL");
        assert_eq!(&text[w.tokens[2].span.clone()], "arma");
    }

    #[test]
    fn empty_clauses_take_no_number() {
        let w = split("..., ;; gun");
        assert_eq!(w.tokens[0].clause, 0);
        assert_eq!(w.clause_count(), 1);
    }
}
