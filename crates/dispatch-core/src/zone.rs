//! A program's time zone, by its IANA name ("America/Los_Angeles", "America/Phoenix",
//! "Europe/Berlin"), resolved with jiff's bundled tz database, so local times, local days and
//! daylight saving are the database's, not ours. Service hours, reports, the replay of local
//! CAD times and the console all read local time through it.

use crate::time::Timestamp;
use jiff::civil::Date;
/// A local date and time (jiff's), as [`Zone::local`] gives and [`Zone::instant`] takes.
pub use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

#[derive(Clone)]
pub struct Zone {
    /// As written: an IANA name, or the POSIX rule the old offset keys stand for.
    name: Cow<'static, str>,
    tz: TimeZone,
}

impl Zone {
    pub const UTC: Zone = Zone {
        name: Cow::Borrowed("UTC"),
        tz: TimeZone::UTC,
    };

    pub fn utc() -> Self {
        Self::UTC
    }

    /// Pacific time, the demo's and Portland's.
    pub fn pacific() -> Self {
        Self::named("America/Los_Angeles").unwrap_or_else(|_| Self::utc())
    }

    /// A zone by its IANA name (or a POSIX TZ rule such as "MST7"); the error says what to
    /// write.
    pub fn named(name: &str) -> Result<Self, String> {
        let name = name.trim();
        let tz = TimeZone::get(name)
            .or_else(|_| TimeZone::posix(name))
            .map_err(|_| {
                format!(
                    "{name:?} is not a time zone; write an IANA name such as \"America/Los_Angeles\" or \"America/Phoenix\""
                )
            })?;
        Ok(Self {
            name: Cow::Owned(name.to_owned()),
            tz,
        })
    }

    /// The zone the old settings meant: a standard offset from UTC in minutes and, when
    /// `us_daylight_saving`, the US/Canada rule (second Sunday of March to first Sunday of
    /// November, at 02:00), as a POSIX rule that jiff applies.
    pub fn from_offset(utc_offset_minutes: i32, us_daylight_saving: bool) -> Result<Self, String> {
        let bad = || format!("utc_offset_minutes: {utc_offset_minutes} is not an offset");
        if !(-14 * 60..=14 * 60).contains(&utc_offset_minutes) {
            return Err(bad());
        }
        if !us_daylight_saving {
            let offset = Offset::from_seconds(utc_offset_minutes * 60).map_err(|_| bad())?;
            return Ok(Self {
                name: Cow::Owned(offset.to_string()),
                tz: TimeZone::fixed(offset),
            });
        }
        // POSIX counts hours west of Greenwich as positive.
        let west = -utc_offset_minutes;
        let sign = if west < 0 { "-" } else { "" };
        let rule = format!(
            "STD{sign}{}:{:02}DST,M3.2.0,M11.1.0",
            west.abs() / 60,
            west.abs() % 60
        );
        Self::named(&rule)
    }

    /// The zone a settings table names: `time_zone`, or the old `utc_offset_minutes` (with
    /// `us_daylight_saving`), never both. `section` prefixes the error ("service_hours").
    pub fn from_settings(
        section: &str,
        time_zone: Option<Zone>,
        utc_offset_minutes: Option<i32>,
        us_daylight_saving: Option<bool>,
    ) -> Result<Zone, String> {
        let old = utc_offset_minutes.is_some() || us_daylight_saving.is_some();
        match (time_zone, old) {
            (Some(_), true) => Err(format!(
                "{section}: write time_zone only (an IANA name such as \"America/Los_Angeles\"); utc_offset_minutes and us_daylight_saving are the old way to say it"
            )),
            (Some(zone), false) => Ok(zone),
            (None, true) => Zone::from_offset(
                utc_offset_minutes.unwrap_or(0),
                us_daylight_saving.unwrap_or(false),
            )
            .map_err(|e| format!("{section}.{e}")),
            (None, false) => Err(format!(
                "{section}: time_zone is required (an IANA name such as \"America/Los_Angeles\")"
            )),
        }
    }

    /// The name as written.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The local date and time at `at`.
    pub fn local(&self, at: Timestamp) -> DateTime {
        self.tz.to_datetime(instant(at))
    }

    /// Milliseconds on the local wall clock at `at` (as if local time were UTC): its
    /// `div_euclid` by a day is the local day number, its remainder the time of day.
    pub fn local_millis(&self, at: Timestamp) -> i64 {
        let offset = self.tz.to_offset(instant(at));
        at.millis() + i64::from(offset.seconds()) * 1000
    }

