//! PLACEHOLDER while the demo feed is written.
use dispatch_core::CallDetails;
pub struct DemoFeed(u64);
pub struct DemoCall {
    pub call_number: String,
    pub details: CallDetails,
    pub later_narrative: Vec<String>,
}
impl DemoFeed {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next_call(&mut self, _local_hour: u8) -> DemoCall {
        self.0 += 1;
        DemoCall {
            call_number: format!("D-{}", self.0),
            details: CallDetails::default(),
            later_narrative: vec![],
        }
    }
    pub fn next_gap_secs(&mut self, _h: u8, calls_per_day: f64) -> f64 {
        86400.0 / calls_per_day
    }
}
