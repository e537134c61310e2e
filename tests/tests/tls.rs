//! Transport security and identity end to end: TLS, mutual TLS with roles from certificate
//! subjects, tokens that expire or are removed by a reload, certificates re-read without
//! dropping connections. Every certificate is minted here (rcgen).

use dispatch_proto::endpoint::{ClientTls, endpoint};
use dispatch_proto::v1;
use dispatch_server::auth::{Role, hash_token, hex, new_token};
use dispatch_server::config::{CertEntry, TokenEntry};
use dispatch_server::server::StartError;
use dispatch_server::tls::TlsSettings;
use dispatch_tests::pki::TestCa;
use dispatch_tests::*;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;
use tokio_stream::StreamExt;
use tonic::transport::Channel;
use tonic::{Code, Request};

/// Connects over TLS to 127.0.0.1 (the server certificate's IP SAN).
async fn connect_tls(
    addr: SocketAddr,
    tls: &ClientTls,
) -> Result<Channel, tonic::transport::Error> {
    endpoint(&format!("https://127.0.0.1:{}", addr.port()), tls)
        .expect("endpoint")
        .connect_timeout(PATIENCE)
        .connect()
        .await
}

/// Submits one call, with a token or (None) on the strength of the client certificate.
async fn submit(
    ch: &Channel,
    token: Option<&str>,
    event: v1::CadEvent,
) -> Result<v1::SubmitReceipt, tonic::Status> {
    let request = match token {
        Some(t) => authed(event, t),
        None => Request::new(event),
    };
    CadIngestClient::new(ch.clone())
        .submit(request)
        .await
        .map(tonic::Response::into_inner)
}

fn server_tls(ca: &TestCa, client_ca: Option<&Path>) -> TlsSettings {
    let (cert, key) = ca.server();
    TlsSettings {
        cert,
        key,
        client_ca: client_ca.map(Path::to_owned),
    }
}

fn boec_cad() -> CertEntry {
    CertEntry {
        subject: Some("CN=boec-cad-1".into()),
        role: "cad:boec".into(),
        ..CertEntry::default()
    }
}

fn boec_call(call_number: &str) -> v1::CadEvent {
    let mut event = fixtures::crisis_call(call_number, &format!("{call_number}-1"));
    event.source = "boec".into();
    event
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tls_server_refuses_plaintext_and_takes_tokens_over_tls() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new(dir.path(), "site");
    let tls = server_tls(&ca, None);
    let server = TestServer::start_with(|s| s.tls = Some(tls)).await;

    // Plaintext HTTP/2 to the TLS port: no call gets through.
    let plain = endpoint(&format!("http://{}", server.addr), &ClientTls::default()).unwrap();
    let refused = match plain.connect_timeout(PATIENCE).connect().await {
        Ok(ch) => submit(
            &ch,
            Some(&server.tokens.cad),
            fixtures::crisis_call("P-1", "p-1"),
        )
        .await
        .unwrap_err()
        .code(),
        Err(_) => Code::Unavailable,
    };
    assert_ne!(refused, Code::Ok);

    // A client that trusts the CA, with a bearer token: works.
    let ch = connect_tls(server.addr, &ca.trust()).await.expect("TLS");
    let receipt = submit(
        &ch,
        Some(&server.tokens.cad),
        fixtures::crisis_call("T-1", "t-1"),
    )
    .await
    .expect("a token over TLS works");
    assert!(receipt.seq > 0);

    // A client that trusts another CA does not trust this server.
    let other = TestCa::new(dir.path(), "elsewhere");
    assert!(
        match connect_tls(server.addr, &other.trust()).await {
            Ok(ch) => submit(
                &ch,
                Some(&server.tokens.cad),
                fixtures::crisis_call("T-2", "t-2")
            )
            .await
            .is_err(),
            Err(_) => true,
        },
        "a server certificate from an unknown CA must be refused by the client"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mutual_tls_maps_a_certificate_to_its_role_and_refuses_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new(dir.path(), "site");
    let tls = server_tls(&ca, Some(&ca.pem));
    let server = TestServer::start_with(|s| {
        s.tls = Some(tls);
        s.auth.certs = vec![boec_cad()];
    })
    .await;

    // A certificate from the right CA, mapped to cad:boec: submits with no token at all.
    let cad = connect_tls(server.addr, &ca.trust_with(ca.client("boec-cad-1")))
        .await
        .expect("mutual TLS");
    let receipt = submit(&cad, None, boec_call("B-1"))
        .await
        .expect("cad:boec");
    assert!(receipt.seq > 0 && !receipt.incident_id.is_empty());
    // Its role applies: another CAD source is out of scope, and the board is not a CAD's.
    let mut foreign_source = boec_call("B-2");
    foreign_source.source = "other-cad".into();
    let err = submit(&cad, None, foreign_source).await.unwrap_err();
    assert_eq!(err.code(), Code::PermissionDenied, "{err:?}");
    let err = DispatchClient::new(cad.clone())
        .watch_board(Request::new(v1::WatchRequest { after_seq: 0 }))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::PermissionDenied, "{err:?}");
    // A person's token still works on a mutual-TLS connection, and takes precedence.
    let mut board = watch_board(&cad, &server.tokens.dispatcher, 0).await;
    next(&mut board).await;

    // A certificate from the right CA that no [[auth.certs]] names: no role.
    let stranger = connect_tls(server.addr, &ca.trust_with(ca.client("someone-else")))
        .await
        .expect("handshake");
    let err = submit(&stranger, None, boec_call("B-3")).await.unwrap_err();
    assert_eq!(err.code(), Code::Unauthenticated, "{err:?}");
    assert!(err.message().contains("CN=someone-else"), "{err:?}");

    // A certificate with the mapped name from a foreign CA: refused in the handshake.
    let foreign = TestCa::new(dir.path(), "foreign");
    let forged = ClientTls {
        ca: Some(ca.pem.clone()),
        ..foreign.trust_with(foreign.client("boec-cad-1"))
    };
    assert_refused(
        server.addr,
        &forged,
        "a client certificate from a foreign CA",
    )
    .await;

    // No client certificate where client_ca is set: refused, even with a valid token.
    assert_refused(server.addr, &ca.trust(), "no client certificate").await;
    server.stop().await;
}

