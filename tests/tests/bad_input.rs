//! Bad input gets the right gRPC code, names the field, and changes nothing.

use dispatch_proto::v1;
use dispatch_tests::fixtures::{self, command_id, created_mut};
use dispatch_tests::*;
use prost::Message;
use tonic::Code;

fn assert_status(result: Result<impl std::fmt::Debug, tonic::Status>, code: Code, field: &str) {
    let status = result.expect_err("must be refused");
    assert_eq!(status.code(), code, "{status:?}");
    assert!(
        status.message().contains(field),
        "message {:?} should name {field:?}",
        status.message()
    );
}

#[tokio::test]
async fn malformed_cad_events_are_refused_and_change_nothing() {
    let server = TestServer::start().await;
    let t = server.tokens.clone();
    let ch = server.channel().await;
    let mut cad = CadIngestClient::new(ch.clone());
    let seq = server.journal_seq();

    let mut e = fixtures::crisis_call("C-1", "e-1");
    e.source.clear();
    assert_status(
        cad.submit(authed(e, &t.cad)).await,
        Code::InvalidArgument,
        "source",
    );
    let mut e = fixtures::crisis_call("C-1", "e-1");
    e.event_id.clear();
    assert_status(
        cad.submit(authed(e, &t.cad)).await,
        Code::InvalidArgument,
        "event_id",
    );
    let mut e = fixtures::crisis_call("", "e-1");
    e.call_number.clear();
    assert_status(
        cad.submit(authed(e, &t.cad)).await,
        Code::InvalidArgument,
        "call_number",
    );
    let mut e = fixtures::crisis_call("C-1", "e-1");
    e.kind = None;
    assert_status(
        cad.submit(authed(e, &t.cad)).await,
        Code::InvalidArgument,
        "kind",
    );

    let mut e = fixtures::crisis_call("C-1", "e-1");
    created_mut(&mut e).location.as_mut().expect("loc").lat = Some(91.0);
    assert_status(
        cad.submit(authed(e, &t.cad)).await,
        Code::InvalidArgument,
        "location.lat",
    );
    let mut e = fixtures::crisis_call("C-1", "e-1");
    created_mut(&mut e).location.as_mut().expect("loc").lon = Some(-180.5);
    assert_status(
        cad.submit(authed(e, &t.cad)).await,
        Code::InvalidArgument,
        "location.lon",
    );
    let mut e = fixtures::crisis_call("C-1", "e-1");
    created_mut(&mut e).location.as_mut().expect("loc").lat = Some(f64::NAN);
    assert_status(
        cad.submit(authed(e, &t.cad)).await,
        Code::InvalidArgument,
        "location.lat",
    );

    // Numbers with a meaning have a range: the CAD priority (issue 16: 4,000,000,000 was
    // journaled), in a new call and in an update.
    let mut e = fixtures::crisis_call("C-1", "e-1");
    created_mut(&mut e).cad_priority = 4_000_000_000;
    assert_status(
        cad.submit(authed(e, &t.cad)).await,
        Code::InvalidArgument,
        "created.cad_priority",
    );
    let mut update = fixtures::crisis_call("C-1", "e-u");
    update.kind = Some(v1::cad_event::Kind::Updated(v1::CallUpdated {
        cad_priority: Some(10),
        ..Default::default()
    }));
    assert_status(
        cad.submit(authed(update, &t.cad)).await,
        Code::InvalidArgument,
        "updated.cad_priority",
    );
    let mut e = fixtures::crisis_call("C-1", "e-1");
    e.occurred_at = Some(prost_types::Timestamp {
        seconds: 300_000_000_000,
        nanos: 0,
    });
    assert_status(
        cad.submit(authed(e, &t.cad)).await,
        Code::InvalidArgument,
        "occurred_at",
    );

    let mut e = fixtures::crisis_call("C-1", "e-1");
    created_mut(&mut e).narrative = vec!["X".repeat(100 * 1024)];
    assert_status(
        cad.submit(authed(e, &t.cad)).await,
        Code::InvalidArgument,
        "narrative",
    );

    // Invalid UTF-8 in a string field, sent as raw bytes.
    let mut e = fixtures::crisis_call("C-1", "e-1");
    created_mut(&mut e).nature_text = "QQQQQQ".into();
    let mut bytes = e.encode_to_vec();
    let at = bytes
        .windows(6)
        .position(|w| w == b"QQQQQQ")
        .expect("marker");
    bytes[at..at + 6].copy_from_slice(&[0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1]);
    let result = raw::unary::<v1::SubmitReceipt>(
        ch.clone(),
        "/crisis.dispatch.v1.CadIngest/Submit",
        authed(bytes, &t.cad),
    )
    .await;
    assert_status(result, Code::InvalidArgument, "nature_text");

    assert_eq!(server.journal_seq(), seq, "no refused event left a trace");
    // And a good event still works afterwards.
    let ok = cad
        .submit(authed(fixtures::crisis_call("C-1", "e-1"), &t.cad))
        .await
        .expect("valid event");
    assert!(!ok.into_inner().duplicate);
    server.stop().await;
}

