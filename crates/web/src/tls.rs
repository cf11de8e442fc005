//! Built-in TLS (rustls, with ring as the crypto provider; TLS 1.2 and 1.3, HTTP/1.1): the
//! certificate chain and its private key come from two PEM files, and a new pair is taken up
//! without a restart (`Certificates::keep_reloading`) for every connection made after it. A pair
//! that cannot be used (unreadable, not PEM, a key that does not belong to the certificate) is
//! refused at start with an error naming the file; later, it is logged and the pair before it
//! keeps serving.

use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

/// How often the two files are checked for a new pair.
pub const POLL: Duration = Duration::from_secs(2);

/// How long a client has to finish its handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The two files a certificate is served from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// The certificate chain, the server's own certificate first (certbot's `fullchain.pem`).
    pub cert: PathBuf,
    /// Its private key (certbot's `privkey.pem`), readable by its owner only.
    pub key: PathBuf,
}

/// Why a pair of files cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("the TLS file {path} could not be read: {source}")]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the TLS key file {path} can be read by other users (mode {mode:o}); run `chmod 600 {path}` \
         (and make the server's user its owner)"
    )]
    TooOpen { path: PathBuf, mode: u32 },
    #[error(
        "the TLS certificate file {path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
    )]
    NoCertificate { path: PathBuf },
    #[error("the TLS key file {path} holds no PEM private key (-----BEGIN ... PRIVATE KEY-----)")]
    NoKey { path: PathBuf },
    #[error("the TLS key file {path} holds a private key that cannot be used: {problem}")]
    BadKey {
        path: PathBuf,
        problem: rustls::Error,
    },
    #[error(
        "the TLS key file {key} does not belong to the certificate in {cert} (its public key is not the certificate's)"
    )]
    Mismatch { cert: PathBuf, key: PathBuf },
    #[error("the TLS certificate in {path} cannot be used: {problem}")]
    BadCertificate {
        path: PathBuf,
        problem: rustls::Error,
    },
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn read(path: &Path) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|source| TlsError::Unreadable {
        path: path.to_owned(),
        source,
    })
}

impl TlsFiles {
    /// Reads and checks the pair: a chain, a key only its owner can read, and the key belonging
    /// to the chain's first certificate.
    pub fn load(&self) -> Result<Arc<CertifiedKey>, TlsError> {
        let open = crypto::keyfile::readable_by_others(&self.key).map_err(|source| {
            TlsError::Unreadable {
                path: self.key.clone(),
                source,
            }
        })?;
        if let Some(mode) = open {
            return Err(TlsError::TooOpen {
                path: self.key.clone(),
                mode,
            });
        }
        let chain = CertificateDer::pem_slice_iter(&read(&self.cert)?)
            .collect::<Result<Vec<_>, _>>()
            .ok()
            .filter(|chain| !chain.is_empty())
            .ok_or_else(|| TlsError::NoCertificate {
                path: self.cert.clone(),
            })?;
        let key =
            PrivateKeyDer::from_pem_slice(&read(&self.key)?).map_err(|_| TlsError::NoKey {
                path: self.key.clone(),
            })?;
        let signing_key = provider()
            .key_provider
            .load_private_key(key)
            .map_err(|problem| TlsError::BadKey {
                path: self.key.clone(),
                problem,
            })?;
        let certified = CertifiedKey::new(chain, signing_key);
        match certified.keys_match() {
            Ok(()) => Ok(Arc::new(certified)),
            Err(rustls::Error::InconsistentKeys(rustls::InconsistentKeys::KeyMismatch)) => {
                Err(TlsError::Mismatch {
                    cert: self.cert.clone(),
                    key: self.key.clone(),
                })
            }
            // A key type whose public half rustls cannot compare: the handshake will tell.
            Err(rustls::Error::InconsistentKeys(rustls::InconsistentKeys::Unknown)) => {
                Ok(Arc::new(certified))
            }
            Err(problem) => Err(TlsError::BadCertificate {
                path: self.cert.clone(),
                problem,
            }),
        }
    }

    /// What the files are now (modified time, size and inode of each, following symbolic links as
    /// certbot's `live/` folder has them), to notice a new pair without reading it.
    fn stamp(&self) -> Option<[(SystemTime, u64, u64); 2]> {
        use std::os::unix::fs::MetadataExt;
        let of = |path: &Path| {
            let meta = std::fs::metadata(path).ok()?;
            Some((meta.modified().ok()?, meta.len(), meta.ino()))
        };
        Some([of(&self.cert)?, of(&self.key)?])
    }
}

