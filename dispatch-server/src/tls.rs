//! Transport security: the server's certificate and key, the optional client CA (mutual TLS),
//! re-read on SIGHUP, and the names in a client's certificate that `[[auth.certs]]` maps to
//! roles. rustls with ring is the one crypto provider of the whole tree.

use crate::auth::Keyring;
use rustls::RootCertStore;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ServerConfig, WebPkiClientVerifier};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::server::TlsStream;
use tokio_stream::wrappers::ReceiverStream;
use tracing::{info, warn};

/// `[tls]` in the server's config.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsSettings {
    /// The server's certificate chain, PEM, leaf first.
    pub cert: PathBuf,
    /// The server's private key, PEM (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
    /// CA certificates (PEM) that sign client certificates. When set, every client must
    /// present a certificate signed by one of them (mutual TLS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_ca: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("tls: cannot read {path}: {reason}")]
    Read { path: PathBuf, reason: String },
    #[error("tls: {path} holds no certificate")]
    NoCertificate { path: PathBuf },
    #[error("tls: {0}")]
    Config(#[from] rustls::Error),
    #[error("tls: client_ca: {0}")]
    ClientCa(String),
}

/// Installs ring as the process's rustls crypto provider. Called once at start; later calls
/// (tests start many servers) find it installed and do nothing.
pub fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Err only if another thread installed one in between: that one is ring too.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let read_error = |e: rustls::pki_types::pem::Error| TlsError::Read {
        path: path.to_owned(),
        reason: e.to_string(),
    };
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(read_error)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(read_error)?;
    if certs.is_empty() {
        return Err(TlsError::NoCertificate {
            path: path.to_owned(),
        });
    }
    Ok(certs)
}

/// Reads the files named in `[tls]` into a rustls server configuration (HTTP/2 only).
pub fn server_config(tls: &TlsSettings) -> Result<Arc<ServerConfig>, TlsError> {
    install_crypto_provider();
    let chain = read_certs(&tls.cert)?;
    let key = PrivateKeyDer::from_pem_file(&tls.key).map_err(|e| TlsError::Read {
        path: tls.key.clone(),
        reason: e.to_string(),
    })?;
    let builder = ServerConfig::builder();
    let builder = match &tls.client_ca {
        Some(path) => {
            let mut roots = RootCertStore::empty();
            for ca in read_certs(path)? {
                roots.add(ca)?;
            }
            let verifier = WebPkiClientVerifier::builder(Arc::new(roots))
                .build()
                .map_err(|e| TlsError::ClientCa(e.to_string()))?;
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let mut config = builder.with_single_cert(chain, key)?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(Arc::new(config))
}

/// The server's TLS configuration, swapped whole on reload: new connections get the new
/// certificates and client CA, open connections keep the session they negotiated.
#[derive(Debug)]
pub struct ServerTls {
    current: RwLock<Arc<ServerConfig>>,
}

impl ServerTls {
    pub fn load(tls: &TlsSettings) -> Result<Self, TlsError> {
        Ok(Self {
            current: RwLock::new(server_config(tls)?),
        })
    }

    /// Re-reads the files; on error the configuration in use stays.
    pub fn reload(&self, tls: &TlsSettings) -> Result<(), TlsError> {
        let fresh = server_config(tls)?;
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = fresh;
        Ok(())
    }

    fn current(&self) -> Arc<ServerConfig> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// How long a client has to finish the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Accepts TCP connections and hands over those that complete a TLS handshake. Each
/// handshake runs on its own task, so a slow or silent client holds up no one. The loop
/// ends when the server drops the stream.
pub fn incoming(
    listener: TcpListener,
    tls: Arc<ServerTls>,
    keyring: Arc<Keyring>,
) -> ReceiverStream<Result<TlsStream<TcpStream>, std::io::Error>> {
    let (tx, rx) = mpsc::channel(64);
    tokio::spawn(async move {
        loop {
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                () = tx.closed() => return,
            };
            let (tcp, peer) = match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little, keep serving.
                    warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            // Without TCP_NODELAY a streamed event can wait ~40 ms for Nagle and delayed ACKs.
            let _ = tcp.set_nodelay(true);
            let acceptor = tokio_rustls::TlsAcceptor::from(tls.current());
            let tx = tx.clone();
            let keyring = keyring.clone();
            tokio::spawn(async move {
                match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                    Ok(Ok(stream)) => {
                        let _ = tx.send(Ok(stream)).await;
                    }
                    Ok(Err(e)) => {
                        handshake_failed(peer, &e.to_string());
                        // A refused client certificate is a failed authentication: a peer
                        // that keeps trying waits for its refusal like one with bad tokens.
                        // (Plain probes and health checks that drop the connection are not.)
                        if refused_certificate(&e)
                            && let Some(delay) = keyring.certificate_refused(peer.ip())
                        {
                            tokio::time::sleep(delay).await;
                        }
                    }
                    Err(_) => handshake_failed(peer, "timed out"),
                }
            });
        }
    });
    ReceiverStream::new(rx)
}

fn refused_certificate(e: &std::io::Error) -> bool {
    matches!(
        e.get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>()),
        Some(rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented)
    )
}

