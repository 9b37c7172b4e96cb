//! The authorization server: RFC 8414 metadata with `mtls_endpoint_aliases`, a
//! client_credentials token endpoint authenticating clients by mutual TLS (RFC 8705 section 2)
//! and issuing ES256 JWT access tokens bound with `cnf.x5t#S256` (section 3.1), token
//! introspection carrying `cnf` (section 3.2), and the JWK Set of its signing key.
//!
//! It listens on two ports, as RFC 8705 sections 5 and 6.1 suggest:
//! * the conventional endpoints (metadata, JWKS, token, introspection) without client
//!   certificates;
//! * the mutual-TLS aliases (token, introspection), where the TLS layer asks for a client
//!   certificate but does not require one (a request without one gets `invalid_client` from
//!   the token endpoint), and accepts any certificate whose private key the client proves it
//!   holds ([`rfc8705::rustls::PossessionOnlyVerifier`]).
//!
//! The TLS layer cannot know which client is connecting, so chain validation belongs to the
//! token endpoint: for a `tls_client_auth` client it validates the presented chain to the CA
//! with rustls' `WebPkiClientVerifier` (RFC 8705 section 2.1: the PKI method "relies on a
//! validated certificate chain"), then matches the subject; for a
//! `self_signed_tls_client_auth` client it only compares the certificate with the registered
//! ones (section 2.2: "the client's certificate chain is not validated").

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use base64ct::{Base64UrlUnpadded, Encoding};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rfc8705::ClientCertificate;
use rfc8705::client_auth::MtlsClientAuth;
use rfc8705::client_auth::self_signed::RenewedCertificatePolicy;
use rfc8705::cnf::{Confirmation, IssuanceDecision, IssuancePolicy, decide_binding};
use rfc8705::metadata::ClientMetadata;
use rustls::RootCertStore;
use rustls::pki_types::UnixTime;
use rustls::server::WebPkiClientVerifier;
use rustls::server::danger::ClientCertVerifier;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::net::TcpListener;

use super::tls::{self, Connection, Limits, Running};

/// The key id of the signing key in the JWK Set.
pub const KEY_ID: &str = "as-key-1";

/// The claims of the access tokens (RFC 9068 profile, with `cnf`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    /// Issuer.
    pub iss: String,
    /// Subject: the client, for client_credentials.
    pub sub: String,
    /// Audience: the resource the token is for.
    pub aud: String,
    /// The client it was issued to.
    pub client_id: String,
    /// Issued at.
    pub iat: i64,
    /// Expires at.
    pub exp: i64,
    /// Token id.
    pub jti: String,
    /// The confirmation claim: `{"x5t#S256": …}` for a certificate-bound token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cnf: Option<Confirmation>,
}

/// The client registry file: `{"clients": [RFC 7591 client metadata, …]}`.
#[derive(Debug, Deserialize)]
pub struct Registry {
    /// The registered clients.
    pub clients: Vec<ClientMetadata>,
}

impl Registry {
    /// Reads a registry file.
    pub fn from_json(json: &str) -> Result<Self, String> {
        let registry: Registry =
            serde_json::from_str(json).map_err(|e| format!("client registry: {e}"))?;
        if let Some(c) = registry.clients.iter().find(|c| c.client_id.is_none()) {
            return Err(format!("client registry: a client has no client_id: {c:?}"));
        }
        Ok(registry)
    }
}

/// How to run the authorization server.
pub struct Config {
    /// Listener for the conventional endpoints (its address becomes the issuer).
    pub public: TcpListener,
    /// Listener for the mutual-TLS endpoint aliases.
    pub mtls: TcpListener,
    /// The servers' certificate chain (PEM).
    pub cert_pem: String,
    /// The servers' private key (PEM).
    pub key_pem: String,
    /// The CA (PEM) that issues the certificates of `tls_client_auth` clients.
    pub client_ca_pem: String,
    /// The registered clients.
    pub registry: Registry,
    /// The audience of the tokens: the resource server's identifier.
    pub audience: String,
    /// Token lifetime in seconds (a negative value issues expired tokens, for tests).
    pub token_lifetime: i64,
    /// Connection limits.
    pub limits: Limits,
}

