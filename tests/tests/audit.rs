//! The audit trail (issue 14): every read, change and disclosure of a call is recorded with
//! who, in what role, from where, what and how it ended; only admins and auditors read it
//! (and that is recorded too); the hash chain shows an edited record; a clean stop loses no
//! record; `dispatch-server audit verify|export` ask a running server.

use dispatch_proto::v1;
use dispatch_tests::*;
use std::time::{Duration, Instant};
use tonic::Code;

fn export_request(incident_id: &str, actor: &str) -> v1::ExportAuditRequest {
    v1::ExportAuditRequest {
        from: Some(prost_types::Timestamp {
            seconds: 0,
            nanos: 0,
        }),
        to: Some(prost_types::Timestamp {
            seconds: 4_000_000_000,
            nanos: 0,
        }),
        actor: actor.into(),
        incident_id: incident_id.into(),
    }
}

async fn export(
    ch: &tonic::transport::Channel,
    token: &str,
    request: v1::ExportAuditRequest,
) -> Result<Vec<v1::AuditRecord>, tonic::Status> {
    let mut stream = AuditClient::new(ch.clone())
        .export(authed(request, token))
        .await?
        .into_inner();
    let mut records = Vec::new();
    while let Some(r) = stream.message().await? {
        records.push(r);
    }
    Ok(records)
}

