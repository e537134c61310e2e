//! Reading a calls-for-service CSV with a source's mapping: every row becomes a call ready to
//! replay or a skipped row with its line number and reason. Nothing here panics on bad data.

use super::mapping::{HeaderError, RowProblem, SourceCall};
use super::source::Source;
use crate::nature_map::Nature;
use dispatch_core::Timestamp;
use dispatch_core::triage::TriageConfig;
use std::collections::HashMap;
use std::io::Read;

/// One call to replay: where it is in the file, what the source says, what the triage is sent.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplayCall {
    pub line: u64,
    pub call: SourceCall,
    pub nature: Nature,
}

/// A row that is not replayed, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub line: u64,
    pub reason: String,
}

/// What a file holds, in the data's time order.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// Data rows in the file (not counting the header).
    pub rows: usize,
    pub calls: Vec<ReplayCall>,
    pub skipped: Vec<Skipped>,
}

/// Why a file cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("the file has no header line (is it empty?)")]
    NoHeader,
    #[error("the header does not fit the {source_name} mapping: {error}")]
    Header {
        source_name: String,
        error: HeaderError,
    },
    #[error("reading line {line}: {message}")]
    Csv { line: u64, message: String },
}

/// Which part of the data to replay: calls received in `[start, end)`, the first `limit`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Window {
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
    pub limit: Option<usize>,
}

impl Loaded {
    /// Keeps the calls inside the window; returns how many were left out.
    pub fn keep(&mut self, window: Window) -> usize {
        let before = self.calls.len();
        self.calls.retain(|c| {
            window.start.is_none_or(|s| c.call.received_at >= s)
                && window.end.is_none_or(|e| c.call.received_at < e)
        });
        if let Some(limit) = window.limit {
            self.calls.truncate(limit);
        }
        before - self.calls.len()
    }
}

/// Line numbers from byte offsets: the csv reader does not count blank lines, and a report
/// must name the line an editor shows.
struct Lines<'a> {
    data: &'a [u8],
    counted_to: usize,
    line: u64,
}

impl Lines<'_> {
    fn at(&mut self, byte: u64) -> u64 {
        let mut byte = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.data.len());
        // A record's position may be at the blank lines before it.
        while matches!(self.data.get(byte), Some(b'\n' | b'\r')) {
            byte += 1;
        }
        if byte < self.counted_to {
            self.counted_to = 0;
            self.line = 1;
        }
        self.line += self.data[self.counted_to..byte]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64;
        self.counted_to = byte;
        self.line
    }
}

/// Reads every row. Rows are sorted by received time (stable: file order among equal
/// times), because exports are often newest first or in no order at all. The file is read
/// into memory whole (a year of a large city's calls is a few hundred MB at most).
pub fn read_calls(
    mut input: impl Read,
    source: &Source,
    rules: &TriageConfig,
) -> Result<Loaded, ReadError> {
    let mut data = Vec::new();
    input.read_to_end(&mut data).map_err(|e| ReadError::Csv {
        line: 1,
        message: e.to_string(),
    })?;
    let mut lines = Lines {
        data: &data,
        counted_to: 0,
        line: 1,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(&data[..]);
    let header = reader.headers().map_err(|e| csv_error(&e))?.clone();
    if header.is_empty() || (header.len() == 1 && header[0].trim().is_empty()) {
        return Err(ReadError::NoHeader);
    }
    let names: Vec<&str> = header.iter().collect();
    let columns = source
        .mapping
        .columns
        .resolve(&names)
        .map_err(|error| ReadError::Header {
            source_name: source.name.clone(),
            error,
        })?;
    let mut loaded = Loaded::default();
    let mut first_line_of: HashMap<String, u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = lines.at(reader.position().byte());
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                // A row that is not UTF-8 or not CSV is skipped; the reader goes on after it.
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    return Err(csv_error(&e));
                }
                loaded.rows += 1;
                let at = e.position().map_or(line, |p| lines.at(p.byte()));
                loaded.skipped.push(Skipped {
                    line: at,
                    reason: format!("row: {}", csv_message(&e)),
                });
                continue;
            }
        }
        let line = record.position().map_or(line, |p| lines.at(p.byte()));
        if record.len() == 1 && record[0].trim().is_empty() {
            continue; // a blank line
        }
        loaded.rows += 1;
        let call = match columns.read(&record, &source.mapping.time) {
            Ok(call) => call,
            Err(problem) => {
                loaded.skipped.push(skip(line, &problem));
                continue;
            }
        };
        if let Some(first) = first_line_of.get(&call.call_number) {
            loaded.skipped.push(Skipped {
                line,
                reason: format!(
                    "call_number: {:?} repeats the call of line {first}",
                    call.call_number
                ),
            });
            continue;
        }
        first_line_of.insert(call.call_number.clone(), line);
        let nature = match &source.nature {
            Some(map) => map.translate(rules, &call.nature_code, &call.nature_text),
            None => Nature {
                code: call.nature_code.clone(),
                text: call.nature_text.clone(),
                family: None,
            },
        };
        loaded.calls.push(ReplayCall { line, call, nature });
    }
    loaded.calls.sort_by_key(|c| (c.call.received_at, c.line));
    Ok(loaded)
}

fn skip(line: u64, problem: &RowProblem) -> Skipped {
    Skipped {
        line,
        reason: problem.to_string(),
    }
}

fn csv_error(e: &csv::Error) -> ReadError {
    ReadError::Csv {
        line: e.position().map_or(1, csv::Position::line),
        message: csv_message(e),
    }
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => {
            format!("field {} is not UTF-8 text", err.field() + 1)
        }
        csv::ErrorKind::Io(io) => io.to_string(),
        _ => e.to_string(),
    }
}
