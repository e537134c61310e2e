//! Pacing: when, after the replay starts, each call is due. The schedule is computed (a pure
//! function of the calls' own times and the speed), so it is tested without a clock; the
//! submitter only sleeps until each due offset.

use dispatch_core::Timestamp;
use std::str::FromStr;
use std::time::Duration;

/// How fast the data's day runs: `1x` real time, `60x` an hour a minute, `max` no waiting.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    Times(f64),
    Max,
}

impl FromStr for Speed {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("max") {
            return Ok(Speed::Max);
        }
        let bad = || format!("{s:?} is not a speed: write 1x (real time), 60x, 0.5x or max");
        let factor: f64 = s
            .strip_suffix(['x', 'X'])
            .ok_or_else(bad)?
            .parse()
            .map_err(|_| bad())?;
        if !factor.is_finite() || factor <= 0.0 || factor > 1e9 {
            return Err(bad());
        }
        Ok(Speed::Times(factor))
    }
}

impl std::fmt::Display for Speed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Speed::Times(x) => write!(f, "{x}x"),
            Speed::Max => f.write_str("max"),
        }
    }
}

/// How long after the start a call that happened at `at` is due, when the replay starts at
/// the data's time `origin` (the first call). Calls before the origin are due at once.
pub fn due_after(origin: Timestamp, at: Timestamp, speed: Speed) -> Duration {
    match speed {
        Speed::Max => Duration::ZERO,
        Speed::Times(factor) => {
            let data_ms = at.millis().saturating_sub(origin.millis()).max(0);
            // Whole microseconds: exact for every speed a person would type.
            Duration::from_micros((data_ms as f64 * 1000.0 / factor).round() as u64)
        }
    }
}

/// The due offsets of calls in time order, for a speed.
pub fn schedule(times: &[Timestamp], speed: Speed) -> Vec<Duration> {
    let Some(origin) = times.iter().min().copied() else {
        return Vec::new();
    };
    times.iter().map(|t| due_after(origin, *t, speed)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    #[test]
    fn speeds_parse_and_nonsense_is_refused_with_a_hint() {
        assert_eq!("60x".parse(), Ok(Speed::Times(60.0)));
        assert_eq!("1X".parse(), Ok(Speed::Times(1.0)));
        assert_eq!("0.5x".parse(), Ok(Speed::Times(0.5)));
        assert_eq!("MAX".parse(), Ok(Speed::Max));
        for bad in ["60", "x", "0x", "-2x", "fastx", "infx", "", "NaNx"] {
            let err = bad.parse::<Speed>().expect_err(bad);
            assert!(err.contains("write 1x"), "{err}");
        }
    }

    #[test]
    fn sixty_times_turns_an_hour_of_calls_into_a_minute() {
        let t0 = Timestamp(1_700_000_000_000);
        let times = [t0, t0.plus_millis(MIN), t0.plus_millis(60 * MIN)];
        assert_eq!(
            schedule(&times, Speed::Times(60.0)),
            vec![
                Duration::ZERO,
                Duration::from_secs(1),
                Duration::from_secs(60)
            ]
        );
        assert_eq!(
            schedule(&times, Speed::Times(1.0))[2],
            Duration::from_secs(3600)
        );
        assert!(schedule(&times, Speed::Max).iter().all(|d| d.is_zero()));
    }

    #[test]
    fn calls_at_the_same_moment_are_due_together_and_order_is_kept() {
        let t0 = Timestamp(0);
        let times = [t0, t0, t0.plus_millis(30_000), t0.plus_millis(30_000)];
        let s = schedule(&times, Speed::Times(2.0));
        assert_eq!(s[0], s[1]);
        assert_eq!(s[2], Duration::from_secs(15));
        assert!(s.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn a_day_at_real_time_lasts_a_day() {
        let t0 = Timestamp(0);
        assert_eq!(
            due_after(t0, t0.plus_hours(24), Speed::Times(1.0)),
            Duration::from_secs(86_400)
        );
        assert_eq!(
            due_after(t0.plus_hours(1), t0, Speed::Times(1.0)),
            Duration::ZERO
        );
        assert!(schedule(&[], Speed::Max).is_empty());
    }
}
