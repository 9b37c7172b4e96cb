//! The resource server: one protected API (`GET /api/hello`) that accepts only access tokens
//! bound to the client certificate of the request (RFC 8705 section 3), and its RFC 9728
//! metadata. An axum router, protected by three steps that each do one thing:
//!
//! 1. **accept** ([`tls::spawn`]: axum-server with the crate's `MtlsAcceptor`): the TLS
//!    handshake, within a time limit, asks for a client certificate without validating its
//!    chain (RFC 8705 section 6.2) but with proof of possession of its key
//!    ([`rfc8705::rustls::PossessionOnlyVerifier`]); the connection's `PeerConnection` (peer
//!    address, certificate thumbprint hashed once) goes into every request on it;
//! 2. **verify the token** ([`verify_token`]): the JWT signature, issuer, audience and
//!    expiry, with `jsonwebtoken` (this crate verifies no signatures); the verified claims go
//!    into the request as [`TokenClaims`];
//! 3. **check the binding**: [`CertificateBindingLayer`] compares the two and answers
//!    `401 invalid_token` itself when they differ.
//!
//! Behind a TLS-terminating proxy, the certificate comes in the RFC 9440 `Client-Cert` header
//! instead, but only for requests whose TCP peer is in the configured proxy ranges; then the
//! connection's own certificate is not used.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{Route, get};
use axum::{Extension, Json, Router};
use base64ct::{Base64UrlUnpadded, Encoding};
use ipnet::IpNet;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::json;
use tokio::net::TcpListener;
use tower::{Layer, Service, ServiceBuilder};

use super::auth_server::AccessClaims;
use super::tls::{self, Limits, Running};
use rfc8705::Challenge;
use rfc8705::OAuthErrorCode;
use rfc8705::ProtectedResourceMetadata;
use rfc8705::cnf::{Binding, BindingPolicy};
use rfc8705::metadata::protected_resource_metadata_url;
use rfc8705::proxy::ProxyFormat;
use rfc8705::proxy::http::ForwardedHeader;
use rfc8705::tower::{CertificateBindingLayer, TokenClaims};

/// How to run the resource server.
pub struct Config {
    /// Its listener; its address is the resource identifier.
    pub listener: TcpListener,
    /// The server certificate chain (PEM).
    pub cert_pem: String,
    /// The server key (PEM).
    pub key_pem: String,
    /// The issuer whose tokens it accepts.
    pub issuer: String,
    /// The CA (PEM) to trust when fetching the issuer's metadata and keys.
    pub ca_pem: String,
    /// Address ranges of the proxies whose `Client-Cert` header is trusted (behind-proxy
    /// mode); empty: none.
    pub trusted_proxies: Vec<IpNet>,
    /// Connection limits.
    pub limits: Limits,
}

/// A running resource server.
pub struct ResourceServer {
    /// Its resource identifier, `https://127.0.0.1:PORT`.
    pub resource: String,
    /// The address it listens on.
    pub addr: SocketAddr,
    running: Running,
}

impl ResourceServer {
    /// The protected API.
    pub fn api_url(&self) -> String {
        format!("{}/api/hello", self.resource)
    }

    /// Stops accepting, closes open connections and waits for the accept loop to end.
    pub async fn shutdown(self) {
        self.running.shutdown().await;
    }
}

/// What token verification needs.
pub struct Verifier {
    /// The issuer whose tokens are accepted.
    pub issuer: String,
    /// This resource: the audience tokens must name.
    pub resource: String,
    /// The issuer's signing keys, by `kid`.
    pub keys: HashMap<String, DecodingKey>,
    /// The `resource_metadata` URL for challenges (RFC 9728 section 5.1).
    pub metadata_url: String,
}

/// The identifier of the resource served on `listener`, so that the AS can be told its
/// audience before the resource server starts.
pub fn resource_identifier(listener: &TcpListener) -> std::io::Result<String> {
    tls::base_url(listener)
}

/// Fetches the issuer's signing keys (RFC 8414 metadata, then `jwks_uri`).
pub async fn fetch_keys(
    issuer: &str,
    ca_pem: &str,
) -> Result<HashMap<String, DecodingKey>, String> {
    let http = super::client::https_client(ca_pem, None)?;
    let metadata = super::client::discover(&http, issuer).await?;
    let jwks_uri = metadata.jwks_uri.clone().ok_or("no jwks_uri")?;
    let jwks: jsonwebtoken::jwk::JwkSet = http
        .get(&jwks_uri)
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .map_err(|e| format!("{jwks_uri}: {e}"))?
        .json()
        .await
        .map_err(|e| format!("{jwks_uri}: {e}"))?;
    jwks.keys
        .iter()
        .map(|jwk| {
            let kid = jwk.common.key_id.clone().unwrap_or_default();
            DecodingKey::from_jwk(jwk)
                .map(|key| (kid, key))
                .map_err(|e| format!("{jwks_uri}: {e}"))
        })
        .collect()
}