/// A running authorization server.
pub struct AuthorizationServer {
    /// The issuer identifier, `https://127.0.0.1:PORT` of the public listener.
    pub issuer: String,
    /// The conventional endpoints.
    pub public: Running,
    /// The mutual-TLS aliases.
    pub mtls: Running,
}

impl AuthorizationServer {
    /// The metadata URL (RFC 8414 section 3).
    pub fn metadata_url(&self) -> String {
        format!("{}/.well-known/oauth-authorization-server", self.issuer)
    }

    /// The mutual-TLS token endpoint.
    pub fn mtls_token_endpoint(&self) -> String {
        format!("https://{}/token", self.mtls.addr)
    }

    /// Stops both listeners.
    pub async fn shutdown(self) {
        self.public.shutdown().await;
        self.mtls.shutdown().await;
    }
}

struct AppState {
    issuer: String,
    mtls_base: String,
    audience: String,
    /// Each client's registration and its mutual-TLS credential, read and validated once at
    /// start-up (clients of other methods have none).
    clients: HashMap<String, (ClientMetadata, Option<MtlsClientAuth>)>,
    pki_verifier: Arc<dyn ClientCertVerifier>,
    signing_key: EncodingKey,
    verifying_key: DecodingKey,
    jwks: Value,
    token_lifetime: i64,
    next_jti: AtomicU64,
}

/// Starts the authorization server.
pub async fn start(config: Config) -> Result<AuthorizationServer, String> {
    let io = |e: std::io::Error| e.to_string();
    let issuer = tls::base_url(&config.public).map_err(io)?;
    let mtls_base = tls::base_url(&config.mtls).map_err(io)?;

    let mut roots = RootCertStore::empty();
    for ca in tls::load_chain(config.client_ca_pem.as_bytes())? {
        roots.add(ca).map_err(|e| format!("client CA: {e}"))?;
    }
    let pki_verifier =
        WebPkiClientVerifier::builder_with_provider(Arc::new(roots), tls::provider())
            .build()
            .map_err(|e| format!("client CA: {e}"))?;

    // The token signing key: a fresh P-256 key per run.
    let key = rcgen::KeyPair::generate().map_err(|e| e.to_string())?;
    let point = key.public_key_raw();
    let (x, y) = point
        .get(1..33)
        .zip(point.get(33..65))
        .ok_or("unexpected public key encoding")?;
    let (x, y) = (
        Base64UrlUnpadded::encode_string(x),
        Base64UrlUnpadded::encode_string(y),
    );
    let verifying_key = DecodingKey::from_ec_components(&x, &y).map_err(|e| e.to_string())?;
    let jwks = json!({"keys": [{
        "kty": "EC", "crv": "P-256", "x": x, "y": y,
        "kid": KEY_ID, "alg": "ES256", "use": "sig"
    }]});

    // Registration-time validation (RFC 7591 `invalid_client_metadata`): exactly one valid
    // subject for tls_client_auth, a consistent JWK Set for self_signed_tls_client_auth.
    let mut clients = HashMap::new();
    for meta in config.registry.clients {
        let Some(id) = meta.client_id.clone() else {
            continue;
        };
        let auth = MtlsClientAuth::from_metadata(&meta)
            .map_err(|e| format!("client registry: client {id}: {e}"))?;
        clients.insert(id, (meta, auth));
    }
    let state = Arc::new(AppState {
        issuer: issuer.clone(),
        mtls_base,
        audience: config.audience,
        clients,
        pki_verifier,
        signing_key: EncodingKey::from_ec_der(&key.serialize_der()),
        verifying_key,
        jwks,
        token_lifetime: config.token_lifetime,
        next_jti: AtomicU64::new(1),
    });
    let app = Router::new()
        .route("/.well-known/oauth-authorization-server", get(metadata))
        .route("/jwks", get(key_set))
        .route("/token", post(token))
        .route("/introspect", post(introspect))
        .with_state(state);

    let public_tls = tls::server_config(
        config.cert_pem.as_bytes(),
        config.key_pem.as_bytes(),
        WebPkiClientVerifier::no_client_auth(),
    )?;
    let mtls_tls = tls::server_config(
        config.cert_pem.as_bytes(),
        config.key_pem.as_bytes(),
        rfc8705::rustls::PossessionOnlyVerifier::optional(tls::provider()),
    )?;
    let public = tls::spawn(config.public, public_tls, app.clone(), config.limits).map_err(io)?;
    let mtls = tls::spawn(config.mtls, mtls_tls, app, config.limits).map_err(io)?;
    Ok(AuthorizationServer {
        issuer,
        public,
        mtls,
    })
}

