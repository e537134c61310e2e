//! Settings: documented defaults, then the TOML file, then `DISPATCH__*` environment variables,
//! then command-line flags. `config.example.toml` (embedded, printed by `dispatch-server
//! config`) documents every key.

use dispatch_core::{GeoPoint, Member, Policy};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

pub use crate::auth::{CertEntry, TokenEntry};

/// The documented example configuration, as shipped.
pub const EXAMPLE: &str = include_str!("../config.example.toml");

#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Address the gRPC server listens on. Loopback by default: TLS is required off loopback.
    pub listen: SocketAddr,
    /// Where the SQLite database lives.
    pub data_dir: PathBuf,
    /// A `postgres://` URL: the journal and projections live in PostgreSQL, shared by any
    /// number of replicas. Absent: the embedded SQLite in `data_dir`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    pub log: LogSettings,
    pub auth: AuthSettings,
    /// The roster: teams registered (or updated) at start.
    pub teams: Vec<TeamSettings>,
    pub policy: Policy,
    /// How many requests one group commit takes at most.
    pub max_batch: usize,
    /// TLS for the gRPC server; required for a listen address off loopback.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<crate::tls::TlsSettings>,
    /// Serve plaintext on a non-loopback address. Only for a TLS-terminating proxy in front
    /// on the same host; warned about at every start.
    pub allow_plaintext_off_loopback: bool,
    /// Encryption at rest of the people's free text and identifiers.
    pub privacy: PrivacySettings,
}

/// `[privacy]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrivacySettings {
    /// The master key that wraps every incident's data key: created (mode 0600) on first
    /// start when missing. Default `<data_dir>/master.key`; keep a copy apart from the
    /// database's backups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_file: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 50051)),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            log: LogSettings::default(),
            auth: AuthSettings::default(),
            teams: Vec::new(),
            policy: Policy::default(),
            max_batch: 512,
            tls: None,
            allow_plaintext_off_loopback: false,
            privacy: PrivacySettings::default(),
        }
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &self.database_url.as_deref().map(redact_password),
            )
            .field("log", &self.log)
            .field("auth", &self.auth)
            .field("teams", &self.teams.len())
            .field("max_batch", &self.max_batch)
            .field("tls", &self.tls)
            .field(
                "allow_plaintext_off_loopback",
                &self.allow_plaintext_off_loopback,
            )
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogSettings {
    /// `tracing` filter, e.g. "info" or "dispatch_server=debug".
    pub filter: String,
    /// One JSON object per line instead of text.
    pub json: bool,
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            filter: "info".to_owned(),
            json: false,
        }
    }
}

#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthSettings {
    pub tokens: Vec<TokenEntry>,
    /// Roles for client certificates (mutual TLS): `[[auth.certs]] subject = "CN=..."`.
    pub certs: Vec<CertEntry>,
}

impl fmt::Debug for AuthSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Hashes are not secrets, but there is no reason to print them either.
        f.debug_struct("AuthSettings")
            .field("tokens", &self.tokens.len())
            .field("certs", &self.certs)
            .finish()
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamSettings {
    /// Call sign, e.g. "PSR-3".
    pub id: String,
    pub members: Vec<Member>,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub position: Option<GeoPoint>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("environment variable {name}: {message}")]
    Env { name: String, message: String },
    #[error("configuration: {0}")]
    Invalid(String),
}

/// Command-line values that override everything else.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub listen: Option<SocketAddr>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub log_json: Option<bool>,
}

