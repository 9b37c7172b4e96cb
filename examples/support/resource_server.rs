//! The resource server: one protected API (`GET /api/hello`) that accepts only access tokens
//! bound to the client certificate of the request (RFC 8705 section 3), and its RFC 9728
//! metadata.
//!
//! The TLS layer asks for a client certificate without validating its chain (RFC 8705
//! section 6.2) but with proof of possession of its key
//! ([`rfc8705::rustls::PossessionOnlyVerifier`]); it does not require one, so that a request
//! without one gets a 401 with a `WWW-Authenticate` challenge rather than a TLS alert.
//!
//! Behind a TLS-terminating proxy, the certificate comes in the RFC 9440 `Client-Cert` header
//! instead; the header is used only when the immediate peer is one of the configured trusted
//! proxies, and then the connection's own certificate is not used.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Value, json};
use tokio::net::TcpListener;

use super::auth_server::AccessClaims;
use super::tls::{self, Connection, Limits, Running};
use rfc8705::Thumbprint;
use rfc8705::challenge::{BearerChallenge, BearerErrorCode};
use rfc8705::cnf::{BindingPolicy, check_binding};
use rfc8705::proxy::{ProxyFormat, TrustedProxy};

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
    /// Peers whose `Client-Cert` header is trusted (behind-proxy mode); empty: none.
    pub trusted_proxies: Vec<IpAddr>,
    /// Connection limits.
    pub limits: Limits,
}

/// A running resource server.
pub struct ResourceServer {
    /// Its resource identifier, `https://127.0.0.1:PORT`.
    pub resource: String,
    /// The listener.
    pub running: Running,
}

impl ResourceServer {
    /// The protected API.
    pub fn api_url(&self) -> String {
        format!("{}/api/hello", self.resource)
    }

    /// Stops it.
    pub async fn shutdown(self) {
        self.running.shutdown().await;
    }
}

struct AppState {
    resource: String,
    metadata_url: String,
    issuer: String,
    keys: HashMap<String, DecodingKey>,
    trusted_proxies: Vec<ipnet::IpNet>,
}

/// The identifier a resource at `base` has, so that the AS can be told its audience before
/// the resource server starts.
pub fn resource_identifier(listener: &TcpListener) -> std::io::Result<String> {
    tls::base_url(listener)
}

