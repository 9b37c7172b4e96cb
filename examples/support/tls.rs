//! The HTTPS server plumbing shared by the authorization server and the resource server: TLS
//! configurations, and axum-server with the crate's `MtlsAcceptor`, which bounds handshakes
//! and request headers in time and hands each request what the connection's handshake
//! established: the crate's [`PeerConnection`](rfc8705::tower::PeerConnection) (peer address and certificate thumbprint for
//! `CertificateBindingLayer`, the whole client chain for the authorization server's client
//! authentication).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum_server::Handle;
use rfc8705::tower::MtlsAcceptor;
use rustls::ServerConfig;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::danger::ClientCertVerifier;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

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

/// The servers' time limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long a client may take to complete the TLS handshake.
    pub handshake_timeout: Duration,
    /// How long a client may take to send request headers (the first request's included).
    pub header_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            handshake_timeout: Duration::from_secs(10),
            header_timeout: Duration::from_secs(10),
        }
    }
}

/// A server running in the background.
pub struct Running {
    /// The address it listens on.
    pub addr: SocketAddr,
    handle: Handle<SocketAddr>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Stops accepting, closes open connections and waits for the server to end.
    pub async fn shutdown(self) {
        self.handle.shutdown();
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

/// Serves `app` over TLS on `listener` in a background task, with axum-server and the crate's
/// `MtlsAcceptor`: the handshake within `limits.handshake_timeout`, and the connection's
/// [`PeerConnection`](rfc8705::tower::PeerConnection) (peer, thumbprint, client chain) in every request's extensions.
pub fn spawn(
    listener: TcpListener,
    tls: Arc<ServerConfig>,
    app: Router,
    limits: Limits,
) -> std::io::Result<Running> {
    let addr = listener.local_addr()?;
    let handle = Handle::new();
    let mut server = axum_server::Server::<SocketAddr>::from_listener(listener)
        .acceptor(MtlsAcceptor::new(tls, limits.handshake_timeout))
        .handle(handle.clone())
        .first_request_timeout(limits.header_timeout)
        .accept_error_handler(|peer, e| eprintln!("connection from {peer:?}: {e}"));
    server
        .http_builder()
        .http1()
        .header_read_timeout(limits.header_timeout);
    let task = tokio::spawn(server.serve(app.into_make_service()));
    Ok(Running { addr, handle, task })
}
