//! How long `Reports.Utilization` takes on the journal a scenario just wrote: the report reads
//! the whole journal from the start, so this is its cost at that journal's size.

use crate::stats::Samples;
use dispatch_proto::convert::to_proto_time;
use dispatch_proto::v1::{self, reports_client::ReportsClient};
use std::time::Instant;
use tonic::transport::Channel;

/// Three reports over the whole run; their latency, the journal's size and the calls counted.
pub async fn measure(channel: Channel, token: &str) -> anyhow::Result<serde_json::Value> {
    let now = dispatch_server::clock::now();
    let request = v1::UtilizationRequest {
        from: Some(to_proto_time(now.plus_hours(-24))),
        to: Some(to_proto_time(now.plus_hours(1))),
    };
    let mut client = ReportsClient::new(channel);
    let mut samples = Samples::default();
    let mut last = v1::UtilizationReport::default();
    for _ in 0..3 {
        let t0 = Instant::now();
        last = client
            .utilization(super::scenario::authed(request, token))
            .await?
            .into_inner();
        samples.push_ms(t0.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(serde_json::json!({
        "journal_entries": last.journal_seq,
        "calls_counted": last.totals.map_or(0, |t| t.calls_received),
        "latency_ms": samples.summary(),
    }))
}
