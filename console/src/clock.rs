//! Time as the console shows it: journal timestamps in milliseconds, ages and countdowns in
//! words, and the program's local time of day (its time zone, as the server's service hours
//! name it) so "due today" means the peer's day.

use dispatch_core::Timestamp;
use dispatch_core::zone::Zone;

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

/// The program's local time: its time zone (an IANA name, read with the core's [`Zone`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalTime(pub Zone);

impl LocalTime {
    pub const UTC: LocalTime = LocalTime(Zone::UTC);

    /// Pacific time: the demo's city.
    pub fn pacific() -> Self {
        Self(Zone::pacific())
    }

    /// Milliseconds on the local wall clock.
    fn local_ms(&self, ms: i64) -> i64 {
        self.0.local_millis(Timestamp(ms))
    }

    /// The local calendar day number (days since 1970-01-01), for "today" and "tomorrow".
    pub fn day(&self, ms: i64) -> i64 {
        self.local_ms(ms).div_euclid(86_400_000)
    }

    /// "14:05".
    pub fn hhmm(&self, ms: i64) -> String {
        let m = self.local_ms(ms).div_euclid(60_000).rem_euclid(1440);
        format!("{:02}:{:02}", m / 60, m % 60)
    }

    /// "Dec 03 14:05".
    pub fn date_time(&self, ms: i64) -> String {
        let date = self.0.local(Timestamp(ms)).date();
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let name = MONTHS[(date.month() as usize).clamp(1, 12) - 1];
        format!("{name} {:02} {}", date.day(), self.hhmm(ms))
    }

    /// The UTC milliseconds of local `hour`:00 on local day `day`.
    pub fn at_hour(&self, day: i64, hour: i64) -> i64 {
        let local = (day * 24 + hour) * 3_600_000;
        self.0
            .from_local_millis(local)
            .map_or(local, Timestamp::millis)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i16, mo: i8, d: i8, h: i8, mi: i8) -> i64 {
        let at = Zone::utc().instant(jiff_datetime(y, mo, d, h, mi));
        at.map_or(0, Timestamp::millis)
    }

    fn jiff_datetime(y: i16, mo: i8, d: i8, h: i8, mi: i8) -> dispatch_core::zone::DateTime {
        dispatch_core::zone::DateTime::new(y, mo, d, h, mi, 0, 0).unwrap()
    }

    #[test]
    fn pacific_time_follows_daylight_saving() {
        let p = LocalTime::pacific();
        assert_eq!(p.hhmm(utc(2024, 7, 1, 15, 0)), "08:00");
        assert_eq!(p.hhmm(utc(2024, 1, 15, 16, 0)), "08:00");
        assert_eq!(p.date_time(utc(2024, 1, 15, 7, 59)), "Jan 14 23:59");
    }

    #[test]
    fn a_named_zone_without_daylight_saving() {
        let phoenix = LocalTime(Zone::named("America/Phoenix").unwrap());
        assert_eq!(phoenix.hhmm(utc(2024, 7, 1, 15, 0)), "08:00");
        assert_eq!(phoenix.hhmm(utc(2024, 1, 15, 15, 0)), "08:00");
    }

    #[test]
    fn at_hour_is_the_local_hour_in_summer_and_winter() {
        let p = LocalTime::pacific();
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
