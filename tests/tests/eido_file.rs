//! `cad-bridge eido-file` as an agency would run it, against the real server: EIDO documents
//! become incidents on the dispatcher's board; a refused document submits nothing; outbound
//! updates come back as EIDO valid against NENA's schema and resume where they left off.

use dispatch_proto::v1;
use dispatch_tests::schemas::{eido_validator, violations};
use dispatch_tests::*;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, BufReader};

const CRISIS_CALL: &str = "urn:emergency:uid:incidentid:psr0001:boec.example.gov";
const TRANSFER_CALL: &str = "urn:emergency:uid:incidentid:a56e556d871:bcf.state.pa.us";

fn data(name: &str) -> String {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "crates",
        "cad-bridge",
        "data",
        "eido",
        name,
    ]
    .iter()
    .collect();
    path.to_string_lossy().into_owned()
}

/// Runs the bridge to its end. Async: the server runs on this test's runtime.
async fn bridge(server: &TestServer, args: &[&str]) -> (i32, String, String) {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_e2e-cad-bridge"))
        .arg("eido-file")
        .args(args)
        .args([
            "--server",
            &format!("http://{}", server.addr),
            "--source",
            "boec",
        ])
        .env("CAD_BRIDGE_TOKEN", &server.tokens.cad)
        .stdin(Stdio::null())
        .output()
        .await
        .expect("run cad-bridge");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn board(server: &TestServer) -> Vec<v1::Incident> {
    let ch = server.channel().await;
    let mut stream = watch_board(&ch, &server.tokens.dispatcher, 0).await;
    match next(&mut stream).await.kind {
        Some(v1::board_event::Kind::Snapshot(s)) => s.incidents,
        other => panic!("expected a snapshot first, got {other:?}"),
    }
}

fn incident<'a>(board: &'a [v1::Incident], call: &str) -> &'a v1::Incident {
    board
        .iter()
        .find(|i| i.call_number == call)
        .unwrap_or_else(|| panic!("{call} is not on the board"))
}

#[tokio::test]
async fn eido_documents_become_incidents_on_the_board() {
    let server = TestServer::start().await;
    let files = [
        data("crisis-call.eido.json"),
        data("crisis-call-update.eido.json"),
        data("sample-call-transfer.eido.json"),
    ];
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let (code, out, err) = bridge(&server, &args).await;
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 3, "{out}");

    let b = board(&server).await;
    assert_eq!(b.len(), 2);
    let crisis = incident(&b, CRISIS_CALL);
    assert_eq!(crisis.source, "boec");
    let details = crisis.details.as_ref().unwrap();
    assert_eq!(details.nature_code, "WELFARE");
    assert_eq!(details.cad_priority, 2, "the update raised the priority");
    let lines: Vec<&str> = details.narrative.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        lines,
        [
            "ADULT MALE SITTING ON SIDEWALK TALKING TO HIMSELF, APPEARS CONFUSED",
            "NO WPNS SEEN, NOT VIOLENT",
            "CALLER SAYS SUBJ NOW WALKING TOWARD PIONEER SQ"
        ]
    );
    assert_eq!(
        crisis.triage.as_ref().unwrap().decision,
        v1::Decision::Eligible as i32,
        "a welfare check downtown with no danger in the notes goes to the crisis team"
    );
    let location = details.location.as_ref().unwrap();
    assert_eq!(location.address, "700 SW 5th Ave, Portland, OR");
    assert_eq!(location.lat, Some(45.5189));
    let transfer = incident(&b, TRANSFER_CALL);
    assert_eq!(
        transfer
            .details
            .as_ref()
            .unwrap()
            .location
            .as_ref()
            .unwrap()
            .address,
        "42 W Cellular Street, Wilmington, DE"
    );
    assert_ne!(
        transfer.triage.as_ref().unwrap().decision,
        v1::Decision::Eligible as i32,
        "a transfer with no incident type is never eligible on its own"
    );

    // The same documents again, from a fresh bridge process: nothing doubles.
    let seq = server.journal_seq();
    let (code, out, err) = bridge(&server, &args).await;
    assert_eq!(code, 0, "{err}");
    assert!(
        out.lines()
            .next()
            .unwrap()
            .ends_with("1 event(s), 1 already known"),
        "{out}"
    );
    let b = board(&server).await;
    assert_eq!(b.len(), 2);
    assert_eq!(
        incident(&b, CRISIS_CALL)
            .details
            .as_ref()
            .unwrap()
            .narrative
            .len(),
        3,
        "narrative lines are not repeated"
    );
    assert!(server.journal_seq() >= seq);

    // The CAD cancels.
    let (code, _, err) = bridge(&server, &[&data("crisis-call-cancelled.eido.json")]).await;
    assert_eq!(code, 0, "{err}");
    let b = board(&server).await;
    assert!(
        b.iter().all(|i| i.call_number != CRISIS_CALL),
        "cancelled calls leave the board"
    );
}