/// Reads, disclosures and door refusals reach the trail through the background appender:
/// export until `found` holds (or fail after a while).
async fn export_until(
    ch: &tonic::transport::Channel,
    token: &str,
    request: v1::ExportAuditRequest,
    found: impl Fn(&[v1::AuditRecord]) -> bool,
) -> Vec<v1::AuditRecord> {
    let start = Instant::now();
    loop {
        let records = export(ch, token, request.clone()).await.expect("export");
        if found(&records) {
            return records;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "not on the trail; it has:\n{records:#?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn has(
    records: &[v1::AuditRecord],
    actor: &str,
    operation: &str,
    action: &str,
    outcome: &str,
) -> bool {
    records.iter().any(|r| {
        r.actor == actor
            && r.operation.ends_with(operation)
            && r.action == action
            && r.outcome == outcome
    })
}

#[tokio::test]
async fn every_read_change_disclosure_and_refusal_is_on_the_trail_with_who_and_what() {
    let server = TestServer::start().await;
    let t = server.tokens.clone();
    let ch = server.channel().await;
    // The CAD listens for updates before anything happens.
    let mut outbound = CadIngestClient::new(ch.clone())
        .outbound(authed(v1::OutboundRequest { after_seq: 0 }, &t.cad))
        .await
        .expect("outbound")
        .into_inner();

    let incident_id = CadIngestClient::new(ch.clone())
        .submit(authed(fixtures::crisis_call("A-1", "e-a1"), &t.cad))
        .await
        .expect("submit")
        .into_inner()
        .incident_id;
    let mut board = watch_board(&ch, &t.dispatcher, 0).await;
    next(&mut board).await;
    assign(&ch, &t.dispatcher, &incident_id, "PSR-1").await;
    let update = next(&mut outbound).await;
    assert_eq!(update.incident_id, incident_id);
    // The wrong role at the door.
    let refused = DispatchClient::new(ch.clone())
        .watch_board(authed(v1::WatchRequest { after_seq: 0 }, t.peer("peer-1")))
        .await
        .expect_err("a peer has no board");
    assert_eq!(refused.code(), Code::PermissionDenied);

    let records = export_until(&ch, &t.auditor, export_request("", ""), |r| {
        has(r, "holder of cad", "CadIngest/Outbound", "disclose", "ok")
            && has(
                r,
                "holder of peer:peer-1",
                "Dispatch/WatchBoard",
                "read",
                "permission_denied",
            )
    })
    .await;
    let find = |actor: &str, op: &str, action: &str| {
        records
            .iter()
            .find(|r| r.actor == actor && r.operation.ends_with(op) && r.action == action)
            .unwrap_or_else(|| panic!("no {action} {op} by {actor} in {records:#?}"))
    };
    let created = find("holder of cad", "CadIngest/Submit", "create");
    assert_eq!(created.role, "cad");
    assert_eq!(created.incident_ids, vec![incident_id.clone()]);
    assert_eq!(created.peer, "127.0.0.1");
    assert_eq!(created.outcome, "ok");
    let seen = find("holder of dispatcher", "Dispatch/WatchBoard", "read");
    assert!(seen.incident_ids.contains(&incident_id), "{seen:?}");
    let assigned = find("holder of dispatcher", "Dispatch/Assign", "create");
    assert_eq!(assigned.incident_ids, vec![incident_id.clone()]);
    let disclosed = find("holder of cad", "CadIngest/Outbound", "disclose");
    assert_eq!(disclosed.incident_ids, vec![incident_id.clone()]);
    assert!(
        disclosed.recipient.contains("holder of cad"),
        "{disclosed:?}"
    );

    // Reading the audit is itself audited; a filter by incident or actor selects.
    let by_incident = export_until(&ch, &t.admin, export_request(&incident_id, ""), |r| {
        !r.is_empty()
    })
    .await;
    assert!(
        by_incident
            .iter()
            .all(|r| r.incident_ids.contains(&incident_id))
    );
    let audit_reads = export_until(
        &ch,
        &t.admin,
        export_request("", "holder of auditor"),
        |r| has(r, "holder of auditor", "Audit/Export", "read", "ok"),
    )
    .await;
    assert!(audit_reads.iter().all(|r| r.actor == "holder of auditor"));

    // Only admins and auditors read the trail.
    for token in [&t.supervisor, &t.dispatcher, t.peer("peer-1"), &t.cad] {
        let e = export(&ch, token, export_request("", ""))
            .await
            .expect_err("not theirs to read");
        assert_eq!(e.code(), Code::PermissionDenied);
        let e = AuditClient::new(ch.clone())
            .verify(authed(v1::VerifyAuditRequest {}, token))
            .await
            .expect_err("not theirs to check");
        assert_eq!(e.code(), Code::PermissionDenied);
    }
    let verified = AuditClient::new(ch.clone())
        .verify(authed(v1::VerifyAuditRequest {}, &t.auditor))
        .await
        .expect("verify")
        .into_inner();
    assert!(verified.intact, "{verified:?}");
    assert!(verified.records >= 6, "{verified:?}");
}

/// `dispatch-server audit ARGS` as a separate process.
async fn audit_cli(args: &[&str]) -> std::process::Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_e2e-server"))
        .arg("audit")
        .args(args)
        .env_remove("DISPATCH_CONFIG")
        .output()
        .await
        .expect("run audit")
}

#[tokio::test]
async fn a_clean_stop_loses_no_record_and_verify_names_the_first_edited_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (settings, t) = test_settings(dir.path());
    let running = dispatch_server::server::start(&settings, &[])
        .await
        .expect("start");
    let ch = connect(running.addr).await;
    let incident_id = CadIngestClient::new(ch.clone())
        .submit(authed(fixtures::crisis_call("V-1", "e-v1"), &t.cad))
        .await
        .expect("submit")
        .into_inner()
        .incident_id;
    // A read just before the stop: its record waits in the appender's queue.
    DispatchClient::new(ch.clone())
        .recommend(authed(
            v1::IncidentRef {
                incident_id: incident_id.clone(),
            },
            &t.dispatcher,
        ))
        .await
        .expect("recommend");
    drop(ch);
    running.stop().await.expect("clean stop");

    let running = dispatch_server::server::start(&settings, &[])
        .await
        .expect("restart");
    let server = format!("http://{}", running.addr);
    let out = audit_cli(&[
        "export",
        "--from",
        "2000-01-01",
        "--to",
        "2100-01-01",
        "--server",
        &server,
        "--token",
        &t.auditor,
    ])
    .await;
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let recommended = lines
        .iter()
        .find(|l| {
            l["operation"]
                .as_str()
                .is_some_and(|o| o.ends_with("Dispatch/Recommend"))
        })
        .unwrap_or_else(|| panic!("the read before the stop is on the trail:\n{stdout}"));
    assert_eq!(recommended["actor"], "holder of dispatcher");
    assert_eq!(recommended["role"], "dispatcher");
    assert_eq!(recommended["action"], "read");
    assert_eq!(recommended["outcome"], "ok");
    assert_eq!(recommended["incident_ids"][0], incident_id.as_str());
    assert_eq!(recommended["peer"], "127.0.0.1");
    assert!(recommended["at"].as_str().is_some_and(|a| a.ends_with('Z')));

    let out = audit_cli(&["verify", "--server", &server, "--token", &t.admin]).await;
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("records, chain intact"), "{said}");
    let wrong = audit_cli(&["verify", "--server", &server, "--token", &t.supervisor]).await;
    assert!(!wrong.status.success());
    running.stop().await.expect("stop");

    // Someone with the file: the table refuses edits; with the triggers dropped, the chain
    // shows the edit.
    let db = settings.database_path();
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
        .await
        .expect("open the file");
    let refused = sqlx::query("UPDATE audit SET actor = 'nobody' WHERE seq = 2")
        .execute(&pool)
        .await
        .expect_err("append-only");
    assert!(refused.to_string().contains("append-only"), "{refused}");
    sqlx::query("DROP TRIGGER audit_no_update")
        .execute(&pool)
        .await
        .expect("drop trigger");
    sqlx::query(
        r#"UPDATE audit SET body = replace(body, '"outcome":"ok"', '"outcome":"denied"') WHERE seq = 2"#,
    )
    .execute(&pool)
    .await
    .expect("edit");
    pool.close().await;

    let running = dispatch_server::server::start(&settings, &[])
        .await
        .expect("restart");
    let server = format!("http://{}", running.addr);
    let out = audit_cli(&["verify", "--server", &server, "--token", &t.auditor]).await;
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("broken at record 2"), "{said}");
    running.stop().await.expect("stop");
}
