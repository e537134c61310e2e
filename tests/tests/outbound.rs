//! What the CAD hears back (CadIngest.Outbound): assignment, acknowledgement, statuses, a
//! backup request at once, declines and dispositions, for its own calls; resumable by seq.

use dispatch_proto::v1;
use dispatch_tests::fixtures::{self, command_id};
use dispatch_tests::*;
use tokio_stream::StreamExt;

async fn next_update(stream: &mut tonic::Streaming<v1::CadUpdate>) -> v1::CadUpdate {
    match tokio::time::timeout(PATIENCE, stream.next()).await {
        Ok(Some(Ok(u))) => u,
        other => panic!("no CAD update: {other:?}"),
    }
}

#[tokio::test]
async fn the_cad_hears_every_step_of_its_call_and_can_resume() {
    let server = TestServer::start().await;
    let t = server.tokens.clone();
    let ch = server.channel().await;
    let mut cad = CadIngestClient::new(ch.clone());
    let mut outbound = cad
        .outbound(authed(v1::OutboundRequest { after_seq: 0 }, &t.cad))
        .await
        .expect("outbound")
        .into_inner();
    let receipt = cad
        .submit(authed(fixtures::crisis_call("O-1", "o-1"), &t.cad))
        .await
        .expect("submit")
        .into_inner();
    let declined = cad
        .submit(authed(fixtures::crisis_call("O-2", "o-2"), &t.cad))
        .await
        .expect("submit")
        .into_inner();
    let mut dispatch = DispatchClient::new(ch.clone());
    dispatch
        .assign(authed(
            v1::AssignRequest {
                command_id: command_id(),
                incident_id: receipt.incident_id.clone(),
                team_id: "PSR-1".into(),
            },
            &t.dispatcher,
        ))
        .await
        .expect("assign");
    let mut responder = ResponderClient::new(ch.clone());
    let unit = t.unit("PSR-1");
    let status = status_request;
    responder
        .update_status(authed(status(v1::TeamStatus::EnRoute), unit))
        .await
        .expect("en route");
    responder
        .update_status(authed(status(v1::TeamStatus::OnScene), unit))
        .await
        .expect("on scene");
    responder
        .request_backup(authed(
            v1::BackupRequest {
                command_id: command_id(),
                urgent: true,
                note: "SUBJ ESCALATING".into(),
            },
            unit,
        ))
        .await
        .expect("backup");
    responder
        .clear(authed(
            v1::ClearRequest {
                command_id: command_id(),
                disposition: v1::Disposition::HandedToPolice as i32,
                encounter: None,
            },
            unit,
        ))
        .await
        .expect("clear");
    dispatch
        .decline(authed(
            v1::DeclineRequest {
                command_id: command_id(),
                incident_id: declined.incident_id.clone(),
                route: v1::Route::Police as i32,
                reason: "RP ADV SUBJ HAS A BAT".into(),
            },
            &t.dispatcher,
        ))
        .await
        .expect("decline");

    use v1::cad_update::Kind;
    let mut got = Vec::new();
    for _ in 0..7 {
        got.push(next_update(&mut outbound).await);
    }
    let kinds: Vec<&str> = got
        .iter()
        .map(|u| match &u.kind {
            Some(Kind::Assigned(_)) => "assigned",
            Some(Kind::Acknowledged(_)) => "acknowledged",
            Some(Kind::Status(s)) if s.status == v1::TeamStatus::EnRoute as i32 => "en_route",
            Some(Kind::Status(s)) if s.status == v1::TeamStatus::OnScene as i32 => "on_scene",
            Some(Kind::Status(_)) => "status",
            Some(Kind::Backup(_)) => "backup",
            Some(Kind::Declined(_)) => "declined",
            Some(Kind::Disposition(_)) => "disposition",
            None => "none",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "assigned",
            "acknowledged",
            "en_route",
            "on_scene",
            "backup",
            "disposition",
            "declined"
        ]
    );
    assert!(
        got[..6]
            .iter()
            .all(|u| u.call_number == "O-1" && u.source == fixtures::SOURCE)
    );
    assert_eq!(got[6].call_number, "O-2");
    match &got[4].kind {
        Some(Kind::Backup(b)) => {
            assert!(b.urgent && b.note == "SUBJ ESCALATING" && b.team_id == "PSR-1")
        }
        other => panic!("{other:?}"),
    }
    assert!(got.windows(2).all(|w| w[0].seq < w[1].seq));

    // Resuming after the acknowledgement gives the rest again, from the journal.
    let mut again = cad
        .outbound(authed(
            v1::OutboundRequest {
                after_seq: got[1].seq,
            },
            &t.cad,
        ))
        .await
        .expect("resume")
        .into_inner();
    let first = next_update(&mut again).await;
    assert_eq!(first.seq, got[2].seq);

    // Other roles do not get the CAD's feed.
    let err = cad
        .outbound(authed(v1::OutboundRequest { after_seq: 0 }, &t.dispatcher))
        .await
        .expect_err("refused");
    assert_eq!(err.code(), tonic::Code::PermissionDenied);
    server.stop().await;
}