fn handshake_failed(peer: SocketAddr, reason: &str) {
    info!(%peer, reason, "TLS handshake failed");
}

/// The names in a client certificate that `[[auth.certs]]` can match: the subject's
/// attributes (`CN`, `O`, `OU`, ...) and the subject alternative names (DNS, e-mail, URI, IP).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CertNames {
    pub subject: Vec<(String, String)>,
    pub sans: Vec<String>,
}

impl CertNames {
    /// Reads the names from a DER certificate (already verified by rustls against
    /// `client_ca`); `None` if it is not the X.509 shape expected.
    pub fn from_der(der: &[u8]) -> Option<CertNames> {
        let (_, cert, _) = der::tlv(der, der::SEQUENCE)?;
        let (_, mut tbs, _) = der::tlv(cert, der::SEQUENCE)?;
        if tbs.first() == Some(&der::VERSION) {
            tbs = der::skip(tbs)?;
        }
        // serial, signature algorithm, issuer, validity
        for _ in 0..4 {
            tbs = der::skip(tbs)?;
        }
        let (_, subject, mut rest) = der::tlv(tbs, der::SEQUENCE)?;
        let mut names = CertNames {
            subject: der::subject(subject)?,
            sans: Vec::new(),
        };
        rest = der::skip(rest)?; // subject public key info
        while let Some((tag, content, after)) = der::any(rest) {
            if tag == der::EXTENSIONS {
                names.sans = der::subject_alt_names(content)?;
            }
            rest = after;
        }
        Some(names)
    }

    /// Whether the subject has every `ATTR=value` pair of `wanted` ("CN=boec-cad-1" or
    /// "CN=boec-cad-1, O=BOEC"); attribute names ignore case, values do not.
    pub fn subject_matches(&self, wanted: &str) -> bool {
        let pairs = parse_subject(wanted);
        !pairs.is_empty()
            && pairs.iter().all(|(attr, value)| {
                self.subject
                    .iter()
                    .any(|(a, v)| a.eq_ignore_ascii_case(attr) && v == value)
            })
    }

    pub fn has_san(&self, wanted: &str) -> bool {
        self.sans.iter().any(|s| s.eq_ignore_ascii_case(wanted))
    }

    /// A short description for logs: the CN, or the first SAN.
    pub fn describe(&self) -> String {
        self.subject
            .iter()
            .find(|(a, _)| a == "CN")
            .map(|(_, v)| format!("CN={v}"))
            .or_else(|| self.sans.first().cloned())
            .unwrap_or_else(|| "(no name)".to_owned())
    }
}

/// `"CN=a, O=b"` → `[("CN", "a"), ("O", "b")]`; `None`-like empty for a malformed text.
pub fn parse_subject(text: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for part in text.split(',') {
        match part.split_once('=') {
            Some((attr, value)) if !attr.trim().is_empty() && !value.trim().is_empty() => {
                pairs.push((attr.trim().to_ascii_uppercase(), value.trim().to_owned()));
            }
            _ => return Vec::new(),
        }
    }
    pairs
}

/// Just enough DER to read a certificate's subject and subject alternative names.
mod der {
    pub const SEQUENCE: u8 = 0x30;
    const SET: u8 = 0x31;
    const OID: u8 = 0x06;
    const OCTET_STRING: u8 = 0x04;
    pub const VERSION: u8 = 0xA0;
    pub const EXTENSIONS: u8 = 0xA3;

    /// One element: (tag, content, the rest after it).
    pub fn any(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
        let (&tag, rest) = input.split_first()?;
        let (&first, rest) = rest.split_first()?;
        let (len, rest) = if first < 0x80 {
            (usize::from(first), rest)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 || rest.len() < n {
                return None;
            }
            let len = rest[..n]
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            (len, &rest[n..])
        };
        if rest.len() < len {
            return None;
        }
        Some((tag, &rest[..len], &rest[len..]))
    }

    pub fn tlv(input: &[u8], tag: u8) -> Option<(u8, &[u8], &[u8])> {
        any(input).filter(|(t, _, _)| *t == tag)
    }

    pub fn skip(input: &[u8]) -> Option<&[u8]> {
        any(input).map(|(_, _, rest)| rest)
    }

