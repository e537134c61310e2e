//! `dispatch-server triage`: triage calls in bulk, for evaluation and for agencies tuning their
//! rules. JSON lines in (stdin or `--input`), one JSON line out per call (stdout); a line that
//! cannot be read gets an error line on stderr naming its call id (or line number) and the
//! rest go on; the exit code says whether any line failed.

use dispatch_core::triage::danger::learned;
use dispatch_core::triage::{TriageConfig, triage_at};
use dispatch_core::{
    CallDetails, GeoPoint, Location, NarrativeLine, PlaceType, SafetyFlags, Timestamp,
};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct TriageArgs {
    /// Triage rules (TOML, the `[policy.triage]` table of the server config on its own);
    /// the shipped rules when not given.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// JSON lines to read (default: standard input).
    #[arg(long)]
    pub input: Option<PathBuf>,
}

/// One call to triage. Every field but `call_id` is optional; unknown fields are ignored.
#[derive(Debug, Deserialize)]
struct Input {
    call_id: serde_json::Value,
    received_at: Option<String>,
    #[serde(default)]
    nature_code: String,
    #[serde(default)]
    nature_text: String,
    cad_priority: Option<u32>,
    narrative: Option<Narrative>,
    location: Option<InputLocation>,
    #[serde(default)]
    flags: SafetyFlags,
    #[serde(default)]
    caller_language: String,
}

/// A narrative as one string or as lines.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Narrative {
    One(String),
    Lines(Vec<String>),
}

#[derive(Debug, Default, Deserialize)]
struct InputLocation {
    #[serde(default)]
    address: String,
    lat: Option<f64>,
    lon: Option<f64>,
    #[serde(default)]
    place_type: PlaceType,
}

#[derive(Serialize)]
struct Output<'a> {
    call_id: &'a serde_json::Value,
    decision: dispatch_core::Decision,
    route: dispatch_core::Route,
    priority: u32,
    reasons: &'a [dispatch_core::Reason],
}

pub fn run(args: TriageArgs) -> anyhow::Result<ExitCode> {
    let config = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
            toml::from_str::<TriageConfig>(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        }
        None => TriageConfig::default(),
    };
    let reader: Box<dyn BufRead> = match &args.input {
        Some(path) => {
            Box::new(BufReader::new(std::fs::File::open(path).map_err(|e| {
                anyhow::anyhow!("cannot open {}: {e}", path.display())
            })?))
        }
        None => Box::new(BufReader::new(std::io::stdin().lock())),
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut err = std::io::stderr().lock();
    let mut failed = 0u64;
    for (n, line) in reader.lines().enumerate() {
        let number = n + 1;
        let line = line.map_err(|e| anyhow::anyhow!("reading line {number}: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        match parse(&line) {
            Ok((call_id, call, received_at)) => {
                let t = triage_at(&config, &call, received_at);
                let output = Output {
                    call_id: &call_id,
                    decision: t.decision,
                    route: t.route,
                    priority: t.priority,
                    reasons: &t.reasons,
                };
                serde_json::to_writer(&mut out, &output)?;
                out.write_all(b"\n")?;
            }
            Err((call_id, message)) => {
                failed += 1;
                let report =
                    serde_json::json!({ "line": number, "call_id": call_id, "error": message });
                writeln!(err, "{report}")?;
            }
        }
    }
    out.flush()?;
    if failed > 0 {
        writeln!(err, "{failed} line(s) could not be triaged")?;
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Clone, clap::Args)]
pub struct LearnArgs {
    /// Labelled calls: the triage input with `"expected": {"decision": ...}` on each line
    /// (the format of eval/*.jsonl). Repeat for several files.
    #[arg(long, required = true)]
    pub input: Vec<PathBuf>,
    /// Where to write the weights (the shipped ones are
    /// crates/dispatch-core/src/triage/danger/learned.tsv).
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Deserialize)]
struct Labelled {
    expected: Expected,
}

#[derive(Deserialize)]
struct Expected {
    decision: dispatch_core::Decision,
}