/// The application: the metadata, and the API behind token verification and then `binding`
/// (the certificate-binding check: a [`CertificateBindingLayer`]).
pub fn router<L>(verifier: Arc<Verifier>, binding: L) -> Router
where
    L: Layer<Route> + Clone + Send + Sync + 'static,
    L::Service: Service<Request, Response = Response, Error = Infallible> + Clone + Send + Sync,
    <L::Service as Service<Request>>::Future: Send + 'static,
{
    // RFC 9728 section 3: the metadata lives at the well-known path of the resource.
    let mut metadata = ProtectedResourceMetadata::new(verifier.resource.clone());
    metadata.authorization_servers = Some(vec![verifier.issuer.clone()]);
    metadata.tls_client_certificate_bound_access_tokens = Some(true);
    metadata
        .other
        .insert("bearer_methods_supported".into(), json!(["header"]));
    let well_known = verifier
        .metadata_url
        .strip_prefix(&verifier.resource)
        .unwrap_or("/.well-known/oauth-protected-resource")
        .to_owned();

    // Layers run outside in: token verification first, then the binding check.
    // One `route_layer` for both, outside in: token verification, then the binding check. (Each
    // `route_layer` or `layer` call boxes the routes once more, which costs every request.)
    let protect = ServiceBuilder::new()
        .layer(middleware::from_fn_with_state(verifier, verify_token))
        .layer(binding);
    Router::new()
        .route("/api/hello", get(hello))
        .route_layer(protect)
        .route(&well_known, get(move || async move { Json(metadata) }))
}

/// Starts the resource server; fetches the issuer's keys first.
pub async fn start(config: Config) -> Result<ResourceServer, String> {
    let resource = tls::base_url(&config.listener).map_err(|e| e.to_string())?;
    let metadata_url = protected_resource_metadata_url(&resource).map_err(|e| e.to_string())?;
    let verifier = Arc::new(Verifier {
        keys: fetch_keys(&config.issuer, &config.ca_pem).await?,
        issuer: config.issuer,
        resource: resource.clone(),
        metadata_url: metadata_url.clone(),
    });
    // RFC 8705 section 3: every token must be bound to the request's certificate.
    let mut binding =
        CertificateBindingLayer::new(BindingPolicy::Required).resource_metadata(metadata_url);
    if !config.trusted_proxies.is_empty() {
        let client_cert = ForwardedHeader::standard(ProxyFormat::ClientCert).ok_or("no header")?;
        binding = binding.trusted_proxies(config.trusted_proxies, client_cert);
    }
    let app = router(verifier, binding);
    let tls = tls::server_config(
        config.cert_pem.as_bytes(),
        config.key_pem.as_bytes(),
        // Optional: a request without a certificate gets a 401 challenge, not a TLS alert.
        rfc8705::rustls::PossessionOnlyVerifier::optional(tls::provider()),
    )?;
    let running =
        tls::spawn(config.listener, tls, app, config.limits).map_err(|e| e.to_string())?;
    Ok(ResourceServer {
        resource,
        addr: running.addr,
        running,
    })
}

/// Token verification: a valid JWT from the issuer for this resource. Its claims go into
/// the request twice: as `AccessClaims` for the handler, as [`TokenClaims`] (the verified
/// payload JSON) for the binding check.
pub async fn verify_token(
    State(verifier): State<Arc<Verifier>>,
    mut request: Request,
    next: Next,
) -> Response {
    let authorization = request.headers().get(http::header::AUTHORIZATION);
    match verifier.verify(authorization.and_then(|v| v.to_str().ok())) {
        Ok((claims, json)) => {
            request.extensions_mut().insert(json);
            request.extensions_mut().insert(claims);
            next.run(request).await
        }
        Err(refusal) => (*refusal)
            .resource_metadata(verifier.metadata_url.as_str())
            .to_response(),
    }
}

impl Verifier {
    /// Verifies the `Authorization` value: the claims, and the verified payload JSON; or the
    /// challenge to answer with.
    pub fn verify(
        &self,
        authorization: Option<&str>,
    ) -> Result<(AccessClaims, TokenClaims), Box<Challenge<'static>>> {
        let invalid = |d: &'static str| {
            Box::new(
                Challenge::bearer()
                    .error(OAuthErrorCode::InvalidToken)
                    .error_description(d),
            )
        };
        // RFC 6750 section 3.1: no error code when the request carried no token.
        let Some(token) = authorization.and_then(|v| v.strip_prefix("Bearer ")) else {
            return Err(Box::new(Challenge::bearer()));
        };
        let Some(key) = jsonwebtoken::decode_header(token)
            .ok()
            .and_then(|h| h.kid)
            .and_then(|kid| self.keys.get(&kid))
        else {
            return Err(invalid("The access token is malformed or its key unknown"));
        };
        let mut validation = Validation::new(Algorithm::ES256);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.resource]);
        validation.leeway = 5;
        let claims = match jsonwebtoken::decode::<AccessClaims>(token, key, &validation) {
            Ok(data) => data.claims,
            Err(e) if matches!(e.kind(), ErrorKind::ExpiredSignature) => {
                return Err(invalid("The access token has expired"));
            }
            Err(_) => return Err(invalid("The access token is invalid")),
        };
        // The signature covers the payload segment, so its JSON is verified too.
        let payload = token.split('.').nth(1).unwrap_or_default();
        let json = Base64UrlUnpadded::decode_vec(payload)
            .map_err(|_| invalid("The access token is invalid"))?;
        Ok((claims, TokenClaims::new(json)))
    }
}

/// The protected API: reached only with a verified token bound to the request's certificate.
async fn hello(
    Extension(claims): Extension<AccessClaims>,
    binding: Option<Extension<Binding>>,
) -> Json<serde_json::Value> {
    let x5t = match binding {
        Some(Extension(Binding::Bound {
            certificate: Some(t),
            ..
        })) => Some(t.to_string()),
        _ => None,
    };
    Json(json!({
        "message": format!("hello, {}", claims.sub),
        "client_id": claims.client_id,
        "x5t#S256": x5t,
    }))
}
