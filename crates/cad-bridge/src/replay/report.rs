//! What a replay did: rows read and skipped (with line and reason), calls sent, and the
//! server's triage of each sent call as its receipt gave it.

use super::read::Skipped;
use dispatch_proto::v1;
use std::collections::BTreeMap;
use std::fmt;

/// One event the server did not take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub line: u64,
    pub event_id: String,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The source's name and the CAD source the calls went in under.
    pub source: String,
    pub cad_source: String,
    /// Data rows in the file.
    pub rows: usize,
    /// Rows that could not be mapped to a call.
    pub skipped: Vec<Skipped>,
    /// Calls left out by --start / --end / --limit.
    pub outside_window: usize,
    /// Calls whose creation the server acknowledged (new or already known).
    pub sent: usize,
    pub eligible: usize,
    pub review: usize,
    /// Not eligible: the call goes to police, fire, EMS or another agency.
    pub declined: usize,
    /// Calls the server had already (a re-run of the same data): counted in `sent` and in
    /// their decision too.
    pub already_known: usize,
    /// Close events the server acknowledged.
    pub closed: usize,
    /// Events the server refused or that could not be delivered.
    pub failures: Vec<Failure>,
    /// Times the submission stream broke and was opened again (events without a receipt
    /// were re-sent; the server took each once).
    pub reconnects: usize,
    /// Call types the nature map does not know, with how many calls had each.
    pub unmapped_types: BTreeMap<String, usize>,
    /// Whether the calls were only read and mapped (`--dry-run`), not sent.
    pub dry_run: bool,
    /// Calls that would have been sent in a dry run.
    pub mapped: usize,
}

impl Report {
    /// Counts one acknowledged creation by the triage its receipt carries.
    pub fn count_created(&mut self, receipt: &v1::SubmitReceipt) {
        self.sent += 1;
        if receipt.duplicate {
            self.already_known += 1;
        }
        let decision = receipt
            .triage
            .as_ref()
            .and_then(|t| v1::Decision::try_from(t.decision).ok());
        match decision {
            Some(v1::Decision::Eligible) => self.eligible += 1,
            Some(v1::Decision::Review) => self.review += 1,
            Some(v1::Decision::NotEligible) => self.declined += 1,
            // A receipt without a triage is counted as sent but in no decision; the
            // difference shows in the report rather than being guessed.
            Some(v1::Decision::Unspecified) | None => {}
        }
    }

    /// Whether everything readable went in: no failures (skipped rows are the data's fault
    /// and are reported, not fatal).
    pub fn all_delivered(&self) -> bool {
        self.failures.is_empty()
    }
}

impl Report {
    /// One line of running totals, for progress during a long replay.
    pub fn totals(&self) -> String {
        format!(
            "{} calls sent: {} eligible, {} review, {} declined; {} failed",
            self.sent,
            self.eligible,
            self.review,
            self.declined,
            self.failures.len()
        )
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "replay of {} (CAD source {:?}){}",
            self.source,
            self.cad_source,
            if self.dry_run {
                ", dry run: nothing sent"
            } else {
                ""
            }
        )?;
        writeln!(f, "  rows read         {:>7}", self.rows)?;
        writeln!(f, "  rows skipped      {:>7}", self.skipped.len())?;
        if self.outside_window > 0 {
            writeln!(f, "  outside window    {:>7}", self.outside_window)?;
        }
        if self.dry_run {
            writeln!(f, "  calls mapped      {:>7}", self.mapped)?;
        } else {
            writeln!(f, "  calls sent        {:>7}", self.sent)?;
            writeln!(f, "    eligible        {:>7}", self.eligible)?;
            writeln!(f, "    review          {:>7}", self.review)?;
            writeln!(
                f,
                "    declined        {:>7}  (not eligible)",
                self.declined
            )?;
            if self.already_known > 0 {
                writeln!(
                    f,
                    "    already known   {:>7}  (sent before: nothing changed)",
                    self.already_known
                )?;
            }
            writeln!(f, "  calls closed      {:>7}", self.closed)?;
            writeln!(f, "  failed            {:>7}", self.failures.len())?;
            if self.reconnects > 0 {
                writeln!(
                    f,
                    "  stream reopened   {:>7}  (unacknowledged events re-sent)",
                    self.reconnects
                )?;
            }
        }
        if !self.unmapped_types.is_empty() {
            let calls: usize = self.unmapped_types.values().sum();
            writeln!(
                f,
                "  {} calls of {} call types are not in the nature map (the triage reads their words):",
                calls,
                self.unmapped_types.len()
            )?;
            let mut by_count: Vec<_> = self.unmapped_types.iter().collect();
            by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            for (t, n) in by_count.iter().take(10) {
                writeln!(f, "    {n:>6}  {t}")?;
            }
        }
        for s in self.skipped.iter().take(20) {
            writeln!(f, "  skipped line {}: {}", s.line, s.reason)?;
        }
        if self.skipped.len() > 20 {
            writeln!(f, "  ... and {} more skipped rows", self.skipped.len() - 20)?;
        }
        for x in self.failures.iter().take(20) {
            writeln!(
                f,
                "  failed line {} ({}): {}",
                x.line, x.event_id, x.message
            )?;
        }
        if self.failures.len() > 20 {
            writeln!(f, "  ... and {} more failures", self.failures.len() - 20)?;
        }
        Ok(())
    }
}
