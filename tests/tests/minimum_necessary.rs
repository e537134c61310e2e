//! Minimum necessary (issue 14): each role gets what its work needs and no more, checked over
//! gRPC with the role that should not see it.
//! - a peer's queue holds their own tasks and unassigned ones; a supervisor's holds all;
//! - the CAD outbound carries statuses and dispositions, never encounter notes, referrals
//!   or person references;
//! - a team sees its own call only, and nothing of it once cleared (a resumed stream does
//!   not replay it); what follows goes through follow-ups;
//! - reports are aggregates: no narrative, name, callback, note or incident id.

use dispatch_proto::v1;
use dispatch_tests::fixtures::command_id;
use dispatch_tests::*;
use prost::Message;
use tonic::Code;

const NOTES: &str = "TALKED ABOUT HIS SISTER IN SALEM AND METHADONE DOSE";
const REFERRAL_NOTE: &str = "CENTRAL CITY CONCERN INTAKE FRIDAY";
const PERSON: &str = "CLIENT 9182";

fn encounter() -> v1::Encounter {
    v1::Encounter {
        notes: NOTES.into(),
        services_provided: vec!["water".into()],
        referrals: vec![v1::Referral {
            category: v1::ResourceCategory::DetoxTreatment as i32,
            status: v1::ReferralStatus::Made as i32,
            note: REFERRAL_NOTE.into(),
        }],
        consents_to_follow_up: true,
        person_ref: PERSON.into(),
    }
}

fn far_future() -> Option<prost_types::Timestamp> {
    Some(prost_types::Timestamp {
        seconds: 4_000_000_000,
        nanos: 0,
    })
}

async fn create_task(
    ch: &tonic::transport::Channel,
    token: &str,
    incident_id: &str,
    assignee: &str,
    person_ref: &str,
) -> v1::FollowUpTask {
    FollowUpsClient::new(ch.clone())
        .create(authed(
            v1::CreateFollowUpRequest {
                command_id: command_id(),
                incident_id: incident_id.into(),
                kind: v1::FollowUpKind::PhoneCheckIn as i32,
                due_at: far_future(),
                assignee: assignee.into(),
                person_ref: person_ref.into(),
            },
            token,
        ))
        .await
        .expect("create")
        .into_inner()
        .task
        .expect("task")
}

async fn queue_snapshot(stream: &mut tonic::Streaming<v1::FollowUpEvent>) -> Vec<v1::FollowUpTask> {
    match next(stream).await.kind {
        Some(v1::follow_up_event::Kind::Snapshot(s)) => s.tasks,
        other => panic!("expected a snapshot, got {other:?}"),
    }
}

async fn watch_queue(
    ch: &tonic::transport::Channel,
    token: &str,
) -> tonic::Streaming<v1::FollowUpEvent> {
    FollowUpsClient::new(ch.clone())
        .watch_queue(authed(v1::WatchRequest { after_seq: 0 }, token))
        .await
        .expect("queue")
        .into_inner()
}

