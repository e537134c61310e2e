//! The demo CAD feed: calls whose type, priority and time-of-day pattern come from real
//! Seattle Police calls (`data/seattle-calls-sample.csv`), placed in the demo's Portland
//! service area, with synthetic callers and CAD-style narratives. Deterministic for a seed.

use crate::narrative::Scene;
use crate::nature::{classify, stated};
use crate::rng::Rng;
use crate::sample::{SampleCall, calls};
use crate::says::Line;
use crate::{area, caller, place, safety};
use dispatch_core::{CallDetails, GeoPoint, Location, NarrativeLine, Timestamp};

pub use crate::area::portland_service_area;

/// One call as the CAD creates it, plus the narrative lines it appends later.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoCall {
    /// Unique within a feed, CAD-like ("D0000123").
    pub call_number: String,
    pub details: CallDetails,
    /// Lines the CAD appends a little after the call (0-2), in order.
    pub later_narrative: Vec<String>,
}

/// A seeded generator of demo calls and of the gaps between them.
#[derive(Clone, Debug)]
pub struct DemoFeed {
    rng: Rng,
    calls: Vec<SampleCall>,
    /// Indexes of the sample rows queued in each hour of the day.
    by_hour: Vec<Vec<usize>>,
    /// Share of the day's calls that arrive in each hour (sums to 1).
    hour_share: [f64; 24],
    area: Vec<GeoPoint>,
    issued: u64,
}

/// How strongly a call's type follows its hour: an hour with `n` timed rows draws
/// `n / (n + HOUR_PULL)` of its calls from those rows and the rest from the whole sample.
/// Only a fifth of the sample has a time, and some hours have a single row; drawing only
/// from those would repeat one call type all hour and leave the undated rows unused.
const HOUR_PULL: f64 = 6.0;

