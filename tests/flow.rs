//! The whole RFC 8705 flow over real mutual TLS: the example authorization server and resource
//! server run in-process on loopback and are driven with reqwest.

#[path = "../examples/support/mod.rs"]
mod support;

use std::net::IpAddr;

use base64ct::{Base64, Encoding};
use rfc8705::ClientCertificate;
use rfc8705::metadata::TokenEndpointAuthMethod;
use serde_json::Value;
use support::client::{self, Reply, call_api, discover, https_client, post_form, request_token};
use support::pki::{ClientFiles, Pki};
use support::{Stack, start_stack};

struct Env {
    _dir: tempfile::TempDir,
    pki: Pki,
    stack: Stack,
}

async fn env(token_lifetime: i64, trusted_proxies: Vec<IpAddr>) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let pki = support::pki::generate(dir.path()).unwrap();
    let stack = start_stack(&pki, token_lifetime, trusted_proxies)
        .await
        .unwrap();
    Env {
        _dir: dir,
        pki,
        stack,
    }
}

impl Env {
    fn http(&self, who: Option<&ClientFiles>) -> reqwest::Client {
        https_client(
            &self.pki.ca_pem,
            who.map(|c| (c.cert_pem.as_str(), c.key_pem.as_str())),
        )
        .unwrap()
    }

    fn http_as(&self, client_id: &str) -> reqwest::Client {
        self.http(Some(self.pki.client(client_id)))
    }

    async fn token_for(&self, client_id: &str) -> String {
        let reply = request_token(
            &self.http_as(client_id),
            &self.stack.auth.mtls_token_endpoint(),
            client_id,
        )
        .await
        .unwrap();
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.body["access_token"].as_str().unwrap().to_owned()
    }
}

fn thumbprint_of(pem: &str) -> String {
    ClientCertificate::from_pem(pem.as_bytes())
        .unwrap()
        .thumbprint()
        .to_string()
}

fn assert_oauth_error(reply: &Reply, status: u16, error: &str) {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert_eq!(reply.body["error"], error, "{}", reply.body);
}

fn assert_invalid_token(reply: &Reply, description: &str) {
    assert_eq!(reply.status, 401, "{}", reply.body);
    let challenge = reply.www_authenticate.as_deref().unwrap();
    assert!(challenge.starts_with("Bearer "), "{challenge}");
    assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
    assert!(challenge.contains(description), "{challenge}");
    assert!(
        challenge.contains("resource_metadata=\"https://127.0.0.1:"),
        "{challenge}"
    );
}

#[tokio::test]
async fn every_client_kind_gets_a_bound_token_and_calls_the_api() {
    let env = env(300, vec![]).await;
    for c in &env.pki.clients {
        let http = env.http(Some(c));
        // Discovery: the client takes the mTLS alias, not the conventional endpoint.
        let metadata = discover(&http, &env.stack.auth.issuer).await.unwrap();
        let endpoint = client::mtls_token_endpoint(&metadata).unwrap();
        assert_eq!(endpoint, env.stack.auth.mtls_token_endpoint());
        assert_ne!(Some(endpoint.as_str()), metadata.token_endpoint.as_deref());

        let reply = request_token(&http, &endpoint, &c.client_id).await.unwrap();
        assert_eq!(reply.status, 200, "{}: {}", c.client_id, reply.body);
        assert_eq!(reply.body["token_type"], "Bearer");
        let token = reply.body["access_token"].as_str().unwrap();
        let claims = client::unverified_claims(token).unwrap();
        let x5t = thumbprint_of(&c.cert_pem);
        assert_eq!(claims["cnf"]["x5t#S256"], x5t.as_str(), "{}", c.client_id);
        assert_eq!(claims["client_id"], c.client_id.as_str());

        // Introspection (RFC 8705 section 3.2) carries the same cnf.
        let introspection = metadata.endpoint("introspection_endpoint", true).unwrap();
        let reply = post_form(
            &http,
            introspection,
            &[("token", token), ("client_id", &c.client_id)],
        )
        .await
        .unwrap();
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.body["active"], true);
        assert_eq!(reply.body["cnf"]["x5t#S256"], x5t.as_str());

        let reply = call_api(&http, &env.stack.resource.api_url(), token)
            .await
            .unwrap();
        assert_eq!(reply.status, 200, "{}: {}", c.client_id, reply.body);
        assert_eq!(reply.body["client_id"], c.client_id.as_str());
        assert_eq!(reply.body["x5t#S256"], x5t.as_str());
    }
    env.stack.shutdown().await;
}