/// Fetches the issuer's signing keys (RFC 8414 metadata, then `jwks_uri`).
async fn fetch_keys(issuer: &str, ca_pem: &str) -> Result<HashMap<String, DecodingKey>, String> {
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

/// Starts the resource server; fetches the issuer's keys first.
pub async fn start(config: Config) -> Result<ResourceServer, String> {
    let resource = tls::base_url(&config.listener).map_err(|e| e.to_string())?;
    let keys = fetch_keys(&config.issuer, &config.ca_pem).await?;
    let state = Arc::new(AppState {
        metadata_url: format!("{resource}/.well-known/oauth-protected-resource"),
        resource: resource.clone(),
        issuer: config.issuer,
        keys,
        // Each trusted address as a one-address range.
        trusted_proxies: config
            .trusted_proxies
            .into_iter()
            .map(ipnet::IpNet::from)
            .collect(),
    });
    let app = Router::new()
        .route("/.well-known/oauth-protected-resource", get(metadata))
        .route("/api/hello", get(hello))
        .with_state(state);
    let tls = tls::server_config(
        config.cert_pem.as_bytes(),
        config.key_pem.as_bytes(),
        rfc8705::rustls::PossessionOnlyVerifier::optional(tls::provider()),
    )?;
    let running =
        tls::spawn(config.listener, tls, app, config.limits).map_err(|e| e.to_string())?;
    Ok(ResourceServer { resource, running })
}

/// RFC 9728 protected resource metadata.
async fn metadata(State(st): State<Arc<AppState>>) -> Json<Value> {
    Json(json!({
        "resource": st.resource,
        "authorization_servers": [st.issuer],
        "bearer_methods_supported": ["header"],
        "tls_client_certificate_bound_access_tokens": true,
    }))
}

/// A 401 with the RFC 6750 challenge, pointing at the RFC 9728 metadata (section 5.1).
fn unauthorized(st: &AppState, challenge: BearerChallenge<'_>, description: &str) -> Response {
    let challenge = challenge.resource_metadata(st.metadata_url.as_str());
    let body = match challenge.error_code() {
        Some(code) => json!({"error": code.as_str(), "error_description": description}),
        None => json!({"error": "missing access token"}),
    };
    let mut response = (StatusCode::UNAUTHORIZED, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&challenge.to_string()) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

/// A 401 `invalid_token` with a fixed description.
fn invalid_token(st: &AppState, description: &'static str) -> Response {
    let challenge = BearerChallenge::new()
        .error(BearerErrorCode::InvalidToken)
        .error_description(description);
    unauthorized(st, challenge, description)
}

/// The certificate to check the token against: the `Client-Cert` header of a trusted proxy,
/// or else the connection's own; never a mix of the two.
fn presented_certificate(
    st: &AppState,
    conn: &Connection,
    headers: &HeaderMap,
) -> Result<Option<Vec<u8>>, &'static str> {
    // The decision that the immediate peer is our proxy, made once, explicitly.
    if let Some(proxy) = TrustedProxy::if_peer_in(conn.peer.ip(), &st.trusted_proxies) {
        let mut lines = headers.get_all("client-cert").iter();
        return match (lines.next(), lines.next()) {
            (None, _) => Ok(None),
            (Some(value), None) => proxy
                .decode(ProxyFormat::ClientCert, value.as_bytes(), &[])
                .map(|cert| Some(cert.der().to_vec()))
                .map_err(|_| "the proxy's Client-Cert header is malformed"),
            // RFC 9440 section 2.2: Client-Cert is a singleton field.
            (Some(_), Some(_)) => Err("the proxy sent more than one Client-Cert field line"),
        };
    }
    // Not from a trusted proxy: a Client-Cert header is attacker-controlled and ignored.
    Ok(conn.leaf_der().map(<[u8]>::to_vec))
}

/// The protected API.
async fn hello(
    State(st): State<Arc<AppState>>,
    Extension(conn): Extension<Connection>,
    headers: HeaderMap,
) -> Response {
    // RFC 6750 section 3.1: no error code when the request has no authentication.
    let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return unauthorized(&st, BearerChallenge::new(), "");
    };
    let Some(key) = jsonwebtoken::decode_header(token)
        .ok()
        .and_then(|h| h.kid)
        .and_then(|kid| st.keys.get(&kid))
    else {
        return invalid_token(&st, "the access token is malformed or its key unknown");
    };
    let mut validation = Validation::new(Algorithm::ES256);
    validation.set_issuer(&[&st.issuer]);
    validation.set_audience(&[&st.resource]);
    validation.leeway = 5;
    let claims = match jsonwebtoken::decode::<AccessClaims>(token, key, &validation) {
        Ok(data) => data.claims,
        Err(e) if matches!(e.kind(), ErrorKind::ExpiredSignature) => {
            return invalid_token(&st, "the access token has expired");
        }
        Err(_) => return invalid_token(&st, "the access token is invalid"),
    };
    let cert = match presented_certificate(&st, &conn, &headers) {
        Ok(cert) => cert,
        Err(description) => {
            let body = json!({"error": "invalid_request", "error_description": description});
            return (StatusCode::BAD_REQUEST, Json(body)).into_response();
        }
    };
    // RFC 8705 section 3: the RS "MUST verify that the certificate matches the certificate
    // associated with the access token"; if not, 401 invalid_token.
    if let Err(e) = check_binding(
        BindingPolicy::Required,
        claims.cnf.as_ref(),
        cert.as_deref(),
    ) {
        return unauthorized(&st, e.challenge(), e.error_description());
    }
    let x5t = cert
        .as_deref()
        .and_then(|der| Thumbprint::from_der(der).ok())
        .map(|t| t.to_string());
    Json(json!({
        "message": format!("hello, {}", claims.sub),
        "client_id": claims.client_id,
        "x5t#S256": x5t,
    }))
    .into_response()
}
