//! Who a caller is: a bearer token (`authorization: Bearer <token>`; the server keeps only
//! SHA-256 hashes, each naming its holder, maybe with an expiry) or a client certificate
//! (mutual TLS, mapped by subject or SAN). Both map to a role. The lists are reloaded on
//! SIGHUP; a removed credential's open streams end.

use crate::tls::CertNames;
use dispatch_core::{PeerId, TeamId};
use jiff::Timestamp;
use rustls::pki_types::CertificateDer;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;
use tonic::metadata::MetadataMap;
use tracing::{info, warn};

/// One bearer token: only its SHA-256 is stored; `role` is what it may do.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenEntry {
    /// `cad`, `cad:<source>`, `dispatcher`, `unit:<call sign>`, `peer:<id>`, `supervisor`, `admin`, `auditor`.
    pub role: String,
    /// Hex SHA-256 of the token.
    pub sha256: String,
    /// The person or system the token belongs to: named in the logs of every call it makes.
    /// (`label`, its old name, still reads.)
    #[serde(default, alias = "label")]
    pub holder: String,
    /// When the token stops working, RFC 3339 (`2027-01-31T00:00:00Z`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

/// A role granted to a client certificate (mutual TLS, `[tls] client_ca` set) by its subject
/// (`"CN=boec-cad-1"`, or several attributes `"CN=boec-cad-1, O=BOEC"`, all of which must
/// match) or by one of its subject alternative names (a DNS name, e-mail, URI or IP).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub san: Option<String>,
    pub role: String,
    /// Who holds the certificate, for the logs; the subject or SAN if empty.
    #[serde(default)]
    pub holder: String,
}

/// What a caller may do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// A CAD feed; `Some(source)` restricts it to that source.
    Cad(Option<String>),
    Dispatcher,
    Supervisor,
    Unit(TeamId),
    Peer(PeerId),
    Admin,
    /// Reads the audit trail (and nothing else).
    Auditor,
}

impl Role {
    pub fn parse(text: &str) -> Result<Role, String> {
        let text = text.trim();
        let (kind, arg) = match text.split_once(':') {
            Some((k, a)) => (k, Some(a.trim())),
            None => (text, None),
        };
        let need = |what: &str| match arg {
            Some(a) if !a.is_empty() => Ok(a.to_owned()),
            _ => Err(format!("role {text:?}: {kind} needs a {what} after ':'")),
        };
        match (kind, arg) {
            ("cad", None) => Ok(Role::Cad(None)),
            ("cad", Some(_)) => Ok(Role::Cad(Some(need("source")?))),
            ("dispatcher", None) => Ok(Role::Dispatcher),
            ("supervisor", None) => Ok(Role::Supervisor),
            ("admin", None) => Ok(Role::Admin),
            ("auditor", None) => Ok(Role::Auditor),
            ("unit", _) => Ok(Role::Unit(TeamId::new(need("call sign")?))),
            ("peer", _) => Ok(Role::Peer(PeerId::new(need("peer id")?))),
            _ => Err(format!(
                "role {text:?} is not one of cad, cad:<source>, dispatcher, supervisor, unit:<call sign>, peer:<id>, admin, auditor"
            )),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Role::Cad(None) => f.write_str("cad"),
            Role::Cad(Some(s)) => write!(f, "cad:{s}"),
            Role::Dispatcher => f.write_str("dispatcher"),
            Role::Supervisor => f.write_str("supervisor"),
            Role::Unit(t) => write!(f, "unit:{t}"),
            Role::Peer(p) => write!(f, "peer:{p}"),
            Role::Admin => f.write_str("admin"),
            Role::Auditor => f.write_str("auditor"),
        }
    }
}