#[tokio::test]
async fn a_token_replayed_over_another_certificate_is_invalid_token() {
    let env = env(300, vec![]).await;
    let stolen = env.token_for("dn-client").await;
    for thief in ["san-client", "self-signed-client"] {
        let reply = call_api(&env.http_as(thief), &env.stack.resource.api_url(), &stolen)
            .await
            .unwrap();
        assert_invalid_token(&reply, "bound to a different certificate");
    }
    // Without any client certificate the token is refused too.
    let reply = call_api(&env.http(None), &env.stack.resource.api_url(), &stolen)
        .await
        .unwrap();
    assert_invalid_token(&reply, "no certificate was presented");
    // The owner still gets in.
    let reply = call_api(
        &env.http_as("dn-client"),
        &env.stack.resource.api_url(),
        &stolen,
    )
    .await
    .unwrap();
    assert_eq!(reply.status, 200);
    env.stack.shutdown().await;
}

#[tokio::test]
async fn a_missing_client_certificate_is_invalid_client() {
    let env = env(300, vec![]).await;
    let anonymous = env.http(None);
    let mtls = env.stack.auth.mtls_token_endpoint();
    let reply = request_token(&anonymous, &mtls, "dn-client").await.unwrap();
    assert_oauth_error(&reply, 401, "invalid_client");
    // The conventional endpoint does not ask for a certificate at all, so a client with one
    // that uses it anyway is not authenticated either.
    let conventional = format!("{}/token", env.stack.auth.issuer);
    let reply = request_token(&env.http_as("dn-client"), &conventional, "dn-client")
        .await
        .unwrap();
    assert_oauth_error(&reply, 401, "invalid_client");
    env.stack.shutdown().await;
}

#[tokio::test]
async fn a_wrong_or_missing_client_id_is_refused() {
    let env = env(300, vec![]).await;
    let endpoint = env.stack.auth.mtls_token_endpoint();
    let http = env.http_as("dn-client");
    // Another registered client's id: the certificate does not match that registration.
    for other in ["san-client", "self-signed-client"] {
        let reply = request_token(&http, &endpoint, other).await.unwrap();
        assert_oauth_error(&reply, 401, "invalid_client");
    }
    let reply = request_token(&http, &endpoint, "nobody").await.unwrap();
    assert_oauth_error(&reply, 401, "invalid_client");
    // RFC 8705 section 2: client_id is required.
    let reply = post_form(&http, &endpoint, &[("grant_type", "client_credentials")])
        .await
        .unwrap();
    assert_oauth_error(&reply, 400, "invalid_request");
    let reply = post_form(
        &http,
        &endpoint,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "dn-client"),
            ("client_id", "dn-client"),
        ],
    )
    .await
    .unwrap();
    assert_oauth_error(&reply, 400, "invalid_request");
    let reply = post_form(
        &http,
        &endpoint,
        &[("grant_type", "password"), ("client_id", "dn-client")],
    )
    .await
    .unwrap();
    assert_oauth_error(&reply, 400, "unsupported_grant_type");
    env.stack.shutdown().await;
}

#[tokio::test]
async fn a_certificate_with_the_registered_subject_but_no_trusted_chain_is_invalid_client() {
    let env = env(300, vec![]).await;
    // Self-signed, same subject DN and SAN as the PKI clients' registrations.
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params =
        rcgen::CertificateParams::new(vec!["san-client.example.com".to_string()]).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "dn-client");
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationName, "Example Corp");
    let cert = params.self_signed(&key).unwrap();
    let http = https_client(&env.pki.ca_pem, Some((&cert.pem(), &key.serialize_pem()))).unwrap();
    for client_id in ["dn-client", "san-client"] {
        let reply = request_token(&http, &env.stack.auth.mtls_token_endpoint(), client_id)
            .await
            .unwrap();
        assert_oauth_error(&reply, 401, "invalid_client");
        // Why (the chain is not trusted) goes to the AS's log, not to the client.
        assert_eq!(
            reply.body["error_description"], "client authentication failed",
            "{}",
            reply.body
        );
    }
    env.stack.shutdown().await;
}

#[tokio::test]
async fn an_expired_token_is_invalid_token() {
    let env = env(-60, vec![]).await;
    let token = env.token_for("san-client").await;
    let reply = call_api(
        &env.http_as("san-client"),
        &env.stack.resource.api_url(),
        &token,
    )
    .await
    .unwrap();
    assert_invalid_token(&reply, "expired");
    env.stack.shutdown().await;
}

