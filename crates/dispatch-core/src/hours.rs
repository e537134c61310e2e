//! Service hours: when the program's teams are on duty, in the program's local time, which
//! its time zone (an IANA name, see [`Zone`]) decides, daylight saving included.
//!
//! Written `open`, `close` and `time_zone`. The old keys `utc_offset_minutes` and
//! `us_daylight_saving` still read (as the fixed offset and US rule they meant); with
//! `time_zone` beside them they are refused, since the two could disagree.

use crate::time::Timestamp;
use crate::zone::Zone;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Written", into = "Written")]
pub struct ServiceHours {
    /// Opening time, "HH:MM" local.
    pub open: String,
    /// Closing time, "HH:MM" local; before `open` means the hours run past midnight, equal to
    /// `open` means around the clock.
    pub close: String,
    /// Where "local" is.
    pub time_zone: Zone,
}

/// Service hours as a configuration file writes them.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Written {
    open: String,
    close: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    time_zone: Option<Zone>,
    #[serde(default, skip_serializing)]
    utc_offset_minutes: Option<i32>,
    #[serde(default, skip_serializing)]
    us_daylight_saving: Option<bool>,
}

impl TryFrom<Written> for ServiceHours {
    type Error = String;

    fn try_from(w: Written) -> Result<Self, String> {
        let time_zone = Zone::from_settings(
            "service_hours",
            w.time_zone,
            w.utc_offset_minutes,
            w.us_daylight_saving,
        )?;
        let hours = ServiceHours {
            open: w.open,
            close: w.close,
            time_zone,
        };
        hours.validate()?;
        Ok(hours)
    }
}

impl From<ServiceHours> for Written {
    fn from(h: ServiceHours) -> Self {
        Written {
            open: h.open,
            close: h.close,
            time_zone: Some(h.time_zone),
            utc_offset_minutes: None,
            us_daylight_saving: None,
        }
    }
}

impl ServiceHours {
    /// Around the clock (what a config file writes for "no hours": an absent table means the
    /// shipped default).
    pub fn always() -> Self {
        Self {
            open: "00:00".into(),
            close: "00:00".into(),
            time_zone: Zone::utc(),
        }
    }

    /// Portland Street Response: 08:00-22:00 Pacific time.
    pub fn portland() -> Self {
        Self {
            open: "08:00".into(),
            close: "22:00".into(),
            time_zone: Zone::pacific(),
        }
    }

    /// Checks the times; the error says which and why.
    pub fn validate(&self) -> Result<(), String> {
        minute_of("open", &self.open)?;
        minute_of("close", &self.close)?;
        Ok(())
    }

    /// Local "HH:MM" at `at`.
    pub fn local_time(&self, at: Timestamp) -> String {
        let m = self.time_zone.minute_of_day(at);
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
        let now = self.time_zone.minute_of_day(at);
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
        self.time_zone.date(at)
    }

    /// The instant local midnight begins `date` ("YYYY-MM-DD"), for report periods given as
    /// dates. `None` when the text is not a date.
    pub fn local_midnight(&self, date: &str) -> Option<Timestamp> {
        self.time_zone.midnight(date)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i16, mo: i8, d: i8, h: i8, mi: i8) -> Timestamp {
        let at = jiff::civil::datetime(y, mo, d, h, mi, 0, 0);
        Zone::utc().instant(at).unwrap()
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
            time_zone: Zone::utc(),
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
    fn hours_in_arizona_are_standard_time_all_year() {
        let hours: ServiceHours =
            toml::from_str("open = \"08:00\"\nclose = \"22:00\"\ntime_zone = \"America/Phoenix\"")
                .unwrap();
        // 08:00 MST is 15:00 UTC in July and in January alike.
        assert!(hours.is_open(utc(2024, 7, 1, 15, 0)));
        assert!(!hours.is_open(utc(2024, 7, 1, 14, 59)));
        assert!(hours.is_open(utc(2024, 1, 15, 15, 0)));
        assert_eq!(hours.local_time(utc(2024, 7, 1, 15, 0)), "08:00");
        // Pacific time would say 08:00 an hour earlier in July.
        assert_eq!(
            ServiceHours::portland().local_time(utc(2024, 7, 1, 15, 0)),
            "08:00"
        );
        assert_eq!(
            ServiceHours::portland().local_time(utc(2024, 7, 1, 14, 0)),
            "07:00"
        );
    }

    #[test]
    fn the_old_keys_still_read_and_clash_with_a_zone() {
        let old: ServiceHours = toml::from_str(
            "open = \"08:00\"\nclose = \"22:00\"\nutc_offset_minutes = -480\nus_daylight_saving = true",
        )
        .unwrap();
        let pacific = ServiceHours::portland();
        for at in [
            utc(2024, 3, 10, 10, 0),
            utc(2024, 11, 3, 9, 0),
            utc(2024, 7, 1, 15, 0),
        ] {
            assert_eq!(old.local_time(at), pacific.local_time(at));
        }
        let both = toml::from_str::<ServiceHours>(
            "open = \"08:00\"\nclose = \"22:00\"\nutc_offset_minutes = -480\ntime_zone = \"America/Los_Angeles\"",
        )
        .unwrap_err();
        assert!(both.to_string().contains("write time_zone only"), "{both}");
        let unknown = toml::from_str::<ServiceHours>(
            "open = \"08:00\"\nclose = \"22:00\"\ntime_zone = \"Pacific\"",
        )
        .unwrap_err();
        assert!(unknown.to_string().contains("IANA name"), "{unknown}");
        let written = toml::to_string(&pacific).unwrap();
        assert!(
            written.contains("time_zone = \"America/Los_Angeles\""),
            "{written}"
        );
    }
}