/// Why a caller was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error(
        "missing or malformed authorization metadata; send `authorization: Bearer <token>` or a client certificate"
    )]
    Missing,
    #[error("unknown token")]
    Unknown,
    #[error("the token has expired")]
    Expired,
    /// A verified client certificate that no `[[auth.certs]]` entry names.
    #[error("client certificate {name} is not granted a role")]
    CertificateNotMapped { name: String },
    #[error("role {role} may not {action}")]
    Forbidden { role: String, action: &'static str },
    /// The role is scoped (one team, one CAD source) and the request names another.
    #[error("{field}: {reason}")]
    OutOfScope { field: &'static str, reason: String },
}

/// A token or certificate the server accepts: its role, its holder, when it expires, and a
/// signal that fires when a reload removes or changes it (its open streams end).
#[derive(Debug)]
pub struct Credential {
    pub role: Role,
    pub holder: String,
    pub expires: Option<Timestamp>,
    revoked: CancellationToken,
}

impl Credential {
    fn new(role: Role, holder: String, expires: Option<Timestamp>) -> Arc<Self> {
        Arc::new(Self {
            role,
            holder,
            expires,
            revoked: CancellationToken::new(),
        })
    }

    fn same_grant(&self, other: &Credential) -> bool {
        self.role == other.role && self.holder == other.holder && self.expires == other.expires
    }

    pub fn expired_at(&self, now: Timestamp) -> bool {
        self.expires.is_some_and(|t| t <= now)
    }

    /// Resolves when the credential stops being valid: a reload removed or changed it, or it
    /// expired (by the wall clock).
    pub async fn ended(&self) {
        match self.expires {
            Some(at) => {
                let left = at.duration_since(Timestamp::now());
                let left = std::time::Duration::try_from(left).unwrap_or_default();
                tokio::select! {
                    () = self.revoked.cancelled() => {}
                    () = tokio::time::sleep(left) => {}
                }
            }
            None => self.revoked.cancelled().await,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum CertMatch {
    Subject(String),
    San(String),
}

impl CertMatch {
    fn matches(&self, names: &CertNames) -> bool {
        match self {
            CertMatch::Subject(s) => names.subject_matches(s),
            CertMatch::San(s) => names.has_san(s),
        }
    }
}

/// The tokens and certificates the server accepts, as one configuration read them.
#[derive(Clone, Debug, Default)]
pub struct Authenticator {
    tokens: HashMap<[u8; 32], Arc<Credential>>,
    certs: Vec<(CertMatch, Arc<Credential>)>,
}

/// Reads `expires` (RFC 3339).
pub fn parse_expiry(text: &str) -> Result<Timestamp, String> {
    text.trim().parse::<Timestamp>().map_err(|e| {
        format!("expires {text:?} is not an RFC 3339 time such as 2027-01-31T00:00:00Z: {e}")
    })
}

impl Authenticator {
    pub fn new(tokens: &[TokenEntry], certs: &[CertEntry]) -> Result<Self, String> {
        let mut out = Self::default();
        for t in tokens {
            let role = Role::parse(&t.role)?;
            let hash = decode_hex(&t.sha256)
                .ok_or_else(|| format!("sha256 of {} is not 64 hex digits", t.role))?;
            let expires = t.expires.as_deref().map(parse_expiry).transpose()?;
            let holder = if t.holder.is_empty() {
                format!("({role} token)")
            } else {
                t.holder.clone()
            };
            out.tokens
                .insert(hash, Credential::new(role, holder, expires));
        }
        for c in certs {
            let role = Role::parse(&c.role)?;
            let (matcher, name) = match (&c.subject, &c.san) {
                (Some(subject), None) => {
                    if crate::tls::parse_subject(subject).is_empty() {
                        return Err(format!(
                            "auth.certs: subject {subject:?} is not ATTR=value pairs such as \"CN=boec-cad-1\""
                        ));
                    }
                    (CertMatch::Subject(subject.clone()), subject.clone())
                }
                (None, Some(san)) if !san.trim().is_empty() => {
                    (CertMatch::San(san.trim().to_owned()), san.clone())
                }
                _ => {
                    return Err(format!(
                        "auth.certs: the entry for role {role} needs exactly one of subject or san"
                    ));
                }
            };
            let holder = if c.holder.is_empty() {
                name
            } else {
                c.holder.clone()
            };
            out.certs
                .push((matcher, Credential::new(role, holder, None)));
        }
        Ok(out)
    }

    /// Adds a token at run time (the demo mints its own).
    pub fn insert(&mut self, token: &str, role: Role) {
        let holder = format!("(demo {role})");
        self.tokens
            .insert(hash_token(token), Credential::new(role, holder, None));
    }

    /// `next` with the credentials of `self` that it grants unchanged carried over (their
    /// open streams go on); every other credential of `self` is revoked, so its open streams
    /// end.
    pub fn succeeded_by(&self, mut next: Authenticator) -> Authenticator {
        for (hash, old) in &self.tokens {
            match next.tokens.get_mut(hash) {
                Some(new) if new.same_grant(old) => *new = old.clone(),
                _ => old.revoked.cancel(),
            }
        }
        for (matcher, old) in &self.certs {
            let kept = next
                .certs
                .iter_mut()
                .find(|(m, new)| m == matcher && new.same_grant(old));
            match kept {
                Some((_, new)) => *new = old.clone(),
                None => old.revoked.cancel(),
            }
        }
        next
    }

    /// The caller's credential: the bearer token if one is sent, else the client certificate
    /// (already verified by TLS against `client_ca`).
    pub fn authenticate(
        &self,
        metadata: &MetadataMap,
        peer_certs: Option<&[CertificateDer<'static>]>,
        now: Timestamp,
    ) -> Result<Arc<Credential>, AuthError> {
        if let Some(header) = metadata.get("authorization") {
            let token = header
                .to_str()
                .ok()
                .and_then(|h| {
                    h.strip_prefix("Bearer ")
                        .or_else(|| h.strip_prefix("bearer "))
                })
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .ok_or(AuthError::Missing)?;
            let credential = self
                .tokens
                .get(&hash_token(token))
                .ok_or(AuthError::Unknown)?;
            if credential.expired_at(now) {
                return Err(AuthError::Expired);
            }
            return Ok(credential.clone());
        }
        let leaf = peer_certs
            .and_then(|certs| certs.first())
            .ok_or(AuthError::Missing)?;
        let names = CertNames::from_der(leaf).ok_or_else(|| AuthError::CertificateNotMapped {
            name: "(unreadable)".to_owned(),
        })?;
        self.certs
            .iter()
            .find(|(m, _)| m.matches(&names))
            .map(|(_, c)| c.clone())
            .ok_or_else(|| AuthError::CertificateNotMapped {
                name: names.describe(),
            })
    }
}

/// How many failed authentications one peer may make in a minute before it is slowed down.
pub const FAILURES_PER_MINUTE: u32 = 10;
const FAILURE_WINDOW: Duration = Duration::from_secs(60);
const MAX_DELAY: Duration = Duration::from_secs(5);

/// Failed authentications per peer address, in one-minute windows.
#[derive(Debug, Default)]
struct FailedAttempts {
    by_peer: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl FailedAttempts {
    /// Counts one failure; past the limit, how long to hold the refusal back.
    fn record(&self, peer: IpAddr, now: Instant) -> Option<Duration> {
        let mut map = self.by_peer.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 10_000 {
            map.retain(|_, (start, _)| now.duration_since(*start) < FAILURE_WINDOW);
        }
        let entry = map.entry(peer).or_insert((now, 0));
        if now.duration_since(entry.0) >= FAILURE_WINDOW {
            *entry = (now, 0);
        }
        entry.1 += 1;
        let failures = entry.1;
        if failures <= FAILURES_PER_MINUTE {
            return None;
        }
        if failures == FAILURES_PER_MINUTE + 1 || failures.is_multiple_of(FAILURES_PER_MINUTE) {
            warn!(%peer, failures, "repeated failed authentication from one peer: slowing it down");
        }
        let over = u64::from(failures - FAILURES_PER_MINUTE);
        Some(Duration::from_millis(250 * over).min(MAX_DELAY))
    }
}

/// The server's credentials, replaced whole on reload (SIGHUP), and the count of failed
/// attempts per peer.
#[derive(Debug, Default)]
pub struct Keyring {
    current: RwLock<Arc<Authenticator>>,
    failures: FailedAttempts,
}

impl Keyring {
    pub fn new(auth: Authenticator) -> Self {
        Self {
            current: RwLock::new(Arc::new(auth)),
            failures: FailedAttempts::default(),
        }
    }

    fn current(&self) -> Arc<Authenticator> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Takes a new configuration: removed or changed credentials stop at once, and their
    /// open streams end.
    pub fn reload(&self, next: Authenticator) {
        let mut current = self.current.write().unwrap_or_else(|p| p.into_inner());
        let merged = current.succeeded_by(next);
        *current = Arc::new(merged);
    }

    /// A TLS handshake refused for its client certificate counts as a failed
    /// authentication of that peer; past the limit, how long to hold the refusal back.
    pub fn certificate_refused(&self, peer: IpAddr) -> Option<Duration> {
        self.failures.record(peer, Instant::now())
    }

    /// Authenticates one call. A refusal is logged with the peer and the reason (never the
    /// token); a peer that keeps failing waits longer and longer for its answer.
    pub async fn authenticate(
        &self,
        metadata: &MetadataMap,
        peer_certs: Option<&[CertificateDer<'static>]>,
        peer: Option<IpAddr>,
    ) -> Result<Arc<Credential>, AuthError> {
        let result = self
            .current()
            .authenticate(metadata, peer_certs, Timestamp::now());
        if let Err(e) = &result {
            let from = peer.map_or_else(|| "unknown".to_owned(), |p| p.to_string());
            info!(peer = %from, reason = %e, "authentication failed");
            if let Some(delay) = peer.and_then(|p| self.failures.record(p, Instant::now())) {
                tokio::time::sleep(delay).await;
            }
        }
        result
    }
}

pub fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn decode_hex(text: &str) -> Option<[u8; 32]> {
    let text = text.trim();
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// A new random token: 32 bytes from the OS, hex-encoded, with a readable prefix.
pub fn new_token() -> Result<String, std::io::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(format!("dsp_{}", hex(&bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_and_print_back() {
        for text in [
            "cad",
            "cad:boec",
            "dispatcher",
            "supervisor",
            "unit:PSR-3",
            "peer:p-7",
            "admin",
        ] {
            assert_eq!(Role::parse(text).unwrap().to_string(), text);
        }
        assert!(Role::parse("unit").is_err());
        assert!(Role::parse("unit:").is_err());
        assert!(Role::parse("police").is_err());
    }

    fn entry(token: &str, role: &str, expires: Option<&str>) -> TokenEntry {
        TokenEntry {
            role: role.into(),
            sha256: hex(&hash_token(token)),
            holder: "Jo Dispatcher".into(),
            expires: expires.map(str::to_owned),
        }
    }

    fn bearer(token: &str) -> MetadataMap {
        let mut md = MetadataMap::new();
        md.insert("authorization", format!("Bearer {token}").parse().unwrap());
        md
    }

    #[test]
    fn a_token_is_recognised_by_its_hash_only() {
        let token = new_token().unwrap();
        let auth = Authenticator::new(&[entry(&token, "unit:PSR-1", None)], &[]).unwrap();
        let now = Timestamp::now();
        let found = auth.authenticate(&bearer(&token), None, now).unwrap();
        assert_eq!(found.role, Role::Unit(TeamId::new("PSR-1")));
        assert_eq!(found.holder, "Jo Dispatcher");
        let err = auth.authenticate(&bearer("nope"), None, now).unwrap_err();
        assert_eq!(err, AuthError::Unknown);
        let err = auth
            .authenticate(&MetadataMap::new(), None, now)
            .unwrap_err();
        assert_eq!(err, AuthError::Missing);
    }

    #[test]
    fn an_expired_token_is_refused_and_a_bad_expiry_is_a_config_error() {
        let token = new_token().unwrap();
        let entries = [entry(&token, "dispatcher", Some("2027-01-31T00:00:00Z"))];
        let auth = Authenticator::new(&entries, &[]).unwrap();
        let before: Timestamp = "2027-01-30T23:59:59Z".parse().unwrap();
        let after: Timestamp = "2027-01-31T00:00:00Z".parse().unwrap();
        assert!(auth.authenticate(&bearer(&token), None, before).is_ok());
        let err = auth.authenticate(&bearer(&token), None, after).unwrap_err();
        assert_eq!(err, AuthError::Expired);
        let bad = [entry(&token, "dispatcher", Some("next tuesday"))];
        assert!(
            Authenticator::new(&bad, &[])
                .unwrap_err()
                .contains("RFC 3339")
        );
    }

    #[test]
    fn a_reload_revokes_removed_and_changed_tokens_and_keeps_the_rest() {
        let (kept, removed, changed) = (
            new_token().unwrap(),
            new_token().unwrap(),
            new_token().unwrap(),
        );
        let first = Authenticator::new(
            &[
                entry(&kept, "dispatcher", None),
                entry(&removed, "dispatcher", None),
                entry(&changed, "dispatcher", None),
            ],
            &[],
        )
        .unwrap();
        let now = Timestamp::now();
        let held = |auth: &Authenticator, t: &str| auth.authenticate(&bearer(t), None, now);
        let (k, r, c) = (
            held(&first, &kept).unwrap(),
            held(&first, &removed).unwrap(),
            held(&first, &changed).unwrap(),
        );
        let next = Authenticator::new(
            &[
                entry(&kept, "dispatcher", None),
                entry(&changed, "supervisor", None),
            ],
            &[],
        )
        .unwrap();
        let second = first.succeeded_by(next);
        assert!(!k.revoked.is_cancelled());
        assert!(r.revoked.is_cancelled());
        assert!(c.revoked.is_cancelled());
        assert!(Arc::ptr_eq(&k, &held(&second, &kept).unwrap()));
        assert_eq!(held(&second, &removed).unwrap_err(), AuthError::Unknown);
        assert_eq!(held(&second, &changed).unwrap().role, Role::Supervisor);
    }

    #[test]
    fn a_cert_entry_needs_one_of_subject_or_san() {
        let both = CertEntry {
            subject: Some("CN=a".into()),
            san: Some("a".into()),
            role: "cad".into(),
            holder: String::new(),
        };
        assert!(Authenticator::new(&[], &[both]).is_err());
        let bad_subject = CertEntry {
            subject: Some("boec".into()),
            role: "cad".into(),
            ..CertEntry::default()
        };
        assert!(Authenticator::new(&[], &[bad_subject]).is_err());
    }

    #[test]
    fn a_peer_that_keeps_failing_is_slowed_down_after_ten_a_minute() {
        let failures = FailedAttempts::default();
        let peer: IpAddr = [192, 0, 2, 7].into();
        let other: IpAddr = [192, 0, 2, 8].into();
        let start = Instant::now();
        for _ in 0..FAILURES_PER_MINUTE {
            assert_eq!(failures.record(peer, start), None);
        }
        assert_eq!(
            failures.record(peer, start),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            failures.record(peer, start),
            Some(Duration::from_millis(500))
        );
        assert_eq!(failures.record(other, start), None);
        // A new minute starts afresh.
        let later = start + FAILURE_WINDOW;
        assert_eq!(failures.record(peer, later), None);
    }
}
