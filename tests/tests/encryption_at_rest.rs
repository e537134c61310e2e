//! Encryption at rest (issue 14): the database file holds no narrative, caller, note or
//! person reference in clear; a restart with the master key reads them back (and reports
//! still count); a restart with another key refuses to start and says why.

use dispatch_proto::v1;
use dispatch_tests::fixtures::{command_id, created_mut, crisis_call};
use dispatch_tests::*;

const NARRATIVE: &str = "SUBJ SINGING ABOUT BLUEBERRY PANCAKES OUTSIDE LIBRARY";
const CALLER: &str = "ZEBULON QUARTERMAINE";
const CALLBACK: &str = "503-555-0177";
const NOTES: &str = "MENTIONED HIS DAUGHTER KESTREL IN SPOKANE";
const PERSON: &str = "CLIENT 55821";
const ATTEMPT: &str = "LEFT VOICEMAIL WITH AUNT MARGUERITE";

/// Every file of the database (the main file, the WAL and its index), as bytes.
fn database_bytes(db: &std::path::Path) -> Vec<u8> {
    let mut all = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let path = format!("{}{suffix}", db.display());
        if let Ok(bytes) = std::fs::read(&path) {
            all.extend(bytes);
        }
    }
    all
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn the_file_holds_no_free_text_in_clear_the_key_reads_it_back_and_a_wrong_key_refuses() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (settings, t) = test_settings(dir.path());
    let running = dispatch_server::server::start(&settings, &[])
        .await
        .expect("start");
    let ch = connect(running.addr).await;
    let mut call = crisis_call("E-1", "e-e1");
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
    drop(ch);
    running.stop().await.expect("clean stop");

    // Read as someone with the disk (or a backup) would.
    let bytes = database_bytes(&settings.database_path());
    assert!(bytes.len() > 10_000, "the database is there");
    for secret in [
        NARRATIVE,
        "BLUEBERRY",
        CALLER,
        CALLBACK,
        NOTES,
        PERSON,
        ATTEMPT,
    ] {
        assert!(
            !contains(&bytes, secret),
            "{secret:?} is in the file in clear"
        );
    }
    // The master key is beside it by default, readable by its owner only.
    let key_file = settings.key_file();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file)
            .expect("key file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the key file is private");
    }

    // With the key: the peer reads the whole call back; the report still counts.
    let running = dispatch_server::server::start(&settings, &[])
        .await
        .expect("restart with the key");
    let ch = connect(running.addr).await;
    let incident = FollowUpsClient::new(ch.clone())
        .task_incident(authed(
            v1::TaskRef {
                task_id: task.id.clone(),
            },
            t.peer(&task.assignee),
        ))
        .await
        .expect("the peer reads it")
        .into_inner();
    let details = incident.details.expect("details");
    assert_eq!(details.narrative[0].text, NARRATIVE);
    let caller = details.caller.expect("caller");
    assert_eq!(
        (caller.name.as_str(), caller.callback.as_str()),
        (CALLER, CALLBACK)
    );
    let encounter = incident
        .clearance
        .expect("clearance")
        .encounter
        .expect("encounter");
    assert_eq!(encounter.notes, NOTES);
    assert_eq!(encounter.person_ref, PERSON);
    let mut queue = FollowUpsClient::new(ch.clone())
        .watch_queue(authed(v1::WatchRequest { after_seq: 0 }, &t.supervisor))
        .await
        .expect("queue")
        .into_inner();
    let tasks = match next(&mut queue).await.kind {
        Some(v1::follow_up_event::Kind::Snapshot(s)) => s.tasks,
        other => panic!("expected a snapshot, got {other:?}"),
    };
    let read_back = tasks.iter().find(|x| x.id == task.id).expect("the task");
    assert_eq!(read_back.attempts[0].note, ATTEMPT);
    // A stream resumed from the journal reads the sealed journal opened.
    let mut board = watch_board(&ch, &t.dispatcher, 1).await;
    let (received, _) = until(&mut board, |m| match board_event(m)?.kind.as_ref()? {
        v1::event::Kind::IncidentReceived(r) => r.incident.clone(),
        _ => None,
    })
    .await;
    assert_eq!(
        received.details.expect("details").narrative[0].text,
        NARRATIVE
    );
    let now = dispatch_server::clock::now();
    let report = dispatch_proto::v1::reports_client::ReportsClient::new(ch.clone())
        .utilization(authed(
            v1::UtilizationRequest {
                from: Some(dispatch_proto::convert::to_proto_time(now.plus_hours(-1))),
                to: Some(dispatch_proto::convert::to_proto_time(now.plus_hours(1))),
            },
            &t.supervisor,
        ))
        .await
        .expect("report")
        .into_inner();
    let totals = report.totals.expect("totals");
    assert_eq!((totals.calls_received, totals.cleared), (1, 1));
    drop((ch, queue, board));
    running.stop().await.expect("stop");

    // Another key: the server refuses to start, and says what to do.
    let mut wrong = settings.clone();
    let other_key = dir.path().join("other.key");
    std::fs::write(&other_key, format!("{}\n", "ab".repeat(32))).expect("write key");
    wrong.privacy.key_file = Some(other_key);
    let refused = dispatch_server::server::start(&wrong, &[])
        .await
        .err()
        .expect("a wrong key does not start");
    let said = refused.to_string();
    assert!(
        said.contains("is not the one this database's data keys are wrapped with"),
        "{said}"
    );
    assert!(said.contains("other.key"), "names the file: {said}");
}
