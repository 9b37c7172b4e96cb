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
//! token endpoint, per client: [`MtlsClientAuth::validate_chain`] validates the presented
//! chain (leaf and intermediates) of a `tls_client_auth` client for client authentication, to
//! the client's registered anchors or else the server's client CA, and checks its registered
//! issuer pins (RFC 8705 section 2.1: the PKI method "relies on a validated certificate
//! chain"); [`MtlsClientAuth::authenticate`] then matches the subject. For a
//! `self_signed_tls_client_auth` client it only compares the certificate with the registered
//! ones (section 2.2: "the client's certificate chain is not validated").
//!
//! What a client learns when authentication fails: nothing but `invalid_client`. Every
//! failure (an unknown `client_id`, no certificate, an untrusted chain, a subject or
//! certificate that does not match the registration) gets the same 401 response, byte for
//! byte; the reason, with the crate's explanation of a mismatch, goes to the server's log
//! only (the crate's explanations name the registered and the presented subjects, which are
//! not the caller's business). So the response does not tell an unknown `client_id` from a
//! known one. (The time it takes still can, a little: an unknown `client_id` skips the
//! certificate checks. RFC 6749 section 2.2: "The client identifier is not a secret".)
//!
//! Who may introspect which token (RFC 7662 section 2.1: the endpoint requires authorization;
//! section 4: "the authorization server MUST require authentication of protected resources
//! that need to access the introspection endpoint and SHOULD require protected resources to
//! be specifically authorized to call the introspection endpoint"): the clients the registry
//! lists as `resource_servers` may introspect any token; any other authenticated client only
//! the tokens issued to it. For a token the caller may not see, the answer is the one for an
//! invalid token, `{"active": false}` (RFC 7662 section 2.2), so that a client cannot learn
//! whether someone else's token exists or is active.

use std::collections::{HashMap, HashSet};
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
use rfc8705::RenewedCertificatePolicy;
use rfc8705::client_auth::{MtlsClientAuth, TrustAnchors};
use rfc8705::cnf::{Confirmation, IssuancePolicy, RequestedBinding, decide_binding};
use rfc8705::metadata::{AuthorizationServerMetadata, ClientMetadata, TokenEndpointAuthMethod};
use rustls::pki_types::{SignatureVerificationAlgorithm, UnixTime};
use rustls::server::WebPkiClientVerifier;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::net::TcpListener;

use super::tls::{self, Limits, Running};
use rfc8705::tower::PeerConnection;

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

/// The client registry file: `{"clients": [RFC 7591 client metadata, …],
/// "resource_servers": [client_id, …]}`.
#[derive(Debug, Deserialize)]
pub struct Registry {
    /// The registered clients.
    pub clients: Vec<ClientMetadata>,
    /// The `client_id`s of the resource servers: registered clients that may introspect any
    /// token. Any other client may introspect only its own tokens. Absent: none.
    #[serde(default)]
    pub resource_servers: Vec<String>,
}

impl Registry {
    /// Reads a registry file.
    pub fn from_json(json: &str) -> Result<Self, String> {
        let registry: Registry =
            serde_json::from_str(json).map_err(|e| format!("client registry: {e}"))?;
        if let Some(c) = registry.clients.iter().find(|c| c.client_id.is_none()) {
            return Err(format!("client registry: a client has no client_id: {c:?}"));
        }
        // A misspelt resource server would silently lose its introspection rights.
        if let Some(id) = registry.resource_servers.iter().find(|id| {
            !registry
                .clients
                .iter()
                .any(|c| c.client_id.as_ref() == Some(*id))
        }) {
            return Err(format!(
                "client registry: resource server {id:?} is not a registered client"
            ));
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
    /// The clients that may introspect any token (the others: only their own).
    resource_servers: HashSet<String>,
    /// The CA that issues `tls_client_auth` clients' certificates (for clients that
    /// register no anchors of their own).
    client_anchors: TrustAnchors,
    /// The crypto provider's signature algorithms, for chain validation.
    algorithms: &'static [&'static dyn SignatureVerificationAlgorithm],
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

    let client_ca = tls::load_chain(config.client_ca_pem.as_bytes())?;
    let client_anchors = TrustAnchors::from_der(client_ca.iter().map(|c| c.as_ref()))
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
        resource_servers: config.registry.resource_servers.into_iter().collect(),
        client_anchors,
        algorithms: tls::provider().signature_verification_algorithms.all,
        signing_key: EncodingKey::from_ec_der(&key.serialize_der()),
        verifying_key,
        jwks,
        token_lifetime: config.token_lifetime,
        next_jti: AtomicU64::new(1),
    });
    // The document every client will follow: its URLs are checked before it is served.
    server_metadata(&state.issuer, &state.mtls_base)
        .validate()
        .map_err(|e| format!("authorization server metadata: {e}"))?;
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

