//! `cad-bridge eido-ws` against a CAD test peer on loopback that speaks NENA-STA-024 (every
//! message the bridge sends is checked against the STA-024 schema): subscribe, notifications
//! forwarded to the real server and acked by transaction id, a refused document acked 400
//! with its JSON path and nothing submitted, resubscription after a disconnect and after a
//! terminate, and the server's updates published back as schema-valid EIDO events, the
//! outbound position saved as the CAD acks them.

use cad_bridge::conveyance::outbound::Position;
use cad_bridge::conveyance::subscriber::{self, Backoff, Publishing, SubscriberConfig};
use cad_bridge::eido::{Mapper, Publisher, Renderer};
use cad_bridge::ingest::Ingest;
use dispatch_proto::v1;
use dispatch_tests::schemas::{eido_validator, sta024_kind, violations};
use dispatch_tests::*;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message as Frame;
use tokio_util::sync::CancellationToken;

const CRISIS_CALL: &str = "urn:emergency:uid:incidentid:psr0001:boec.example.gov";

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/../crates/cad-bridge/data/eido/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The CAD's end of one WebSocket connection.
struct Peer {
    ws: WebSocketStream<TcpStream>,
}

impl Peer {
    async fn accept(listener: &TcpListener) -> Peer {
        let (tcp, _) = tokio::time::timeout(PATIENCE, listener.accept())
            .await
            .expect("the bridge connects in time")
            .unwrap();
        Peer {
            ws: tokio_tungstenite::accept_async(tcp).await.unwrap(),
        }
    }

    async fn send(&mut self, message: Value) {
        self.ws
            .send(Frame::text(message.to_string()))
            .await
            .unwrap();
    }

    /// The bridge's next message, valid against STA-024 and of the given kind.
    async fn expect(&mut self, kind: &str) -> Value {
        loop {
            let frame = tokio::time::timeout(PATIENCE, self.ws.next())
                .await
                .unwrap_or_else(|_| panic!("no {kind} in time"))
                .expect("connection open")
                .unwrap();
            let Frame::Text(text) = frame else { continue };
            let message: Value = serde_json::from_str(text.as_str()).unwrap();
            let got = sta024_kind(&message).unwrap_or_else(|e| panic!("{e}: {message}"));
            assert_eq!(got, kind, "{message}");
            return message[kind].clone();
        }
    }

    async fn notify(&mut self, subscription: &str, transaction: &str, docs: Vec<Value>) -> Value {
        self.send(json!({"event": {
            "subscriptionId": subscription,
            "transactionId": transaction,
            "notification": docs,
        }}))
        .await;
        let ack = self.expect("eventResponse").await;
        assert_eq!(ack["transactionId"], transaction);
        ack
    }

    async fn accept_subscription(&mut self, id: &str) -> Value {
        let sub = self.expect("subscribe").await;
        assert_eq!(sub["requestType"], "EIDO");
        self.send(json!({"subscribeResponse": {
            "requestId": sub["requestId"], "subscriptionId": id,
            "statusCode": 200, "statusText": "OK"}}))
            .await;
        sub
    }
}

async fn crisis_incident(server: &TestServer) -> Option<v1::Incident> {
    let ch = server.channel().await;
    let mut board = watch_board(&ch, &server.tokens.dispatcher, 0).await;
    let Some(v1::board_event::Kind::Snapshot(s)) = next(&mut board).await.kind else {
        panic!("snapshot first")
    };
    s.incidents
        .into_iter()
        .find(|i| i.call_number == CRISIS_CALL)
}