    fn attribute_name(oid: &[u8]) -> Option<&'static str> {
        Some(match oid {
            [0x55, 0x04, 0x03] => "CN",
            [0x55, 0x04, 0x05] => "SERIALNUMBER",
            [0x55, 0x04, 0x06] => "C",
            [0x55, 0x04, 0x07] => "L",
            [0x55, 0x04, 0x08] => "ST",
            [0x55, 0x04, 0x0A] => "O",
            [0x55, 0x04, 0x0B] => "OU",
            _ => return None,
        })
    }

    /// Name ::= SEQUENCE OF SET OF { type OID, value string }
    pub fn subject(mut name: &[u8]) -> Option<Vec<(String, String)>> {
        let mut out = Vec::new();
        while !name.is_empty() {
            let (_, mut set, rest) = tlv(name, SET)?;
            while !set.is_empty() {
                let (_, pair, after) = tlv(set, SEQUENCE)?;
                let (_, oid, value) = tlv(pair, OID)?;
                let (_, text, _) = any(value)?;
                if let Some(attr) = attribute_name(oid) {
                    out.push((attr.to_owned(), String::from_utf8_lossy(text).into_owned()));
                }
                set = after;
            }
            name = rest;
        }
        Some(out)
    }

    /// [3] { SEQUENCE OF Extension { OID, critical?, OCTET STRING } }: the names in
    /// subjectAltName (2.5.29.17).
    pub fn subject_alt_names(extensions: &[u8]) -> Option<Vec<String>> {
        let (_, mut list, _) = tlv(extensions, SEQUENCE)?;
        let mut out = Vec::new();
        while !list.is_empty() {
            let (_, ext, rest) = tlv(list, SEQUENCE)?;
            let (_, oid, mut body) = tlv(ext, OID)?;
            if oid == [0x55, 0x1D, 0x11] {
                if body.first() == Some(&0x01) {
                    body = skip(body)?; // critical
                }
                let (_, value, _) = tlv(body, OCTET_STRING)?;
                let (_, mut names, _) = tlv(value, SEQUENCE)?;
                while let Some((tag, content, after)) = any(names) {
                    match tag {
                        // rfc822Name, dNSName, URI
                        0x81 | 0x82 | 0x86 => {
                            out.push(String::from_utf8_lossy(content).into_owned());
                        }
                        // iPAddress
                        0x87 => {
                            if let Ok(v4) = <[u8; 4]>::try_from(content) {
                                out.push(std::net::Ipv4Addr::from(v4).to_string());
                            } else if let Ok(v6) = <[u8; 16]>::try_from(content) {
                                out.push(std::net::Ipv6Addr::from(v6).to_string());
                            }
                        }
                        _ => {}
                    }
                    names = after;
                }
            }
            list = rest;
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_from_a_certificate() {
        let mut params =
            rcgen::CertificateParams::new(vec!["cad.boec.example".to_owned()]).unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "boec-cad-1");
        params
            .distinguished_name
            .push(rcgen::DnType::OrganizationName, "BOEC");
        params
            .subject_alt_names
            .push(rcgen::SanType::IpAddress([10, 0, 0, 7].into()));
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        let names = CertNames::from_der(cert.der()).unwrap();
        assert!(names.subject_matches("CN=boec-cad-1"));
        assert!(names.subject_matches("cn=boec-cad-1, O=BOEC"));
        assert!(!names.subject_matches("CN=boec-cad-2"));
        assert!(!names.subject_matches("CN=boec-cad-1, O=Other"));
        assert!(!names.subject_matches("boec-cad-1"));
        assert!(names.has_san("cad.boec.example"));
        assert!(names.has_san("10.0.0.7"));
        assert_eq!(names.describe(), "CN=boec-cad-1");
    }

    #[test]
    fn only_a_refused_client_certificate_counts_as_failed_authentication() {
        let wrap = |e: rustls::Error| std::io::Error::new(std::io::ErrorKind::InvalidData, e);
        assert!(refused_certificate(&wrap(
            rustls::Error::NoCertificatesPresented
        )));
        assert!(refused_certificate(&wrap(
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer)
        )));
        assert!(!refused_certificate(&wrap(rustls::Error::General(
            "x".into()
        ))));
        assert!(!refused_certificate(&std::io::Error::from(
            std::io::ErrorKind::UnexpectedEof
        )));
    }

    #[test]
    fn garbage_is_not_a_certificate() {
        assert_eq!(CertNames::from_der(&[]), None);
        assert_eq!(CertNames::from_der(&[0x30, 0x82, 0xff]), None);
        assert_eq!(CertNames::from_der(b"not a certificate"), None);
    }
}