    /// The instant a local wall-clock reading (as [`Zone::local_millis`] gives) names, read
    /// as [`Zone::instant`] does.
    pub fn from_local_millis(&self, local_ms: i64) -> Option<Timestamp> {
        self.instant(Zone::utc().local(Timestamp(local_ms)))
    }

    /// Local minutes since midnight at `at`.
    pub fn minute_of_day(&self, at: Timestamp) -> i64 {
        let t = self.local(at).time();
        i64::from(t.hour()) * 60 + i64::from(t.minute())
    }

    /// The local date at `at` as "YYYY-MM-DD".
    pub fn date(&self, at: Timestamp) -> String {
        self.local(at).date().to_string()
    }

    /// The instant local midnight begins `date` ("YYYY-MM-DD"); `None` when the text is not a
    /// date.
    pub fn midnight(&self, date: &str) -> Option<Timestamp> {
        // Only a date: jiff would also read the date of a whole date-time.
        let date = date.trim();
        if date.len() != 10 {
            return None;
        }
        let date: Date = date.parse().ok()?;
        self.instant(date.to_datetime(jiff::civil::Time::midnight()))
    }

    /// The instant a local date and time names. A time skipped by a daylight-saving switch
    /// is read as if the clock had not switched yet; a time that happens twice, as its first.
    pub fn instant(&self, local: DateTime) -> Option<Timestamp> {
        let ts = self.tz.to_timestamp(local).ok()?;
        Some(Timestamp(ts.as_millisecond()))
    }
}

/// jiff's instant for ours (ours always fits: milliseconds of a 64-bit range jiff covers
/// for every date a dispatch centre sees; out of range reads as the epoch).
fn instant(at: Timestamp) -> jiff::Timestamp {
    jiff::Timestamp::from_millisecond(at.millis()).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Zone").field(&self.name).finish()
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

impl Serialize for Zone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.name.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Zone::named(&name).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> Timestamp {
        let ts: jiff::Timestamp = text.parse().unwrap();
        Timestamp(ts.as_millisecond())
    }

    #[test]
    fn arizona_keeps_standard_time_all_year() {
        let phoenix = Zone::named("America/Phoenix").unwrap();
        let denver = Zone::named("America/Denver").unwrap();
        let summer = utc("2024-07-01T15:00:00Z");
        let winter = utc("2024-01-15T15:00:00Z");
        assert_eq!(phoenix.minute_of_day(summer), 8 * 60);
        assert_eq!(phoenix.minute_of_day(winter), 8 * 60);
        assert_eq!(
            denver.minute_of_day(summer),
            9 * 60,
            "Denver keeps summer time"
        );
        assert_eq!(denver.minute_of_day(winter), 8 * 60);
    }

    #[test]
    fn the_old_offset_keys_mean_what_they_meant() {
        let old = Zone::from_offset(-480, true).unwrap();
        let la = Zone::pacific();
        for at in [
            "2024-03-10T09:59:00Z",
            "2024-03-10T10:00:00Z",
            "2024-07-01T15:00:00Z",
            "2024-11-03T08:59:00Z",
            "2024-11-03T09:00:00Z",
            "2025-01-15T16:00:00Z",
        ] {
            assert_eq!(old.local(utc(at)), la.local(utc(at)), "{at}");
        }
        let india = Zone::from_offset(330, false).unwrap();
        assert_eq!(india.minute_of_day(utc("2024-01-01T00:00:00Z")), 330);
        assert!(Zone::from_offset(-9000, false).is_err());
    }

    #[test]
    fn unknown_names_are_refused_with_what_to_write() {
        let err = Zone::named("Pacific Time").unwrap_err();
        assert!(err.contains("America/Los_Angeles"), "{err}");
        let zone: Zone = serde_json::from_str("\"Europe/Berlin\"").unwrap();
        assert_eq!(zone.name(), "Europe/Berlin");
        assert!(serde_json::from_str::<Zone>("\"Mars/Olympus\"").is_err());
    }

    #[test]
    fn local_wall_clock_readings_round_trip() {
        let la = Zone::pacific();
        let at = utc("2024-07-01T15:30:00Z");
        let local = la.local_millis(at);
        assert_eq!(local, at.millis() - 7 * 3_600_000);
        assert_eq!(la.from_local_millis(local), Some(at));
    }

    #[test]
    fn midnights_and_dates_of_a_zone() {
        let la = Zone::pacific();
        assert_eq!(la.midnight("2024-07-01"), Some(utc("2024-07-01T07:00:00Z")));
        assert_eq!(la.date(utc("2024-07-01T06:59:00Z")), "2024-06-30");
        assert_eq!(la.midnight("2024-02-30"), None);
        assert_eq!(
            la.midnight("2024-07-01T08:00:00-07:00"),
            None,
            "a date only"
        );
    }
}