#[tokio::test]
async fn unknown_things_wrong_roles_and_missing_ids_get_the_right_codes() {
    let server = TestServer::start().await;
    let t = server.tokens.clone();
    let ch = server.channel().await;
    let mut cad = CadIngestClient::new(ch.clone());
    let mut dispatch = DispatchClient::new(ch.clone());
    let mut responder = ResponderClient::new(ch.clone());
    let receipt = cad
        .submit(authed(fixtures::crisis_call("C-9", "e-9"), &t.cad))
        .await
        .expect("submit")
        .into_inner();
    let seq = server.journal_seq();

    let assign = |incident: &str, team: &str, cmd: String| v1::AssignRequest {
        command_id: cmd,
        incident_id: incident.into(),
        team_id: team.into(),
    };
    assert_status(
        dispatch
            .assign(authed(
                assign("no-such-incident", "PSR-1", command_id()),
                &t.dispatcher,
            ))
            .await,
        Code::NotFound,
        "no-such-incident",
    );
    assert_status(
        dispatch
            .assign(authed(
                assign(&receipt.incident_id, "PSR-99", command_id()),
                &t.dispatcher,
            ))
            .await,
        Code::NotFound,
        "PSR-99",
    );
    assert_status(
        dispatch
            .assign(authed(
                assign(&receipt.incident_id, "PSR-1", String::new()),
                &t.dispatcher,
            ))
            .await,
        Code::InvalidArgument,
        "command_id",
    );
    assert_status(
        dispatch
            .assign(authed(assign("", "PSR-1", command_id()), &t.dispatcher))
            .await,
        Code::InvalidArgument,
        "incident_id",
    );
    // A team may not dispatch, a CAD may not either, and nobody may without a token.
    assert_status(
        dispatch
            .assign(authed(
                assign(&receipt.incident_id, "PSR-1", command_id()),
                t.unit("PSR-1"),
            ))
            .await,
        Code::PermissionDenied,
        "unit:PSR-1",
    );
    assert_status(
        dispatch
            .assign(authed(
                assign(&receipt.incident_id, "PSR-1", command_id()),
                &t.cad,
            ))
            .await,
        Code::PermissionDenied,
        "cad",
    );
    assert_status(
        dispatch
            .assign(tonic::Request::new(assign(
                &receipt.incident_id,
                "PSR-1",
                command_id(),
            )))
            .await,
        Code::Unauthenticated,
        "authorization",
    );
    assert_status(
        dispatch
            .assign(authed(
                assign(&receipt.incident_id, "PSR-1", command_id()),
                "dsp_not_a_real_token",
            ))
            .await,
        Code::Unauthenticated,
        "token",
    );
    assert_status(
        cad.submit(authed(fixtures::crisis_call("C-10", "e-10"), &t.dispatcher))
            .await,
        Code::PermissionDenied,
        "dispatcher",
    );
    // A unit may only subscribe to its own team.
    let other = responder
        .subscribe(authed(
            v1::SubscribeRequest {
                team_id: "PSR-2".into(),
                after_seq: 0,
            },
            t.unit("PSR-1"),
        ))
        .await;
    assert_status(other.map(|_| ()), Code::PermissionDenied, "PSR-2");
    assert_eq!(server.journal_seq(), seq, "nothing refused was written");

    // A unit may not acknowledge another team's assignment; a reassigned one cannot be acked.
    let a = dispatch
        .assign(authed(
            assign(&receipt.incident_id, "PSR-1", command_id()),
            &t.dispatcher,
        ))
        .await
        .expect("assign")
        .into_inner()
        .assignment
        .expect("assignment");
    let seq = server.journal_seq();
    assert_status(
        responder
            .acknowledge(authed(
                v1::AcknowledgeRequest {
                    command_id: command_id(),
                    assignment_id: a.id.clone(),
                },
                t.unit("PSR-2"),
            ))
            .await,
        Code::PermissionDenied,
        "another team",
    );
    // Clearing before being on scene is refused.
    assert_status(
        responder
            .clear(authed(
                v1::ClearRequest {
                    command_id: command_id(),
                    disposition: v1::Disposition::ResolvedOnScene as i32,
                    encounter: None,
                },
                t.unit("PSR-1"),
            ))
            .await,
        Code::FailedPrecondition,
        "never on scene",
    );
    assert_eq!(server.journal_seq(), seq);
    dispatch
        .assign(authed(
            assign(&receipt.incident_id, "PSR-3", command_id()),
            &t.dispatcher,
        ))
        .await
        .expect("reassign");
    assert_status(
        responder
            .acknowledge(authed(
                v1::AcknowledgeRequest {
                    command_id: command_id(),
                    assignment_id: a.id,
                },
                t.unit("PSR-1"),
            ))
            .await,
        Code::FailedPrecondition,
        "reassigned",
    );
    server.stop().await;
}
