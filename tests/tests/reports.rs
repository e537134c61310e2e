//! Reports.Utilization and `dispatch-server report` against a day of work driven over gRPC on
//! a manual clock; every figure is recounted here, independently, from the journal in the
//! database file.

use dispatch_core::{Decision, Disposition, Event, IncidentId, TeamStatus, Timestamp};
use dispatch_proto::convert::to_proto_time;
use dispatch_proto::v1::{self, reports_client::ReportsClient};
use dispatch_store::JournalEntry;
use dispatch_tests::fixtures::{self, command_id};
use dispatch_tests::*;
use std::collections::{BTreeMap, HashSet};
use std::time::Duration;
use tonic::Code;

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// A day of varied work. Returns the period to report on: from after the first call to before
/// the last.
async fn a_day_of_work(server: &TestServer) -> (Timestamp, Timestamp) {
    let t = &server.tokens;
    let ch = server.channel().await;
    let cad = CadIngestClient::new(ch.clone());
    let mut responder = ResponderClient::new(ch.clone());
    let mut follow_ups = FollowUpsClient::new(ch.clone());
    let submit = |event: v1::CadEvent| {
        let mut cad = cad.clone();
        async move {
            cad.submit(authed(event, &t.cad))
                .await
                .expect("submit")
                .into_inner()
                .incident_id
        }
    };
    submit(fixtures::crisis_call("R-0", "e-0")).await;
    server.clock.advance(secs(10));
    let from = server.clock.now();
    let mut tasks: Vec<v1::FollowUpTask> = Vec::new();

    for i in 1..=12u64 {
        let mut call = fixtures::crisis_call(&format!("R-{i}"), &format!("e-{i}"));
        match i % 4 {
            // A weapon: not eligible.
            2 => {
                fixtures::created_mut(&mut call)
                    .flags
                    .as_mut()
                    .unwrap()
                    .weapon = v1::Answer::Yes as i32
            }
            // A nature the table does not know and nothing in the notes: for the dispatcher to review, who declines.
            0 => {
                let created = fixtures::created_mut(&mut call);
                created.nature_code = format!("ZZ{i}");
                created.nature_text = "ZZ".into();
                // Notes that say nothing either way (notes of a call for the team would make
                // an unknown type eligible).
                created.narrative = vec!["RP REQ CALLBACK, NFI".into()];
            }
            _ => {}
        }
        let incident = submit(call).await;
        server.clock.advance(secs(7 * i));
        if i % 4 == 0 {
            DispatchClient::new(ch.clone())
                .decline(authed(
                    v1::DeclineRequest {
                        command_id: command_id(),
                        incident_id: incident,
                        route: v1::Route::Police as i32,
                        reason: "Caller wants police".into(),
                    },
                    &t.dispatcher,
                ))
                .await
                .expect("decline");
            continue;
        }
        if i % 4 == 2 {
            continue;
        }
        let team = format!("PSR-{}", i % 3 + 1);
        let unit = t.unit(&team).to_owned();
        let a = assign(&ch, &t.dispatcher, &incident, &team).await;
        server.clock.advance(secs(3 * i));
        let status_client = responder.clone();
        let status = |s: v1::TeamStatus| {
            let mut responder = status_client.clone();
            let unit = unit.clone();
            async move {
                responder
                    .update_status(authed(status_request(s), &unit))
                    .await
                    .expect("status");
            }
        };
        if i % 3 != 0 {
            responder
                .acknowledge(authed(
                    v1::AcknowledgeRequest {
                        command_id: command_id(),
                        assignment_id: a.id,
                    },
                    &unit,
                ))
                .await
                .expect("ack");
            server.clock.advance(secs(20 + i));
        }
        status(v1::TeamStatus::EnRoute).await;
        server.clock.advance(secs(60 + 11 * i));
        status(v1::TeamStatus::OnScene).await;
        if i % 5 == 0 {
            responder
                .request_backup(authed(
                    v1::BackupRequest {
                        command_id: command_id(),
                        urgent: false,
                        note: "crowd gathering".into(),
                    },
                    &unit,
                ))
                .await
                .expect("backup");
        }
        server.clock.advance(secs(300 + 13 * i));
        if i == 7 {
            let mut cancel = fixtures::crisis_call("R-7", "e-7-cancel");
            cancel.kind = Some(v1::cad_event::Kind::Cancelled(v1::CallCancelled {
                reason: "caller called back".into(),
            }));
            submit(cancel).await;
            continue;
        }
        let transport = i % 2 == 1;
        if transport {
            status(v1::TeamStatus::Transporting).await;
            server.clock.advance(secs(240));
        }
        let categories = [
            v1::ResourceCategory::Housing,
            v1::ResourceCategory::Food,
            v1::ResourceCategory::MentalHealthCare,
        ];
        let cleared = responder
            .clear(authed(
                v1::ClearRequest {
                    command_id: command_id(),
                    disposition: if transport {
                        v1::Disposition::Transported
                    } else {
                        v1::Disposition::ConnectedToServices
                    } as i32,
                    encounter: Some(v1::Encounter {
                        referrals: categories[..(i % 3) as usize]
                            .iter()
                            .map(|c| v1::Referral {
                                category: *c as i32,
                                status: v1::ReferralStatus::Made as i32,
                                note: String::new(),
                            })
                            .collect(),
                        consents_to_follow_up: i % 4 != 3,
                        ..v1::Encounter::default()
                    }),
                },
                &unit,
            ))
            .await
            .expect("clear")
            .into_inner();
        tasks.extend(cleared.follow_ups);
        server.clock.advance(secs(90));
    }
    assert!(
        tasks.len() >= 3,
        "the policy creates follow-ups: {}",
        tasks.len()
    );

    // Peers work some of the tasks: reached (with a referral), no contact, completed.
    for (n, task) in tasks.iter().enumerate() {
        server.clock.advance(secs(3600));
        let peer = if task.assignee.is_empty() {
            "peer-1".to_owned()
        } else {
            task.assignee.clone()
        };
        let result = if n % 2 == 0 {
            v1::AttemptResult::Reached
        } else {
            v1::AttemptResult::NoContact
        };
        follow_ups
            .record_attempt(authed(
                v1::AttemptRequest {
                    command_id: command_id(),
                    task_id: task.id.clone(),
                    result: result as i32,
                    note: "phoned".into(),
                    referrals: vec![v1::Referral {
                        category: v1::ResourceCategory::Benefits as i32,
                        status: v1::ReferralStatus::Made as i32,
                        note: String::new(),
                    }],
                },
                t.peer(&peer),
            ))
            .await
            .expect("attempt");
        if n % 3 == 0 {
            follow_ups
                .complete(authed(
                    v1::CompleteRequest {
                        command_id: command_id(),
                        task_id: task.id.clone(),
                        outcome: v1::TaskOutcome::Done as i32,
                        measures: None,
                    },
                    t.peer(&peer),
                ))
                .await
                .expect("complete");
        }
    }
    // Long enough for some unfinished tasks to be overdue.
    server.clock.advance(secs(3 * 86_400));
    let to = server.clock.now();
    server.clock.advance(secs(5));
    submit(fixtures::crisis_call("R-13", "e-13")).await;
    (from, to)
}

