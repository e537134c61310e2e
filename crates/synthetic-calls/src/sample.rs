//! The embedded sample of real Seattle calls (see `crates/cad-bridge/data/README.md`).

const SAMPLE: &str = include_str!("../../cad-bridge/data/seattle-calls-sample.csv");

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleCall {
    pub call_type: String,
    pub priority: u32,
    pub hour: Option<u8>,
}

/// The sample's rows. The file is part of the crate, so a row that does not read is a
/// packaging mistake the test below catches, not a runtime condition.
pub fn calls() -> Vec<SampleCall> {
    csv::Reader::from_reader(SAMPLE.as_bytes())
        .records()
        .filter_map(Result::ok)
        .filter_map(|row| {
            Some(SampleCall {
                call_type: row.get(0)?.trim().to_owned(),
                priority: row.get(1)?.trim().parse().ok()?,
                hour: row
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
