//! `dispatch-server report`: asks a running server for its utilization report
//! (`Reports.Utilization`) and prints it as text or CSV.
//!
//! Dates given as `YYYY-MM-DD` are local midnights in the time zone of the configured service
//! hours (the same config file the server reads), so `--from 2026-11-01 --to 2026-12-01` is
//! November as the program lived it; RFC 3339 instants are taken as given.

use crate::config::{Overrides, Settings};
use anyhow::{Context, bail};
use clap::Args;
use dispatch_core::Timestamp;
use dispatch_core::hours::ServiceHours;
use dispatch_proto::convert::to_proto_time;
use dispatch_proto::v1::{self, reports_client::ReportsClient};
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Start of the period: a date (YYYY-MM-DD, local midnight) or an RFC 3339 instant.
    #[arg(long)]
    pub from: String,
    /// End of the period, not included: a date (YYYY-MM-DD) or an RFC 3339 instant.
    #[arg(long)]
    pub to: String,
    /// The server's address.
    #[arg(
        long,
        env = "DISPATCH_SERVER",
        default_value = "http://127.0.0.1:50051"
    )]
    pub server: String,
    /// A supervisor's, dispatcher's or admin's bearer token.
    #[arg(long, env = "DISPATCH_TOKEN", hide_env_values = true)]
    pub token: String,
    /// The CA certificate (PEM) that signed the server's, for an https:// --server.
    #[arg(long, env = "DISPATCH_CA", value_name = "PEM")]
    pub ca: Option<PathBuf>,
    /// A client certificate (PEM), where the server requires one (mutual TLS).
    #[arg(long, env = "DISPATCH_CERT", value_name = "PEM")]
    pub cert: Option<PathBuf>,
    /// The key (PEM) of --cert.
    #[arg(long, env = "DISPATCH_KEY", value_name = "PEM")]
    pub key: Option<PathBuf>,
    /// Print CSV (scope, key, figure, value; one row per figure) instead of text.
    #[arg(long)]
    pub csv: bool,
    /// Configuration file (TOML), for the time zone dates are read in.
    #[arg(long, short, env = "DISPATCH_CONFIG")]
    pub config: Option<PathBuf>,
}

/// The program's service hours from its config, for the time zone a command line's dates are
/// read in (around the clock in UTC when none are set).
pub(crate) fn program_hours(config: Option<&std::path::Path>) -> anyhow::Result<ServiceHours> {
    let settings = Settings::load(config, std::env::vars(), &Overrides::default())?;
    Ok(settings
        .policy
        .triage
        .service_hours
        .unwrap_or_else(ServiceHours::always))
}

pub fn run(args: ReportArgs) -> anyhow::Result<()> {
    let hours = program_hours(args.config.as_deref())?;
    let from = period_end("--from", &args.from, &hours)?;
    let to = period_end("--to", &args.to, &hours)?;
    if to <= from {
        bail!(
            "--to must be after --from ({} is not after {})",
            args.to,
            args.from
        );
    }
    let report = crate::process::runtime()?.block_on(fetch(&args, from, to))?;
    let out = if args.csv {
        csv(&report)
    } else {
        text(&report)
    };
    print!("{out}");
    Ok(())
}

pub(crate) fn period_end(
    flag: &str,
    text: &str,
    hours: &ServiceHours,
) -> anyhow::Result<Timestamp> {
    hours
        .local_midnight(text)
        .or_else(|| Timestamp::parse_rfc3339(text))
        .with_context(|| {
            format!("{flag} {text:?}: give a date like 2026-11-01 or a time like 2026-11-01T08:00:00-08:00")
        })
}

async fn fetch(
    args: &ReportArgs,
    from: Timestamp,
    to: Timestamp,
) -> anyhow::Result<v1::UtilizationReport> {
    let tls = dispatch_proto::endpoint::ClientTls {
        ca: args.ca.clone(),
        cert: args.cert.clone(),
        key: args.key.clone(),
    };
    let channel = dispatch_proto::endpoint::endpoint(&args.server, &tls)
        .with_context(|| format!("--server {}", args.server))?
        .connect()
        .await
        .with_context(|| format!("cannot reach the server at {}", args.server))?;
    let mut request = tonic::Request::new(v1::UtilizationRequest {
        from: Some(to_proto_time(from)),
        to: Some(to_proto_time(to)),
    });
    let bearer = format!("Bearer {}", args.token.trim())
        .parse()
        .context("--token: not a valid token")?;
    request.metadata_mut().insert("authorization", bearer);
    let reply = ReportsClient::new(channel)
        .utilization(request)
        .await
        .map_err(|s| anyhow::anyhow!("the server refused: {}", s.message()))?;
    Ok(reply.into_inner())
}

