//! The accept side of a mutual-TLS server (features `axum-server` and `tonic`): the TLS
//! handshake under a time limit, then the connection's [`PeerConnection`], made once, for
//! every request on it.

use alloc::sync::Arc;
use core::net::SocketAddr;
use core::task::{Context, Poll};
use core::time::Duration;
use std::io;

use ::rustls::ServerConfig;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_rustls::server::TlsStream;

use super::PeerConnection;

/// Accepts mutual-TLS connections for the servers people run, with the rustls configuration
/// of the server (its certificate, and the client-certificate verifier:
/// [`PossessionOnlyVerifier`](crate::rustls::PossessionOnlyVerifier) for a resource server or
/// a token endpoint).
///
/// For each TCP connection it completes the TLS handshake within `handshake_timeout` (a client
/// that stalls is disconnected when the time is up), hashes the client certificate once into
/// a [`PeerConnection`] (peer address, thumbprint, the presented chain) and puts that in the
/// extensions of every request on the connection, where [`CertificateBindingLayer`] and the
/// handlers read it. A failed or timed-out handshake closes that connection only; the server
/// goes on accepting.
///
/// * **axum-server** (feature `axum-server`): pass it to `Server::acceptor`; it implements
///   axum-server's `Accept` for TCP connections.
/// * **tonic** (feature `tonic`): [`incoming`](Self::incoming) turns a listener into the
///   stream of accepted connections that `Server::serve_with_incoming` takes; tonic puts the
///   [`PeerConnection`] in every request as the connection's connect info.
///
/// The servers' own limits still apply: axum-server's `first_request_timeout` and hyper's
/// header read timeout (`http_builder`), tonic's `timeout` and
/// `concurrency_limit_per_connection`.
///
/// [`CertificateBindingLayer`]: super::CertificateBindingLayer
///
/// ```
/// use std::{sync::Arc, time::Duration};
/// use rfc8705::rustls::PossessionOnlyVerifier;
/// use rfc8705::tower::MtlsAcceptor;
/// # let key = rcgen::KeyPair::generate().unwrap();
/// # let cert = rcgen::CertificateParams::new(vec!["localhost".into()]).unwrap().self_signed(&key).unwrap();
/// # let (server_chain, server_key) = (vec![cert.der().clone()],
/// #     rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()));
///
/// let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
/// let tls = rustls::ServerConfig::builder_with_provider(provider.clone())
///     .with_safe_default_protocol_versions()?
///     .with_client_cert_verifier(PossessionOnlyVerifier::mandatory(provider))
///     .with_single_cert(server_chain, server_key)?;
/// let acceptor = MtlsAcceptor::new(Arc::new(tls), Duration::from_secs(10));
/// # let _ = acceptor;
/// # Ok::<(), rustls::Error>(())
/// ```
#[derive(Clone)]
pub struct MtlsAcceptor {
    tls: tokio_rustls::TlsAcceptor,
    handshake_timeout: Duration,
}

impl MtlsAcceptor {
    /// Accepts connections with the server configuration `tls`; a handshake that is not
    /// complete `handshake_timeout` after the TCP connection was accepted is abandoned and the
    /// connection closed (10 seconds is a common choice). For HTTP, set `tls.alpn_protocols`
    /// (`h2`, `http/1.1`) as the server needs.
    pub fn new(tls: Arc<ServerConfig>, handshake_timeout: Duration) -> Self {
        Self {
            tls: tokio_rustls::TlsAcceptor::from(tls),
            handshake_timeout,
        }
    }

    /// The handshake with the client at `addr`, within the time limit, and its connection.
    pub(crate) async fn handshake<IO>(
        &self,
        tcp: IO,
        addr: SocketAddr,
    ) -> io::Result<(TlsStream<IO>, PeerConnection)>
    where
        IO: AsyncRead + AsyncWrite + Unpin,
    {
        let tls = tokio::time::timeout(self.handshake_timeout, self.tls.accept(tcp))
            .await
            .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "TLS handshake timed out"))??;
        let connection = PeerConnection::from_rustls(addr, tls.get_ref().1)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        Ok((tls, connection))
    }
}

impl core::fmt::Debug for MtlsAcceptor {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MtlsAcceptor")
            .field("handshake_timeout", &self.handshake_timeout)
            .finish_non_exhaustive()
    }
}

/// What [`MtlsAcceptor`] hands the server for one accepted connection: `T` with the
/// connection's [`PeerConnection`].
///
/// * For axum-server, `T` is the connection's service, and `Accepted` inserts the
///   `PeerConnection` in the extensions of every request before passing it on.
/// * For tonic, `T` is the TLS stream; `Accepted` reads and writes through it and gives
///   tonic the `PeerConnection` as its connect info, which tonic inserts in every request.
#[derive(Clone, Debug)]
pub struct Accepted<T> {
    pub(crate) inner: T,
    pub(crate) connection: PeerConnection,
}

impl<T, B> tower_service::Service<http::Request<B>> for Accepted<T>
where
    T: tower_service::Service<http::Request<B>>,
{
    type Response = T::Response;
    type Error = T::Error;
    type Future = T::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<B>) -> Self::Future {
        // The same for every request on this connection: a reference count, no hashing.
        request.extensions_mut().insert(self.connection.clone());
        self.inner.call(request)
    }
}