#[tokio::test]
async fn a_peer_sees_their_own_and_unassigned_tasks_and_a_supervisor_all() {
    let server = TestServer::start().await;
    let t = server.tokens.clone();
    let ch = server.channel().await;
    let incident_id = call_on_scene(&ch, &t, "Q-1", "PSR-1").await;
    let mine = create_task(&ch, &t.supervisor, &incident_id, "peer-1", "P-A").await;
    let theirs = create_task(&ch, &t.supervisor, &incident_id, "peer-2", "P-B").await;
    let nobodys = create_task(&ch, &t.supervisor, &incident_id, "", "P-C").await;
    assert_eq!(nobodys.assignee, "");

    let ids = |tasks: &[v1::FollowUpTask]| {
        let mut ids: Vec<String> = tasks.iter().map(|t| t.id.clone()).collect();
        ids.sort();
        ids
    };
    let mut peer_1 = watch_queue(&ch, t.peer("peer-1")).await;
    let seen = queue_snapshot(&mut peer_1).await;
    let mut expected = vec![mine.id.clone(), nobodys.id.clone()];
    expected.sort();
    assert_eq!(ids(&seen), expected, "peer-1 sees no task of peer-2's");
    let mut supervisor = watch_queue(&ch, &t.supervisor).await;
    let all = queue_snapshot(&mut supervisor).await;
    for task in [&mine, &theirs, &nobodys] {
        assert!(ids(&all).contains(&task.id), "a supervisor sees every task");
    }

    // Live: another peer's new task does not reach peer-1; their own next one does.
    let later_theirs = create_task(&ch, &t.supervisor, &incident_id, "peer-2", "P-D").await;
    let later_mine = create_task(&ch, &t.supervisor, &incident_id, "peer-1", "P-E").await;
    let (event, _) = until(&mut peer_1, |m| queue_event(m).cloned()).await;
    match event.kind {
        Some(v1::event::Kind::FollowUpCreated(created)) => {
            let task = created.task.expect("task");
            assert_eq!(task.id, later_mine.id, "not {}", later_theirs.id);
        }
        other => panic!("expected the new task, got {other:?}"),
    }

    // The wrong role: the queue is for peers and supervisors.
    for token in [&t.dispatcher, t.unit("PSR-1"), &t.cad] {
        let e = FollowUpsClient::new(ch.clone())
            .watch_queue(authed(v1::WatchRequest { after_seq: 0 }, token))
            .await
            .expect_err("not theirs");
        assert_eq!(e.code(), Code::PermissionDenied);
    }
}

#[tokio::test]
async fn the_cad_hears_statuses_and_the_disposition_never_notes_referrals_or_person() {
    let server = TestServer::start().await;
    let t = server.tokens.clone();
    let ch = server.channel().await;
    let mut outbound = CadIngestClient::new(ch.clone())
        .outbound(authed(v1::OutboundRequest { after_seq: 0 }, &t.cad))
        .await
        .expect("outbound")
        .into_inner();
    call_on_scene(&ch, &t, "O-1", "PSR-1").await;
    clear(&ch, t.unit("PSR-1"), encounter()).await;
    let mut heard = Vec::new();
    loop {
        let update = next(&mut outbound).await;
        let done = matches!(update.kind, Some(v1::cad_update::Kind::Disposition(_)));
        heard.push(update);
        if done {
            break;
        }
    }
    assert!(
        heard
            .iter()
            .any(|u| matches!(u.kind, Some(v1::cad_update::Kind::Status(_)))),
        "statuses reach the CAD: {heard:?}"
    );
    for update in &heard {
        let bytes = update.encode_to_vec();
        let text = String::from_utf8_lossy(&bytes);
        for secret in [NOTES, REFERRAL_NOTE, PERSON, "water"] {
            assert!(
                !text.contains(secret),
                "{secret:?} went to the CAD: {update:?}"
            );
        }
    }

    // The wrong role: the outbound stream is the CAD's.
    for token in [
        &t.dispatcher,
        &t.supervisor,
        t.unit("PSR-1"),
        t.peer("peer-1"),
    ] {
        let e = CadIngestClient::new(ch.clone())
            .outbound(authed(v1::OutboundRequest { after_seq: 0 }, token))
            .await
            .expect_err("not theirs");
        assert_eq!(e.code(), Code::PermissionDenied);
    }
}

