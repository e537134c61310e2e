//! Time as milliseconds since the Unix epoch (UTC). The core never reads a clock.

use serde::{Deserialize, Serialize};

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub const fn from_millis(ms: i64) -> Self {
        Self(ms)
    }
    pub const fn millis(self) -> i64 {
        self.0
    }
    pub const fn plus_millis(self, ms: i64) -> Self {
        Self(self.0.saturating_add(ms))
    }
    pub const fn plus_hours(self, hours: i64) -> Self {
        self.plus_millis(hours.saturating_mul(3_600_000))
    }
}

impl Timestamp {
    /// RFC 3339 in UTC with milliseconds: "2026-11-01T08:00:00.000Z".
    pub fn rfc3339(self) -> String {
        match jiff::Timestamp::from_millisecond(self.0) {
            Ok(ts) => format!("{ts:.3}"),
            Err(_) => format!("{}ms", self.0),
        }
    }

    /// The instant an RFC 3339 text names ("2024-05-14T18:08:26.5-07:00"), to the millisecond.
    pub fn parse_rfc3339(text: &str) -> Option<Timestamp> {
        let ts: jiff::Timestamp = text.trim().parse().ok()?;
        Some(Timestamp(ts.as_millisecond()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_reads_offsets_and_fractions() {
        assert_eq!(
            Timestamp::parse_rfc3339("2024-05-14T18:08:26.5-07:00"),
            Timestamp::parse_rfc3339("2024-05-15T01:08:26.500Z")
        );
        assert_eq!(
            Timestamp::parse_rfc3339("1970-01-01T00:00:00Z"),
            Some(Timestamp(0))
        );
        assert_eq!(Timestamp::parse_rfc3339("yesterday"), None);
    }

    #[test]
    fn rfc3339_in_utc_with_milliseconds() {
        let t = Timestamp::parse_rfc3339("2026-11-01T08:00:05.007+00:00").unwrap();
        assert_eq!(t.rfc3339(), "2026-11-01T08:00:05.007Z");
        assert_eq!(Timestamp(-1).rfc3339(), "1969-12-31T23:59:59.999Z");
    }
}