#[tokio::test]
async fn a_document_on_stdin_is_submitted() {
    use tokio::io::AsyncWriteExt;
    let server = TestServer::start().await;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_e2e-cad-bridge"))
        .args(["eido-file", "-", "--source", "boec"])
        .args(["--server", &format!("http://{}", server.addr)])
        .env("CAD_BRIDGE_TOKEN", &server.tokens.cad)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cad-bridge");
    let doc = std::fs::read(data("sample-call-transfer.eido.json")).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&doc).await.unwrap();
    drop(stdin);
    let out = child.wait_with_output().await.unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .starts_with("-: call urn:emergency:uid:incidentid:a56e556d871")
    );
    incident(&board(&server).await, TRANSFER_CALL);

    // A bad token is refused by the server, with the reason.
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_e2e-cad-bridge"))
        .args([
            "eido-file",
            &data("crisis-call.eido.json"),
            "--source",
            "boec",
        ])
        .args([
            "--server",
            &format!("http://{}", server.addr),
            "--token",
            "not-a-token",
        ])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("submitting") && err.contains("Unauthenticated")
            || err.contains("nauthenticated"),
        "{err}"
    );
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[tokio::test]
async fn a_refused_document_submits_nothing() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let good = data("crisis-call.eido.json");
    let sample: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(data("sample-call-transfer.eido.json")).unwrap(),
    )
    .unwrap();
    let mut missing = sample.clone();
    missing["callComponent"][0]
        .as_object_mut()
        .unwrap()
        .remove("direction");
    let mut dangling = sample.clone();
    dangling["personComponent"][0]["callBackReference"]["$ref"] = "nobody".into();
    let mut wrong = sample.clone();
    wrong["callComponent"][0]["locationReference"] = "tjones".into();
    let cases = [
        (
            write(dir.path(), "missing.json", &missing.to_string()),
            "$.callComponent[0].direction: is required",
        ),
        (
            write(dir.path(), "dangling.json", &dangling.to_string()),
            "$.personComponent[0].callBackReference.$ref: $ref \"nobody\"",
        ),
        (
            write(dir.path(), "wrong.json", &wrong.to_string()),
            "$.callComponent[0].locationReference: invalid type: string",
        ),
        (
            write(
                dir.path(),
                "deep.json",
                &format!("{}{}", "[".repeat(5000), "]".repeat(5000)),
            ),
            "deeper than 32 levels",
        ),
        (
            write(
                dir.path(),
                "huge.json",
                &format!("{{\"pad\": \"{}\"}}", "x".repeat(10 * 1024 * 1024)),
            ),
            "10 MiB",
        ),
        (write(dir.path(), "broken.json", "{\"$id\": "), "not JSON"),
    ];
    let seq = server.journal_seq();
    for (file, expected) in &cases {
        let (code, out, err) = bridge(&server, &[&good, file]).await;
        assert_eq!(code, 1, "{file}: {err}");
        assert!(
            err.contains(expected),
            "{file}: expected {expected:?} in {err}"
        );
        assert!(err.contains("nothing was submitted"), "{err}");
        assert!(out.is_empty(), "{out}");
    }
    assert_eq!(
        server.journal_seq(),
        seq,
        "the server's journal did not move"
    );
    assert!(board(&server).await.is_empty());

    let (code, _, err) = bridge(&server, &["/no/such/file.json"]).await;
    assert_eq!(code, 1);
    assert!(err.contains("/no/such/file.json"), "{err}");
}

