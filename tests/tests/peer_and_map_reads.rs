//! What the consoles read besides the streams' plain events: the service area for their maps
//! (in the board's and the team's snapshots), a card's premise history (earlier calls at the
//! address) and, for a peer, the incident behind a task.

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

#[tokio::test]
async fn a_team_gets_the_earlier_calls_at_its_address_with_the_card() {
    let server = TestServer::start().await;
    let t = server.tokens.clone();
    let ch = server.channel().await;
    let mut cad = CadIngestClient::new(ch.clone());
    // Last time at this address there was a weapon (the call went to police).
    let mut earlier = dispatch_tests::fixtures::crisis_call("H-1", "e-h1");
    dispatch_tests::fixtures::created_mut(&mut earlier)
        .flags
        .as_mut()
        .expect("flags")
        .weapon = v1::Answer::Yes as i32;
    cad.submit(authed(earlier, &t.cad)).await.expect("earlier");
    // Elsewhere: not history for this card.
    let mut elsewhere = dispatch_tests::fixtures::crisis_call("H-2", "e-h2");
    dispatch_tests::fixtures::created_mut(&mut elsewhere)
        .location
        .as_mut()
        .expect("location")
        .address = "1200 BLOCK SE MORRISON ST".into();
    cad.submit(authed(elsewhere, &t.cad))
        .await
        .expect("elsewhere");
    let now = cad
        .submit(authed(
            dispatch_tests::fixtures::crisis_call("H-3", "e-h3"),
            &t.cad,
        ))
        .await
        .expect("now")
        .into_inner();

    let mut unit = subscribe_unit(&ch, t.unit("PSR-1"), 0).await;
    next(&mut unit).await;
    assign(&ch, &t.dispatcher, &now.incident_id, "PSR-1").await;
    let (made, _) = until(&mut unit, |m| {
        match responder_event(m).and_then(|e| e.kind.clone()) {
            Some(v1::event::Kind::AssignmentMade(made)) => Some(made),
            _ => None,
        }
    })
    .await;
    let history: Vec<(&str, &[String])> = made
        .premise_history
        .iter()
        .map(|p| (p.call_number.as_str(), p.dangers.as_slice()))
        .collect();
    assert_eq!(history, [("H-1", &["weapon".to_owned()][..])]);
    assert_eq!(made.premise_history[0].outcome, "not attended");

    // A console that reconnects gets it in the snapshot too.
    let mut again = subscribe_unit(&ch, t.unit("PSR-1"), 0).await;
    match next(&mut again).await.kind {
        Some(v1::responder_event::Kind::Snapshot(s)) => {
            assert_eq!(s.premise_history, made.premise_history)
        }
        other => panic!("expected a snapshot, got {other:?}"),
    }
}
