//! Latency samples and their percentiles.

#[derive(Debug, Default)]
pub struct Samples(Vec<f64>);

impl Samples {
    pub fn push_ms(&mut self, ms: f64) {
        self.0.push(ms);
    }

    /// p50, p99, max in milliseconds (nearest rank), or nulls when empty.
    pub fn summary(&mut self) -> serde_json::Value {
        if self.0.is_empty() {
            return serde_json::json!({ "count": 0, "p50": null, "p99": null, "max": null });
        }
        self.0.sort_by(f64::total_cmp);
        let at = |q: f64| {
            let rank = ((q * self.0.len() as f64).ceil() as usize).clamp(1, self.0.len());
            (self.0[rank - 1] * 1000.0).round() / 1000.0
        };
        serde_json::json!({ "count": self.0.len(), "p50": at(0.50), "p99": at(0.99), "max": at(1.0) })
    }
}