/// RFC 8414 metadata with the RFC 8705 members.
async fn metadata(State(st): State<Arc<AppState>>) -> Json<Value> {
    Json(json!({
        "issuer": st.issuer,
        "token_endpoint": format!("{}/token", st.issuer),
        "introspection_endpoint": format!("{}/introspect", st.issuer),
        "jwks_uri": format!("{}/jwks", st.issuer),
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["tls_client_auth", "self_signed_tls_client_auth"],
        "introspection_endpoint_auth_methods_supported": ["tls_client_auth", "self_signed_tls_client_auth"],
        "tls_client_certificate_bound_access_tokens": true,
        "mtls_endpoint_aliases": {
            "token_endpoint": format!("{}/token", st.mtls_base),
            "introspection_endpoint": format!("{}/introspect", st.mtls_base),
        },
    }))
}

async fn key_set(State(st): State<Arc<AppState>>) -> Json<Value> {
    Json(st.jwks.clone())
}

/// An RFC 6749 section 5.2 error response.
#[derive(Debug)]
enum TokenError {
    /// `invalid_request` (400).
    Request(&'static str),
    /// `invalid_client` (401).
    Client(String),
    /// `unsupported_grant_type` (400).
    UnsupportedGrantType,
}

impl IntoResponse for TokenError {
    fn into_response(self) -> Response {
        let (status, error, description) = match self {
            Self::Request(d) => (StatusCode::BAD_REQUEST, "invalid_request", d.to_string()),
            Self::Client(d) => (StatusCode::UNAUTHORIZED, "invalid_client", d),
            Self::UnsupportedGrantType => (
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "only client_credentials is supported".to_string(),
            ),
        };
        no_store((
            status,
            Json(json!({"error": error, "error_description": description})),
        ))
    }
}

/// RFC 6749 section 5.1: "Cache-Control: no-store".
fn no_store(response: impl IntoResponse) -> Response {
    let mut response = response.into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

type Params = Result<Form<Vec<(String, String)>>, FormRejection>;

/// RFC 6749 section 3.2: "Request and response parameters MUST NOT be included more than
/// once."
fn single<'a>(params: &'a [(String, String)], name: &str) -> Result<Option<&'a str>, TokenError> {
    let mut values = params.iter().filter(|(k, _)| k == name);
    let first = values.next().map(|(_, v)| v.as_str());
    if values.next().is_some() {
        return Err(TokenError::Request("a parameter is repeated"));
    }
    Ok(first)
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// Finds the client and authenticates it by the connection's certificate (RFC 8705
/// section 2).
fn authenticate<'s>(
    st: &'s AppState,
    conn: &Connection,
    params: &[(String, String)],
) -> Result<(&'s ClientMetadata, ClientCertificate<'static>), TokenError> {
    // RFC 8705 section 2: "the client MUST include the client_id parameter".
    let client_id = single(params, "client_id")?.ok_or(TokenError::Request(
        "client_id is required with mutual-TLS client authentication (RFC 8705 section 2)",
    ))?;
    let (meta, auth) = st
        .clients
        .get(client_id)
        .ok_or_else(|| TokenError::Client("unknown client".into()))?;
    let auth = auth.as_ref().ok_or_else(|| {
        TokenError::Client("the client is not registered for mutual-TLS authentication".into())
    })?;
    // RFC 8705 section 2: "If no certificate is presented … the authorization server returns
    // … the invalid_client error code".
    let Some(leaf) = conn.client_chain.first() else {
        return Err(TokenError::Client(format!(
            "no client certificate was presented; use the mtls_endpoint_aliases endpoints ({})",
            st.mtls_base
        )));
    };
    let cert = ClientCertificate::from_der(leaf.as_ref())
        .map_err(|e| TokenError::Client(format!("unreadable client certificate: {e}")))?
        .into_owned();
    if let MtlsClientAuth::TlsClientAuth(_) = auth {
        // RFC 8705 section 2.1: the PKI method "relies on a validated certificate chain".
        let intermediates = conn.client_chain.get(1..).unwrap_or_default();
        st.pki_verifier
            .verify_client_cert(leaf, intermediates, UnixTime::now())
            .map_err(|e| TokenError::Client(format!("certificate chain not trusted: {e}")))?;
    }
    // RFC 8705 sections 2.1 and 2.2: the registered subject, or a registered certificate.
    let authenticated = auth
        .authenticate(Some(&cert), RenewedCertificatePolicy::Reject)
        .map_err(|e| TokenError::Client(e.to_string()))?;
    eprintln!("[as] client {client_id} authenticated by {authenticated}");
    Ok((meta, cert))
}