/// RFC 8414 metadata with the RFC 8705 members, built with the crate's type: a client doing
/// mutual TLS calls the `mtls_endpoint_aliases` (RFC 8705 section 5).
fn server_metadata(issuer: &str, mtls_base: &str) -> AuthorizationServerMetadata {
    let mut m = AuthorizationServerMetadata::new(issuer);
    m.token_endpoint = Some(format!("{issuer}/token"));
    m.introspection_endpoint = Some(format!("{issuer}/introspect"));
    m.jwks_uri = Some(format!("{issuer}/jwks"));
    m.token_endpoint_auth_methods_supported = Some(vec![
        TokenEndpointAuthMethod::TlsClientAuth,
        TokenEndpointAuthMethod::SelfSignedTlsClientAuth,
    ]);
    m.tls_client_certificate_bound_access_tokens = Some(true);
    let aliases = json!({
        "token_endpoint": format!("{mtls_base}/token"),
        "introspection_endpoint": format!("{mtls_base}/introspect"),
    });
    m.mtls_endpoint_aliases = aliases.as_object().cloned();
    m.other.insert(
        "grant_types_supported".into(),
        json!(["client_credentials"]),
    );
    m.other.insert(
        "introspection_endpoint_auth_methods_supported".into(),
        json!(["tls_client_auth", "self_signed_tls_client_auth"]),
    );
    m
}

async fn metadata(State(st): State<Arc<AppState>>) -> Json<AuthorizationServerMetadata> {
    Json(server_metadata(&st.issuer, &st.mtls_base))
}

async fn key_set(State(st): State<Arc<AppState>>) -> Json<Value> {
    Json(st.jwks.clone())
}

