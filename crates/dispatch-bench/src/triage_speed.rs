//! `dispatch-bench triage`: how fast the batch triage path is on one core, over calls from
//! the demo feed (real Seattle call types, CAD-style narratives).

use crate::machine;
use dispatch_core::triage::{TriageConfig, triage};
use std::time::Instant;
use synthetic_calls::DemoFeed;

pub fn run(calls: usize) -> serde_json::Value {
    let mut feed = DemoFeed::new(42);
    let mut sample: Vec<_> = (0..calls.clamp(1, 100_000))
        .map(|i| {
            let mut c = feed.next_call((i % 24) as u8);
            let later: Vec<_> = c.later_narrative.drain(..).collect();
            c.details.narrative.extend(later.into_iter().map(|text| {
                dispatch_core::NarrativeLine {
                    at: dispatch_core::Timestamp(0),
                    text,
                }
            }));
            c.details
        })
        .collect();
    let config = TriageConfig::default();
    // Warm up (and build the compiled lexicon) before timing.
    let _ = triage(&config, &sample[0]);
    let rounds = (1_000_000 / sample.len()).max(1);
    let started = Instant::now();
    let mut not_eligible = 0usize;
    for _ in 0..rounds {
        for call in &sample {
            if triage(&config, call).decision == dispatch_core::Decision::NotEligible {
                not_eligible += 1;
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let total = rounds * sample.len();
    sample.clear();
    serde_json::json!({
        "bench": "triage",
        "threads": 1,
        "calls": total,
        "seconds": (secs * 1000.0).round() / 1000.0,
        "calls_per_s": (total as f64 / secs).round(),
        "mean_us_per_call": (secs * 1e6 / total as f64 * 100.0).round() / 100.0,
        "share_not_eligible": (not_eligible as f64 / total as f64 * 1000.0).round() / 1000.0,
        "machine": machine::describe(),
    })
}
