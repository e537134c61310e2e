//! The `cad-bridge replay` command line: bad flags, files and mappings give a clear error and
//! a non-zero exit; a dry run reads a real sample and reports its broken row by line.

use std::path::PathBuf;
use std::process::{Command, Output};

fn bridge(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cad-bridge"))
        .args(args)
        .env_remove("CAD_BRIDGE_TOKEN")
        .env_remove("CAD_BRIDGE_SERVER")
        .output()
        .expect("cad-bridge runs")
}

fn sample(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data/replay")
        .join(name)
        .display()
        .to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const SD: &str = "sdpd-2023-01-03-0800-1000.csv";

#[test]
fn a_dry_run_reads_a_real_sample_and_names_its_broken_row() {
    let o = bridge(&["replay", &sample(SD), "--source", "sandiego", "--dry-run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("dry run: nothing sent"), "{out}");
    assert!(out.contains("rows read             139"), "{out}");
    assert!(out.contains("calls mapped          138"), "{out}");
    assert!(
        out.contains("skipped line 125: nature: the call type is empty"),
        "{out}"
    );
}

#[test]
fn the_window_flags_cut_the_day_in_the_datas_local_time() {
    let o = bridge(&[
        "replay",
        &sample(SD),
        "--source",
        "sandiego",
        "--dry-run",
        "--start",
        "2023-01-03 09:00",
        "--end",
        "2023-01-03 09:30",
        "--limit",
        "3",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("calls mapped            3"),
        "{}",
        stdout(&o)
    );
}

fn fails_with(args: &[&str], code: i32, wanted: &str) {
    let o = bridge(args);
    assert_eq!(o.status.code(), Some(code), "{args:?}: {}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains(wanted), "{args:?}: wanted {wanted:?} in {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn bad_flags_and_files_exit_non_zero_with_what_to_fix() {
    let sd = sample(SD);
    fails_with(
        &["replay", &sd, "--source", "sandiego", "--speed", "fast"],
        2,
        "write 1x",
    );
    fails_with(
        &[
            "replay",
            "/no/such/file.csv",
            "--source",
            "sandiego",
            "--dry-run",
        ],
        2,
        "cannot open /no/such/file.csv",
    );
    fails_with(
        &["replay", &sd, "--source", "boston", "--dry-run"],
        2,
        "not a built-in source (seattle, sandiego, ucsd)",
    );
    fails_with(
        &["replay", &sd, "--source", "seattle", "--dry-run"],
        2,
        "columns.call_number: the file has no column any of [\"CAD Event Number\", \"CAD.Event.Number\"]",
    );
    fails_with(
        &[
            "replay",
            &sd,
            "--source",
            "sandiego",
            "--dry-run",
            "--start",
            "yesterday",
        ],
        2,
        "--start \"yesterday\": write a local time",
    );
    fails_with(
        &["replay", &sd, "--source", "sandiego"],
        2,
        "--token (or CAD_BRIDGE_TOKEN) is required",
    );
    fails_with(
        &[
            "replay",
            &sd,
            "--source",
            "sandiego",
            "--token",
            "t",
            "--server",
            "http://127.0.0.1:1",
        ],
        2,
        "cannot reach the server at http://127.0.0.1:1",
    );
    fails_with(&["replay", &sd], 2, "--source");
}

#[test]
fn a_bad_mapping_file_is_named_with_its_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    std::fs::write(
        &path,
        "description = \"x\"\nsource = \"s\"\nnature_map = \"missing.toml\"\n[columns]\ncall_number = \"incident_num\"\nreceived_at = \"date_time\"\nnature_code = \"call_type\"\n[time]\nformats = [\"%Y-%m-%d %H:%M:%S\"]\nutc_offset_minutes = -480\n",
    )
    .unwrap();
    let p = path.display().to_string();
    fails_with(
        &["replay", &sample(SD), "--source", &p, "--dry-run"],
        2,
        "missing.toml",
    );
    std::fs::write(&path, "description = \"x\"\nsource = \n").unwrap();
    fails_with(&["replay", &sample(SD), "--source", &p, "--dry-run"], 2, &p);
}

#[test]
fn a_mapping_file_of_ones_own_works_like_a_built_in_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sd-lite.toml");
    std::fs::write(
        &path,
        "description = \"SD, code and time only\"\nsource = \"sd-lite\"\nnature_map = \"sdpd\"\n[columns]\ncall_number = \"incident_num\"\nreceived_at = \"date_time\"\nnature_code = \"call_type\"\n[time]\nformats = [\"%Y-%m-%d %H:%M:%S\"]\nutc_offset_minutes = -480\nus_daylight_saving = true\n",
    )
    .unwrap();
    let o = bridge(&[
        "replay",
        &sample(SD),
        "--source",
        &path.display().to_string(),
        "--dry-run",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("(CAD source \"sd-lite\")"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn nature_rules_prints_rules_that_know_the_agencys_codes() {
    let o = bridge(&["nature-rules", "--map", "sdpd"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with(
            "# Triage rules (built-in) with the call types of San Diego Police Department"
        ),
        "{out}"
    );
    let rules: dispatch_core::triage::TriageConfig = toml::from_str(&out).expect("a rules file");
    let family = |code: &str| {
        rules
            .nature
            .iter()
            .find(|r| r.codes.iter().any(|c| c == code))
            .map(|r| r.name.clone())
    };
    assert_eq!(family("SELENF").as_deref(), Some("not-a-person-in-crisis"));
    assert_eq!(family("459R").as_deref(), Some("crime"));
    assert_eq!(family("CW").as_deref(), Some("welfare-check"));

    let o = bridge(&["nature-rules", "--map", "sdpd", "--server-config"]);
    assert!(
        stdout(&o).contains("[[policy.triage.nature]]"),
        "{}",
        stdout(&o)
    );

    fails_with(
        &["nature-rules", "--map", "nope"],
        2,
        "not a built-in map (seattle-spd, sdpd, ucsd-pd)",
    );
    fails_with(
        &[
            "nature-rules",
            "--map",
            "sdpd",
            "--triage",
            "/no/rules.toml",
        ],
        2,
        "--triage: cannot read /no/rules.toml",
    );
}
