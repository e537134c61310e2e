//! Time as the console shows it: journal timestamps in milliseconds, ages and countdowns in
//! words, and the program's local time of day (a fixed offset plus, optionally, the US/Canada
//! daylight-saving rule, as the server's service hours do) so "due today" means the peer's day.

use dispatch_core::time::{civil_from_days, days_from_civil};

/// Milliseconds since the Unix epoch of a protobuf timestamp.
pub fn millis(ts: &Option<prost_types::Timestamp>) -> Option<i64> {
    ts.as_ref()
        .map(|t| t.seconds * 1000 + i64::from(t.nanos) / 1_000_000)
}

/// A protobuf timestamp at `ms` milliseconds since the epoch.
pub fn timestamp(ms: i64) -> prost_types::Timestamp {
    prost_types::Timestamp {
        seconds: ms.div_euclid(1000),
        nanos: (ms.rem_euclid(1000) * 1_000_000) as i32,
    }
}

/// "45s", "12m", "3h05m", "2d": how long ago or how long until, without the sign.
pub fn span(ms: i64) -> String {
    let s = ms.abs() / 1000;
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m", s / 60),
        3600..=86_399 => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
        _ => format!("{}d", s / 86_400),
    }
}

/// "0:42" for a countdown; "0:00" once it has run out.
pub fn countdown(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    format!("{}:{:02}", s / 60, s % 60)
}

/// The program's local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalTime {
    /// Standard time's offset from UTC in minutes (Pacific: -480).
    pub utc_offset_minutes: i32,
    pub us_daylight_saving: bool,
}

impl LocalTime {
    /// Pacific time with daylight saving: the demo's city.
    pub const PACIFIC: LocalTime = LocalTime {
        utc_offset_minutes: -480,
        us_daylight_saving: true,
    };
    pub const UTC: LocalTime = LocalTime {
        utc_offset_minutes: 0,
        us_daylight_saving: false,
    };

    fn local_minute(&self, ms: i64) -> i64 {
        let standard = ms.div_euclid(60_000) + i64::from(self.utc_offset_minutes);
        if self.us_daylight_saving && in_us_dst(standard) {
            standard + 60
        } else {
            standard
        }
    }

    /// The local calendar day number (days since 1970-01-01), for "today" and "tomorrow".
    pub fn day(&self, ms: i64) -> i64 {
        self.local_minute(ms).div_euclid(1440)
    }

    /// "14:05".
    pub fn hhmm(&self, ms: i64) -> String {
        let m = self.local_minute(ms).rem_euclid(1440);
        format!("{:02}:{:02}", m / 60, m % 60)
    }

    /// "Dec 03 14:05".
    pub fn date_time(&self, ms: i64) -> String {
        let (_, month, day) = civil_from_days(self.day(ms));
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let name = MONTHS[(month as usize).clamp(1, 12) - 1];
        format!("{name} {day:02} {}", self.hhmm(ms))
    }

    /// The UTC milliseconds of local `hour`:00 on local day `day` (standard-time arithmetic,
    /// then corrected once for daylight saving).
    pub fn at_hour(&self, day: i64, hour: i64) -> i64 {
        let standard_minute = day * 1440 + hour * 60;
        let mut ms = (standard_minute - i64::from(self.utc_offset_minutes)) * 60_000;
        if self.local_minute(ms) != standard_minute {
            ms -= 3_600_000;
        }
        ms
    }
}

/// Whether US daylight saving is in force at a local standard-time minute.
fn in_us_dst(standard_minute: i64) -> bool {
    let day = standard_minute.div_euclid(1440);
    let (year, _, _) = civil_from_days(day);
    // 1970-01-01 was a Thursday; weekday 0 = Sunday.
    let sunday_on_or_after = |d: i64| d + (7 - (d + 4).rem_euclid(7)) % 7;
    let start = sunday_on_or_after(days_from_civil(year, 3, 8)) * 1440 + 120;
    let end = sunday_on_or_after(days_from_civil(year, 11, 1)) * 1440 + 60;
    (start..end).contains(&standard_minute)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i64, mo: u32, d: u32, h: i64, mi: i64) -> i64 {
        (days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60) * 1000
    }

    #[test]
    fn pacific_time_follows_daylight_saving() {
        let p = LocalTime::PACIFIC;
        assert_eq!(p.hhmm(utc(2024, 7, 1, 15, 0)), "08:00");
        assert_eq!(p.hhmm(utc(2024, 1, 15, 16, 0)), "08:00");
        assert_eq!(p.date_time(utc(2024, 1, 15, 7, 59)), "Jan 14 23:59");
    }

    #[test]
    fn at_hour_is_the_local_hour_in_summer_and_winter() {
        let p = LocalTime::PACIFIC;
        for ms in [utc(2024, 7, 1, 20, 0), utc(2024, 1, 15, 20, 0)] {
            let day = p.day(ms);
            assert_eq!(p.hhmm(p.at_hour(day + 1, 9)), "09:00");
            assert_eq!(p.day(p.at_hour(day + 1, 9)), day + 1);
        }
    }

    #[test]
    fn spans_and_countdowns_read_as_people_say_them() {
        assert_eq!(span(42_000), "42s");
        assert_eq!(span(-125_000), "2m");
        assert_eq!(span(3_900_000), "1h05m");
        assert_eq!(countdown(42_500), "0:42");
        assert_eq!(countdown(-5_000), "0:00");
        let t = timestamp(1_700_000_000_123);
        assert_eq!(millis(&Some(t)), Some(1_700_000_000_123));
    }
}