impl Settings {
    /// Defaults ← file (if given) ← environment (`DISPATCH__A__B=value` sets `a.b`) ← flags.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
        overrides: &Overrides,
    ) -> Result<Self, ConfigError> {
        let mut doc = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_owned(),
                    source,
                })?;
                // Checked whole first, so that a mistake is reported with its line.
                toml::from_str::<Settings>(&text).map_err(|e| ConfigError::Parse {
                    path: path.to_owned(),
                    message: e.to_string(),
                })?;
                text.parse::<toml::Table>()
                    .map_err(|e| ConfigError::Parse {
                        path: path.to_owned(),
                        message: e.to_string(),
                    })?
            }
            None => toml::Table::new(),
        };
        for (name, value) in env {
            let Some(rest) = name.strip_prefix("DISPATCH__") else {
                continue;
            };
            let keys: Vec<String> = rest.split("__").map(str::to_lowercase).collect();
            set_path(&mut doc, &keys, parse_scalar(&value)).map_err(|message| {
                ConfigError::Env {
                    name: name.clone(),
                    message,
                }
            })?;
        }
        let mut settings: Settings =
            toml::Value::Table(doc)
                .try_into()
                .map_err(|e: toml::de::Error| ConfigError::Parse {
                    path: file.map_or_else(|| PathBuf::from("<environment>"), Path::to_owned),
                    message: e.to_string(),
                })?;
        if let Some(listen) = overrides.listen {
            settings.listen = listen;
        }
        if let Some(dir) = &overrides.data_dir {
            settings.data_dir.clone_from(dir);
        }
        if let Some(url) = &overrides.database_url {
            settings.database_url = Some(url.clone());
        }
        if let Some(json) = overrides.log_json {
            settings.log.json = json;
        }
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if let Some(url) = &self.database_url
            && !(url.starts_with("postgres://") || url.starts_with("postgresql://"))
        {
            return Err(ConfigError::Invalid(format!(
                "database_url must be a postgres:// URL (got {}); leave it out for the embedded SQLite",
                redact_password(url)
            )));
        }
        if self.max_batch == 0 {
            return Err(ConfigError::Invalid("max_batch must be at least 1".into()));
        }
        self.policy
            .triage
            .validate()
            .map_err(|e| ConfigError::Invalid(format!("policy.triage.{e}")))?;
        if self.policy.ack_window_secs == 0 {
            return Err(ConfigError::Invalid(
                "policy.ack_window_secs must be at least 1".into(),
            ));
        }
        for t in &self.auth.tokens {
            crate::auth::Role::parse(&t.role).map_err(ConfigError::Invalid)?;
            if t.sha256.len() != 64 || !t.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(ConfigError::Invalid(format!(
                    "auth.tokens: sha256 of role {} must be 64 hex digits (see `dispatch-server token`)",
                    t.role
                )));
            }
            if let Some(expires) = &t.expires {
                crate::auth::parse_expiry(expires)
                    .map_err(|e| ConfigError::Invalid(format!("auth.tokens ({}): {e}", t.role)))?;
            }
        }
        crate::auth::Authenticator::new(&self.auth.tokens, &self.auth.certs)
            .map_err(ConfigError::Invalid)?;
        let client_ca = self.tls.as_ref().and_then(|t| t.client_ca.as_ref());
        if client_ca.is_none() && !self.auth.certs.is_empty() {
            return Err(ConfigError::Invalid(
                "auth.certs grants roles to client certificates, but [tls] has no client_ca to verify them".into(),
            ));
        }
        Ok(())
    }

    /// The settings as a TOML document that [`Settings::load`] reads back.
    pub fn to_toml(&self) -> Result<String, ConfigError> {
        toml::to_string(self)
            .map_err(|e| ConfigError::Invalid(format!("cannot write settings: {e}")))
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("dispatch.db")
    }

    /// Where the master key is (see [`PrivacySettings::key_file`]).
    pub fn key_file(&self) -> PathBuf {
        self.privacy
            .key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("master.key"))
    }
}

/// A database URL fit for a log line: the password, if any, replaced by `***`.
pub fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((credentials, host)) => {
            let user = credentials.split_once(':').map_or(credentials, |(u, _)| u);
            let hidden = if credentials.contains(':') {
                ":***"
            } else {
                ""
            };
            format!("{scheme}://{user}{hidden}@{host}{path}")
        }
        None => url.to_owned(),
    }
}

/// An environment value as TOML if it parses as a scalar (number, bool), else a string.
fn parse_scalar(value: &str) -> toml::Value {
    match format!("v = {value}").parse::<toml::Table>() {
        Ok(mut t) => t
            .remove("v")
            .unwrap_or_else(|| toml::Value::String(value.to_owned())),
        Err(_) => toml::Value::String(value.to_owned()),
    }
}

