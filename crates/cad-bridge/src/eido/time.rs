//! RFC 3339 date-times as EIDO writes them (`2021-04-30T14:43:49.439-04:00`), to and from
//! milliseconds since the Unix epoch, read and written by jiff.

use dispatch_core::Timestamp;

/// Milliseconds since the epoch of an RFC 3339 date-time with an offset (`Z` or `±hh:mm`).
/// Fractions beyond milliseconds are cut. `None` when the text is not such a date-time.
pub fn parse_millis(text: &str) -> Option<i64> {
    // RFC 3339 writes the offset with a colon; jiff also reads "+0400", which EIDO does not.
    let offset_has_colon = text.len() >= 6 && text.as_bytes()[text.len() - 3] == b':';
    if !(text.ends_with(['Z', 'z']) || offset_has_colon) {
        return None;
    }
    Timestamp::parse_rfc3339(text).map(Timestamp::millis)
}

/// `YYYY-MM-DDThh:mm:ss.mmmZ`.
pub fn format_millis(millis: i64) -> String {
    Timestamp(millis).rfc3339()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_fractions() {
        assert_eq!(parse_millis("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_millis("2021-04-30T14:43:49.439-04:00"),
            parse_millis("2021-04-30T18:43:49.439Z")
        );
        assert_eq!(parse_millis("1970-01-01T00:00:01.5Z"), Some(1500));
        assert_eq!(parse_millis("1970-01-01T00:00:00.123456Z"), Some(123));
        for bad in [
            "",
            "2021-04-30",
            "2021-04-30T14:43:49",
            "2021-13-30T14:43:49Z",
            "2021-04-30T14:43:49+0400",
            "2021-04-30T14:43:49.Z",
            "2021-04-30T14:43:49Zjunk",
            "２021-04-30T14:43:49Z",
        ] {
            assert_eq!(parse_millis(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_round_trip() {
        for ms in [0, 1_619_808_229_439, -1] {
            assert_eq!(parse_millis(&format_millis(ms)), Some(ms));
        }
        assert_eq!(format_millis(1_619_808_229_439), "2021-04-30T18:43:49.439Z");
    }
}
