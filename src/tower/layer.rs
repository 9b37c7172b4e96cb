//! The layer, its service and its response future.

use alloc::borrow::Cow;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use core::future::Future;
use core::net::{IpAddr, SocketAddr};
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
type PeerAddrFn = dyn Fn(&Extensions) -> Option<SocketAddr> + Send + Sync;

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
    /// The trusted proxies, one entry per `trusted_proxies` call, in call order: their
    /// address ranges and the header they set.
    sources: Vec<(Vec<IpNet>, ForwardedHeader)>,
    claims: Option<Arc<ClaimsFn>>,
    peer_addr: Option<Arc<PeerAddrFn>>,
    realm: Option<Cow<'static, str>>,
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
                sources: Vec::new(),
                claims: None,
                peer_addr: None,
                realm: None,
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
    /// Call it once per trusted source: each call **adds** one (proxies that set different
    /// headers, such as an Envoy mesh and a load balancer). A peer within the ranges of
    /// several calls is read with the header of the first of them.
    ///
    /// The peer address is the [`PeerConnection`]'s, or, for a request without one (a
    /// plain-HTTP listener behind the proxy), the one [`peer_addr_from`](Self::peer_addr_from)
    /// reads. A request with a configured header from any other peer is judged without it,
    /// and the header is reported to `tracing` (`header ignored: peer … is not a trusted
    /// proxy`), so that a misconfigured range does not show up only as "no client
    /// certificate".
    ///
    /// ```
    /// use rfc8705::{cnf::BindingPolicy, tower::CertificateBindingLayer};
    /// use rfc8705::proxy::{ProxyFormat, http::ForwardedHeader};
    ///
    /// let envoy = ForwardedHeader::standard(ProxyFormat::Xfcc).expect("Envoy names its header");
    /// let nginx = ForwardedHeader::new(ProxyFormat::EscapedPem, "x-ssl-client-cert".parse()?);
    /// let layer = CertificateBindingLayer::new(BindingPolicy::Required)
    ///     .trusted_proxies(["10.1.0.0/16".parse()?, "fd00::/8".parse()?], envoy)
    ///     .trusted_proxies(["192.0.2.10/32".parse()?], nginx);
    /// # let _ = layer;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn trusted_proxies(
        self,
        proxies: impl IntoIterator<Item = IpNet>,
        header: ForwardedHeader,
    ) -> Self {
        let proxies: Vec<IpNet> = proxies.into_iter().collect();
        self.with(|c| c.sources.push((proxies, header)))
    }

    /// Reads the peer address of a request that has no [`PeerConnection`] with `peer_addr`:
    /// for a server that terminates no TLS itself (behind the proxy), where nothing else
    /// knows the peer. Such a request has no certificate of its own; the address only decides
    /// whether its forwarded header is read ([`trusted_proxies`](Self::trusted_proxies)).
    ///
    /// With axum, read its `ConnectInfo<SocketAddr>` (the server is served with
    /// `into_make_service_with_connect_info::<SocketAddr>()`):
    /// `.peer_addr_from(|ext| ext.get::<axum::extract::ConnectInfo<SocketAddr>>().map(|c| c.0))`.
    /// The crate does not depend on axum, so the closure names the type: it reads the
    /// `ConnectInfo` of the axum version the server uses, and an axum upgrade cannot silently
    /// make the layer look for another one.
    ///
    /// ```
    /// use std::net::SocketAddr;
    /// use rfc8705::{cnf::BindingPolicy, tower::CertificateBindingLayer};
    /// # // axum's, without axum's `tokio` feature in the dev-dependencies.
    /// # #[derive(Clone)] struct ConnectInfo<T>(T);
    /// use rfc8705::proxy::{ProxyFormat, http::ForwardedHeader};
    ///
    /// let envoy = ForwardedHeader::standard(ProxyFormat::Xfcc).expect("Envoy names its header");
    /// let layer = CertificateBindingLayer::new(BindingPolicy::Required)
    ///     .trusted_proxies(["10.1.0.0/16".parse()?], envoy)
    ///     .peer_addr_from(|ext| ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0));
    /// # let _ = layer;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn peer_addr_from<F>(self, peer_addr: F) -> Self
    where
        F: Fn(&Extensions) -> Option<SocketAddr> + Send + Sync + 'static,
    {
        self.with(|c| c.peer_addr = Some(Arc::new(peer_addr)))
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

    /// Adds `realm` to every challenge (RFC 6750 section 3: "the "realm" attribute MAY be
    /// included to indicate the scope of protection").
    ///
    /// ```
    /// use rfc8705::{cnf::BindingPolicy, tower::CertificateBindingLayer};
    /// let layer = CertificateBindingLayer::new(BindingPolicy::Required).realm("payments");
    /// # let _ = layer;
    /// ```
    pub fn realm(self, realm: impl Into<Cow<'static, str>>) -> Self {
        let realm = realm.into();
        self.with(|c| c.realm = Some(realm))
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
            .field("trusted_proxies", &c.sources)
            .field("claims_from", &c.claims.is_some())
            .field("peer_addr_from", &c.peer_addr.is_some())
            .field("realm", &c.realm)
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
    /// else the connection's. Without a [`PeerConnection`] there is no connection
    /// certificate, and the peer address comes from `peer_addr_from`, if any.
    fn presented(
        &self,
        extensions: &Extensions,
        headers: &http::HeaderMap,
    ) -> Result<Option<Thumbprint>, Refusal> {
        let connection = extensions.get::<PeerConnection>();
        let peer = connection.map(|c| c.addr).or_else(|| {
            let read = self.peer_addr.as_ref()?;
            read(extensions)
        });
        let Some(peer) = peer else {
            tracing::debug!(target: "rfc8705::tower", "no PeerConnection (nor peer_addr_from address) in the request extensions: no certificate");
            self.log_ignored(headers, None);
            return Ok(None);
        };
        let proxy = self.sources.iter().find_map(|(proxies, header)| {
            Some((TrustedProxy::if_peer_in(peer.ip(), proxies)?, header))
        });
        match proxy {
            Some((proxy, header)) => proxy
                .thumbprint_from_headers(headers, header)
                .map_err(|e| Refusal::Resource(e.into())),
            None => {
                self.log_ignored(headers, Some(peer.ip()));
                Ok(connection.and_then(PeerConnection::thumbprint))
            }
        }
    }

    /// Says in the log that a trusted proxy's header came with a request from a peer that is
    /// not one (or whose address is unknown), and was not read.
    fn log_ignored(&self, headers: &http::HeaderMap, peer: Option<IpAddr>) {
        let Some(name) = self
            .sources
            .iter()
            .map(|(_, header)| header.name())
            .find(|name| headers.contains_key(*name))
        else {
            return;
        };
        match peer {
            Some(peer) => tracing::info!(
                target: "rfc8705::tower",
                header = %name,
                %peer,
                "header ignored: peer {peer} is not a trusted proxy"
            ),
            None => tracing::info!(
                target: "rfc8705::tower",
                header = %name,
                "header ignored: the request has no peer address (no PeerConnection in its extensions; without TLS, pass the peer address with peer_addr_from)"
            ),
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
        let challenge = match &self.realm {
            Some(realm) => challenge.realm(realm.clone()),
            None => challenge,
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
