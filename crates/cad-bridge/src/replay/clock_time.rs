//! Reading the local date-times of a calls-for-service file as instants (UTC).
//!
//! Open-data exports write local wall-clock time in a handful of shapes ("11/04/2023 6:08:26
//! PM", "2023-01-01 00:00:05", "2024-05-14"). A mapping lists the shapes its source uses as
//! small strftime-like patterns; local time becomes UTC with a fixed standard offset plus,
//! optionally, the US/Canada daylight-saving rule, the same convention as the triage's
//! service hours, so no time-zone database is needed.

use dispatch_core::Timestamp;
use dispatch_core::hours::in_us_dst;
use dispatch_core::time::days_from_civil;
use serde::Deserialize;

/// How a source writes its times.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeFormat {
    /// Patterns tried in order: `%Y` year, `%m` month, `%d` day, `%H` hour 0-23, `%I` hour
    /// 1-12, `%M` minute, `%S` second, `%p` AM/PM, `%*` the rest of the text (ignored), `%%`
    /// a percent sign; any other character must match itself. Numbers may have one digit
    /// fewer than usual ("6:08:26 PM"). A pattern without a time of day reads midnight.
    pub formats: Vec<String>,
    /// Standard time's offset from UTC in minutes (Pacific: -480).
    pub utc_offset_minutes: i32,
    /// Apply the US/Canada daylight-saving rule.
    #[serde(default)]
    pub us_daylight_saving: bool,
}

impl TimeFormat {
    /// The instant a local time text names, or why it cannot be read.
    pub fn parse(&self, text: &str) -> Result<Timestamp, String> {
        let text = text.trim();
        let local = self
            .formats
            .iter()
            .find_map(|f| parse_local(f, text))
            .ok_or_else(|| format!("{text:?} matches none of the formats {:?}", self.formats))?;
        Ok(self.to_utc(local))
    }

    /// Local wall-clock milliseconds (as if local were UTC) → UTC.
    fn to_utc(&self, local_ms: i64) -> Timestamp {
        let standard = local_ms - i64::from(self.utc_offset_minutes) * 60_000;
        // In the daylight-saving part of the year local time runs an hour ahead of standard.
        // Judged on the standard-time reading, which is what the rule is defined on.
        if self.us_daylight_saving && in_us_dst(local_ms.div_euclid(60_000) - 60) {
            Timestamp(standard - 3_600_000)
        } else {
            Timestamp(standard)
        }
    }
}