/// The nearest-rank percentile, as docs/reports.md defines it.
fn percentile(mut values: Vec<i64>, p: usize) -> i64 {
    if values.is_empty() {
        return 0;
    }
    values.sort();
    let rank = ((values.len() * p) as f64 / 100.0).ceil() as usize;
    values[rank.max(1) - 1]
}

fn summary(values: Vec<i64>) -> v1::DurationSummary {
    v1::DurationSummary {
        count: values.len() as u64,
        median_ms: percentile(values.clone(), 50),
        p90_ms: percentile(values, 90),
    }
}

/// The figures of the period, recounted by queries over the journal entries.
fn recount(journal: &[JournalEntry], from: Timestamp, to: Timestamp) -> v1::Figures {
    let seen: Vec<&JournalEntry> = journal.iter().filter(|e| e.at < to).collect();
    let calls: Vec<(IncidentId, Timestamp)> = seen
        .iter()
        .filter_map(|e| match &e.event {
            Event::IncidentReceived { incident } if e.at >= from => {
                Some((incident.id.clone(), e.at))
            }
            _ => None,
        })
        .collect();
    let ours: HashSet<&IncidentId> = calls.iter().map(|(id, _)| id).collect();
    let first = |id: &IncidentId, test: &dyn Fn(&Event, &IncidentId) -> bool| {
        seen.iter().find(|e| test(&e.event, id)).map(|e| e.at)
    };
    let assigned = |e: &Event, id: &IncidentId| matches!(e, Event::AssignmentMade { assignment, .. } if &assignment.incident_id == id);
    let acked = |e: &Event, id: &IncidentId| matches!(e, Event::AssignmentAcknowledged { incident_id, .. } if incident_id == id);
    let on_scene = |e: &Event, id: &IncidentId| matches!(e, Event::TeamStatusChanged { status: TeamStatus::OnScene, incident_id: Some(i), .. } if i == id);
    let left = |e: &Event, id: &IncidentId| match e {
        Event::TeamStatusChanged {
            status: TeamStatus::Transporting,
            incident_id: Some(i),
            ..
        } => i == id,
        Event::IncidentCleared { incident_id, .. }
        | Event::IncidentCancelled { incident_id, .. } => incident_id == id,
        _ => false,
    };
    let cleared = |e: &Event, id: &IncidentId| matches!(e, Event::IncidentCleared { incident_id, .. } if incident_id == id);
    let cancelled = |e: &Event, id: &IncidentId| matches!(e, Event::IncidentCancelled { incident_id, .. } if incident_id == id);
    let backup = |e: &Event, id: &IncidentId| matches!(e, Event::BackupRequested { incident_id, .. } if incident_id == id);
    let transported = |e: &Event, id: &IncidentId| match e {
        Event::TeamStatusChanged {
            status: TeamStatus::Transporting,
            incident_id: Some(i),
            ..
        } => i == id,
        Event::IncidentCleared {
            incident_id,
            disposition: Disposition::Transported,
            ..
        } => incident_id == id,
        _ => false,
    };
    let decision = |id: &IncidentId| {
        seen.iter().rev().find_map(|e| match &e.event {
            Event::IncidentTriaged {
                incident_id,
                triage,
                ..
            } if incident_id == id => Some(triage.decision),
            _ => None,
        })
    };
    let count = |test: &dyn Fn(&Event, &IncidentId) -> bool| {
        calls
            .iter()
            .filter(|(id, _)| first(id, test).is_some())
            .count() as u64
    };
    let gaps = |a: &dyn Fn(&IncidentId, Timestamp) -> Option<Timestamp>,
                b: &dyn Fn(&IncidentId) -> Option<Timestamp>| {
        calls
            .iter()
            .filter_map(|(id, received)| Some(b(id)?.millis() - a(id, *received)?.millis()))
            .collect::<Vec<i64>>()
    };
    let at_received = |_: &IncidentId, r: Timestamp| Some(r);
    let at_assigned = |id: &IncidentId, _: Timestamp| first(id, &assigned);
    let at_acked = |id: &IncidentId, _: Timestamp| first(id, &acked);
    let at_on_scene = |id: &IncidentId, _: Timestamp| first(id, &on_scene);
    let left_scene = |id: &IncidentId| {
        let arrived = first(id, &on_scene)?;
        seen.iter()
            .find(|e| e.at >= arrived && left(&e.event, id))
            .map(|e| e.at)
    };

    let mut f = v1::Figures {
        calls_received: calls.len() as u64,
        dispatched: count(&assigned),
        acknowledged: count(&acked),
        backup_requested: count(&backup),
        transported: count(&transported),
        cleared: count(&cleared),
        cancelled: count(&cancelled),
        received_to_assigned: Some(summary(gaps(&at_received, &|id| first(id, &assigned)))),
        assigned_to_acknowledged: Some(summary(gaps(&at_assigned, &|id| first(id, &acked)))),
        acknowledged_to_on_scene: Some(summary(gaps(&at_acked, &|id| first(id, &on_scene)))),
        received_to_on_scene: Some(summary(gaps(&at_received, &|id| first(id, &on_scene)))),
        time_on_scene: Some(summary(gaps(&at_on_scene, &left_scene))),
        ..v1::Figures::default()
    };
    for (id, _) in &calls {
        match decision(id) {
            Some(Decision::Eligible) => f.eligible += 1,
            Some(Decision::Review) => f.review += 1,
            Some(Decision::NotEligible) => f.not_eligible += 1,
            None => {}
        }
    }
    for e in &seen {
        match &e.event {
            Event::IncidentDeclined {
                incident_id,
                route,
                reason,
            } if ours.contains(incident_id) => {
                f.declined += 1;
                let key = format!("{}: {}", route.name(), reason.trim().to_lowercase());
                *f.declined_by_reason.entry(key).or_default() += 1;
            }
            _ => {}
        }
    }
    for (id, _) in &calls {
        let last = seen.iter().rev().find_map(|e| match &e.event {
            Event::IncidentTriaged {
                incident_id,
                triage,
                ..
            } if incident_id == id => Some(triage),
            _ => None,
        });
        if let Some(triage) = last.filter(|t| t.decision == Decision::NotEligible) {
            let rules: HashSet<&String> = triage.reasons.iter().map(|r| &r.rule).collect();
            for rule in rules {
                *f.not_eligible_by_rule.entry(rule.clone()).or_default() += 1;
            }
        }
    }
    // Follow-ups created in the period, as they stood at `to`.
    let created: Vec<(&dispatch_core::FollowUpTask, Timestamp)> = seen
        .iter()
        .filter_map(|e| match &e.event {
            Event::FollowUpCreated { task } if e.at >= from => Some((task, e.at)),
            _ => None,
        })
        .collect();
    let mut first_contact = Vec::new();
    for (task, at) in &created {
        f.follow_ups_created += 1;
        let status = seen
            .iter()
            .rev()
            .find_map(|e| match &e.event {
                Event::FollowUpAttemptRecorded {
                    task_id, status, ..
                }
                | Event::FollowUpCompleted {
                    task_id, status, ..
                } if *task_id == task.id => Some(*status),
                _ => None,
            })
            .unwrap_or(task.status);
        let due = seen
            .iter()
            .rev()
            .find_map(|e| match &e.event {
                Event::FollowUpScheduled {
                    task_id, due_at, ..
                } if *task_id == task.id => Some(*due_at),
                _ => None,
            })
            .unwrap_or(task.due_at);
        use dispatch_core::FollowUpStatus as S;
        match status {
            S::Done => f.follow_ups_completed += 1,
            S::ClosedUnreachable => f.follow_ups_closed_unreachable += 1,
            S::Cancelled => f.follow_ups_cancelled += 1,
            S::Open | S::Scheduled if due < to => f.follow_ups_overdue += 1,
            _ => {}
        }
        let reached = seen.iter().find(|e| matches!(&e.event, Event::FollowUpAttemptRecorded { task_id, attempt, .. } if *task_id == task.id && attempt.result == dispatch_core::AttemptResult::Reached));
        if let Some(e) = reached {
            first_contact.push(e.at.millis() - at.millis());
        }
    }
    f.time_to_first_contact = Some(summary(first_contact));
    for e in seen.iter().filter(|e| e.at >= from) {
        let referrals = match &e.event {
            Event::IncidentCleared { encounter, .. } => &encounter.referrals,
            Event::FollowUpAttemptRecorded { attempt, .. } => &attempt.referrals,
            _ => continue,
        };
        for r in referrals {
            *f.referrals.entry(r.category.name().to_owned()).or_default() += 1;
        }
    }
    f
}