#[tokio::test]
async fn the_bridge_subscribes_forwards_acks_resubscribes_and_publishes() {
    let server = TestServer::start().await;
    let t = server.tokens.clone();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/IncidentData/ent", listener.local_addr().unwrap());
    let ch = server.channel().await;
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("outbound.seq");
    std::fs::write(&state, format!("{}\n", server.journal_seq())).unwrap();
    let publishing = Publishing {
        channel: ch.clone(),
        token: t.cad.clone(),
        renderer: Renderer::new(Publisher::new("crisis.example.gov")),
        position: Position::load(Some(&state)).unwrap(),
    };
    let config = SubscriberConfig {
        url,
        sub_type: "new".into(),
        backoff: Backoff {
            initial: Duration::from_millis(10),
            max: Duration::from_millis(100),
        },
    };
    let ingest = Ingest::new(ch.clone(), &t.cad, Mapper::new("boec")).unwrap();
    let shutdown = CancellationToken::new();
    let bridge = tokio::spawn(subscriber::run(
        config,
        ingest,
        Some(publishing),
        shutdown.clone(),
    ));

    // Session 1: subscribe, a call, a refused document, a stranger's subscription.
    let mut cad = Peer::accept(&listener).await;
    let first = cad.accept_subscription("sub-1").await;
    let ack = cad
        .notify("sub-1", "t-1", vec![fixture("crisis-call.eido.json")])
        .await;
    assert_eq!(
        (ack["statusCode"].as_u64(), ack["statusText"].as_str()),
        (Some(200), Some("OK"))
    );
    assert!(
        crisis_incident(&server).await.is_some(),
        "the call is on the board"
    );

    let seq = server.journal_seq();
    let mut broken = fixture("crisis-call-update.eido.json");
    broken["callComponent"][0]
        .as_object_mut()
        .unwrap()
        .remove("direction");
    let ack = cad
        .notify(
            "sub-1",
            "t-2",
            vec![fixture("crisis-call-update.eido.json"), broken],
        )
        .await;
    assert_eq!(ack["statusCode"], 400);
    assert!(
        ack["statusText"]
            .as_str()
            .unwrap()
            .contains("notification[1]: $.callComponent[0].direction: is required"),
        "{ack}"
    );
    assert_eq!(
        server.journal_seq(),
        seq,
        "nothing of the notification was submitted"
    );

    let ack = cad
        .notify("sub-9", "t-3", vec![fixture("crisis-call.eido.json")])
        .await;
    assert_eq!(ack["statusCode"], 481);

    // The CAD goes away; the bridge comes back and subscribes again.
    drop(cad);
    let mut cad = Peer::accept(&listener).await;
    let second = cad.accept_subscription("sub-2").await;
    assert_ne!(second["requestId"], first["requestId"]);
    let ack = cad
        .notify(
            "sub-2",
            "t-4",
            vec![fixture("crisis-call-update.eido.json")],
        )
        .await;
    assert_eq!(ack["statusCode"], 200, "{ack}");
    let incident = crisis_incident(&server).await.unwrap();
    let details = incident.details.as_ref().unwrap();
    assert_eq!(details.cad_priority, 2);
    assert_eq!(details.narrative.len(), 3);

    // The CAD subscribes to the bridge's updates; the dispatcher assigns a team.
    cad.send(json!({"subscribe": {"requestId": "cad-1", "requestType": "EIDO", "requestSubType": "resource"}}))
        .await;
    let response = cad.expect("subscribeResponse").await;
    assert_eq!(
        (
            response["requestId"].as_str(),
            response["statusCode"].as_u64()
        ),
        (Some("cad-1"), Some(200))
    );
    let theirs = response["subscriptionId"].as_str().unwrap().to_string();
    let before = server.journal_seq();
    assign(&ch, &t.dispatcher, &incident.id, "PSR-1").await;
    let validator = eido_validator();
    let event = cad.expect("event").await;
    assert_eq!(event["subscriptionId"], theirs.as_str());
    let doc = &event["notification"][0];
    assert_eq!(violations(&validator, doc), Vec::<String>::new(), "{doc:#}");
    assert_eq!(doc["$id"], CRISIS_CALL);
    assert_eq!(
        doc["emergencyResourceComponent"][0]["primaryUnitStatusRegistryText"],
        "Dispatched"
    );
    cad.send(json!({"eventResponse": {"transactionId": event["transactionId"], "statusCode": 200, "statusText": "OK"}}))
        .await;

    let mut responder = ResponderClient::new(ch.clone());
    responder
        .update_status(authed(
            status_request(v1::TeamStatus::EnRoute),
            t.unit("PSR-1"),
        ))
        .await
        .expect("en route");
    let mut primary = String::new();
    while primary != "EnRoute" {
        let event = cad.expect("event").await;
        let doc = &event["notification"][0];
        assert_eq!(violations(&validator, doc), Vec::<String>::new(), "{doc:#}");
        primary = doc["emergencyResourceComponent"][0]["primaryUnitStatusRegistryText"]
            .as_str()
            .unwrap()
            .to_string();
        // The next event only comes once this one is acked and the position saved.
        let saved: u64 = std::fs::read_to_string(&state)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert!(saved > before, "the acked update's position is saved");
        cad.send(json!({"eventResponse": {"transactionId": event["transactionId"], "statusCode": 200, "statusText": "OK"}}))
            .await;
    }

    // The CAD ends the bridge's subscription: the bridge acks and subscribes again.
    cad.send(json!({"terminate": {"requestId": "term-1", "subscriptionId": "sub-2"}}))
        .await;
    let done = cad.expect("terminateResponse").await;
    assert_eq!(
        (done["requestId"].as_str(), done["statusCode"].as_u64()),
        (Some("term-1"), Some(200))
    );
    cad.accept_subscription("sub-3").await;

    shutdown.cancel();
    tokio::time::timeout(PATIENCE, bridge)
        .await
        .expect("the bridge stops when told")
        .unwrap();
}
