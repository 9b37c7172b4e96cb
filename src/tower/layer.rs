//! The layer, its service and its response future.

use alloc::borrow::Cow;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use http::{Extensions, Request, Response};
use ipnet::IpNet;

use super::{PeerConnection, TokenClaims, response};
use crate::challenge::Challenge;
use crate::cnf::{Binding, BindingPolicy, Claims, ResourceError, check_binding_with};
use crate::proxy::TrustedProxy;
use crate::proxy::http::ForwardedHeader;
use crate::thumbprint::Thumbprint;

type ClaimsFn = dyn for<'a> Fn(&'a Extensions) -> Option<Claims<'a>> + Send + Sync;
type RejectFn = dyn Fn(&ResourceError) + Send + Sync;

/// A [`tower_layer::Layer`] that enforces certificate-bound access tokens on every request
/// (see [the module](super) for what it reads and answers).
///
/// Put it after (inside) the token verification, so that the claims are in the request when
/// it runs. Cloning is cheap (the configuration is shared). With axum, add both in one
/// `route_layer` (a `tower::ServiceBuilder`, token verification first): each `layer` or
/// `route_layer` call boxes the routes once more, which every request pays for (a few
/// allocations, more than this layer's check).
#[derive(Clone)]
pub struct CertificateBindingLayer {
    config: Arc<Config>,
}

#[derive(Clone)]
struct Config {
    policy: BindingPolicy,
    proxies: Vec<IpNet>,
    forwarded: Option<ForwardedHeader>,
    claims: Option<Arc<ClaimsFn>>,
    resource_metadata: Option<Cow<'static, str>>,
    on_reject: Option<Arc<RejectFn>>,
}

impl CertificateBindingLayer {
    /// Enforces `policy`, with the certificate of the [`PeerConnection`] and the claims of the
    /// [`TokenClaims`] in the request extensions.
    ///
    /// ```
    /// use rfc8705::{cnf::BindingPolicy, tower::CertificateBindingLayer};
    /// let layer = CertificateBindingLayer::new("required".parse::<BindingPolicy>()?);
    /// # let _ = layer;
    /// # Ok::<(), rfc8705::cnf::UnknownPolicy>(())
    /// ```
    pub fn new(policy: BindingPolicy) -> Self {
        Self {
            config: Arc::new(Config {
                policy,
                proxies: Vec::new(),
                forwarded: None,
                claims: None,
                resource_metadata: None,
                on_reject: None,
            }),
        }
    }

    fn with(mut self, change: impl FnOnce(&mut Config)) -> Self {
        change(Arc::make_mut(&mut self.config));
        self
    }

    /// Requests from a peer address within `proxies` (CIDR ranges: `10.0.0.0/8`,
    /// `2001:db8::/32`, or one address as `/32` or `/128`) come through the TLS-terminating
    /// proxy: their certificate is read from `header`, never from the connection. Requests
    /// from any other address are judged by their connection's certificate, and their
    /// headers are never read. Every format works here, the hash-only `xfcc-hash` and
    /// `fingerprint` included: the check needs the certificate's thumbprint alone.
    ///
    /// RFC 9440 section 4: "backend servers MUST only accept the Client-Cert and
    /// Client-Cert-Chain header fields from a trusted TTRP". An IPv4-mapped IPv6 peer
    /// (`::ffff:10.0.0.2`) is compared as the IPv4 address.
    ///
    /// ```
    /// use rfc8705::{cnf::BindingPolicy, tower::CertificateBindingLayer};
    /// use rfc8705::proxy::{ProxyFormat, http::ForwardedHeader};
    ///
    /// let envoy = ForwardedHeader::standard(ProxyFormat::Xfcc).expect("Envoy names its header");
    /// let layer = CertificateBindingLayer::new(BindingPolicy::Required)
    ///     .trusted_proxies(["10.1.0.0/16".parse()?, "fd00::/8".parse()?], envoy);
    /// # let _ = layer;
    /// # Ok::<(), ipnet::AddrParseError>(())
    /// ```
    pub fn trusted_proxies(
        self,
        proxies: impl IntoIterator<Item = IpNet>,
        header: ForwardedHeader,
    ) -> Self {
        let proxies: Vec<IpNet> = proxies.into_iter().collect();
        self.with(|c| {
            c.proxies = proxies;
            c.forwarded = Some(header);
        })
    }

