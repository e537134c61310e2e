//! What the consoles read besides the streams' events: the service area for their maps (in
//! the board's and the team's snapshots) and, for a peer, the incident behind a task.

use dispatch_proto::v1;
use dispatch_tests::*;
use tonic::Code;

#[tokio::test]
async fn the_board_and_the_team_get_the_service_area_for_their_maps() {
    let server = TestServer::start().await;
    let t = server.tokens.clone();
    let ch = server.channel().await;
    let mut board = watch_board(&ch, &t.dispatcher, 0).await;
    let area = match next(&mut board).await.kind {
        Some(v1::board_event::Kind::Snapshot(s)) => s.service_area,
        other => panic!("expected a snapshot, got {other:?}"),
    };
    assert!(!area.is_empty(), "the shipped config has Portland's area");
    let ring = &area[0].points;
    assert!(ring.len() >= 4, "a ring: {ring:?}");
    // Portland, not somewhere else.
    assert!(
        ring.iter()
            .all(|p| (45.0..46.0).contains(&p.lat) && (-123.5..-122.0).contains(&p.lon))
    );
    let mut unit = subscribe_unit(&ch, t.unit("PSR-1"), 0).await;
    match next(&mut unit).await.kind {
        Some(v1::responder_event::Kind::Snapshot(s)) => assert_eq!(s.service_area, area),
        other => panic!("expected a snapshot, got {other:?}"),
    }
}

#[tokio::test]
async fn a_peer_reads_the_incident_of_a_task_they_may_work_and_no_other() {
    let server = TestServer::start().await;
    let t = server.tokens.clone();
    let ch = server.channel().await;
    let incident_id = call_on_scene(&ch, &t, "P-1", "PSR-1").await;
    let tasks = clear(
        &ch,
        t.unit("PSR-1"),
        v1::Encounter {
            notes: "accepted a shelter bed".into(),
            consents_to_follow_up: true,
            ..v1::Encounter::default()
        },
    )
    .await
    .follow_ups;
    let task = tasks.first().expect("a follow-up");
    let owner = task.assignee.clone();
    assert!(!owner.is_empty(), "the team's peer has it");
    let read = |token: String, task_id: String| {
        let mut client = FollowUpsClient::new(ch.clone());
        async move {
            client
                .task_incident(authed(v1::TaskRef { task_id }, &token))
                .await
                .map(|r| r.into_inner())
        }
    };

    let incident = read(t.peer(&owner).to_owned(), task.id.clone())
        .await
        .expect("the task's peer reads it");
    assert_eq!(incident.id, incident_id);
    assert_eq!(
        incident
            .details
            .expect("details")
            .caller
            .expect("caller")
            .callback,
        "503-555-0100",
        "the peer needs the callback to follow up"
    );
    let encounter = incident
        .clearance
        .expect("clearance")
        .encounter
        .expect("encounter");
    assert_eq!(encounter.notes, "accepted a shelter bed");
    read(t.supervisor.clone(), task.id.clone())
        .await
        .expect("a supervisor reads any");

    let other_peer = ["peer-1", "peer-2", "peer-3"]
        .into_iter()
        .find(|p| *p != owner)
        .expect("another peer");
    let e = read(t.peer(other_peer).to_owned(), task.id.clone())
        .await
        .expect_err("not their task");
    assert_eq!(e.code(), Code::PermissionDenied);
    let e = read(t.peer(&owner).to_owned(), "no-such-task".into())
        .await
        .expect_err("unknown");
    assert_eq!(e.code(), Code::NotFound);
    let e = read(t.peer(&owner).to_owned(), " ".into())
        .await
        .expect_err("blank");
    assert_eq!(e.code(), Code::InvalidArgument);
    let e = read(t.dispatcher.clone(), task.id.clone())
        .await
        .expect_err("dispatchers use the board");
    assert_eq!(e.code(), Code::PermissionDenied);
}
