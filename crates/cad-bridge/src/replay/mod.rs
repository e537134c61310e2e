//! Replay: a public calls-for-service CSV played to the server as the CAD would have sent
//! it, at real or accelerated pace, so an agency can watch a real day of its own calls flow
//! through triage. `read` maps rows (with the source's `mapping` and nature map), `events`
//! builds the CAD events, `pace` times them, `submit` sends them, `report` counts.

pub mod clock_time;
pub mod events;
pub mod mapping;
pub mod pace;
pub mod read;
pub mod report;
pub mod source;
pub mod submit;

pub use pace::Speed;
pub use read::Window;
pub use report::Report;
pub use source::Source;
pub use submit::{SubmitError, Target};

use dispatch_core::triage::TriageConfig;
use std::collections::BTreeMap;
use std::io::Read;

/// A file read, mapped and cut to its window: everything a replay will send.
#[derive(Debug)]
pub struct Plan {
    pub timeline: Vec<events::Timed>,
    pub report: Report,
}

/// Reads and maps a file; nothing is sent. Rows that cannot be mapped are in the report.
pub fn plan(
    input: impl Read,
    source: &Source,
    rules: &TriageConfig,
    window: Window,
) -> Result<Plan, read::ReadError> {
    let mut loaded = read::read_calls(input, source, rules)?;
    let outside_window = loaded.keep(window);
    let mut unmapped_types: BTreeMap<String, usize> = BTreeMap::new();
    if source.nature.is_some() {
        for c in loaded.calls.iter().filter(|c| c.nature.family.is_none()) {
            let name = if c.call.nature_code.is_empty() {
                c.call.nature_text.clone()
            } else {
                c.call.nature_code.clone()
            };
            *unmapped_types.entry(name).or_default() += 1;
        }
    }
    let report = Report {
        source: source.name.clone(),
        cad_source: source.mapping.source.clone(),
        rows: loaded.rows,
        skipped: loaded.skipped,
        outside_window,
        unmapped_types,
        mapped: loaded.calls.len(),
        ..Report::default()
    };
    Ok(Plan {
        timeline: events::timeline(&source.mapping.source, &loaded.calls),
        report,
    })
}

/// Sends a plan at `speed` and returns its report with the server's triage counts.
pub async fn run(plan: Plan, target: &Target, speed: Speed) -> Result<Report, SubmitError> {
    run_with_progress(plan, target, speed, &mut |_| {}).await
}

/// [`run`], calling `progress` with the report so far after every receipt.
pub async fn run_with_progress(
    plan: Plan,
    target: &Target,
    speed: Speed,
    progress: &mut (dyn FnMut(&Report) + Send),
) -> Result<Report, SubmitError> {
    let Plan {
        timeline,
        mut report,
    } = plan;
    submit::submit(target, timeline, speed, &mut report, progress).await?;
    Ok(report)
}

#[cfg(test)]
mod tests;
