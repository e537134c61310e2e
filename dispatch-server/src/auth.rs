//! Bearer tokens and roles. A caller sends `authorization: Bearer <token>`; the server keeps
//! only SHA-256 hashes of tokens and maps each to a role.

use dispatch_core::{PeerId, TeamId};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;
use tonic::metadata::MetadataMap;

/// One bearer token: only its SHA-256 is stored; `role` is what it may do.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenEntry {
    /// `cad`, `cad:<source>`, `dispatcher`, `unit:<call sign>`, `peer:<id>`, `supervisor`, `admin`.
    pub role: String,
    /// Hex SHA-256 of the token.
    pub sha256: String,
    /// Who holds it, for the operator's memory.
    #[serde(default)]
    pub label: String,
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
            ("unit", _) => Ok(Role::Unit(TeamId::new(need("call sign")?))),
            ("peer", _) => Ok(Role::Peer(PeerId::new(need("peer id")?))),
            _ => Err(format!(
                "role {text:?} is not one of cad, cad:<source>, dispatcher, supervisor, unit:<call sign>, peer:<id>, admin"
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
        }
    }
}

/// Why a caller was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("missing or malformed authorization metadata; send `authorization: Bearer <token>`")]
    Missing,
    #[error("unknown token")]
    Unknown,
    #[error("role {role} may not {action}")]
    Forbidden { role: String, action: &'static str },
    /// The role is scoped (one team, one CAD source) and the request names another.
    #[error("{field}: {reason}")]
    OutOfScope { field: &'static str, reason: String },
}

#[derive(Clone, Debug, Default)]
pub struct Authenticator {
    by_hash: HashMap<[u8; 32], Role>,
}

impl Authenticator {
    pub fn new(tokens: &[TokenEntry]) -> Result<Self, String> {
        let mut by_hash = HashMap::new();
        for t in tokens {
            let role = Role::parse(&t.role)?;
            let hash = decode_hex(&t.sha256)
                .ok_or_else(|| format!("sha256 of {} is not 64 hex digits", t.role))?;
            by_hash.insert(hash, role);
        }
        Ok(Self { by_hash })
    }

    /// Adds a token at run time (the demo mints its own).
    pub fn insert(&mut self, token: &str, role: Role) {
        self.by_hash.insert(hash_token(token), role);
    }

    pub fn authenticate(&self, metadata: &MetadataMap) -> Result<Role, AuthError> {
        let header = metadata
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .ok_or(AuthError::Missing)?;
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(AuthError::Missing)?;
        self.by_hash
            .get(&hash_token(token))
            .cloned()
            .ok_or(AuthError::Unknown)
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

    #[test]
    fn a_token_is_recognised_by_its_hash_only() {
        let token = new_token().unwrap();
        let entry = TokenEntry {
            role: "unit:PSR-1".into(),
            sha256: hex(&hash_token(&token)),
            label: String::new(),
        };
        let auth = Authenticator::new(&[entry]).unwrap();
        let mut md = MetadataMap::new();
        md.insert("authorization", format!("Bearer {token}").parse().unwrap());
        assert_eq!(
            auth.authenticate(&md).unwrap(),
            Role::Unit(TeamId::new("PSR-1"))
        );
        md.insert("authorization", "Bearer nope".parse().unwrap());
        assert_eq!(auth.authenticate(&md).unwrap_err(), AuthError::Unknown);
        assert_eq!(
            auth.authenticate(&MetadataMap::new()).unwrap_err(),
            AuthError::Missing
        );
    }
}