fn set_path(doc: &mut toml::Table, keys: &[String], value: toml::Value) -> Result<(), String> {
    match keys {
        [] => Err("empty key".into()),
        [last] => {
            doc.insert(last.clone(), value);
            Ok(())
        }
        [first, rest @ ..] => {
            let entry = doc
                .entry(first.clone())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            match entry {
                toml::Value::Table(t) => set_path(t, rest, value),
                _ => Err(format!("{first} is not a table")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_example_parses_and_matches_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, EXAMPLE).unwrap();
        let s = Settings::load(Some(&path), [], &Overrides::default()).unwrap();
        let d = Settings::default();
        assert_eq!(s.listen, d.listen);
        assert_eq!(s.data_dir, d.data_dir);
        assert_eq!(s.policy, d.policy);
        assert_eq!(s.max_batch, d.max_batch);
    }

    #[test]
    fn environment_overrides_file_and_flags_override_environment() {
        let env = [
            ("DISPATCH__LISTEN".to_owned(), "127.0.0.1:7000".to_owned()),
            (
                "DISPATCH__POLICY__ACK_WINDOW_SECS".to_owned(),
                "5".to_owned(),
            ),
            ("DISPATCH__DATA_DIR".to_owned(), "/tmp/x".to_owned()),
            ("OTHER".to_owned(), "ignored".to_owned()),
        ];
        let flags = Overrides {
            data_dir: Some("/tmp/y".into()),
            ..Overrides::default()
        };
        let s = Settings::load(None, env, &flags).unwrap();
        assert_eq!(s.listen.port(), 7000);
        assert_eq!(s.policy.ack_window_secs, 5);
        assert_eq!(s.data_dir, PathBuf::from("/tmp/y"));
    }

    #[test]
    fn a_database_url_comes_from_the_environment_or_the_flag_and_is_never_logged_whole() {
        let env = [(
            "DISPATCH__DATABASE_URL".to_owned(),
            "postgres://dispatch:s3cret@db:5432/dispatch".to_owned(),
        )];
        let s = Settings::load(None, env.clone(), &Overrides::default()).unwrap();
        assert_eq!(
            s.database_url.as_deref(),
            Some("postgres://dispatch:s3cret@db:5432/dispatch")
        );
        let logged = format!("{s:?}");
        assert!(!logged.contains("s3cret"), "{logged}");
        assert!(
            logged.contains("postgres://dispatch:***@db:5432/dispatch"),
            "{logged}"
        );
        let flags = Overrides {
            database_url: Some("postgresql://other/db".into()),
            ..Overrides::default()
        };
        let s = Settings::load(None, env, &flags).unwrap();
        assert_eq!(s.database_url.as_deref(), Some("postgresql://other/db"));
        assert!(
            Settings::load(None, [], &Overrides::default())
                .unwrap()
                .database_url
                .is_none()
        );
        let wrong = Overrides {
            database_url: Some("mysql://x/y".into()),
            ..Overrides::default()
        };
        let err = Settings::load(None, [], &wrong).unwrap_err().to_string();
        assert!(err.contains("database_url"), "{err}");
    }

    #[test]
    fn a_bad_file_names_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "listen = \"127.0.0.1:1\"\nmax_batch = \"many\"\n").unwrap();
        let err = Settings::load(Some(&path), [], &Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("max_batch"), "{err}");
    }
}

#[cfg(test)]
mod shipped_rules {
    use dispatch_core::triage::TriageConfig;

    const PORTLAND: &str = include_str!("../../deploy/triage/portland.toml");
    const SEATTLE: &str = include_str!("../../deploy/triage/seattle.toml");

    /// The documented rules file is exactly the built-in default.
    #[test]
    fn the_portland_rules_file_is_the_default() {
        let parsed: TriageConfig = toml::from_str(PORTLAND).expect("portland.toml parses");
        assert_eq!(parsed, TriageConfig::default());
    }

    #[test]
    fn the_seattle_example_parses_and_validates() {
        let parsed: TriageConfig = toml::from_str(SEATTLE).expect("seattle.toml parses");
        parsed.validate().expect("valid");
        assert!(!parsed.service_area.is_everywhere());
    }
}
