//! How every client (console, cad-bridge, `dispatch-server report`, tests) reaches the
//! server: an `http://` address on loopback, or `https://` with the CA that signed the
//! server's certificate and, for mutual TLS, the client's own certificate and key.

use std::path::{Path, PathBuf};
use tonic::transport::{Certificate, ClientTlsConfig, Endpoint, Identity};

/// The PEM files for TLS to the server (`--ca`, `--cert`, `--key`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientTls {
    /// The CA certificate(s) that signed the server's certificate.
    pub ca: Option<PathBuf>,
    /// This client's certificate (mutual TLS), with `key`.
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum EndpointError {
    #[error(
        "{0:?} is not a server address like http://127.0.0.1:50051 or https://dispatch.example:50051"
    )]
    BadAddress(String),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("--cert and --key go together: give both or neither")]
    HalfIdentity,
    #[error(
        "{0} is https: give --ca, the CA certificate (PEM) that signed the server's certificate"
    )]
    NoCa(String),
    #[error("--ca, --cert and --key need an https:// address, not {0}")]
    TlsOverHttp(String),
    #[error("TLS: {0}")]
    Tls(String),
}

fn read(path: &Path) -> Result<Vec<u8>, EndpointError> {
    std::fs::read(path).map_err(|source| EndpointError::Read {
        path: path.to_owned(),
        source,
    })
}

/// An endpoint for `address` (`http://` or `https://`), with TLS from `tls`.
pub fn endpoint(address: &str, tls: &ClientTls) -> Result<Endpoint, EndpointError> {
    let bad = || EndpointError::BadAddress(address.to_owned());
    let secure = match address.split_once("://") {
        Some(("https", rest)) if !rest.is_empty() => true,
        Some(("http", rest)) if !rest.is_empty() => false,
        _ => return Err(bad()),
    };
    let endpoint = Endpoint::from_shared(address.to_owned()).map_err(|_| bad())?;
    if !secure {
        if tls != &ClientTls::default() {
            return Err(EndpointError::TlsOverHttp(address.to_owned()));
        }
        return Ok(endpoint);
    }
    let ca = tls
        .ca
        .as_deref()
        .ok_or_else(|| EndpointError::NoCa(address.to_owned()))?;
    let mut config = ClientTlsConfig::new().ca_certificate(Certificate::from_pem(read(ca)?));
    match (&tls.cert, &tls.key) {
        (Some(cert), Some(key)) => {
            config = config.identity(Identity::from_pem(read(cert)?, read(key)?));
        }
        (None, None) => {}
        _ => return Err(EndpointError::HalfIdentity),
    }
    endpoint
        .tls_config(config)
        .map_err(|e| EndpointError::Tls(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_files_are_checked_before_connecting() {
        let none = ClientTls::default();
        assert!(endpoint("http://127.0.0.1:50051", &none).is_ok());
        assert!(matches!(
            endpoint("127.0.0.1:50051", &none),
            Err(EndpointError::BadAddress(_))
        ));
        assert!(matches!(
            endpoint("https://dispatch.example:50051", &none),
            Err(EndpointError::NoCa(_))
        ));
        let ca_only = ClientTls {
            ca: Some("ca.pem".into()),
            ..ClientTls::default()
        };
        assert!(matches!(
            endpoint("http://127.0.0.1:50051", &ca_only),
            Err(EndpointError::TlsOverHttp(_))
        ));
        assert!(matches!(
            endpoint("https://dispatch.example:50051", &ca_only),
            Err(EndpointError::Read { .. })
        ));
    }
}
