//! Service hours: when the program's teams are on duty, in the program's local time.
//!
//! Local time is a fixed standard offset from UTC plus, optionally, the US/Canada daylight
//! saving rule (second Sunday of March 02:00 to first Sunday of November 02:00), which is all
//! a North American program needs without a time-zone database.

use crate::time::{Timestamp, civil_from_days, days_from_civil};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceHours {
    /// Opening time, "HH:MM" local.
    pub open: String,
    /// Closing time, "HH:MM" local; before `open` means the hours run past midnight, equal to
    /// `open` means around the clock.
    pub close: String,
    /// Standard time's offset from UTC in minutes (Pacific: -480).
    pub utc_offset_minutes: i32,
    /// Apply the US/Canada daylight-saving rule.
    #[serde(default)]
    pub us_daylight_saving: bool,
}

impl ServiceHours {
    /// Around the clock (what a config file writes for "no hours": an absent table means the
    /// shipped default).
    pub fn always() -> Self {
        Self {
            open: "00:00".into(),
            close: "00:00".into(),
            utc_offset_minutes: 0,
            us_daylight_saving: false,
        }
    }

    /// Portland Street Response: 08:00-22:00 Pacific time.
    pub fn portland() -> Self {
        Self {
            open: "08:00".into(),
            close: "22:00".into(),
            utc_offset_minutes: -480,
            us_daylight_saving: true,
        }
    }

    /// Checks the times; the error says which and why.
    pub fn validate(&self) -> Result<(), String> {
        minute_of("open", &self.open)?;
        minute_of("close", &self.close)?;
        if !(-14 * 60..=14 * 60).contains(&self.utc_offset_minutes) {
            return Err(format!(
                "service_hours.utc_offset_minutes: {} is not an offset",
                self.utc_offset_minutes
            ));
        }
        Ok(())
    }

    /// Local "HH:MM" at `at`.
    pub fn local_time(&self, at: Timestamp) -> String {
        let m = self.local_minute(at);
        format!("{:02}:{:02}", m / 60, m % 60)
    }

    /// Whether teams are on duty at `at`. Hours that do not parse count as always open (the
    /// config is validated at load, so this does not happen in a running server).
    pub fn is_open(&self, at: Timestamp) -> bool {
        let (Ok(open), Ok(close)) = (
            minute_of("open", &self.open),
            minute_of("close", &self.close),
        ) else {
            return true;
        };
        let now = self.local_minute(at);
        if open == close {
            // The same opening and closing time: around the clock.
            return true;
        }
        if open < close {
            (open..close).contains(&now)
        } else {
            now >= open || now < close
        }
    }

