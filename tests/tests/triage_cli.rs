//! `dispatch-server triage` as an agency would run it: JSON lines in, JSON lines out, bad
//! lines reported on stderr without stopping the rest, and an exit code that tells.

use std::io::Write;
use std::process::{Command, Stdio};

fn run(args: &[&str], input: &str) -> (i32, Vec<serde_json::Value>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_e2e-server"))
        .arg("triage")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start triage");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    let lines = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect();
    (
        out.status.code().unwrap_or(-1),
        lines,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn triage_reads_json_lines_and_explains_each_decision() {
    let input = r#"{"call_id":"a","nature_text":"PERSON IN BEHAVIORAL/EMOTIONAL CRISIS","narrative":"SUBJ YELLING AT SIGNS, NO WPNS SEEN","location":{"lat":45.52,"lon":-122.68,"place_type":"outdoor_public"},"flags":{"weapon":"no","violence":"no"}}
{"call_id":"b","nature_text":"WELFARE CHECK","narrative":["no weapons seen but he says he has a gun"]}
{"call_id":"c","received_at":"2024-05-14T18:08:26-07:00","nature_code":"EDP","flags":{"suicidal":"yes"}}
"#;
    let (code, out, err) = run(&[], input);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.len(), 3);
    assert_eq!(out[0]["call_id"], "a");
    assert_eq!(out[0]["decision"], "eligible");
    assert_eq!(out[0]["route"], "crisis_team");
    assert!(out[0]["reasons"].as_array().is_some_and(|r| !r.is_empty()));
    assert_eq!(out[1]["decision"], "not_eligible");
    let weapon = out[1]["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .find(|r| {
            r["rule"]
                .as_str()
                .is_some_and(|s| s.starts_with("narrative:weapon"))
        })
        .expect("weapon reason")
        .clone();
    assert_eq!(weapon["evidence"], "he says he has a gun");
    assert_eq!(out[2]["decision"], "not_eligible");
    assert_eq!(out[2]["route"], "ems");
}

#[test]
fn calls_outside_portland_service_hours_are_not_for_the_team() {
    let input = r#"{"call_id":"day","received_at":"2024-07-01T12:00:00-07:00","nature_code":"EDP"}
{"call_id":"night","received_at":"2024-07-01T03:00:00-07:00","nature_code":"EDP"}
{"call_id":"winter-night","received_at":"2024-01-15T22:30:00-08:00","nature_code":"EDP"}
"#;
    let (code, out, err) = run(&[], input);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out[0]["decision"], "eligible");
    for closed in &out[1..] {
        assert_eq!(closed["decision"], "not_eligible", "{closed}");
        assert_eq!(closed["reasons"][0]["rule"], "hours:closed");
    }
    assert!(
        out[1]["reasons"][0]["evidence"]
            .as_str()
            .is_some_and(|e| e.starts_with("03:00"))
    );
}

#[test]
fn a_bad_line_is_reported_and_the_rest_go_on() {
    let input = "{\"call_id\":\"ok-1\",\"nature_code\":\"EDP\"}\n{\"call_id\":\"bad\",\"flags\":{\"weapon\":\"maybe\"}}\nnot json at all\n{\"call_id\":\"ok-2\",\"nature_code\":\"602\"}\n";
    let (code, out, err) = run(&[], input);
    assert_eq!(code, 1, "some lines failed");
    let ids: Vec<&str> = out
        .iter()
        .map(|o| o["call_id"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["ok-1", "ok-2"]);
    assert!(
        err.contains("\"call_id\":\"bad\"") && err.contains("maybe"),
        "{err}"
    );
    assert!(
        err.contains("\"line\":3"),
        "an unreadable line is named by number: {err}"
    );
}

#[test]
fn a_bad_rules_file_names_the_line_and_triages_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, "[[nature]]\nname = \"x\"\nfamily = \"sometimes\"\n").expect("write");
    let (code, out, err) = run(
        &["--config", rules.to_str().expect("path")],
        "{\"call_id\":1}\n",
    );
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("line 3") || err.contains(":3:"), "{err}");
}
