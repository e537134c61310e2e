//! Logs never carry names, callbacks, narratives or notes (issue 14): the real server binary
//! at `debug`, a call worked from the CAD to a follow-up attempt, and its log searched for
//! the fixtures' words.

use dispatch_proto::v1;
use dispatch_tests::fixtures::{command_id, created_mut, crisis_call};
use dispatch_tests::*;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const NARRATIVE: &str = "SUBJ WEEPING NEAR THE CAROUSEL";
const CALLER: &str = "PERPETUA LINDQVIST";
const CALLBACK: &str = "503-555-0163";
const NOTES: &str = "SPOKE OF HIS BROTHER OSWIN";
const PERSON: &str = "CLIENT 77310";
const ATTEMPT: &str = "NEIGHBOUR SAID HE MOVED TO ASTORIA";

#[tokio::test]
async fn a_debug_log_of_a_whole_call_holds_no_name_callback_narrative_or_note() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut settings, t) = test_settings(dir.path());
    settings.log.filter = "debug".into();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, settings.to_toml().expect("toml")).expect("write config");
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let mut child = Command::new(env!("CARGO_BIN_EXE_e2e-server"))
        .args(["serve", "--config"])
        .arg(&config)
        .env_remove("DISPATCH_CONFIG")
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log.try_clone().expect("clone")))
        .spawn()
        .expect("start the server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("listening line");
    let addr = line
        .trim()
        .rsplit(' ')
        .next()
        .expect("address")
        .parse()
        .expect("address");

    let ch = connect(addr).await;
    let mut call = crisis_call("L-1", "e-l1");
    let created = created_mut(&mut call);
    created.narrative = vec![NARRATIVE.into()];
    created.caller = Some(v1::Caller {
        name: CALLER.into(),
        callback: CALLBACK.into(),
    });
    let incident_id = CadIngestClient::new(ch.clone())
        .submit(authed(call, &t.cad))
        .await
        .expect("submit")
        .into_inner()
        .incident_id;
    let mut board = watch_board(&ch, &t.dispatcher, 0).await;
    next(&mut board).await;
    assign(&ch, &t.dispatcher, &incident_id, "PSR-1").await;
    let mut responder = ResponderClient::new(ch.clone());
    for status in [v1::TeamStatus::EnRoute, v1::TeamStatus::OnScene] {
        responder
            .update_status(authed(status_request(status), t.unit("PSR-1")))
            .await
            .expect("status");
    }
    let cleared = clear(
        &ch,
        t.unit("PSR-1"),
        v1::Encounter {
            notes: NOTES.into(),
            consents_to_follow_up: true,
            person_ref: PERSON.into(),
            ..v1::Encounter::default()
        },
    )
    .await;
    let task = cleared.follow_ups.first().expect("a follow-up").clone();
    FollowUpsClient::new(ch.clone())
        .record_attempt(authed(
            v1::AttemptRequest {
                command_id: command_id(),
                task_id: task.id.clone(),
                result: v1::AttemptResult::NoContact as i32,
                note: ATTEMPT.into(),
                referrals: vec![],
            },
            t.peer(&task.assignee),
        ))
        .await
        .expect("attempt");
    // A refused read too (errors are where details tend to leak).
    let _ = FollowUpsClient::new(ch.clone())
        .task_incident(authed(
            v1::TaskRef {
                task_id: task.id.clone(),
            },
            t.peer("peer-3"),
        ))
        .await;
    drop((board, ch));
    let _ = child.kill();
    let _ = child.wait();

    let text = std::fs::read_to_string(&log_path).expect("read log");
    assert!(text.contains("DEBUG"), "the log is at debug:\n{text}");
    for secret in [
        NARRATIVE, "CAROUSEL", CALLER, CALLBACK, NOTES, PERSON, ATTEMPT,
    ] {
        assert!(!text.contains(secret), "{secret:?} is in the log");
    }
}