/// The token endpoint: client_credentials only.
async fn token(
    State(st): State<Arc<AppState>>,
    Extension(conn): Extension<Connection>,
    params: Params,
) -> Result<Response, TokenError> {
    let Form(params) = params
        .map_err(|_| TokenError::Request("the body must be application/x-www-form-urlencoded"))?;
    match single(&params, "grant_type")? {
        None => return Err(TokenError::Request("grant_type is missing")),
        Some("client_credentials") => {}
        Some(_) => return Err(TokenError::UnsupportedGrantType),
    }
    let (meta, cert) = authenticate(&st, &conn, &params)?;
    let client_id = meta.client_id.clone().unwrap_or_default();
    let iat = now();
    let claims = AccessClaims {
        iss: st.issuer.clone(),
        sub: client_id.clone(),
        aud: st.audience.clone(),
        client_id,
        iat,
        exp: iat + st.token_lifetime,
        jti: format!("{iat}-{}", st.next_jti.fetch_add(1, Ordering::Relaxed)),
        // RFC 8705 section 3.1; bound because the client registered for it (section 3.4).
        cnf: match decide_binding(meta, IssuancePolicy::default(), Some(&cert.thumbprint())) {
            Ok(IssuanceDecision::Bind(t)) => Some(Confirmation::from_thumbprint(&t)),
            _ => None,
        },
    };
    let mut header = Header::new(Algorithm::ES256);
    header.kid = Some(KEY_ID.into());
    header.typ = Some("at+jwt".into());
    let access_token = jsonwebtoken::encode(&header, &claims, &st.signing_key)
        .map_err(|_| TokenError::Request("the token could not be signed"))?;
    Ok(no_store(Json(json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": st.token_lifetime.max(0),
    }))))
}

/// RFC 7662 introspection, for authenticated clients; an active token's response carries its
/// `cnf` (RFC 8705 section 3.2).
async fn introspect(
    State(st): State<Arc<AppState>>,
    Extension(conn): Extension<Connection>,
    params: Params,
) -> Result<Response, TokenError> {
    let Form(params) = params
        .map_err(|_| TokenError::Request("the body must be application/x-www-form-urlencoded"))?;
    authenticate(&st, &conn, &params)?;
    let token = single(&params, "token")?.ok_or(TokenError::Request("token is missing"))?;
    let mut validation = Validation::new(Algorithm::ES256);
    validation.set_issuer(&[&st.issuer]);
    validation.set_audience(&[&st.audience]);
    validation.leeway = 0;
    let body = match jsonwebtoken::decode::<AccessClaims>(token, &st.verifying_key, &validation) {
        Ok(data) => {
            let mut body = serde_json::to_value(data.claims).unwrap_or_default();
            body["active"] = json!(true);
            body["token_type"] = json!("Bearer");
            body
        }
        Err(_) => json!({"active": false}),
    };
    Ok(no_store(Json(body)))
}
