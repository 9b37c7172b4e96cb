//! Certificate-bound access tokens on every request: a `tower` layer for axum, tonic and
//! hyper servers (RFC 8705 section 3).
//!
//! RFC 8705 section 3: "The protected resource MUST obtain, from its TLS implementation
//! layer, the client certificate used for mutual TLS and MUST verify that the certificate
//! matches the certificate associated with the access token. If they do not match, the
//! resource access attempt MUST be rejected with an error, per \[RFC6750\], using an HTTP 401
//! status code and the `invalid_token` error code."
//!
//! Three pieces, each where the server already has the information:
//!
//! 1. **The connection** — where the server accepts a TLS connection, it builds one
//!    [`PeerConnection`] (peer address, the client certificate's thumbprint hashed once, the
//!    presented chain) and puts it in the extensions of every request on that connection: the
//!    accept adapter `MtlsAcceptor` does it for axum-server and tonic (features `axum-server`,
//!    `tonic`), with a time limit on the handshake.
//! 2. **The token** — the server's own token verification (JWT signature or introspection:
//!    this crate verifies neither) puts the verified claims JSON in the request extensions as
//!    [`TokenClaims`], or the layer reads them with a closure
//!    ([`claims_from`](CertificateBindingLayer::claims_from)).
//! 3. **The check** — [`CertificateBindingLayer`] compares the two under a
//!    [`BindingPolicy`](crate::cnf::BindingPolicy): a request pays for reading the claims and a
//!    32-byte constant-time comparison. On success the [`Binding`](crate::cnf::Binding) is in
//!    the request extensions for the handler; on failure the answer is 401 with the crate's
//!    `WWW-Authenticate` challenge (a gRPC request gets `grpc-status: 16`, UNAUTHENTICATED,
//!    with the challenge in the `www-authenticate` metadata), and the reason goes to the
//!    [`on_reject`](CertificateBindingLayer::on_reject) callback and to `tracing`, never to the
//!    client.
//!
//! Behind a TLS-terminating proxy, the certificate comes from the proxy's header instead,
//! and only for connections from the configured proxy address ranges
//! ([`trusted_proxies`](CertificateBindingLayer::trusted_proxies), one call per proxy
//! source): a request from a trusted proxy is judged by the header alone (the connection's
//! certificate is the proxy's own), any other request by its connection alone (its headers
//! are never read, and `tracing` says that a header was ignored and why). A server that
//! terminates no TLS itself hands the layer the peer address another way
//! ([`peer_addr_from`](CertificateBindingLayer::peer_addr_from): axum's `ConnectInfo`).
//! [`realm`](CertificateBindingLayer::realm) and
//! [`resource_metadata`](CertificateBindingLayer::resource_metadata) go in every challenge.
//!
//! ```
//! use rfc8705::cnf::{Binding, BindingPolicy};
//! use rfc8705::tower::{CertificateBindingLayer, PeerConnection, TokenClaims};
//! use tower::{Layer, Service, ServiceExt};
//! # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//!
//! let handler = tower::service_fn(|req: http::Request<()>| async move {
//!     let binding = req.extensions().get::<Binding>().copied();
//!     Ok::<_, std::convert::Infallible>(http::Response::new(format!("{binding:?}")))
//! });
//! let service = CertificateBindingLayer::new(BindingPolicy::Required)
//!     .resource_metadata("https://rs.example/.well-known/oauth-protected-resource")
//!     .layer(handler);
//!
//! // What the accept loop and the token verification put in each request.
//! let connection = PeerConnection::new("192.0.2.7:50000".parse()?, Some(&der))?;
//! let claims = TokenClaims::new(r#"{"sub":"ty","cnf":{"x5t#S256":"A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"}}"#);
//! let mut request = http::Request::new(());
//! request.extensions_mut().insert(connection.clone());
//! request.extensions_mut().insert(claims);
//! let response = service.clone().oneshot(request).await?;
//! assert_eq!(response.status(), 200);
//! assert!(response.body().starts_with("Some(Bound {"));
//!
//! // A token bound to another certificate: 401, and nothing about why.
//! let mut request = http::Request::new(());
//! request.extensions_mut().insert(connection);
//! request.extensions_mut().insert(TokenClaims::new(r#"{"cnf":{"x5t#S256":"bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg4"}}"#));
//! let response = service.oneshot(request).await?;
//! assert_eq!(response.status(), 401);
//! assert_eq!(
//!     response.headers()["www-authenticate"],
//!     r#"Bearer error="invalid_token", error_description="The access token is bound to a different certificate", resource_metadata="https://rs.example/.well-known/oauth-protected-resource""#
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```

use alloc::sync::Arc;
use core::net::SocketAddr;

use rustls_pki_types::CertificateDer;

use crate::cert::CertificateError;
use crate::thumbprint::Thumbprint;

#[cfg(any(feature = "axum-server", feature = "tonic"))]
mod accept;
#[cfg(feature = "axum-server")]
mod accept_axum;
#[cfg(feature = "tonic")]
mod accept_tonic;
mod layer;
mod response;
#[cfg(test)]
mod tests;

#[cfg(any(feature = "axum-server", feature = "tonic"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "axum-server", feature = "tonic"))))]
pub use accept::{Accepted, MtlsAcceptor};
pub use layer::{CertificateBinding, CertificateBindingLayer, ResponseFuture};

/// The TLS connection a request came on: the peer's address, the thumbprint of the client
/// certificate it presented (computed once, when the connection is accepted) and the
/// certificates it presented, leaf first, for the token endpoint's chain validation. The accept
/// adapters (`MtlsAcceptor`, features `axum-server` and `tonic`) put it in the extensions of
/// every request on the connection; elsewhere, make it where the connection is accepted and
/// insert it yourself. [`CertificateBindingLayer`] reads it.
///
/// Cloning it is cheap: the chain is shared.
///
/// ```
/// use rfc8705::tower::PeerConnection;
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
/// let conn = PeerConnection::new("[2001:db8::1]:443".parse()?, Some(&der))?;
/// assert_eq!(conn.thumbprint().map(|t| t.to_string()).as_deref(), Some("A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"));
/// assert_eq!(conn.peer_addr(), "[2001:db8::1]:443".parse()?);
/// let anonymous = PeerConnection::new("192.0.2.1:5000".parse()?, None)?;
/// assert!(anonymous.thumbprint().is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct PeerConnection {
    addr: SocketAddr,
    thumbprint: Option<Thumbprint>,
    chain: Option<Arc<[CertificateDer<'static>]>>,
}