/// Every figure of one scope as (name, value), in a fixed order. Durations are seconds with
/// millisecond precision; maps give one row per key, as `name[key]`.
pub fn figure_rows(f: &v1::Figures) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut count = |name: &str, n: u64| rows.push((name.to_owned(), n.to_string()));
    count("calls_received", f.calls_received);
    count("eligible", f.eligible);
    count("review", f.review);
    count("not_eligible", f.not_eligible);
    count("declined", f.declined);
    count("cancelled", f.cancelled);
    count("dispatched", f.dispatched);
    count("acknowledged", f.acknowledged);
    count("backup_requested", f.backup_requested);
    count("transported", f.transported);
    count("cleared", f.cleared);
    count("follow_ups_created", f.follow_ups_created);
    count("follow_ups_completed", f.follow_ups_completed);
    count(
        "follow_ups_closed_unreachable",
        f.follow_ups_closed_unreachable,
    );
    count("follow_ups_cancelled", f.follow_ups_cancelled);
    count("follow_ups_overdue", f.follow_ups_overdue);
    let durations = [
        ("received_to_assigned", &f.received_to_assigned),
        ("assigned_to_acknowledged", &f.assigned_to_acknowledged),
        ("acknowledged_to_on_scene", &f.acknowledged_to_on_scene),
        ("received_to_on_scene", &f.received_to_on_scene),
        ("time_on_scene", &f.time_on_scene),
        ("time_to_first_contact", &f.time_to_first_contact),
    ];
    for (name, d) in durations {
        let d = d.unwrap_or_default();
        rows.push((format!("{name}.count"), d.count.to_string()));
        rows.push((format!("{name}.median_s"), seconds(d.median_ms)));
        rows.push((format!("{name}.p90_s"), seconds(d.p90_ms)));
    }
    let maps = [
        ("not_eligible_by_rule", &f.not_eligible_by_rule),
        ("declined_by_reason", &f.declined_by_reason),
        ("referrals", &f.referrals),
    ];
    for (name, map) in maps {
        let mut keys: Vec<_> = map.iter().collect();
        keys.sort();
        rows.extend(
            keys.into_iter()
                .map(|(k, n)| (format!("{name}[{k}]"), n.to_string())),
        );
    }
    rows
}

fn seconds(ms: i64) -> String {
    format!("{}.{:03}", ms.div_euclid(1000), ms.rem_euclid(1000))
}

/// One row per scope and figure: `scope,key,figure,value` with scope total, team or day.
pub fn csv(r: &v1::UtilizationReport) -> String {
    let mut out = String::from("scope,key,figure,value\n");
    let mut scope = |scope: &str, key: &str, figures: &Option<v1::Figures>| {
        for (name, value) in figure_rows(&figures.clone().unwrap_or_default()) {
            let _ = writeln!(
                out,
                "{scope},{},{},{value}",
                csv_field(key),
                csv_field(&name)
            );
        }
    };
    scope("total", "", &r.totals);
    for t in &r.by_team {
        scope("team", &t.team_id, &t.figures);
    }
    for d in &r.by_day {
        scope("day", &d.day, &d.figures);
    }
    out
}

/// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// A summary to read: the totals, then one line per team and per day.
pub fn text(r: &v1::UtilizationReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Utilization {} to {} (as of {}), journal entry {}",
        rfc3339(r.from.as_ref()),
        rfc3339(r.to.as_ref()),
        rfc3339(r.as_of.as_ref()),
        r.journal_seq
    );
    let totals = r.totals.clone().unwrap_or_default();
    for (name, value) in figure_rows(&totals) {
        let _ = writeln!(out, "  {name:<40} {value}");
    }
    let header = "calls eligible review not_elig dispatched backup transported followups";
    let line = |f: &Option<v1::Figures>| {
        let f = f.clone().unwrap_or_default();
        format!(
            "{:>5} {:>8} {:>6} {:>8} {:>10} {:>6} {:>11} {:>9}",
            f.calls_received,
            f.eligible,
            f.review,
            f.not_eligible,
            f.dispatched,
            f.backup_requested,
            f.transported,
            f.follow_ups_created
        )
    };
    let _ = writeln!(
        out,
        "\nBy team (the team that last held the call)\n  {:<12} {header}",
        "team"
    );
    for t in &r.by_team {
        let _ = writeln!(out, "  {:<12} {}", t.team_id, line(&t.figures));
    }
    let _ = writeln!(out, "\nBy day (local)\n  {:<12} {header}", "day");
    for d in &r.by_day {
        let _ = writeln!(out, "  {:<12} {}", d.day, line(&d.figures));
    }
    out
}

/// RFC 3339 (UTC) for a wire timestamp.
fn rfc3339(t: Option<&prost_types::Timestamp>) -> String {
    t.map_or_else(
        || "-".into(),
        |t| Timestamp(t.seconds * 1000 + i64::from(t.nanos / 1_000_000)).rfc3339(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_local_midnights_and_instants_are_taken_as_given() {
        let pacific = ServiceHours::portland();
        let nov = period_end("--from", "2026-11-01", &pacific).unwrap();
        assert_eq!(
            nov,
            Timestamp::parse_rfc3339("2026-11-01T07:00:00Z").unwrap()
        );
        let instant = period_end("--to", "2026-11-01T08:00:00-08:00", &pacific).unwrap();
        assert_eq!(
            instant,
            Timestamp::parse_rfc3339("2026-11-01T16:00:00Z").unwrap()
        );
        let e = period_end("--to", "last week", &pacific).unwrap_err();
        assert!(e.to_string().contains("--to \"last week\""), "{e}");
    }

    #[test]
    fn csv_quotes_what_needs_quoting_and_lists_every_figure() {
        assert_eq!(
            csv_field("police: armed, angry"),
            "\"police: armed, angry\""
        );
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        let mut f = v1::Figures {
            calls_received: 3,
            ..v1::Figures::default()
        };
        f.declined_by_reason
            .insert("police: armed, angry".into(), 1);
        f.received_to_assigned = Some(v1::DurationSummary {
            count: 2,
            median_ms: 30_500,
            p90_ms: 61_000,
        });
        let report = v1::UtilizationReport {
            totals: Some(f),
            ..v1::UtilizationReport::default()
        };
        let out = csv(&report);
        assert!(out.starts_with("scope,key,figure,value\ntotal,,calls_received,3\n"));
        assert!(out.contains("total,,received_to_assigned.median_s,30.500\n"));
        assert!(out.contains("total,,received_to_assigned.p90_s,61.000\n"));
        assert!(out.contains("total,,\"declined_by_reason[police: armed, angry]\",1\n"));
    }
}
