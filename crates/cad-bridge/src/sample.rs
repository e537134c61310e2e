//! The embedded sample of real Seattle calls (see `data/README.md`).

const SAMPLE: &str = include_str!("../data/seattle-calls-sample.csv");

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleCall {
    pub call_type: String,
    pub priority: u32,
    pub hour: Option<u8>,
}

/// Splits one CSV line; fields may be double-quoted (with commas inside).
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    out.push(field);
    out
}

pub fn calls() -> Vec<SampleCall> {
    SAMPLE
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .filter_map(|line| {
            let f = fields(line);
            Some(SampleCall {
                call_type: f.first()?.trim().to_owned(),
                priority: f.get(1)?.trim().parse().ok()?,
                hour: f
                    .get(2)
                    .and_then(|h| h.trim().parse().ok())
                    .filter(|h| *h < 24),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_parses_whole() {
        let calls = calls();
        assert_eq!(calls.len(), SAMPLE.lines().count() - 1);
        assert!(
            calls
                .iter()
                .any(|c| c.call_type == "LEWD -  (EXPOSING, FLASHING)")
        );
        assert!(calls.iter().filter(|c| c.hour.is_some()).count() > 100);
        assert!(calls.iter().all(|c| (1..=9).contains(&c.priority)));
    }
}