    /// Reads the verified claims from the request extensions with `claims` instead of from
    /// [`TokenClaims`]: for a token verification that stores its own type, as JSON or as
    /// deserialized claims whose `cnf` is a [`Confirmation`](crate::Confirmation). `None`
    /// means the request has no verified claims.
    ///
    /// ```
    /// use rfc8705::cnf::{BindingPolicy, Claims, Confirmation};
    /// use rfc8705::tower::CertificateBindingLayer;
    ///
    /// #[derive(Clone)]
    /// struct Introspected { raw: Vec<u8> }
    /// let layer = CertificateBindingLayer::new(BindingPolicy::IfBound)
    ///     .claims_from(|ext| ext.get::<Introspected>().map(|i| Claims::Json(&i.raw)));
    ///
    /// #[derive(Clone, serde::Deserialize)]
    /// struct AccessToken { sub: String, cnf: Option<Confirmation> }
    /// let layer = CertificateBindingLayer::new(BindingPolicy::IfBound)
    ///     .claims_from(|ext| ext.get::<AccessToken>().map(|t| Claims::Cnf(t.cnf.as_ref())));
    /// # let _ = layer;
    /// ```
    pub fn claims_from<F>(self, claims: F) -> Self
    where
        F: for<'a> Fn(&'a Extensions) -> Option<Claims<'a>> + Send + Sync + 'static,
    {
        self.with(|c| c.claims = Some(Arc::new(claims)))
    }

    /// Adds `resource_metadata`, the URL of the resource's RFC 9728 metadata, to every
    /// challenge (RFC 9728 section 5.1).
    pub fn resource_metadata(self, url: impl Into<Cow<'static, str>>) -> Self {
        let url = url.into();
        self.with(|c| c.resource_metadata = Some(url))
    }

    /// Calls `on_reject` with the reason of every refusal, for the server's log (the client
    /// sees only the challenge). Each refusal is also a `tracing` event at `INFO` level, target
    /// `rfc8705::tower`. A request without verified claims is not a binding failure: it is
    /// answered like a request without a token (`Bearer`, no error code) and logged at `WARN`,
    /// since token verification should have refused it first.
    ///
    /// ```
    /// use rfc8705::{cnf::BindingPolicy, tower::CertificateBindingLayer};
    /// let layer = CertificateBindingLayer::new(BindingPolicy::Required)
    ///     .on_reject(|reason| eprintln!("bound token refused: {reason}"));
    /// # let _ = layer;
    /// ```
    pub fn on_reject<F>(self, on_reject: F) -> Self
    where
        F: Fn(&ResourceError) + Send + Sync + 'static,
    {
        self.with(|c| c.on_reject = Some(Arc::new(on_reject)))
    }
}

impl fmt::Debug for CertificateBindingLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.config;
        f.debug_struct("CertificateBindingLayer")
            .field("policy", &c.policy)
            .field("proxies", &c.proxies)
            .field("forwarded", &c.forwarded)
            .field("claims_from", &c.claims.is_some())
            .finish_non_exhaustive()
    }
}

impl<S> tower_layer::Layer<S> for CertificateBindingLayer {
    type Service = CertificateBinding<S>;
    fn layer(&self, inner: S) -> Self::Service {
        CertificateBinding {
            inner,
            config: self.config.clone(),
        }
    }
}

/// The service of [`CertificateBindingLayer`]: checks the request, then calls `S` with the
/// [`Binding`] in the request extensions, or answers the refusal itself.
#[derive(Clone)]
pub struct CertificateBinding<S> {
    inner: S,
    config: Arc<Config>,
}

impl<S: fmt::Debug> fmt::Debug for CertificateBinding<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CertificateBinding")
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

/// Why a request is refused.
enum Refusal {
    /// The token, the certificate or the forwarded header: an RFC 8705 `invalid_token`.
    Resource(ResourceError),
    /// No verified claims in the request: the request did not pass token verification, so it
    /// is answered like a request without a token (RFC 6750 section 3.1: "If the request lacks
    /// any authentication information [...] the resource server SHOULD NOT include an error
    /// code").
    NoClaims,
}