/// Local time (as milliseconds of a UTC-like clock) read with one pattern, or None.
fn parse_local(pattern: &str, text: &str) -> Option<i64> {
    let (mut year, mut month, mut day) = (None, None, None);
    let (mut hour, mut hour12, mut minute, mut second, mut pm) = (None, None, 0, 0, None);
    let mut rest = text;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            rest = rest.strip_prefix(c)?;
            continue;
        }
        match chars.next()? {
            'Y' => year = Some(number(&mut rest, 4, 4)?),
            'm' => month = Some(number(&mut rest, 1, 2)?),
            'd' => day = Some(number(&mut rest, 1, 2)?),
            'H' => hour = Some(number(&mut rest, 1, 2)?),
            'I' => hour12 = Some(number(&mut rest, 1, 2)?),
            'M' => minute = number(&mut rest, 2, 2)?,
            'S' => second = number(&mut rest, 2, 2)?,
            'p' => {
                let upper = rest.get(..2)?.to_ascii_uppercase();
                pm = Some(match upper.as_str() {
                    "AM" => false,
                    "PM" => true,
                    _ => return None,
                });
                rest = &rest[2..];
            }
            '*' => rest = "",
            '%' => rest = rest.strip_prefix('%')?,
            _ => return None,
        }
    }
    if !rest.is_empty() {
        return None;
    }
    let hour = match (hour, hour12, pm) {
        (Some(h), None, None) if h < 24 => h,
        (None, Some(h), Some(pm)) if (1..=12).contains(&h) => h % 12 + if pm { 12 } else { 0 },
        (None, None, None) => 0,
        _ => return None,
    };
    let (year, month, day) = (year?, month?, day?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    if minute > 59 || second > 59 {
        return None;
    }
    let days = days_from_civil(year, month as u32, day as u32);
    Some(((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000)
}

/// Reads `min..=max` ASCII digits from the front of `rest`.
fn number(rest: &mut &str, min: usize, max: usize) -> Option<i64> {
    let len = rest
        .bytes()
        .take(max)
        .take_while(u8::is_ascii_digit)
        .count();
    if len < min {
        return None;
    }
    let value = rest[..len].parse().ok()?;
    *rest = &rest[len..];
    Some(value)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    let next = if month == 12 {
        days_from_civil(year + 1, 1, 1)
    } else {
        days_from_civil(year, month as u32 + 1, 1)
    };
    next - days_from_civil(year, month as u32, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i64, mo: u32, d: u32, h: i64, mi: i64, s: i64) -> Timestamp {
        Timestamp((days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s) * 1000)
    }

    fn pacific(formats: &[&str]) -> TimeFormat {
        TimeFormat {
            formats: formats.iter().map(|f| (*f).to_owned()).collect(),
            utc_offset_minutes: -480,
            us_daylight_saving: true,
        }
    }

    #[test]
    fn seattle_twelve_hour_times_in_daylight_and_standard_time() {
        let f = pacific(&["%m/%d/%Y %I:%M:%S %p"]);
        // 4 November 2023 is daylight time (PDT, UTC-7).
        assert_eq!(
            f.parse("11/04/2023 6:08:26 PM"),
            Ok(utc(2023, 11, 5, 1, 8, 26))
        );
        // 6 December 2023 is standard time (PST, UTC-8).
        assert_eq!(
            f.parse("12/06/2023 12:05:00 AM"),
            Ok(utc(2023, 12, 6, 8, 5, 0))
        );
        assert_eq!(
            f.parse("12/06/2023 12:05:00 PM"),
            Ok(utc(2023, 12, 6, 20, 5, 0))
        );
    }

    #[test]
    fn san_diego_and_date_only_formats() {
        let f = pacific(&["%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]);
        assert_eq!(f.parse("2023-01-01 00:00:05"), Ok(utc(2023, 1, 1, 8, 0, 5)));
        assert_eq!(f.parse("2024-05-14"), Ok(utc(2024, 5, 14, 7, 0, 0)));
    }

    #[test]
    fn the_rest_of_a_range_can_be_ignored_on_purpose() {
        let f = pacific(&["%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M %p - %*"]);
        assert_eq!(
            f.parse("8/10/2025 1:29 AM - 2:38 AM"),
            Ok(utc(2025, 8, 10, 8, 29, 0))
        );
        assert_eq!(
            f.parse("8/10/2025 4:30 AM"),
            Ok(utc(2025, 8, 10, 11, 30, 0))
        );
    }

    #[test]
    fn what_is_not_a_time_is_refused_with_the_text() {
        let f = pacific(&["%m/%d/%Y %I:%M %p"]);
        for bad in [
            "8/10/2025 Unknown",
            "13/10/2025 1:00 AM",
            "2/30/2025 1:00 AM",
            "8/10/2025 13:00 PM",
            "8/10/2025 1:00 AM trailing",
            "",
        ] {
            let err = f.parse(bad).expect_err(bad);
            assert!(err.contains("matches none"), "{err}");
        }
    }

    #[test]
    fn daylight_saving_switches_on_the_second_sunday_of_march() {
        let f = pacific(&["%Y-%m-%d %H:%M:%S"]);
        // 2024-03-10 01:59 is still PST; 03:00 is PDT.
        assert_eq!(
            f.parse("2024-03-10 01:59:00"),
            Ok(utc(2024, 3, 10, 9, 59, 0))
        );
        assert_eq!(
            f.parse("2024-03-10 03:00:00"),
            Ok(utc(2024, 3, 10, 10, 0, 0))
        );
    }
}