impl PeerConnection {
    /// The connection from `addr` (the TCP peer) that presented the leaf certificate
    /// `client_certificate` (DER), or none; it holds no chain. Hashes the certificate: call it
    /// once per connection, not per request. Fails when the bytes are not one DER `SEQUENCE`.
    pub fn new(
        addr: SocketAddr,
        client_certificate: Option<&[u8]>,
    ) -> Result<Self, CertificateError> {
        let thumbprint = client_certificate.map(Thumbprint::from_der).transpose()?;
        Ok(Self {
            addr,
            thumbprint,
            chain: None,
        })
    }

    /// The connection of a finished rustls handshake: pass `ServerConnection` (with
    /// tokio-rustls, `tls_stream.get_ref().1`). The leaf of `peer_certificates()` is the
    /// client certificate; the whole chain is kept for
    /// [`peer_certificates`](Self::peer_certificates).
    ///
    /// ```no_run
    /// # async fn accept(listener: tokio::net::TcpListener, acceptor: tokio_rustls::TlsAcceptor) -> Result<(), Box<dyn std::error::Error>> {
    /// use rfc8705::tower::PeerConnection;
    /// let (tcp, addr) = listener.accept().await?;
    /// let tls = acceptor.accept(tcp).await?;
    /// let connection = PeerConnection::from_rustls(addr, tls.get_ref().1)?;
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "rustls")]
    #[cfg_attr(docsrs, doc(cfg(feature = "rustls")))]
    pub fn from_rustls(
        addr: SocketAddr,
        connection: &::rustls::CommonState,
    ) -> Result<Self, CertificateError> {
        let chain = connection.peer_certificates();
        let leaf = chain.and_then(|chain| chain.first());
        let mut this = Self::new(addr, leaf.map(|c| c.as_ref()))?;
        this.chain = chain.map(Arc::from);
        Ok(this)
    }

    /// The address of the TCP peer: the client, or the proxy in front of it.
    pub fn peer_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The `x5t#S256` of the client certificate on the connection, if one was presented.
    pub fn thumbprint(&self) -> Option<Thumbprint> {
        self.thumbprint
    }

    /// The certificates the client presented in the handshake, leaf first, as rustls'
    /// `peer_certificates()` gave them: what the token endpoint hands to
    /// [`MtlsClientAuth::validate_chain`](crate::client_auth::MtlsClientAuth::validate_chain).
    /// `None` when the client presented none, or the connection was made with
    /// [`new`](Self::new).
    pub fn peer_certificates(&self) -> Option<&[CertificateDer<'static>]> {
        self.chain.as_deref()
    }
}

impl core::fmt::Debug for PeerConnection {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PeerConnection")
            .field("addr", &self.addr)
            .field("thumbprint", &self.thumbprint)
            .field("chain_len", &self.chain.as_ref().map(|c| c.len()))
            .finish()
    }
}

/// The verified claims of the request's access token, as JSON: the JWT payload after its
/// signature was verified, or the introspection response (RFC 7662). The server's token
/// verification inserts it in the request extensions; [`CertificateBindingLayer`] reads
/// `cnf` from it.
///
/// When the request carried a DPoP proof that the server verified (RFC 9449 section 4.3:
/// signature, `htm`, `htu`, `iat`, `ath`, nonce; this crate checks none of them), the same
/// step records the proof key's RFC 7638 thumbprint with
/// [`with_dpop_jkt`](Self::with_dpop_jkt), and a token bound by `jkt` is checked against it.
/// Without it, a `jkt`-bound token is refused: no downgrade to the certificate alone.
///
/// ```
/// use rfc8705::tower::TokenClaims;
/// let claims = TokenClaims::new(br#"{"active":true,"cnf":{"x5t#S256":"A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"}}"#.to_vec());
/// # let _ = claims;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenClaims {
    json: Arc<[u8]>,
    dpop_jkt: Option<Thumbprint>,
}

impl TokenClaims {
    /// Wraps the claims JSON (`Vec<u8>`, `String`, `&str`, `Arc<[u8]>`, ...).
    pub fn new(json: impl AsRef<[u8]>) -> Self {
        Self {
            json: Arc::from(json.as_ref()),
            dpop_jkt: None,
        }
    }

    /// Records the thumbprint of the key of the request's verified DPoP proof.
    ///
    /// ```
    /// use rfc8705::jwk;
    /// use rfc8705::tower::TokenClaims;
    /// let proof_key = serde_json::json!({"kty":"EC","crv":"P-256",
    ///     "x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs",
    ///     "y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"});
    /// let claims = TokenClaims::new(r#"{"cnf":{"jkt":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}}"#)
    ///     .with_dpop_jkt(jwk::thumbprint(&proof_key)?);
    /// # let _ = claims;
    /// # Ok::<(), rfc8705::jwk::JwkProblem>(())
    /// ```
    pub fn with_dpop_jkt(mut self, jkt: Thumbprint) -> Self {
        self.dpop_jkt = Some(jkt);
        self
    }
}