/// An RFC 6749 section 5.2 error response.
#[derive(Debug)]
enum TokenError {
    /// `invalid_request` (400).
    Request(&'static str),
    /// `invalid_client` (401): one response whatever the reason, which is logged instead.
    InvalidClient,
    /// `unsupported_grant_type` (400).
    UnsupportedGrantType,
    /// `server_error` (500): the server failed, not the client.
    Server,
}

impl IntoResponse for TokenError {
    fn into_response(self) -> Response {
        let (status, error, description) = match self {
            Self::Request(d) => (StatusCode::BAD_REQUEST, "invalid_request", d.to_string()),
            Self::InvalidClient => (
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "client authentication failed".to_string(),
            ),
            Self::UnsupportedGrantType => (
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "only client_credentials is supported".to_string(),
            ),
            Self::Server => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                "the token could not be issued".to_string(),
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

/// Reads `client_id` and authenticates that client by the connection's certificate (RFC 8705
/// section 2). Every failure is the same [`TokenError::InvalidClient`]; its reason goes to
/// the log, with the endpoint (`token`, `introspection`) and the peer.
fn authenticate_client<'s>(
    st: &'s AppState,
    conn: &PeerConnection,
    params: &[(String, String)],
    endpoint: &str,
) -> Result<(&'s ClientMetadata, ClientCertificate<'static>), TokenError> {
    // RFC 8705 section 2: "the client MUST include the client_id parameter".
    let client_id = single(params, "client_id")?.ok_or(TokenError::Request(
        "client_id is required with mutual-TLS client authentication (RFC 8705 section 2)",
    ))?;
    match authenticate(st, conn, client_id) {
        Ok((meta, cert, by)) => {
            eprintln!("[as] {endpoint}: client {client_id} authenticated by {by}");
            Ok((meta, cert))
        }
        Err(reason) => {
            // `{:?}`: the client_id is the caller's text; keep it on one log line.
            eprintln!(
                "[as] {endpoint}: invalid_client for client_id {client_id:?} from {}: {reason}",
                conn.peer_addr()
            );
            Err(TokenError::InvalidClient)
        }
    }
}

/// Finds the client and authenticates it by the connection's certificate (RFC 8705
/// section 2); on success, also says what matched. The error is for the log, never for the
/// client: it names the registered and the presented subjects.
fn authenticate<'s>(
    st: &'s AppState,
    conn: &PeerConnection,
    client_id: &str,
) -> Result<(&'s ClientMetadata, ClientCertificate<'static>, String), String> {
    let Some((meta, auth)) = st.clients.get(client_id) else {
        return Err("no client is registered with this client_id".into());
    };
    let Some(auth) = auth else {
        return Err("the client is not registered for mutual-TLS authentication".into());
    };
    // RFC 8705 section 2: "If no certificate is presented … the authorization server returns
    // … the invalid_client error code".
    let Some(leaf) = conn.peer_certificates().and_then(|chain| chain.first()) else {
        return Err(format!(
            "no client certificate was presented (the mtls_endpoint_aliases are on {})",
            st.mtls_base
        ));
    };
    // RFC 8705 section 2.1: the PKI method "relies on a validated certificate chain": for a
    // tls_client_auth client, the chain to its registered anchors or the client CA, now.
    let chain = auth
        .validate_chain(
            conn.peer_certificates(),
            Some(&st.client_anchors),
            UnixTime::now(),
            st.algorithms,
        )
        .map_err(|e| e.to_string())?;
    // RFC 8705 sections 2.1 and 2.2: the registered subject, or a registered certificate.
    let authenticated = auth
        .authenticate(&chain, RenewedCertificatePolicy::Reject)
        .map_err(|e| e.to_string())?;
    let cert = ClientCertificate::from_der(leaf.as_ref())
        .map_err(|e| format!("unreadable client certificate: {e}"))?
        .into_owned();
    Ok((meta, cert, authenticated.to_string()))
}

/// The token endpoint: client_credentials only.
async fn token(
    State(st): State<Arc<AppState>>,
    Extension(conn): Extension<PeerConnection>,
    params: Params,
) -> Result<Response, TokenError> {
    let Form(params) = params
        .map_err(|_| TokenError::Request("the body must be application/x-www-form-urlencoded"))?;
    match single(&params, "grant_type")? {
        None => return Err(TokenError::Request("grant_type is missing")),
        Some("client_credentials") => {}
        Some(_) => return Err(TokenError::UnsupportedGrantType),
    }
    let (meta, cert) = authenticate_client(&st, &conn, &params, "token")?;
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
        // RFC 8705 section 3.1; bound because the client registered for it (section 3.4) or
        // authenticated with its certificate (the preset). A refusal is never turned into an
        // unbound token.
        cnf: match decide_binding(
            RequestedBinding::from(meta),
            IssuancePolicy::CERTIFICATE_CLIENTS,
            Some(&cert.thumbprint()),
            None,
        ) {
            Ok(decision) => decision.confirmation(),
            Err(_) => return Err(TokenError::Request("this client must use mutual TLS")),
        },
    };
    let mut header = Header::new(Algorithm::ES256);
    header.kid = Some(KEY_ID.into());
    header.typ = Some("at+jwt".into());
    let access_token = jsonwebtoken::encode(&header, &claims, &st.signing_key).map_err(|e| {
        eprintln!("[as] token: signing failed: {e}");
        TokenError::Server
    })?;
    Ok(no_store(Json(json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": st.token_lifetime.max(0),
    }))))
}

/// RFC 7662 introspection, for authenticated clients: a resource server may introspect any
/// token, another client only its own. An active token's response carries its `cnf` (RFC 8705
/// section 3.2).
async fn introspect(
    State(st): State<Arc<AppState>>,
    Extension(conn): Extension<PeerConnection>,
    params: Params,
) -> Result<Response, TokenError> {
    let Form(params) = params
        .map_err(|_| TokenError::Request("the body must be application/x-www-form-urlencoded"))?;
    let (caller, _) = authenticate_client(&st, &conn, &params, "introspection")?;
    let caller = caller.client_id.as_deref().unwrap_or_default();
    let token = single(&params, "token")?.ok_or(TokenError::Request("token is missing"))?;
    let mut validation = Validation::new(Algorithm::ES256);
    validation.set_issuer(&[&st.issuer]);
    validation.set_audience(&[&st.audience]);
    validation.leeway = 0;
    // RFC 7662 section 2.2: "active" is false for a token that is not active, does not exist,
    // or that the caller "is not allowed to introspect": the same answer for all three.
    let inactive = json!({"active": false});
    let body = match jsonwebtoken::decode::<AccessClaims>(token, &st.verifying_key, &validation) {
        Ok(data) if st.resource_servers.contains(caller) || data.claims.client_id == caller => {
            let mut body = serde_json::to_value(data.claims).unwrap_or_default();
            body["active"] = json!(true);
            body["token_type"] = json!("Bearer");
            body
        }
        Ok(data) => {
            eprintln!(
                "[as] introspection: client {caller} is not a resource server and the token \
                 is client {}'s; answered inactive",
                data.claims.client_id
            );
            inactive
        }
        Err(_) => inactive,
    };
    Ok(no_store(Json(body)))
}