/// The pair being served, swapped whole for new connections when the files change.
#[derive(Debug)]
pub struct Certificates {
    files: TlsFiles,
    current: RwLock<Arc<CertifiedKey>>,
}

impl ResolvesServerCert for Certificates {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(
            self.current
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .clone(),
        )
    }
}

impl Certificates {
    /// Loads the pair; an error names the file and what is wrong with it.
    pub fn load(files: TlsFiles) -> Result<Arc<Self>, TlsError> {
        let current = RwLock::new(files.load()?);
        Ok(Arc::new(Self { files, current }))
    }

    pub fn files(&self) -> &TlsFiles {
        &self.files
    }

    /// Loads the pair again and serves it from the next connection on; on an error the pair
    /// before keeps serving.
    pub fn reload(&self) -> Result<(), TlsError> {
        let fresh = self.files.load()?;
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = fresh;
        Ok(())
    }

    /// The server's TLS settings: TLS 1.3 and 1.2, HTTP/1.1, this pair.
    pub fn server_config(self: &Arc<Self>) -> Result<Arc<rustls::ServerConfig>, rustls::Error> {
        let mut config = rustls::ServerConfig::builder_with_provider(provider())
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])?
            .with_no_client_auth()
            .with_cert_resolver(self.clone());
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }

    /// Reloads the pair whenever the files change (checked every `poll`; a change is taken up
    /// once the files have stayed the same for one more check, so a pair being copied in is not
    /// read half-written) and on SIGHUP. Runs until the process ends.
    pub async fn keep_reloading(self: Arc<Self>, poll: Duration) {
        #[cfg(unix)]
        let mut hangup = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
        {
            Ok(signal) => Some(signal),
            Err(err) => {
                tracing::warn!(error = %err, "cannot reload the TLS certificate on SIGHUP; watching its files only");
                None
            }
        };
        let mut served = self.files.stamp();
        let mut seen = served;
        let mut ticks = tokio::time::interval(poll);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            #[cfg(unix)]
            let asked = async {
                match hangup.as_mut() {
                    Some(signal) => signal.recv().await,
                    None => std::future::pending().await,
                }
            };
            #[cfg(not(unix))]
            let asked = std::future::pending::<Option<()>>();
            let now = tokio::select! {
                _ = ticks.tick() => {
                    let now = self.files.stamp();
                    // Changed since the pair served, and settled since the last look.
                    let ready = now != served && now == seen;
                    seen = now;
                    if !ready {
                        continue;
                    }
                    now
                }
                _ = asked => self.files.stamp(),
            };
            served = now;
            self.reload_and_say();
        }
    }

    fn reload_and_say(&self) {
        match self.reload() {
            Ok(()) => tracing::info!(
                cert = %self.files.cert.display(),
                key = %self.files.key.display(),
                "reloaded the TLS certificate; new connections get the new one"
            ),
            Err(err) => tracing::error!(
                problem = %err,
                "could not reload the TLS certificate; still serving the one before"
            ),
        }
    }
}

/// A listener that hands over connections once their TLS handshake is done. Handshakes run apart
/// from accepting, each with a time limit, so a client that stalls holds up no one else.
#[derive(Debug)]
pub struct TlsListener {
    done: mpsc::Receiver<(TlsStream<TcpStream>, std::net::SocketAddr)>,
    local: std::net::SocketAddr,
}

impl TlsListener {
    pub fn new(mut tcp: TcpListener, config: Arc<rustls::ServerConfig>) -> std::io::Result<Self> {
        let local = tcp.local_addr()?;
        let acceptor = TlsAcceptor::from(config);
        let (sender, done) = mpsc::channel(64);
        tokio::spawn(async move {
            loop {
                // axum's accept: retries and waits out errors such as running out of files.
                let (stream, peer) = tokio::select! {
                    accepted = axum::serve::Listener::accept(&mut tcp) => accepted,
                    // The server stopped listening: let go of the port.
                    () = sender.closed() => return,
                };
                let acceptor = acceptor.clone();
                let sender = sender.clone();
                tokio::spawn(async move {
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                        Ok(Ok(tls)) => {
                            let _ = sender.send((tls, peer)).await;
                        }
                        Ok(Err(err)) => {
                            tracing::debug!(error = %err, "TLS handshake failed")
                        }
                        Err(_) => tracing::debug!("TLS handshake timed out"),
                    }
                });
            }
        });
        Ok(Self { done, local })
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.done.recv().await {
            Some(accepted) => accepted,
            // The accepting task ends only once this listener is gone.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}
