//! The HTTPS server plumbing shared by the authorization server and the resource server: TLS
//! configurations, and the one accept loop of the examples, which bounds handshakes in time and
//! connections in number, and hands each request what the connection's handshake established:
//! the crate's [`PeerConnection`] (for `CertificateBindingLayer`) and the [`Connection`] with
//! the whole client chain (for the authorization server's client authentication).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use rfc8705::tower::PeerConnection;
use rustls::ServerConfig;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::danger::ClientCertVerifier;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, oneshot};
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;
use tower::ServiceExt;

/// The one crypto provider of the examples.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// Reads a PEM certificate chain.
pub fn load_chain(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, String> {
    CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("certificate PEM: {e}"))
}

/// Reads a PEM private key.
pub fn load_key(pem: &[u8]) -> Result<PrivateKeyDer<'static>, String> {
    PrivateKeyDer::from_pem_slice(pem).map_err(|e| format!("private key PEM: {e}"))
}

/// A server configuration for HTTP/1.1 with the given client-certificate verifier.
pub fn server_config(
    cert_pem: &[u8],
    key_pem: &[u8],
    verifier: Arc<dyn ClientCertVerifier>,
) -> Result<Arc<ServerConfig>, String> {
    let mut config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_client_cert_verifier(verifier)
        .with_single_cert(load_chain(cert_pem)?, load_key(key_pem)?)
        .map_err(|e| e.to_string())?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// What a handler knows about the connection its request came on.
#[derive(Debug, Clone)]
pub struct Connection {
    /// The immediate peer (a client, or a proxy).
    pub peer: SocketAddr,
    /// The certificates the client presented, leaf first; empty when it presented none.
    pub client_chain: Arc<Vec<CertificateDer<'static>>>,
}

impl Connection {
    /// The client's leaf certificate DER, if it presented one.
    pub fn leaf_der(&self) -> Option<&[u8]> {
        self.client_chain.first().map(|c| c.as_ref())
    }
}

/// Limits that make the servers safe to copy.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long a client may take to complete the TLS handshake.
    pub handshake_timeout: Duration,
    /// How long a client may take to send request headers.
    pub header_timeout: Duration,
    /// Connections served at once; further connections are closed at once.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            handshake_timeout: Duration::from_secs(10),
            header_timeout: Duration::from_secs(10),
            max_connections: 256,
        }
    }
}

/// A server running in the background.
pub struct Running {
    /// The address it listens on.
    pub addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Running {
    /// Stops accepting, closes open connections and waits for the accept loop to end.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

/// Binds a listener on 127.0.0.1 (`port` 0 picks a free one).
pub async fn bind(port: u16) -> std::io::Result<TcpListener> {
    TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await
}

/// The `https://127.0.0.1:PORT` base URL of a listener.
pub fn base_url(listener: &TcpListener) -> std::io::Result<String> {
    Ok(format!("https://{}", listener.local_addr()?))
}

/// Serves `app` over TLS on `listener` in a background task. Every request carries the
/// connection's [`PeerConnection`] and [`Connection`] in its extensions.
pub fn spawn(
    listener: TcpListener,
    tls: Arc<ServerConfig>,
    app: Router,
    limits: Limits,
) -> std::io::Result<Running> {
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel();
    let task = tokio::spawn(accept_loop(listener, tls, app, limits, stopped));
    Ok(Running { addr, stop, task })
}

async fn accept_loop(
    listener: TcpListener,
    tls: Arc<ServerConfig>,
    app: Router,
    limits: Limits,
    mut stopped: oneshot::Receiver<()>,
) {
    let acceptor = TlsAcceptor::from(tls);
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let mut connections = JoinSet::new();
    loop {
        let (tcp, peer) = tokio::select! {
            _ = &mut stopped => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    eprintln!("accept: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        // Over the limit: close the connection rather than queue it.
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            drop(tcp);
            continue;
        };
        let acceptor = acceptor.clone();
        let app = app.clone();
        connections.spawn(async move {
            let _slot = slot;
            let Some((tls, peer_connection)) =
                handshake(&acceptor, tcp, peer, limits.handshake_timeout).await
            else {
                return;
            };
            // The whole chain too, for the authorization server's chain validation.
            let client_chain = (tls.get_ref().1)
                .peer_certificates()
                .map(|chain| chain.iter().map(|c| c.clone().into_owned()).collect())
                .unwrap_or_default();
            let conn = Connection {
                peer,
                client_chain: Arc::new(client_chain),
            };
            let service = hyper::service::service_fn(move |mut request: http::Request<_>| {
                // The same for every request on this connection.
                request.extensions_mut().insert(peer_connection);
                request.extensions_mut().insert(conn.clone());
                app.clone().oneshot(request.map(axum::body::Body::new))
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .serve_connection(TokioIo::new(tls), service)
                .await;
        });
    }
    // Dropping the set aborts the connections still open.
    connections.shutdown().await;
}

/// The accept step of every server of the examples (HTTPS and gRPC): the TLS handshake within
/// `timeout`, then, once per connection, the [`PeerConnection`] (the peer and its certificate's
/// thumbprint) that `CertificateBindingLayer` reads from each request. `None`, logged, when
/// either fails.
pub async fn handshake(
    acceptor: &TlsAcceptor,
    tcp: TcpStream,
    peer: SocketAddr,
    timeout: Duration,
) -> Option<(TlsStream<TcpStream>, PeerConnection)> {
    let tls = match tokio::time::timeout(timeout, acceptor.accept(tcp)).await {
        Ok(Ok(tls)) => tls,
        Ok(Err(e)) => {
            eprintln!("TLS handshake with {peer} failed: {e}");
            return None;
        }
        Err(_) => {
            eprintln!("TLS handshake with {peer} timed out");
            return None;
        }
    };
    match PeerConnection::from_rustls(peer, tls.get_ref().1) {
        Ok(connection) => Some((tls, connection)),
        Err(e) => {
            eprintln!("client certificate of {peer}: {e}");
            None
        }
    }
}
