//! The demo CAD feed: calls whose type, priority and time-of-day pattern come from real
//! Seattle Police calls, placed in the demo's Portland service area, with synthetic callers
//! and CAD-style narratives. Deterministic for a seed.

use crate::geo::{self, point_in};
use crate::narrative::{Family, flags, narrative, place_type};
use crate::rng::Rng;
use crate::sample::{SampleCall, calls};
use dispatch_core::{CallDetails, Caller, GeoPoint, Location, NarrativeLine, Timestamp};

pub use crate::geo::portland_service_area;

/// One call as the CAD creates it, plus the narrative lines it appends later.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoCall {
    pub call_number: String,
    pub details: CallDetails,
    pub later_narrative: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct DemoFeed {
    rng: Rng,
    calls: Vec<SampleCall>,
    by_hour: Vec<Vec<usize>>,
    /// Share of the day's calls that arrive in each hour (sums to 1).
    hour_share: [f64; 24],
    area: Vec<GeoPoint>,
    issued: u64,
}

const STREETS: &[&str] = &[
    "SE HAWTHORNE BLVD",
    "SE DIVISION ST",
    "NE BROADWAY",
    "SW 3RD AVE",
    "NW 23RD AVE",
    "N LOMBARD ST",
    "NE SANDY BLVD",
    "SE 82ND AVE",
    "E BURNSIDE ST",
    "NE MARTIN LUTHER KING JR BLVD",
    "SW BROADWAY",
    "SE BELMONT ST",
    "N MISSISSIPPI AVE",
    "NE ALBERTA ST",
    "SE FOSTER RD",
    "NW GLISAN ST",
];
const SURNAMES: &[&str] = &[
    "ALVAREZ", "BAKER", "CHEN", "DIALLO", "EVANS", "FOX", "GARCIA", "HOANG", "IBRAHIM", "JONES",
    "KOWALSKI", "LOPEZ", "MORRIS", "NGUYEN", "OKAFOR", "PATEL",
];

impl DemoFeed {
    pub fn new(seed: u64) -> Self {
        let calls = calls();
        let mut by_hour = vec![Vec::new(); 24];
        for (i, c) in calls.iter().enumerate() {
            if let Some(h) = c.hour {
                by_hour[usize::from(h)].push(i);
            }
        }
        // Add-one smoothing: no hour of the day is ever silent.
        let total: usize = by_hour.iter().map(|v| v.len() + 1).sum();
        let mut hour_share = [0.0; 24];
        for (h, share) in hour_share.iter_mut().enumerate() {
            *share = (by_hour[h].len() + 1) as f64 / total as f64;
        }
        Self {
            rng: Rng::new(seed),
            calls,
            by_hour,
            hour_share,
            area: geo::portland_service_area(),
            issued: 0,
        }
    }

    /// The share of a day's calls that arrive in `local_hour`.
    pub fn hour_share(&self, local_hour: u8) -> f64 {
        self.hour_share[usize::from(local_hour % 24)]
    }

    pub fn mean_gap_secs(&self, local_hour: u8, calls_per_day: f64) -> f64 {
        3600.0 / (calls_per_day.max(f64::MIN_POSITIVE) * self.hour_share(local_hour))
    }

    /// Poisson arrivals: an exponential gap with the hour's mean.
    pub fn next_gap_secs(&mut self, local_hour: u8, calls_per_day: f64) -> f64 {
        -(1.0 - self.rng.unit()).ln() * self.mean_gap_secs(local_hour, calls_per_day)
    }

