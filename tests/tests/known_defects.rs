//! Defects from earlier notes (issue 16), end to end: Recommend says why a call will not
//! rank, and a resent creation of a closed call is a duplicate.

use dispatch_proto::v1;
use dispatch_tests::fixtures::{self, created_mut};
use dispatch_tests::*;
use tonic::Code;

#[tokio::test]
async fn recommend_for_a_call_no_team_should_take_says_why() {
    let server = TestServer::start().await;
    let t = server.tokens.clone();
    let ch = server.channel().await;
    let mut cad = CadIngestClient::new(ch.clone());
    let mut dispatch = DispatchClient::new(ch.clone());
    let mut armed = fixtures::crisis_call("R-1", "r-1");
    created_mut(&mut armed)
        .flags
        .get_or_insert_with(Default::default)
        .weapon = v1::Answer::Yes as i32;
    let receipt = cad
        .submit(authed(armed, &t.cad))
        .await
        .expect("submit")
        .into_inner();
    let mut recommend = async |incident_id: String| {
        let request = authed(v1::IncidentRef { incident_id }, &t.dispatcher);
        dispatch.recommend(request).await
    };
    let status = recommend(receipt.incident_id)
        .await
        .expect_err("a not-eligible call is not ranked");
    assert_eq!(status.code(), Code::FailedPrecondition, "{status:?}");
    assert!(status.message().contains("not eligible"), "{status:?}");

    let ok = cad
        .submit(authed(fixtures::crisis_call("R-2", "r-2"), &t.cad))
        .await
        .expect("submit")
        .into_inner();
    let ranked = recommend(ok.incident_id)
        .await
        .expect("an eligible call is ranked")
        .into_inner();
    assert!(!ranked.teams.is_empty());
    server.stop().await;
}

#[tokio::test]
async fn a_resent_creation_of_a_closed_call_is_a_duplicate() {
    let server = TestServer::start().await;
    let t = server.tokens.clone();
    let mut cad = CadIngestClient::new(server.channel().await);
    let first = cad
        .submit(authed(fixtures::crisis_call("D-1", "d-1"), &t.cad))
        .await
        .expect("submit")
        .into_inner();
    let mut close = fixtures::crisis_call("D-1", "d-close");
    close.kind = Some(v1::cad_event::Kind::Closed(v1::CallClosed {
        reason: "done".into(),
    }));
    cad.submit(authed(close, &t.cad)).await.expect("close");
    let seq = server.journal_seq();
    // The CAD sends the creation again under a new event id (a replay after an outage).
    let again = cad
        .submit(authed(fixtures::crisis_call("D-1", "d-1-again"), &t.cad))
        .await
        .expect("not refused")
        .into_inner();
    assert!(again.duplicate, "{again:?}");
    assert_eq!(again.incident_id, first.incident_id);
    assert_eq!(server.journal_seq(), seq, "nothing changed");
    server.stop().await;
}