    /// The local calendar date at `at` as "YYYY-MM-DD" (reports count days in local time).
    pub fn local_date(&self, at: Timestamp) -> String {
        let (y, m, d) = civil_from_days(self.local_minutes(at).div_euclid(24 * 60));
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// The instant local midnight begins `date` ("YYYY-MM-DD"), for report periods given as
    /// dates. `None` when the text is not a date.
    pub fn local_midnight(&self, date: &str) -> Option<Timestamp> {
        let mut parts = date.trim().splitn(3, '-');
        let y: i64 = parts.next()?.parse().ok()?;
        let m: u32 = parts.next()?.parse().ok()?;
        let d: u32 = parts.next()?.parse().ok()?;
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        let day = days_from_civil(y, m, d);
        if civil_from_days(day) != (y, m, d) {
            return None;
        }
        let standard = day * 24 * 60 - i64::from(self.utc_offset_minutes);
        // Midnight is never inside the 02:00 switch, so the offset at midnight is that of the
        // standard-time minute itself.
        let local_midnight = day * 24 * 60;
        let dst = self.us_daylight_saving && in_us_dst(local_midnight);
        let utc_minute = if dst { standard - 60 } else { standard };
        Some(Timestamp(utc_minute * 60_000))
    }

    fn local_minute(&self, at: Timestamp) -> i64 {
        self.local_minutes(at).rem_euclid(24 * 60)
    }

    /// Minutes since the epoch on the local wall clock.
    fn local_minutes(&self, at: Timestamp) -> i64 {
        let standard = at.millis().div_euclid(60_000) + i64::from(self.utc_offset_minutes);
        if self.us_daylight_saving && in_us_dst(standard) {
            standard + 60
        } else {
            standard
        }
    }
}

fn minute_of(field: &str, text: &str) -> Result<i64, String> {
    let bad = || format!("service_hours.{field}: {text:?} is not a time of day like \"08:00\"");
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    let (h, m): (i64, i64) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if !(0..24).contains(&h) || !(0..60).contains(&m) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// Whether US/Canada daylight saving is in force at a local standard-time minute (minutes
/// since the epoch on the standard-time clock): second Sunday of March 02:00 to first Sunday
/// of November 02:00 daylight time. Shared with readers of local CAD times.
pub fn in_us_dst(standard_minute: i64) -> bool {
    let day = standard_minute.div_euclid(24 * 60);
    let (year, _, _) = civil_from_days(day);
    // 1970-01-01 was a Thursday: weekday 0 = Sunday.
    let sunday_on_or_after = |d: i64| d + (7 - (d + 4).rem_euclid(7)) % 7;
    let start = sunday_on_or_after(days_from_civil(year, 3, 8)) * 1440 + 120;
    // Ends at 02:00 daylight time, which is 01:00 standard time.
    let end = sunday_on_or_after(days_from_civil(year, 11, 1)) * 1440 + 60;
    (start..end).contains(&standard_minute)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i64, mo: u32, d: u32, h: i64, mi: i64) -> Timestamp {
        Timestamp((days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60) * 1000)
    }

    #[test]
    fn portland_hours_follow_pacific_time_through_daylight_saving() {
        let hours = ServiceHours::portland();
        // Summer (PDT, UTC-7): 08:00 local is 15:00 UTC.
        assert_eq!(hours.local_time(utc(2024, 7, 1, 15, 0)), "08:00");
        assert!(hours.is_open(utc(2024, 7, 1, 15, 0)));
        assert!(!hours.is_open(utc(2024, 7, 1, 14, 59)));
        assert!(
            !hours.is_open(utc(2024, 7, 2, 5, 0)),
            "22:00 local is closed"
        );
        // Winter (PST, UTC-8): 08:00 local is 16:00 UTC.
        assert_eq!(hours.local_time(utc(2024, 1, 15, 16, 0)), "08:00");
        assert!(!hours.is_open(utc(2024, 1, 15, 15, 30)));
        // The switches: 2024-03-10 and 2024-11-03.
        assert_eq!(hours.local_time(utc(2024, 3, 10, 9, 59)), "01:59");
        assert_eq!(hours.local_time(utc(2024, 3, 10, 10, 0)), "03:00");
        assert_eq!(hours.local_time(utc(2024, 11, 3, 8, 59)), "01:59");
        assert_eq!(hours.local_time(utc(2024, 11, 3, 9, 0)), "01:00");
    }

    #[test]
    fn overnight_hours_and_bad_times() {
        let night = ServiceHours {
            open: "20:00".into(),
            close: "06:00".into(),
            utc_offset_minutes: 0,
            us_daylight_saving: false,
        };
        assert!(night.is_open(utc(2024, 1, 1, 23, 0)));
        assert!(night.is_open(utc(2024, 1, 1, 5, 59)));
        assert!(!night.is_open(utc(2024, 1, 1, 12, 0)));
        let bad = ServiceHours {
            open: "8am".into(),
            ..night
        };
        assert!(bad.validate().unwrap_err().contains("service_hours.open"));
    }

    #[test]
    fn local_dates_and_midnights_follow_daylight_saving() {
        let hours = ServiceHours::portland();
        // 07:59 UTC on 1 July is 00:59 PDT the same day; 06:59 UTC is still 30 June.
        assert_eq!(hours.local_date(utc(2024, 7, 1, 7, 59)), "2024-07-01");
        assert_eq!(hours.local_date(utc(2024, 7, 1, 6, 59)), "2024-06-30");
        assert_eq!(
            hours.local_midnight("2024-07-01"),
            Some(utc(2024, 7, 1, 7, 0))
        );
        assert_eq!(
            hours.local_midnight("2024-01-15"),
            Some(utc(2024, 1, 15, 8, 0))
        );
        // Both switch days begin at midnight of the time in force before 02:00.
        assert_eq!(
            hours.local_midnight("2024-03-10"),
            Some(utc(2024, 3, 10, 8, 0))
        );
        assert_eq!(
            hours.local_midnight("2024-11-03"),
            Some(utc(2024, 11, 3, 7, 0))
        );
        for date in ["2024-03-10", "2024-11-03", "2024-07-01", "2025-01-01"] {
            let midnight = hours.local_midnight(date).unwrap();
            assert_eq!(hours.local_date(midnight), date);
            assert_ne!(hours.local_date(Timestamp(midnight.0 - 1)), date);
        }
        for bad in ["2024-02-30", "2024-13-01", "yesterday", "2024-1", ""] {
            assert_eq!(hours.local_midnight(bad), None, "{bad}");
        }
    }

    #[test]
    fn civil_dates_round_trip() {
        for days in [-1, 0, 19_000, 20_000, 100_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