/// `dispatch-server triage-learn`: fits the learned screen to labelled calls. Every line must
/// read; a bad one stops the run naming its file and line, and nothing is written.
pub fn run_learn(args: LearnArgs) -> anyhow::Result<ExitCode> {
    let model = TriageConfig::default().danger;
    let mut examples = Vec::new();
    for path in &args.input {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let at = || format!("{} line {}", path.display(), n + 1);
            let (_, call, _) =
                parse(line).map_err(|(_, why)| anyhow::anyhow!("{}: {why}", at()))?;
            let label: Labelled = serde_json::from_str(line)
                .map_err(|e| anyhow::anyhow!("{}: expected.decision: {e}", at()))?;
            let dangerous = label.expected.decision != dispatch_core::Decision::Eligible;
            let lines: Vec<&str> = call.narrative.iter().map(|l| l.text.as_str()).collect();
            examples.push(learned::Example {
                features: model.learning_features(&lines),
                dangerous,
            });
        }
    }
    if examples.is_empty() {
        anyhow::bail!("no labelled calls in the input");
    }
    let trained = learned::train(&examples);
    let sources: Vec<String> = args.input.iter().map(|p| p.display().to_string()).collect();
    let dangerous = examples.iter().filter(|e| e.dangerous).count();
    let header = format!(
        "Learned screen weights (docs/triage.md), written by `dispatch-server triage-learn`.\n\
         Trained on {} calls ({dangerous} not eligible or review): {}",
        examples.len(),
        sources.join(" ")
    );
    std::fs::write(&args.out, trained.to_tsv(&header))
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", args.out.display()))?;
    eprintln!(
        "{} calls ({dangerous} dangerous), {} features: weights written to {}",
        examples.len(),
        trained.weights.len(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

type Bad = (serde_json::Value, String);

fn parse(line: &str) -> Result<(serde_json::Value, CallDetails, Option<Timestamp>), Bad> {
    let input: Input = serde_json::from_str(line).map_err(|e| {
        // Name the call if at least its id can be read.
        let id = serde_json::from_str::<serde_json::Value>(line)
            .ok()
            .and_then(|v| v.get("call_id").cloned())
            .unwrap_or(serde_json::Value::Null);
        (id, e.to_string())
    })?;
    let id = input.call_id.clone();
    let bad = |m: String| (id.clone(), m);
    let received_at = match &input.received_at {
        Some(at) => Some(
            Timestamp::parse_rfc3339(at)
                .ok_or_else(|| bad(format!("received_at: {at:?} is not an RFC 3339 time")))?,
        ),
        None => None,
    };
    let location = input.location.unwrap_or_default();
    let point = match (location.lat, location.lon) {
        (Some(lat), Some(lon)) => {
            let p = GeoPoint { lat, lon };
            if !p.is_valid() {
                return Err(bad(format!("location: {lat},{lon} is not a position")));
            }
            Some(p)
        }
        (None, None) => None,
        _ => return Err(bad("location: lat and lon go together".to_owned())),
    };
    let lines = match input.narrative {
        None => Vec::new(),
        Some(Narrative::One(s)) => vec![s],
        Some(Narrative::Lines(v)) => v,
    };
    Ok((
        id,
        CallDetails {
            nature_code: input.nature_code,
            nature_text: input.nature_text,
            cad_priority: input.cad_priority.unwrap_or(0),
            location: Location {
                address: location.address,
                point,
                place_type: location.place_type,
                ..Location::default()
            },
            narrative: lines
                .into_iter()
                .map(|text| NarrativeLine {
                    at: Timestamp(0),
                    text,
                })
                .collect(),
            caller_language: input.caller_language,
            flags: input.flags,
            ..CallDetails::default()
        },
        received_at,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dispatch_core::Answer;

    #[test]
    fn lines_parse_or_say_why() {
        let (id, call, _) = parse(r#"{"call_id":"c1","nature_text":"TRESPASS","narrative":["A","B"],"location":{"lat":45.5,"lon":-122.6,"place_type":"business"},"flags":{"weapon":"no"},"extra":1}"#).unwrap();
        assert_eq!(id, serde_json::json!("c1"));
        assert_eq!(call.narrative.len(), 2);
        assert_eq!(call.location.place_type, PlaceType::Business);
        assert_eq!(call.flags.weapon, Answer::No);
        let (id, why) = parse(r#"{"call_id":7,"flags":{"weapon":"maybe"}}"#).unwrap_err();
        assert_eq!(id, serde_json::json!(7));
        assert!(why.contains("maybe"), "{why}");
        let (_, why) = parse(r#"{"call_id":"x","location":{"lat":95,"lon":0}}"#).unwrap_err();
        assert!(why.starts_with("location"), "{why}");
        let (id, _) = parse("not json").unwrap_err();
        assert_eq!(id, serde_json::Value::Null);
    }
}