#[tokio::test]
async fn the_resource_server_challenges_requests_without_a_token_and_serves_metadata() {
    let env = env(300, vec![]).await;
    let http = env.http_as("dn-client");
    let response = http.get(env.stack.resource.api_url()).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let challenge = response.headers()["www-authenticate"].to_str().unwrap();
    // RFC 6750 section 3.1: no error code when the request carried no token.
    assert!(!challenge.contains("error="), "{challenge}");
    assert!(challenge.contains("resource_metadata="), "{challenge}");

    let url = format!(
        "{}/.well-known/oauth-protected-resource",
        env.stack.resource.resource
    );
    let metadata: Value = http.get(url).send().await.unwrap().json().await.unwrap();
    assert_eq!(metadata["resource"], env.stack.resource.resource.as_str());
    assert_eq!(
        metadata["authorization_servers"][0],
        env.stack.auth.issuer.as_str()
    );
    assert_eq!(metadata["tls_client_certificate_bound_access_tokens"], true);

    let metadata = discover(&http, &env.stack.auth.issuer).await.unwrap();
    assert!(metadata.tls_client_certificate_bound_access_tokens == Some(true));
    assert_eq!(
        metadata.token_endpoint_auth_methods_supported,
        Some(vec![
            TokenEndpointAuthMethod::TlsClientAuth,
            TokenEndpointAuthMethod::SelfSignedTlsClientAuth
        ])
    );
    env.stack.shutdown().await;
}

fn client_cert_header(pem: &str) -> String {
    let der = ClientCertificate::from_pem(pem.as_bytes())
        .unwrap()
        .der()
        .to_vec();
    format!(":{}:", Base64::encode_string(&der))
}

async fn call_via_proxy(env: &Env, token: &str, forwarded_pem: &str) -> u16 {
    // The "proxy" connects without a client certificate and forwards the client's.
    env.http(None)
        .get(env.stack.resource.api_url())
        .bearer_auth(token)
        .header("client-cert", client_cert_header(forwarded_pem))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_client_cert_header_is_checked() {
    let env = env(300, vec![IpAddr::from([127, 0, 0, 1])]).await;
    let token = env.token_for("dn-client").await;
    let owner = &env.pki.client("dn-client").cert_pem;
    let thief = &env.pki.client("san-client").cert_pem;
    assert_eq!(call_via_proxy(&env, &token, owner).await, 200);
    assert_eq!(call_via_proxy(&env, &token, thief).await, 401);
    env.stack.shutdown().await;
}

#[tokio::test]
async fn a_client_cert_header_from_an_untrusted_peer_is_ignored() {
    let env = env(300, vec![IpAddr::from([192, 0, 2, 1])]).await;
    let token = env.token_for("dn-client").await;
    let owner = &env.pki.client("dn-client").cert_pem;
    // The header names the right certificate, but the peer is not the proxy.
    assert_eq!(call_via_proxy(&env, &token, owner).await, 401);
    env.stack.shutdown().await;
}

/// A plain TCP connection that never starts a TLS handshake; returns how long until the
/// server closed it (None: still open after `wait`).
async fn closed_within(
    addr: std::net::SocketAddr,
    wait: std::time::Duration,
) -> Option<std::time::Duration> {
    use tokio::io::AsyncReadExt;
    let started = std::time::Instant::now();
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut buf = [0u8; 16];
    match tokio::time::timeout(wait, tcp.read(&mut buf)).await {
        Ok(Ok(0)) | Ok(Err(_)) => Some(started.elapsed()),
        Ok(Ok(_)) => panic!("the server sent bytes before the client hello"),
        Err(_) => None,
    }
}

async fn limited_server(limits: support::tls::Limits) -> support::tls::Running {
    let dir = tempfile::tempdir().unwrap();
    let pki = support::pki::generate(dir.path()).unwrap();
    let config = support::tls::server_config(
        std::fs::read(&pki.server_cert_path).unwrap().as_slice(),
        std::fs::read(&pki.server_key_path).unwrap().as_slice(),
        rfc8705::rustls::PossessionOnlyVerifier::optional(support::tls::provider()),
    )
    .unwrap();
    let listener = support::tls::bind(0).await.unwrap();
    support::tls::spawn(listener, config, axum::Router::new(), limits).unwrap()
}

#[tokio::test]
async fn a_stalled_handshake_is_dropped_after_the_timeout() {
    use std::time::Duration;
    let server = limited_server(support::tls::Limits {
        handshake_timeout: Duration::from_millis(300),
        ..Default::default()
    })
    .await;
    let closed = closed_within(server.addr, Duration::from_secs(5)).await;
    let closed = closed.expect("the server keeps a silent connection open");
    assert!(closed >= Duration::from_millis(250), "{closed:?}");
    server.shutdown().await;
}