async fn utilization(
    server: &TestServer,
    token: &str,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
) -> Result<v1::UtilizationReport, tonic::Status> {
    ReportsClient::new(server.channel().await)
        .utilization(authed(
            v1::UtilizationRequest {
                from: from.map(to_proto_time),
                to: to.map(to_proto_time),
            },
            token,
        ))
        .await
        .map(|r| r.into_inner())
}

#[tokio::test]
async fn the_report_matches_an_independent_recount_of_the_journal() {
    let server = TestServer::start_with_manual_clock(|_| {}).await;
    let (from, to) = a_day_of_work(&server).await;
    let report = utilization(&server, &server.tokens.supervisor, Some(from), Some(to))
        .await
        .expect("report");
    let journal = server.journal().await;
    let expected = recount(&journal, from, to);
    let totals = report.totals.clone().expect("totals");
    assert_eq!(totals, expected);
    // The day is not trivial: every path was taken.
    assert_eq!(totals.calls_received, 12);
    assert_eq!(
        (totals.eligible, totals.review, totals.not_eligible),
        (6, 3, 3),
        "{:?}",
        totals.not_eligible_by_rule
    );
    assert_eq!(
        (totals.declined, totals.cancelled, totals.backup_requested),
        (3, 1, 1)
    );
    assert!(totals.follow_ups_completed > 0 && totals.follow_ups_overdue > 0);
    assert!(totals.referrals.contains_key("benefits"));
    assert_eq!(report.as_of, Some(to_proto_time(to)));

    // By team: each team's calls are those it held; the teams' calls add up to the dispatched.
    let mut by_team: BTreeMap<String, u64> = BTreeMap::new();
    for e in journal.iter().filter(|e| e.at >= from && e.at < to) {
        if let Event::AssignmentMade { assignment, .. } = &e.event {
            *by_team.entry(assignment.team_id.to_string()).or_default() += 1;
        }
    }
    let reported: BTreeMap<String, u64> = report
        .by_team
        .iter()
        .map(|t| (t.team_id.clone(), t.figures.as_ref().unwrap().dispatched))
        .collect();
    assert_eq!(reported, by_team);
    // By day: the days partition the period.
    let days: u64 = report
        .by_day
        .iter()
        .map(|d| d.figures.as_ref().unwrap().calls_received)
        .sum();
    assert_eq!(days, 12);

    // The CLI prints the same figures, as CSV.
    let server_url = format!("http://{}", server.addr);
    let out = report_cli(&[
        "--csv",
        "--server",
        &server_url,
        "--token",
        &server.tokens.supervisor,
        "--from",
        &from.rfc3339(),
        "--to",
        &to.rfc3339(),
    ])
    .await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (figure, value) in [
        ("calls_received", totals.calls_received.to_string()),
        ("declined", "3".to_owned()),
        (
            "received_to_on_scene.median_s",
            format!(
                "{}.{:03}",
                expected.received_to_on_scene.unwrap().median_ms / 1000,
                expected.received_to_on_scene.unwrap().median_ms % 1000
            ),
        ),
        (
            "referrals[benefits]",
            expected.referrals["benefits"].to_string(),
        ),
    ] {
        let row = format!("total,,{figure},{value}\n");
        assert!(stdout.contains(&row), "missing {row:?} in\n{stdout}");
    }
}