impl Config {
    fn check(
        &self,
        extensions: &Extensions,
        headers: &http::HeaderMap,
    ) -> Result<Binding, Refusal> {
        if self.policy == BindingPolicy::Off {
            return Ok(Binding::Skipped);
        }
        let presented = self.presented(extensions, headers)?;
        let token = extensions.get::<TokenClaims>();
        let claims = match &self.claims {
            Some(read) => read(extensions),
            None => token.map(|c| Claims::Json(&c.json)),
        };
        let claims = claims.ok_or(Refusal::NoClaims)?;
        let dpop_jkt = token.and_then(|c| c.dpop_jkt.as_ref());
        check_binding_with(self.policy, claims, || presented, dpop_jkt).map_err(Refusal::Resource)
    }

    /// The certificate of the request: the forwarded one when the peer is a trusted proxy,
    /// else the connection's. Without a [`PeerConnection`] there is neither.
    fn presented(
        &self,
        extensions: &Extensions,
        headers: &http::HeaderMap,
    ) -> Result<Option<Thumbprint>, Refusal> {
        let Some(connection) = extensions.get::<PeerConnection>() else {
            tracing::debug!(target: "rfc8705::tower", "no PeerConnection in the request extensions: no certificate");
            return Ok(None);
        };
        let proxy = self.forwarded.as_ref().and_then(|header| {
            Some((
                TrustedProxy::if_peer_in(connection.addr.ip(), &self.proxies)?,
                header,
            ))
        });
        match proxy {
            Some((proxy, header)) => proxy
                .thumbprint_from_headers(headers, header)
                .map_err(|e| Refusal::Resource(e.into())),
            None => Ok(connection.thumbprint()),
        }
    }

    fn refuse<B: Default>(&self, headers: &http::HeaderMap, refusal: &Refusal) -> Response<B> {
        let challenge = match refusal {
            Refusal::Resource(e) => {
                tracing::info!(target: "rfc8705::tower", reason = %e, "certificate-bound token refused");
                if let Some(on_reject) = &self.on_reject {
                    on_reject(e);
                }
                e.challenge()
            }
            Refusal::NoClaims => {
                tracing::warn!(target: "rfc8705::tower", "no verified token claims in the request: is token verification before this layer?");
                Challenge::bearer()
            }
        };
        let challenge = match &self.resource_metadata {
            Some(url) => challenge.resource_metadata(url.clone()),
            None => challenge,
        };
        response::refusal(headers, &challenge)
    }
}

impl<S, ReqB, ResB> tower_service::Service<Request<ReqB>> for CertificateBinding<S>
where
    S: tower_service::Service<Request<ReqB>, Response = Response<ResB>>,
    ResB: Default,
{
    type Response = Response<ResB>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future, ResB>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqB>) -> Self::Future {
        match self.config.check(request.extensions(), request.headers()) {
            Ok(binding) => {
                request.extensions_mut().insert(binding);
                ResponseFuture {
                    state: State::Inner {
                        future: self.inner.call(request),
                    },
                }
            }
            Err(refusal) => ResponseFuture {
                state: State::Refused {
                    response: Some(self.config.refuse(request.headers(), &refusal)),
                },
            },
        }
    }
}

pin_project_lite::pin_project! {
    /// The response future of [`CertificateBinding`]: the inner service's, or the refusal.
    pub struct ResponseFuture<F, B> {
        #[pin]
        state: State<F, B>,
    }
}

pin_project_lite::pin_project! {
    #[project = StateProj]
    enum State<F, B> {
        Inner { #[pin] future: F },
        Refused { response: Option<Response<B>> },
    }
}

impl<F: fmt::Debug, B> fmt::Debug for ResponseFuture<F, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

impl<F, B, E> Future for ResponseFuture<F, B>
where
    F: Future<Output = Result<Response<B>, E>>,
    B: Default,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            StateProj::Inner { future } => future.poll(cx),
            // Polled again after completion: an empty 401 rather than a panic.
            StateProj::Refused { response } => Poll::Ready(Ok(response
                .take()
                .unwrap_or_else(|| Challenge::bearer().to_response()))),
        }
    }
}