impl DemoFeed {
    /// A feed over the embedded sample. The same seed gives the same calls and gaps.
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
            area: area::portland_service_area(),
            issued: 0,
        }
    }

    /// The share of a day's calls that arrive in `local_hour` (0..=23, wrapping), from the
    /// real calls' queue times (plus one call per hour, so no hour is silent).
    pub fn hour_share(&self, local_hour: u8) -> f64 {
        self.hour_share[usize::from(local_hour % 24)]
    }

    /// Mean seconds between calls at this hour at 1x speed, from the hour-of-day pattern of
    /// the real data scaled so that a whole day holds `calls_per_day` calls. Infinite when
    /// `calls_per_day` is not positive (no calls).
    pub fn mean_gap_secs(&self, local_hour: u8, calls_per_day: f64) -> f64 {
        if calls_per_day.is_nan() || calls_per_day <= 0.0 {
            return f64::INFINITY;
        }
        3600.0 / (calls_per_day * self.hour_share(local_hour))
    }

    /// A random exponential gap with that mean (Poisson arrivals).
    pub fn next_gap_secs(&mut self, local_hour: u8, calls_per_day: f64) -> f64 {
        // 1 - u is in (0, 1], so the logarithm is finite.
        -(1.0 - self.rng.unit()).ln() * self.mean_gap_secs(local_hour, calls_per_day)
    }

    /// Of the calls at this hour, the share drawn from the sample rows of that very hour.
    fn hour_pull(&self, local_hour: u8) -> f64 {
        let n = self.by_hour[usize::from(local_hour % 24)].len() as f64;
        n / (n + HOUR_PULL)
    }

    /// The next call. `local_hour` (0..=23) is the hour of the day in the demo's local time;
    /// calls are drawn from the sample rows of that hour when there are some (blended with
    /// the whole sample, see `HOUR_PULL`), so the mix shifts over the day.
    pub fn next_call(&mut self, local_hour: u8) -> DemoCall {
        self.issued += 1;
        let pull = self.hour_pull(local_hour);
        let hour_rows = &self.by_hour[usize::from(local_hour % 24)];
        let index = if self.rng.chance(pull) {
            hour_rows[self.rng.below(hour_rows.len())]
        } else {
            self.rng.below(self.calls.len())
        };
        let real = &self.calls[index];
        let (family, nature_code) = classify(&real.call_type);
        let rng = &mut self.rng;

        let place_type = place::place_type(family, rng);
        let point = area::point_in(&self.area, rng);
        let (address, cross_streets) = place::address(point, place_type, rng);
        let spanish = caller::speaks_spanish(rng);
        let stated = stated(&real.call_type);
        let scene = Scene::new(family, stated, place_type, rng);
        let opening = scene.opening(spanish, rng);
        let flags = safety::screen(family, stated, place_type, &opening, rng);
        let later_narrative = scene.later(&flags, rng);
        let caller = caller::caller(spanish, rng);

        DemoCall {
            call_number: format!("D{:07}", self.issued),
            details: CallDetails {
                nature_code,
                nature_text: real.call_type.clone(),
                cad_priority: real.priority,
                location: Location {
                    address,
                    point: Some(point),
                    place_type,
                    cross_streets,
                    beat: place::beat(point),
                },
                narrative: opening
                    .into_iter()
                    .map(|Line { text, .. }| NarrativeLine {
                        // The server stamps the lines when it receives them.
                        at: Timestamp(0),
                        text,
                    })
                    .collect(),
                caller,
                caller_language: caller::language(spanish),
                flags,
            },
            later_narrative,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dispatch_core::triage::TriageConfig;
    use dispatch_core::{Answer, DangerFlag, PlaceType};
    use std::collections::{HashMap, HashSet};

    /// Point in polygon by ray casting, written again here so the test does not lean on the
    /// code it checks.
    fn inside(ring: &[GeoPoint], p: GeoPoint) -> bool {
        let mut inside = false;
        for w in ring.windows(2) {
            let (a, b) = (w[0], w[1]);
            if (a.lat > p.lat) != (b.lat > p.lat)
                && p.lon < a.lon + (p.lat - a.lat) / (b.lat - a.lat) * (b.lon - a.lon)
            {
                inside = !inside;
            }
        }
        inside
    }

    fn all_lines(call: &DemoCall) -> Vec<&str> {
        call.details
            .narrative
            .iter()
            .map(|l| l.text.as_str())
            .chain(call.later_narrative.iter().map(String::as_str))
            .collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_calls_and_gaps() {
        let (mut a, mut b) = (DemoFeed::new(9), DemoFeed::new(9));
        for h in 0..100u8 {
            assert_eq!(a.next_call(h % 24), b.next_call(h % 24));
            assert_eq!(
                a.next_gap_secs(h % 24, 200.0),
                b.next_gap_secs(h % 24, 200.0)
            );
        }
        let one: Vec<_> = (0..5).map(|_| DemoFeed::new(1).next_call(3)).collect();
        assert!(one.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(DemoFeed::new(1).next_call(3), DemoFeed::new(2).next_call(3));
    }

    #[test]
    fn the_service_area_is_a_closed_ring_around_central_portland() {
        let ring = portland_service_area();
        assert!(ring.len() >= 4);
        assert_eq!(ring.first(), ring.last());
        let downtown = GeoPoint {
            lat: 45.5152,
            lon: -122.6784,
        };
        assert!(inside(&ring, downtown) && area::contains(&ring, downtown));
        let seattle = GeoPoint {
            lat: 47.6062,
            lon: -122.3321,
        };
        assert!(!inside(&ring, seattle) && !area::contains(&ring, seattle));
    }

    #[test]
    fn every_call_is_well_formed_inside_the_area_and_terse() {
        let mut feed = DemoFeed::new(3);
        let area = portland_service_area();
        let mut numbers = HashSet::new();
        let mut spanish = 0;
        let mut places: HashMap<PlaceType, usize> = HashMap::new();
        for i in 0..2000u32 {
            let call = feed.next_call((i % 24) as u8);
            let d = &call.details;
            let p = d.location.point.expect("a position");
            assert!(
                p.is_valid() && inside(&area, p) && area::contains(&area, p),
                "{p:?}"
            );
            assert!(
                numbers.insert(call.call_number.clone()),
                "call numbers are unique"
            );
            assert!((1..=3).contains(&d.narrative.len()));
            assert!(call.later_narrative.len() <= 2);
            assert!(d.narrative.iter().all(|l| l.at == Timestamp(0)));
            for line in all_lines(&call) {
                assert!(!line.is_empty() && line.len() <= 200, "{line}");
            }
            assert!(!d.nature_code.is_empty() && !d.location.address.is_empty());
            assert!(d.caller.callback.starts_with("503-555-01"));
            let lang_line = d.narrative.iter().any(|l| l.text.contains("LANG LINE"));
            match d.caller_language.as_str() {
                "" => assert!(!lang_line),
                "es" => {
                    assert!(lang_line);
                    spanish += 1;
                }
                other => panic!("language {other}"),
            }
            *places.entry(d.location.place_type).or_default() += 1;
        }
        assert!(
            (100..300).contains(&spanish),
            "{spanish} Spanish-speaking callers"
        );
        let share = |t| places.get(&t).copied().unwrap_or(0) as f64 / 2000.0;
        assert!(share(PlaceType::OutdoorPublic) + share(PlaceType::Business) > 0.6);
        assert!((0.05..0.3).contains(&share(PlaceType::PrivateResidence)));
        assert!((0.005..0.1).contains(&share(PlaceType::Roadway)));
    }

    #[test]
    fn the_hour_of_day_weights_come_from_the_sample() {
        let feed = DemoFeed::new(1);
        let timed: Vec<u8> = calls().iter().filter_map(|c| c.hour).collect();
        assert!(timed.len() > 100);
        let count = |h: u8| timed.iter().filter(|t| **t == h).count();
        let busiest = (0..24u8).max_by_key(|h| count(*h)).expect("24 hours");
        let expected = (count(busiest) + 1) as f64 / (timed.len() + 24) as f64;
        assert!((feed.hour_share(busiest) - expected).abs() < 1e-12);
        for h in 0..24 {
            assert!(feed.hour_share(h) <= feed.hour_share(busiest));
        }
        let total: f64 = (0..24).map(|h| feed.hour_share(h)).sum();
        assert!((total - 1.0).abs() < 1e-9);

        // A whole day at these gaps holds `calls_per_day` calls.
        let per_day: f64 = (0..24).map(|h| 3600.0 / feed.mean_gap_secs(h, 240.0)).sum();
        assert!((per_day - 240.0).abs() < 1e-6, "{per_day}");
        let quietest = (0..24u8).min_by_key(|h| count(*h)).expect("24 hours");
        assert!(feed.mean_gap_secs(busiest, 240.0) < feed.mean_gap_secs(quietest, 240.0));
        assert!(feed.mean_gap_secs(busiest, 0.0).is_infinite());
    }

    #[test]
    fn gaps_are_exponential_with_the_hours_mean() {
        let mut feed = DemoFeed::new(8);
        let mean = feed.mean_gap_secs(18, 300.0);
        let n = 20_000;
        let gaps: Vec<f64> = (0..n).map(|_| feed.next_gap_secs(18, 300.0)).collect();
        assert!(gaps.iter().all(|g| g.is_finite() && *g >= 0.0));
        let avg = gaps.iter().sum::<f64>() / f64::from(n);
        assert!((avg / mean - 1.0).abs() < 0.03, "{avg} vs {mean}");
        // Exponential: about e^-1 of the gaps are longer than the mean.
        let longer = gaps.iter().filter(|g| **g > mean).count() as f64 / f64::from(n);
        assert!((longer - (-1.0f64).exp()).abs() < 0.02, "{longer}");
    }

    #[test]
    fn over_2000_calls_the_call_types_match_the_sample() {
        let sample = calls();
        let mut feed = DemoFeed::new(5);
        let n = 2000;
        let mut seen: HashMap<String, f64> = HashMap::new();
        let mut expected: HashMap<String, f64> = HashMap::new();
        let real: HashSet<(String, u32)> = sample
            .iter()
            .map(|c| (c.call_type.clone(), c.priority))
            .collect();
        for i in 0..n {
            let hour = (i % 24) as u8;
            let call = feed.next_call(hour);
            let key = (call.details.nature_text.clone(), call.details.cad_priority);
            assert!(
                real.contains(&key),
                "{key:?} is a real call type and priority"
            );
            *seen.entry(key.0).or_default() += 1.0 / f64::from(n);
            // What this hour should give: its own rows blended with the whole sample.
            let pull = feed.hour_pull(hour);
            let rows = &feed.by_hour[usize::from(hour)];
            for (j, c) in sample.iter().enumerate() {
                let mut p = (1.0 - pull) / sample.len() as f64;
                if rows.contains(&j) {
                    p += pull / rows.len() as f64;
                }
                *expected.entry(c.call_type.clone()).or_default() += p / f64::from(n);
            }
        }
        let mut distance = 0.0;
        for (t, want) in &expected {
            let got = seen.get(t).copied().unwrap_or(0.0);
            // Four standard deviations of a share over n calls, and a little slack.
            let tolerance = 4.0 * (want * (1.0 - want) / f64::from(n)).sqrt() + 0.003;
            assert!((got - want).abs() < tolerance, "{t}: {got:.3} vs {want:.3}");
            distance += (got - want).abs() / 2.0;
        }
        assert!(distance < 0.1, "total variation distance {distance:.3}");
        // The most common type of the sample is the most common type of the feed.
        let top = |m: &HashMap<String, f64>| {
            m.iter()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map(|(t, _)| t.clone())
        };
        assert_eq!(top(&seen), top(&expected));
    }

    #[test]
    fn the_flags_agree_with_the_narrative_and_the_call_type() {
        use dispatch_core::triage::danger::{Severity, Source};
        let model = TriageConfig::default().danger;
        let mut feed = DemoFeed::new(12);
        let mut crisis = 0;
        let mut crisis_clear = 0;
        for i in 0..2000u32 {
            let call = feed.next_call((i % 24) as u8);
            let d = &call.details;
            // The feed never answers "no" to a danger its own narrative asserts (as the danger
            // model reads it; the model reads more than the feed's templates flag, so an
            // unknown answer is fine).
            let lines = all_lines(&call);
            let texts: Vec<(Source, &str)> =
                lines.iter().map(|l| (Source::Narrative, *l)).collect();
            for hit in model.assess(&texts).asserted {
                let Some(flag) = hit.concept.group.flag() else {
                    continue;
                };
                // Violence and medical signs the model reads far more widely than the feed's
                // templates flag (a court order to serve, a car that hit a car).
                if matches!(flag, DangerFlag::Violence | DangerFlag::Medical) {
                    continue;
                }
                if hit.concept.severity != Severity::NotEligible {
                    continue;
                }
                let answer = d.flags.get(flag);
                assert!(
                    answer != Answer::No || hit.evidence.contains("UNK"),
                    "{} / {:?} = {answer:?}: {}",
                    d.nature_text,
                    flag,
                    hit.evidence
                );
            }
            let yes = |f| d.flags.get(f) == Answer::Yes;
            match d.nature_code.as_str() {
                "ASLT" | "FIGHT" | "ROBBERY" | "THREAT" | "RAPE" | "SXASLT" => {
                    assert!(yes(DangerFlag::Violence), "{}", d.nature_text);
                }
                "SHOTS" | "SHOOT" | "WEAPON" => assert!(yes(DangerFlag::Weapon)),
                "SUICTHRT" => assert!(yes(DangerFlag::Suicidal)),
                "OD" => assert!(yes(DangerFlag::Medical)),
                "BURN" | "ARSON" => assert!(yes(DangerFlag::Fire)),
                "MVC" | "DUI" | "TRAF" => assert!(yes(DangerFlag::Traffic)),
                "CRISIS" => {
                    crisis += 1;
                    if DangerFlag::ALL.iter().all(|f| !yes(*f)) {
                        crisis_clear += 1;
                    }
                }
                _ => {}
            }
            if d.nature_text.contains("WITH WEAPONS") {
                assert!(yes(DangerFlag::Weapon));
            }
            if d.nature_text.contains("(NO WEAPONS)") {
                assert!(!yes(DangerFlag::Weapon));
            }
            if d.location.place_type == PlaceType::Roadway {
                assert!(yes(DangerFlag::Traffic));
            }
        }
        assert!(crisis > 10, "{crisis} crisis calls");
        assert!(
            crisis_clear * 10 >= crisis * 9,
            "crisis calls are mostly no/unknown"
        );
    }
}
