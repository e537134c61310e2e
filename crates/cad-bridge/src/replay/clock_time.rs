//! Reading the local date-times of a calls-for-service file as instants (UTC).
//!
//! Open-data exports write local wall-clock time in a handful of shapes ("11/04/2023 6:08:26
//! PM", "2023-01-01 00:00:05", "2024-05-14"). A mapping lists the shapes its source uses as
//! small strftime-like patterns; local time becomes UTC in the source's time zone (an IANA
//! name, the same setting as the triage's service hours; jiff's tz database decides daylight
//! saving).

use dispatch_core::Timestamp;
use dispatch_core::zone::Zone;
use jiff::civil::DateTime;
use serde::Deserialize;

/// How a source writes its times.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "Written")]
pub struct TimeFormat {
    /// Patterns tried in order: `%Y` year, `%m` month, `%d` day, `%H` hour 0-23, `%I` hour
    /// 1-12, `%M` minute, `%S` second, `%p` AM/PM, `%*` the rest of the text (ignored), `%%`
    /// a percent sign; any other character must match itself. Numbers may have one digit
    /// fewer than usual ("6:08:26 PM"). A pattern without a time of day reads midnight.
    pub formats: Vec<String>,
    /// The source's time zone.
    pub time_zone: Zone,
}

/// The `[time]` table as written: `time_zone`, or the old `utc_offset_minutes` and
/// `us_daylight_saving`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Written {
    formats: Vec<String>,
    time_zone: Option<Zone>,
    utc_offset_minutes: Option<i32>,
    us_daylight_saving: Option<bool>,
}

impl TryFrom<Written> for TimeFormat {
    type Error = String;

    fn try_from(w: Written) -> Result<Self, String> {
        let time_zone = Zone::from_settings(
            "time",
            w.time_zone,
            w.utc_offset_minutes,
            w.us_daylight_saving,
        )?;
        Ok(TimeFormat {
            formats: w.formats,
            time_zone,
        })
    }
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
        self.time_zone
            .instant(local)
            .ok_or_else(|| format!("{text:?} is out of range"))
    }
}

/// A local date and time read with one pattern, or None.
fn parse_local(pattern: &str, text: &str) -> Option<DateTime> {
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
    let small = |n: i64| i8::try_from(n).ok();
    DateTime::new(
        i16::try_from(year?).ok()?,
        small(month?)?,
        small(day?)?,
        small(hour)?,
        small(minute)?,
        small(second)?,
        0,
    )
    .ok()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i16, mo: i8, d: i8, h: i8, mi: i8, s: i8) -> Timestamp {
        let at = jiff::civil::datetime(y, mo, d, h, mi, s, 0);
        Zone::utc().instant(at).unwrap()
    }

    fn pacific(formats: &[&str]) -> TimeFormat {
        TimeFormat {
            formats: formats.iter().map(|f| (*f).to_owned()).collect(),
            time_zone: Zone::pacific(),
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

    #[test]
    fn a_named_zone_or_the_old_keys_but_not_both() {
        let read = |table: &str| toml::from_str::<TimeFormat>(table);
        let phoenix =
            read("formats = [\"%Y-%m-%d %H:%M\"]\ntime_zone = \"America/Phoenix\"").unwrap();
        // Arizona keeps standard time (UTC-7) in summer.
        assert_eq!(
            phoenix.parse("2024-07-01 08:00"),
            Ok(utc(2024, 7, 1, 15, 0, 0))
        );
        let old = read(
            "formats = [\"%Y-%m-%d %H:%M\"]\nutc_offset_minutes = -480\nus_daylight_saving = true",
        )
        .unwrap();
        assert_eq!(old.parse("2024-07-01 08:00"), Ok(utc(2024, 7, 1, 15, 0, 0)));
        let both = read("formats = []\ntime_zone = \"UTC\"\nutc_offset_minutes = 0").unwrap_err();
        assert!(both.to_string().contains("write time_zone only"), "{both}");
    }
}