/// `dispatch-server report ARGS`, run as a separate process (asynchronously: the server under
/// test answers on this test's runtime).
async fn report_cli(args: &[&str]) -> std::process::Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_e2e-server"))
        .arg("report")
        .args(args)
        .output()
        .await
        .expect("run report")
}

#[tokio::test]
async fn bad_report_requests_are_refused_with_the_field_named() {
    let server = TestServer::start().await;
    let t = &server.tokens;
    let now = server.clock.now();
    let e = utilization(&server, &t.supervisor, None, Some(now))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::InvalidArgument);
    assert!(e.message().starts_with("from:"), "{}", e.message());
    let e = utilization(&server, &t.supervisor, Some(now), Some(now))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::InvalidArgument);
    assert!(e.message().starts_with("to:"), "{}", e.message());
    let e = utilization(
        &server,
        &t.supervisor,
        Some(now),
        Some(now.plus_hours(24 * 500)),
    )
    .await
    .unwrap_err();
    assert!(e.message().contains("at most"), "{}", e.message());
    let e = utilization(&server, t.unit("PSR-1"), Some(now), Some(now.plus_hours(1)))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::PermissionDenied);
    let e = utilization(&server, "not-a-token", Some(now), Some(now.plus_hours(1)))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::Unauthenticated);
    // An empty period is a report of nothing, not an error.
    let empty = utilization(
        &server,
        &t.dispatcher,
        Some(now.plus_hours(1)),
        Some(now.plus_hours(2)),
    )
    .await
    .expect("report");
    assert_eq!(empty.totals.unwrap().calls_received, 0);

    // The CLI says what to fix and exits non-zero.
    let server_url = format!("http://{}", server.addr);
    let out = report_cli(&[
        "--server",
        &server_url,
        "--token",
        &t.supervisor,
        "--from",
        "November",
        "--to",
        "2026-12-01",
    ])
    .await;
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--from \"November\""), "{err}");
    let out = report_cli(&[
        "--server",
        &server_url,
        "--token",
        t.unit("PSR-1"),
        "--from",
        "2026-11-01",
        "--to",
        "2026-12-01",
    ])
    .await;
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("refused"), "{err}");
    // A period that ends before it starts, and a server that is not there.
    let out = report_cli(&[
        "--server",
        &server_url,
        "--token",
        &t.supervisor,
        "--from",
        "2026-12-01",
        "--to",
        "2026-11-01",
    ])
    .await;
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--to must be after --from"), "{err}");
    let out = report_cli(&[
        "--server",
        "http://127.0.0.1:9",
        "--token",
        &t.supervisor,
        "--from",
        "2026-11-01",
        "--to",
        "2026-12-01",
    ])
    .await;
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot reach the server"), "{err}");
}