#[tokio::test]
async fn a_team_sees_its_own_call_only_and_nothing_of_it_once_cleared() {
    let server = TestServer::start().await;
    let t = server.tokens.clone();
    let ch = server.channel().await;
    let mut cad = CadIngestClient::new(ch.clone());
    let incident_id = call_on_scene(&ch, &t, "T-1", "PSR-1").await;
    let secret_line = "SUBJ SAYS HE USED FENTANYL THIS AM";
    cad.submit(authed(
        fixtures::narrative("T-1", "e-t1-n", secret_line),
        &t.cad,
    ))
    .await
    .expect("narrative");

    // Another team: no card of PSR-1's call, and the narrative does not reach it.
    let mut psr_2 = subscribe_unit(&ch, t.unit("PSR-2"), 0).await;
    match next(&mut psr_2).await.kind {
        Some(v1::responder_event::Kind::Snapshot(s)) => assert!(s.incident.is_none()),
        other => panic!("expected a snapshot, got {other:?}"),
    }
    let e = ResponderClient::new(ch.clone())
        .subscribe(authed(
            v1::SubscribeRequest {
                team_id: "PSR-1".into(),
                after_seq: 0,
            },
            t.unit("PSR-2"),
        ))
        .await
        .expect_err("another team's card");
    assert_eq!(e.code(), Code::PermissionDenied);

    let cleared = clear(&ch, t.unit("PSR-1"), encounter()).await;
    // Cleared: a fresh card is empty, and a stream resumed from the start replays nothing
    // of the call (the marker is a position report after the catch-up).
    let mut fresh = subscribe_unit(&ch, t.unit("PSR-1"), 0).await;
    match next(&mut fresh).await.kind {
        Some(v1::responder_event::Kind::Snapshot(s)) => {
            assert!(s.incident.is_none(), "the cleared call is off the card");
        }
        other => panic!("expected a snapshot, got {other:?}"),
    }
    let mut resumed = subscribe_unit(&ch, t.unit("PSR-1"), 1).await;
    ResponderClient::new(ch.clone())
        .update_status(authed(
            v1::UpdateStatusRequest {
                command_id: command_id(),
                status: v1::TeamStatus::Unspecified as i32,
                position: Some(v1::GeoPoint {
                    lat: 45.52,
                    lon: -122.68,
                }),
                team_id: String::new(),
            },
            t.unit("PSR-1"),
        ))
        .await
        .expect("position");
    loop {
        let message = next(&mut resumed).await;
        let text = format!("{message:?}");
        for secret in [
            secret_line,
            NOTES,
            "TEST CALLER",
            "503-555-0100",
            "YELLING AT TRAFFIC",
        ] {
            assert!(
                !text.contains(secret),
                "{secret:?} replayed after clear: {text}"
            );
        }
        if let Some(v1::event::Kind::TeamPositionReported(_)) =
            responder_event(&message).and_then(|e| e.kind.as_ref())
        {
            break;
        }
    }
    // What the program still needs of the call goes through the follow-up's peer; the team
    // has no way to it.
    let task = cleared.follow_ups.first().expect("a follow-up");
    let read = |token: String| {
        let mut client = FollowUpsClient::new(ch.clone());
        let task_id = task.id.clone();
        async move {
            client
                .task_incident(authed(v1::TaskRef { task_id }, &token))
                .await
                .map(|r| r.into_inner())
        }
    };
    let incident = read(t.peer(&task.assignee).to_owned())
        .await
        .expect("the task's peer reads the call");
    assert_eq!(incident.id, incident_id);
    let e = read(t.unit("PSR-1").to_owned())
        .await
        .expect_err("the team does not");
    assert_eq!(e.code(), Code::PermissionDenied);
}

#[tokio::test]
async fn reports_are_aggregates_without_a_name_a_narrative_or_an_id() {
    let server = TestServer::start().await;
    let t = server.tokens.clone();
    let ch = server.channel().await;
    let incident_id = call_on_scene(&ch, &t, "RPT-77", "PSR-1").await;
    clear(&ch, t.unit("PSR-1"), encounter()).await;
    let now = dispatch_server::clock::now();
    let request = |token: &str| {
        authed(
            v1::UtilizationRequest {
                from: Some(dispatch_proto::convert::to_proto_time(now.plus_hours(-1))),
                to: Some(dispatch_proto::convert::to_proto_time(now.plus_hours(1))),
            },
            token,
        )
    };
    let mut reports = dispatch_proto::v1::reports_client::ReportsClient::new(ch.clone());
    let report = reports
        .utilization(request(&t.supervisor))
        .await
        .expect("report")
        .into_inner();
    assert_eq!(report.totals.as_ref().expect("totals").calls_received, 1);
    let text = String::from_utf8_lossy(&report.encode_to_vec()).into_owned();
    for secret in [
        incident_id.as_str(),
        NOTES,
        REFERRAL_NOTE,
        PERSON,
        "TEST CALLER",
        "503-555-0100",
        "YELLING AT TRAFFIC",
        "RPT-77",
    ] {
        assert!(!text.contains(secret), "{secret:?} is in the report");
    }
    for token in [t.unit("PSR-1"), t.peer("peer-1"), &t.cad, &t.auditor] {
        let e = reports
            .utilization(request(token))
            .await
            .expect_err("not theirs");
        assert_eq!(e.code(), Code::PermissionDenied);
    }
}
