//! What any language's stock gRPC tooling relies on: the health service, server reflection,
//! and the streaming CAD ingest.

use dispatch_proto::v1;
use dispatch_tests::fixtures;
use dispatch_tests::*;
use tokio_stream::StreamExt;

#[tokio::test]
async fn health_says_serving_and_reflection_lists_the_api() {
    let server = TestServer::start().await;
    let ch = server.channel().await;
    let mut health = tonic_health::pb::health_client::HealthClient::new(ch.clone());
    for service in [
        "",
        "crisis.dispatch.v1.CadIngest",
        "crisis.dispatch.v1.Responder",
    ] {
        let status = health
            .check(tonic_health::pb::HealthCheckRequest {
                service: service.into(),
            })
            .await
            .expect("health check")
            .into_inner()
            .status;
        assert_eq!(
            status,
            tonic_health::pb::health_check_response::ServingStatus::Serving as i32,
            "{service:?}"
        );
    }

    use tonic_reflection::pb::v1::ServerReflectionRequest;
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut replies = ServerReflectionClient::new(ch)
        .server_reflection_info(tokio_stream::iter([request]))
        .await
        .expect("reflection")
        .into_inner();
    let reply = replies.next().await.expect("a reply").expect("ok");
    let Some(MessageResponse::ListServicesResponse(list)) = reply.message_response else {
        panic!("{reply:?}")
    };
    let names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
    for wanted in [
        "crisis.dispatch.v1.CadIngest",
        "crisis.dispatch.v1.Dispatch",
        "crisis.dispatch.v1.Responder",
        "crisis.dispatch.v1.FollowUps",
    ] {
        assert!(
            names.iter().any(|n| n == wanted),
            "{wanted} missing from {names:?}"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn submit_stream_answers_each_event_in_order_and_goes_on_after_a_bad_one() {
    let server = TestServer::start().await;
    let t = server.tokens.clone();
    let mut cad = CadIngestClient::new(server.channel().await);
    let mut bad = fixtures::crisis_call("S-2", "s-2");
    fixtures::created_mut(&mut bad)
        .location
        .as_mut()
        .expect("loc")
        .lat = Some(123.0);
    let events = vec![
        fixtures::crisis_call("S-1", "s-1"),
        bad,
        fixtures::crisis_call("S-3", "s-3"),
        fixtures::crisis_call("S-1", "s-1"),
    ];
    let mut receipts = cad
        .submit_stream(authed(tokio_stream::iter(events), &t.cad))
        .await
        .expect("stream")
        .into_inner();
    let mut got: Vec<v1::SubmitReceipt> = Vec::new();
    while let Some(r) = receipts.next().await {
        got.push(r.expect("receipt"));
    }
    assert_eq!(
        got.iter().map(|r| r.event_id.as_str()).collect::<Vec<_>>(),
        ["s-1", "s-2", "s-3", "s-1"]
    );
    assert!(got[0].rejection.is_none() && !got[0].duplicate);
    let rejection = got[1].rejection.as_ref().expect("the bad event is refused");
    assert_eq!(rejection.code, tonic::Code::InvalidArgument as i32);
    assert_eq!(rejection.field, "location.lat");
    assert!(got[2].rejection.is_none());
    assert!(
        got[3].duplicate,
        "the repeat is acknowledged as a duplicate"
    );
    assert_eq!(got[3].incident_id, got[0].incident_id);
    server.stop().await;
}
