//! Certificates minted for a test (rcgen): a CA, a server certificate for 127.0.0.1, client
//! certificates signed by that CA or by a foreign one, written as PEM files in a directory.

use dispatch_proto::endpoint::ClientTls;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType,
};
use std::path::{Path, PathBuf};

/// A certificate authority that signs the test's certificates.
pub struct TestCa {
    issuer: Issuer<'static, KeyPair>,
    /// The CA certificate, PEM.
    pub pem: PathBuf,
    dir: PathBuf,
    name: String,
}

impl TestCa {
    /// A new CA called `name`, its certificate written to `dir/<name>-ca.pem`.
    pub fn new(dir: &Path, name: &str) -> TestCa {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
        params
            .distinguished_name
            .push(DnType::CommonName, format!("{name} test CA"));
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let key = KeyPair::generate().expect("key");
        let cert = params.self_signed(&key).expect("self-signed CA");
        let pem = dir.join(format!("{name}-ca.pem"));
        std::fs::write(&pem, cert.pem()).expect("write CA");
        TestCa {
            issuer: Issuer::new(params, key),
            pem,
            dir: dir.to_owned(),
            name: name.to_owned(),
        }
    }

    fn issue(&self, file: &str, cn: &str, sans: Vec<SanType>, server: bool) -> (PathBuf, PathBuf) {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
        params.distinguished_name.push(DnType::CommonName, cn);
        params.subject_alt_names = sans;
        params.extended_key_usages = vec![if server {
            ExtendedKeyUsagePurpose::ServerAuth
        } else {
            ExtendedKeyUsagePurpose::ClientAuth
        }];
        let key = KeyPair::generate().expect("key");
        let cert = params.signed_by(&key, &self.issuer).expect("signed");
        let cert_path = self.dir.join(format!("{}-{file}.pem", self.name));
        let key_path = self.dir.join(format!("{}-{file}.key", self.name));
        std::fs::write(&cert_path, cert.pem()).expect("write cert");
        std::fs::write(&key_path, key.serialize_pem()).expect("write key");
        (cert_path, key_path)
    }

    /// A server certificate for 127.0.0.1 and localhost: (cert, key).
    pub fn server(&self) -> (PathBuf, PathBuf) {
        let sans = vec![
            SanType::IpAddress([127, 0, 0, 1].into()),
            SanType::DnsName("localhost".try_into().expect("dns name")),
        ];
        self.issue("server", "dispatch-server", sans, true)
    }

    /// A client certificate with subject CN=`cn`: (cert, key).
    pub fn client(&self, cn: &str) -> (PathBuf, PathBuf) {
        self.issue(cn, cn, Vec::new(), false)
    }

    /// What a client needs to trust a server this CA signed, without a certificate of its own.
    pub fn trust(&self) -> ClientTls {
        ClientTls {
            ca: Some(self.pem.clone()),
            ..ClientTls::default()
        }
    }

    /// [`TestCa::trust`] plus a client certificate.
    pub fn trust_with(&self, (cert, key): (PathBuf, PathBuf)) -> ClientTls {
        ClientTls {
            ca: Some(self.pem.clone()),
            cert: Some(cert),
            key: Some(key),
        }
    }
}
