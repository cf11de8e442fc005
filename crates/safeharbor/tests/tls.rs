//! Built-in TLS (docs/operations.md): HTTPS only, certificates taken up without a restart, and a
//! pair it cannot serve refused with the file named. The real binary, real files, a throw-away
//! certificate authority.

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use common::process::{Server, eventually, safeharbor, stderr};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, SanType,
    SerialNumber,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};

/// A throw-away certificate authority.
struct Authority {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

/// A certificate for localhost and 127.0.0.1 with its key, as PEM, and the certificate as DER.
struct Leaf {
    cert_pem: String,
    key_pem: String,
    der: CertificateDer<'static>,
}

impl Authority {
    fn new() -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(DnType::CommonName, "Safe Harbor test CA");
        let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
        Self { issuer }
    }

    fn leaf(&self, serial: u64) -> Leaf {
        let mut params = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
        params
            .subject_alt_names
            .push(SanType::IpAddress([127, 0, 0, 1].into()));
        params.serial_number = Some(SerialNumber::from(serial));
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        Leaf {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
            der: cert.der().clone(),
        }
    }

    /// A client that trusts this authority only.
    fn client(&self) -> tokio_rustls::TlsConnector {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(self.issuer.der().clone()).unwrap();
        let mut config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
        // Every connection a full handshake: a resumed session shows the certificate it began with.
        config.resumption = rustls::client::Resumption::disabled();
        tokio_rustls::TlsConnector::from(Arc::new(config))
    }
}

/// Writes a pair over the two files the way an operator's copy would: in place, key made 0600.
fn install(cert_pem: &str, key_pem: &str, cert: &Path, key: &Path) {
    std::fs::write(cert, cert_pem).unwrap();
    std::fs::write(key, key_pem).unwrap();
    std::fs::set_permissions(key, std::fs::Permissions::from_mode(0o600)).unwrap();
}

/// Asks for /healthz over a new TLS connection; returns the certificate the server presented and
/// the answer, or `None` when no TLS connection could be made.
async fn healthz_over_tls(
    client: &tokio_rustls::TlsConnector,
    port: u16,
) -> Option<(CertificateDer<'static>, String)> {
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .ok()?;
    let name = ServerName::try_from("localhost").unwrap();
    let mut tls = client.connect(name, tcp).await.ok()?;
    let presented = tls.get_ref().1.peer_certificates()?.first()?.clone();
    tls.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .ok()?;
    let mut answer = Vec::new();
    // The answer is whole once the server closes; an unclean end after it changes nothing here.
    let _ = tls.read_to_end(&mut answer).await;
    Some((presented, String::from_utf8_lossy(&answer).into_owned()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_serves_https_only_and_takes_up_a_new_certificate_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let ca = Authority::new();
    let (first, second) = (ca.leaf(1), ca.leaf(2));
    install(&first.cert_pem, &first.key_pem, &cert, &key);
    let mut server = Server::start(
        &[
            "--data-dir".into(),
            dir.path().join("data").into(),
            "--tls-cert".into(),
            cert.clone().into(),
            "--tls-key".into(),
            key.clone().into(),
        ],
        dir.path().join("server.log"),
    );
    server.wait_listening();
    let client = ca.client();
    let port = server.port;

    let (presented, answer) = healthz_over_tls(&client, port).await.expect("TLS works");
    assert_eq!(presented, first.der);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("ok\n"), "{answer}");
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("strict-transport-security: max-age="),
        "{answer}"
    );

    // Plain HTTP to the TLS port gets no HTTP answer.
    let mut plain = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    plain
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut got = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), plain.read_to_end(&mut got)).await;
    assert!(
        !String::from_utf8_lossy(&got).contains("HTTP/"),
        "plain HTTP was answered: {}",
        String::from_utf8_lossy(&got)
    );

    // A new pair written over the files is served to new connections, without a restart.
    install(&second.cert_pem, &second.key_pem, &cert, &key);
    eventually(60, "the second certificate is served", async || {
        healthz_over_tls(&client, port)
            .await
            .is_some_and(|(presented, _)| presented == second.der)
    })
    .await;
    assert!(
        server.log().contains("reloaded the TLS certificate"),
        "{}",
        server.log()
    );

    // A key that does not belong to the certificate is logged, and the pair before keeps serving.
    let stranger = ca.leaf(3);
    install(&second.cert_pem, &stranger.key_pem, &cert, &key);
    eventually(60, "the broken pair is logged", async || {
        server
            .log()
            .contains("could not reload the TLS certificate")
    })
    .await;
    assert!(
        server.log().contains("does not belong to the certificate"),
        "{}",
        server.log()
    );
    let (presented, answer) = healthz_over_tls(&client, port)
        .await
        .expect("still serving");
    assert_eq!(presented, second.der, "the pair before keeps serving");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // So does garbage in place of the certificate.
    std::fs::write(&cert, "not a certificate\n").unwrap();
    eventually(60, "the garbage is logged", async || {
        server.log().contains("holds no PEM certificate")
    })
    .await;
    let (presented, _) = healthz_over_tls(&client, port)
        .await
        .expect("still serving");
    assert_eq!(presented, second.der);
}

#[test]
fn tls_refuses_to_start_with_a_pair_it_cannot_serve_and_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let ca = Authority::new();
    let (leaf, other) = (ca.leaf(1), ca.leaf(2));
    let data = dir.path().join("data");
    let serve = |cert: &Path, key: &Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_safeharbor"))
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(&data)
            .arg("--tls-cert")
            .arg(cert)
            .arg("--tls-key")
            .arg(key)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .output()
            .unwrap();
        assert!(!out.status.success(), "started with a bad pair");
        stderr(&out)
    };
    let key_shown = key.display().to_string();

    install(&leaf.cert_pem, &other.key_pem, &cert, &key);
    let said = serve(&cert, &key);
    assert!(
        said.contains("does not belong to the certificate"),
        "{said}"
    );
    assert!(said.contains(&key_shown), "{said}");

    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let said = serve(&cert, &key);
    assert!(said.contains(&format!("chmod 600 {key_shown}")), "{said}");

    let missing = dir.path().join("missing.pem");
    let said = serve(&cert, &missing);
    assert!(said.contains(&missing.display().to_string()), "{said}");
    assert!(said.contains("could not be read"), "{said}");

    install("garbage\n", &leaf.key_pem, &cert, &key);
    let said = serve(&cert, &key);
    assert!(said.contains("holds no PEM certificate"), "{said}");
    assert!(said.contains(&cert.display().to_string()), "{said}");

    // Both or neither.
    let out = safeharbor(&["serve", "--tls-cert", "cert.pem"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--tls-key"), "{}", stderr(&out));
}