#[tokio::test]
async fn outbound_updates_come_back_as_valid_eido_and_resume() {
    let server = TestServer::start().await;
    let (code, _, err) = bridge(&server, &[&data("crisis-call.eido.json")]).await;
    assert_eq!(code, 0, "{err}");
    let incident_id = incident(&board(&server).await, CRISIS_CALL).id.clone();
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("outbound.seq");
    let state_arg = state.to_string_lossy().into_owned();
    let follow = || {
        tokio::process::Command::new(env!("CARGO_BIN_EXE_e2e-cad-bridge"))
            .args(["eido-file", "--outbound", "-", "--state", &state_arg])
            .args([
                "--server",
                &format!("http://{}", server.addr),
                "--source",
                "boec",
            ])
            .args(["--agency", "crisis.example.gov"])
            .env("CAD_BRIDGE_TOKEN", &server.tokens.cad)
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("run cad-bridge")
    };
    // Start from the journal's position now, so nothing after it can be missed.
    let start = server.journal_seq();
    std::fs::write(&state, format!("{start}\n")).unwrap();
    let mut child = follow();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let validator = eido_validator();
    let ch = server.channel().await;
    let t = &server.tokens;
    assign(&ch, &t.dispatcher, &incident_id, "PSR-1").await;
    let mut responder = ResponderClient::new(ch.clone());
    let unit = t.unit("PSR-1");
    responder
        .update_status(authed(status_request(v1::TeamStatus::EnRoute), unit))
        .await
        .expect("en route");
    let mut statuses = Vec::new();
    while statuses.last().map(String::as_str) != Some("EnRoute") {
        let doc = next_doc(&mut lines).await;
        assert_eq!(
            violations(&validator, &doc),
            Vec::<String>::new(),
            "{doc:#}"
        );
        assert_eq!(doc["$id"], CRISIS_CALL);
        let unit = &doc["emergencyResourceComponent"][0];
        assert_eq!(unit["emergencyResourceName"], "PSR-1");
        statuses.push(
            unit["primaryUnitStatusRegistryText"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    assert_eq!(
        statuses.first().map(String::as_str),
        Some("Dispatched"),
        "{statuses:?}"
    );
    child.kill().await.unwrap();
    let saved: u64 = std::fs::read_to_string(&state)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(saved >= start, "the position only moves forward");

    // While the bridge is down the team arrives. On restart the bridge resumes after the last
    // update it saved: at most the last one written again (killed between writing and
    // saving), then what it missed.
    responder
        .update_status(authed(status_request(v1::TeamStatus::OnScene), unit))
        .await
        .expect("on scene");
    let mut child = follow();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut resumed = next_doc(&mut lines).await;
    let primary = |d: &serde_json::Value| {
        d["emergencyResourceComponent"][0]["primaryUnitStatusRegistryText"].clone()
    };
    if primary(&resumed) == "EnRoute" {
        resumed = next_doc(&mut lines).await;
    }
    assert_eq!(violations(&validator, &resumed), Vec::<String>::new());
    assert_eq!(primary(&resumed), "OnScene");
    assert_eq!(resumed["agencyComponent"][0]["$id"], "crisis.example.gov");
    child.kill().await.unwrap();
}

type Lines = tokio::io::Lines<BufReader<tokio::process::ChildStdout>>;

async fn next_doc(lines: &mut Lines) -> serde_json::Value {
    let line = tokio::time::timeout(PATIENCE, lines.next_line())
        .await
        .expect("an outbound document in time")
        .expect("read stdout")
        .expect("a line");
    serde_json::from_str(&line).expect("each line is one JSON document")
}

/// Issue 16: a dangling reference in a bookkeeping field (the sending agency's call-taker,
/// sent before) keeps the call: submitted, with the warning on stderr and in the receipt.
#[tokio::test]
async fn a_warned_document_is_submitted_and_the_warning_is_printed() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data("crisis-call.eido.json")).unwrap())
            .unwrap();
    doc["updatedByAgentReference"] = serde_json::json!([{"$ref": "call-taker-sent-earlier"}]);
    let file = write(dir.path(), "warned.json", &doc.to_string());
    let (code, out, err) = bridge(&server, &[&file]).await;
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning: $.updatedByAgentReference[0].$ref"),
        "{err}"
    );
    assert!(out.contains("(1 warning(s) on stderr)"), "{out}");
    assert_eq!(board(&server).await.len(), 1, "the call reached the board");
    server.stop().await;
}