/// The handshake (or the first call) fails: nothing reaches the services.
async fn assert_refused(addr: SocketAddr, tls: &ClientTls, what: &str) {
    let Ok(ch) = connect_tls(addr, tls).await else {
        return;
    };
    let result = submit(&ch, None, boec_call("R-1")).await;
    let err = result.expect_err(what);
    assert!(
        !matches!(err.code(), Code::PermissionDenied | Code::Unauthenticated),
        "{what}: refused by TLS, not by the service: {err:?}"
    );
}

fn token_entry(token: &str, role: Role, holder: &str, expires: Option<&str>) -> TokenEntry {
    TokenEntry {
        role: role.to_string(),
        sha256: hex(&hash_token(token)),
        holder: holder.into(),
        expires: expires.map(str::to_owned),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_is_refused() {
    let expired = new_token().unwrap();
    let later = new_token().unwrap();
    let server = TestServer::start_with(|s| {
        s.auth.tokens.push(token_entry(
            &expired,
            Role::Dispatcher,
            "Former dispatcher",
            Some("2020-01-31T00:00:00Z"),
        ));
        s.auth.tokens.push(token_entry(
            &later,
            Role::Dispatcher,
            "Current dispatcher",
            Some("2999-01-31T00:00:00Z"),
        ));
    })
    .await;
    let ch = server.channel().await;
    let err = DispatchClient::new(ch.clone())
        .watch_board(authed(v1::WatchRequest { after_seq: 0 }, &expired))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Unauthenticated);
    assert!(err.message().contains("expired"), "{err:?}");
    let mut board = watch_board(&ch, &later, 0).await;
    next(&mut board).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_removed_by_a_reload_is_refused_and_its_open_stream_ends() {
    let leaving = new_token().unwrap();
    let server = TestServer::start_with(|s| {
        s.auth
            .tokens
            .push(token_entry(&leaving, Role::Dispatcher, "Leaving", None));
    })
    .await;
    let ch = server.channel().await;
    let mut revoked = watch_board(&ch, &leaving, 0).await;
    let mut kept = watch_board(&ch, &server.tokens.dispatcher, 0).await;
    next(&mut revoked).await;
    next(&mut kept).await;

    let mut settings = server.settings.clone();
    settings.auth.tokens.retain(|t| t.holder != "Leaving");
    server.reload(&settings);

    // Its stream ends within 5 s ...
    let end = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(Ok(_)) = revoked.next().await {}
    })
    .await;
    assert!(end.is_ok(), "the removed token's stream is still open");
    // ... it is refused on a new call at once ...
    let err = DispatchClient::new(ch.clone())
        .watch_board(authed(v1::WatchRequest { after_seq: 0 }, &leaving))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Unauthenticated);
    // ... and the tokens that stayed keep their streams.
    submit(
        &ch,
        Some(&server.tokens.cad),
        fixtures::crisis_call("K-1", "k-1"),
    )
    .await
    .expect("submit");
    until(&mut kept, |m| board_event(m).map(|_| ())).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_certificates_are_taken_on_reload_without_dropping_open_connections() {
    let dir = tempfile::tempdir().unwrap();
    let old_ca = TestCa::new(dir.path(), "old");
    let tls = server_tls(&old_ca, None);
    let server = TestServer::start_with(|s| s.tls = Some(tls)).await;
    let old = connect_tls(server.addr, &old_ca.trust())
        .await
        .expect("TLS");
    let mut board = watch_board(&old, &server.tokens.dispatcher, 0).await;
    next(&mut board).await;

    let new_ca = TestCa::new(dir.path(), "new");
    let mut settings = server.settings.clone();
    settings.tls = Some(server_tls(&new_ca, None));
    server.reload(&settings);

    // A new connection gets the new certificate ...
    let new = connect_tls(server.addr, &new_ca.trust())
        .await
        .expect("TLS");
    submit(
        &new,
        Some(&server.tokens.cad),
        fixtures::crisis_call("C-1", "c-1"),
    )
    .await
    .expect("a new connection with the new certificate");
    // ... and the open one still carries its stream.
    until(&mut board, |m| board_event(m).map(|_| ())).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plaintext_off_loopback_is_refused_at_start_unless_a_proxy_is_declared() {
    let dir = tempfile::tempdir().unwrap();
    let (mut settings, _) = test_settings(dir.path());
    settings.listen = SocketAddr::from(([0, 0, 0, 0], 0));
    let err = dispatch_server::server::start(&settings, &[])
        .await
        .err()
        .expect("refused");
    assert!(matches!(err, StartError::PlaintextOffLoopback { .. }));
    assert!(err.to_string().contains("[tls]"), "{err}");

    settings.allow_plaintext_off_loopback = true;
    let running = dispatch_server::server::start(&settings, &[])
        .await
        .expect("starts behind a declared proxy");
    running.stop().await.expect("stop");
}
