//! What any language's stock gRPC tooling relies on: the health service, server reflection,
//! and the streaming CAD ingest.

use dispatch_proto::v1;
use dispatch_tests::fixtures;
use dispatch_tests::*;
use tokio_stream::StreamExt;

/// The services a reflection version lists (its generated types live in one module each).
macro_rules! list_services {
    ($version:ident, $channel:expr) => {{
        use tonic_reflection::pb::$version::ServerReflectionRequest;
        use tonic_reflection::pb::$version::server_reflection_client::ServerReflectionClient;
        use tonic_reflection::pb::$version::server_reflection_request::MessageRequest;
        use tonic_reflection::pb::$version::server_reflection_response::MessageResponse;
        let request = ServerReflectionRequest {
            host: String::new(),
            message_request: Some(MessageRequest::ListServices(String::new())),
        };
        let mut replies = ServerReflectionClient::new($channel)
            .server_reflection_info(tokio_stream::iter([request]))
            .await
            .expect(concat!("reflection ", stringify!($version)))
            .into_inner();
        let reply = replies.next().await.expect("a reply").expect("ok");
        let Some(MessageResponse::ListServicesResponse(list)) = reply.message_response else {
            panic!("{reply:?}")
        };
        list.service.into_iter().map(|s| s.name).collect::<Vec<_>>()
    }};
}

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

    // Reflection v1 (grpcurl) and v1alpha (grpcio-reflection, Postman) both list the API.
    let v1_names = list_services!(v1, ch.clone());
    let v1alpha_names = list_services!(v1alpha, ch);
    for wanted in [
        "crisis.dispatch.v1.CadIngest",
        "crisis.dispatch.v1.Dispatch",
        "crisis.dispatch.v1.Responder",
        "crisis.dispatch.v1.FollowUps",
    ] {
        for names in [&v1_names, &v1alpha_names] {
            assert!(
                names.iter().any(|n| n == wanted),
                "{wanted} missing from {names:?}"
            );
        }
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
    assert_eq!(rejection.field, "created.location.lat");
    assert!(got[2].rejection.is_none());
    assert!(
        got[3].duplicate,
        "the repeat is acknowledged as a duplicate"
    );
    assert_eq!(got[3].incident_id, got[0].incident_id);
    server.stop().await;
}

/// Runs `tests/python/stock_cad_client.py` (grpcio and grpcio-reflection from PyPI:
/// `pip install -r tests/python/requirements.txt`; without them this fails, it does not skip)
/// against `server` and returns the JSON line it printed.
async fn python_client(server: &TestServer, args: &[&str]) -> serde_json::Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/stock_cad_client.py");
    let out = tokio::process::Command::new("python3")
        .arg(script)
        .arg("--addr")
        .arg(server.addr.to_string())
        .arg("--token")
        .arg(&server.tokens.cad)
        .args(args)
        .output()
        .await
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("No module named"),
        "the Python gRPC client needs grpcio: pip install -r tests/python/requirements.txt\n{stderr}"
    );
    let line = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(line)
        .unwrap_or_else(|e| panic!("{e}: stdout {stdout:?} stderr {stderr:?}"))
}

/// Issue 16: a stock Python client (grpc-core sends one small message per DATA frame) that
/// streams as fast as it can on one SubmitStream was cut off after ~100 receipts with GOAWAY
/// ENHANCE_YOUR_CALM ("too_many_data_frames"). Flow control must hold it back instead. The
/// client learns the API by reflection v1alpha, as grpcio-reflection does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stock_python_client_streams_20000_events_on_one_stream_and_gets_every_receipt() {
    let server = TestServer::start().await;
    let out = python_client(&server, &["--events", "20000"]).await;
    assert_eq!(out["error"], serde_json::Value::Null, "{out}");
    assert_eq!(out["receipts"], 20000, "{out}");
    assert_eq!(out["accepted"], 20000, "{out}");
    let services = out["services"].to_string();
    assert!(services.contains("crisis.dispatch.v1.CadIngest"), "{out}");

    // The same client's out-of-range priority is refused, naming the field.
    let out = python_client(&server, &["--out-of-range"]).await;
    assert_eq!(out["code"], "INVALID_ARGUMENT", "{out}");
    assert!(
        out["details"]
            .as_str()
            .is_some_and(|d| d.contains("created.cad_priority")),
        "{out}"
    );
    server.stop().await;
}