    pub fn next_call(&mut self, local_hour: u8) -> DemoCall {
        self.issued += 1;
        let hour_rows = &self.by_hour[usize::from(local_hour % 24)];
        // Half the calls come from the rows of this very hour, so the mix shifts over the day.
        let index = if !hour_rows.is_empty() && self.rng.chance(0.5) {
            hour_rows[self.rng.below(hour_rows.len())]
        } else {
            self.rng.below(self.calls.len())
        };
        let real = self.calls[index].clone();
        let family = Family::of(&real.call_type);
        let spanish = self.rng.chance(0.1);
        let (lines, later) = narrative(family, spanish, &mut self.rng);
        let street = self.rng.pick(STREETS);
        let cross = self.rng.pick(STREETS);
        let block = (1 + self.rng.below(40)) * 100;
        let location = Location {
            address: format!("{block} BLOCK {street}"),
            point: Some(point_in(&self.area, &mut self.rng)),
            place_type: place_type(family, &mut self.rng),
            cross_streets: if cross == street {
                String::new()
            } else {
                format!("{street} / {cross}")
            },
            beat: format!(
                "{}{}",
                ["E", "N", "C", "S"][self.rng.below(4)],
                1 + self.rng.below(9)
            ),
        };
        let caller = Caller {
            name: format!(
                "{}. {}",
                char::from(b'A' + self.rng.below(26) as u8),
                self.rng.pick(SURNAMES)
            ),
            callback: format!("503-555-01{:02}", self.rng.below(100)),
        };
        DemoCall {
            call_number: format!("D{:07}", self.issued),
            details: CallDetails {
                nature_code: family.code(&real.call_type),
                nature_text: real.call_type,
                cad_priority: real.priority,
                location,
                narrative: lines
                    .into_iter()
                    .map(|text| NarrativeLine {
                        at: Timestamp(0),
                        text,
                    })
                    .collect(),
                caller,
                caller_language: if spanish {
                    "es".to_owned()
                } else {
                    String::new()
                },
                flags: flags(family, &mut self.rng),
            },
            later_narrative: later,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn the_same_seed_gives_the_same_calls() {
        let (mut a, mut b) = (DemoFeed::new(9), DemoFeed::new(9));
        for h in 0..50u8 {
            assert_eq!(a.next_call(h % 24), b.next_call(h % 24));
        }
        assert_ne!(DemoFeed::new(1).next_call(3), DemoFeed::new(2).next_call(3));
    }

    #[test]
    fn every_call_is_inside_the_service_area_and_terse() {
        let mut feed = DemoFeed::new(3);
        let area = portland_service_area();
        let mut numbers = std::collections::HashSet::new();
        for i in 0..2000u32 {
            let call = feed.next_call((i % 24) as u8);
            let p = call.details.location.point.expect("a position");
            assert!(p.is_valid() && geo::contains(&area, p), "{p:?}");
            assert!(
                numbers.insert(call.call_number.clone()),
                "call numbers are unique"
            );
            for line in call
                .details
                .narrative
                .iter()
                .map(|l| &l.text)
                .chain(&call.later_narrative)
            {
                assert!(line.len() <= 200, "{line}");
            }
        }
    }

    #[test]
    fn the_hour_pattern_and_the_call_types_follow_the_sample() {
        let feed = DemoFeed::new(1);
        let sample = calls();
        let timed: Vec<_> = sample.iter().filter_map(|c| c.hour).collect();
        let busiest = (0..24u8)
            .max_by_key(|h| timed.iter().filter(|t| *t == h).count())
            .unwrap();
        let expected = (timed.iter().filter(|t| **t == busiest).count() + 1) as f64
            / (timed.len() + 24) as f64;
        assert!((feed.hour_share(busiest) - expected).abs() < 1e-9);
        let total: f64 = (0..24).map(|h| feed.hour_share(h)).sum();
        assert!((total - 1.0).abs() < 1e-9);
        assert!(
            feed.mean_gap_secs(busiest, 240.0) < feed.mean_gap_secs((busiest + 12) % 24, 240.0)
                || timed.is_empty()
        );

        // Over many calls from hours with no timed rows, types appear as often as in the sample.
        let mut feed = DemoFeed::new(5);
        let quiet = (0..24u8).find(|h| !timed.contains(h)).unwrap_or(0);
        let n = 20_000;
        let mut seen: HashMap<String, usize> = HashMap::new();
        for _ in 0..n {
            *seen
                .entry(feed.next_call(quiet).details.nature_text)
                .or_default() += 1;
        }
        let share = |t: &str, total: usize, count: usize| {
            count as f64 / total as f64
                - sample.iter().filter(|c| c.call_type == t).count() as f64 / sample.len() as f64
        };
        if !timed.contains(&quiet) {
            for (t, count) in &seen {
                assert!(
                    share(t, n, *count).abs() < 0.02,
                    "{t}: off by {}",
                    share(t, n, *count)
                );
            }
        }
    }
}
