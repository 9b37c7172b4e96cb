//! Interop with a certified OpenID provider and a certified client library, both real, on
//! loopback (the versions are pinned in tests/interop/node/package-lock.json):
//!
//! * node `oidc-provider` as the authorization server, with its mutual-TLS feature
//!   (`tls_client_auth`, `self_signed_tls_client_auth`, certificate-bound tokens) behind Node's
//!   https: its discovery document drives the crate's endpoint choice
//!   (`mtls_endpoint_aliases`), and its JWT and opaque (introspected) tokens, issued over mutual
//!   TLS, pass the crate's resource-server check for the certificate they were issued to and
//!   fail it for another;
//! * the reverse: `openid-client` asks the crate's example authorization server for a token
//!   over mutual TLS, and Node's own SHA-256 of the certificate equals the token's `cnf`.
//!
//! The Node side is installed by `npm ci --prefix tests/interop/node` (`.ci/run` does it). With
//! `CI` set, a missing `node` or `node_modules` fails the test; elsewhere the test says
//! `skipped: … is missing` and returns.

#[path = "../examples/support/mod.rs"]
mod support;

use std::fs::File;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64ct::{Base64UrlUnpadded, Encoding};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use rfc8705::ResourceError;
use rfc8705::cnf::{Binding, BindingPolicy, Claims, check_binding};
use rfc8705::metadata::{AuthorizationServerMetadata, TokenEndpointAuthMethod};
use rfc8705::{ClientCertificate, Thumbprint};
use serde_json::Value;
use support::client::{https_client, post_form};
use support::pki::{ClientFiles, Pki};

/// The npm project holding the scripts and their pinned packages.
const NODE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/interop/node");
/// The one resource indicator the oidc-provider script knows: its tokens are JWTs.
const RESOURCE: &str = "https://rs.example/api";
/// How long the oidc-provider process may live.
const NODE_TIME_LIMIT: Duration = Duration::from_secs(60);
/// How long one openid-client run may take (its own requests time out after 10 s).
const CLIENT_TIME_LIMIT: Duration = Duration::from_secs(30);

/// What is missing for the Node side to run here, if anything: `node`, or a package of
/// package.json absent from node_modules. A package there at another version than the one
/// pinned is a failure, not a skip: `npm ci` installs the lockfile's.
fn node_missing() -> Option<String> {
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Some("node".into());
    }
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(Path::new(NODE_DIR).join("package.json")).unwrap())
            .unwrap();
    for (name, pinned) in manifest["dependencies"].as_object().unwrap() {
        let installed = Path::new(NODE_DIR).join(format!("node_modules/{name}/package.json"));
        let Ok(installed) = std::fs::read(&installed) else {
            return Some(format!(
                "{name} in tests/interop/node/node_modules (npm ci --prefix tests/interop/node)"
            ));
        };
        let installed: Value = serde_json::from_slice(&installed).unwrap();
        assert_eq!(
            &installed["version"], pinned,
            "{name}: node_modules holds another version than package.json pins; run npm ci \
             --prefix tests/interop/node"
        );
    }
    None
}

/// Whether the Node side can run; with `CI` set, a missing component fails the test.
fn node_available() -> bool {
    let Some(what) = node_missing() else {
        return true;
    };
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    assert!(!ci, "{what} is missing (.ci/run installs it)");
    eprintln!("skipped: {what} is missing");
    false
}

/// A Node process, killed by its PID when dropped. Its standard input is a pipe it watches:
/// it exits by itself if the test goes away; it also exits at `--time-limit`.
struct NodeProcess {
    child: Child,
    stdout: PathBuf,
    stderr: PathBuf,
}

impl NodeProcess {
    fn spawn(dir: &Path, name: &str, script: &str, args: &[String]) -> Self {
        let stdout = dir.join(format!("{name}.stdout"));
        let stderr = dir.join(format!("{name}.stderr"));
        let child = Command::new("node")
            .current_dir(NODE_DIR)
            .arg(script)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(File::create(&stdout).unwrap())
            .stderr(File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        Self {
            child,
            stdout,
            stderr,
        }
    }

    fn output(&self) -> String {
        format!(
            "stdout:\n{}\nstderr:\n{}",
            std::fs::read_to_string(&self.stdout).unwrap_or_default(),
            std::fs::read_to_string(&self.stderr).unwrap_or_default()
        )
    }

    /// Waits (at most 20 s) until the process has said `ready` (printed once all its
    /// listeners are bound) and every address accepts a connection; an error with its output
    /// if it exits first or takes too long.
    fn wait_for(&mut self, addrs: &[SocketAddr]) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Err(format!("node exited ({status})\n{}", self.output()));
            }
            let ready = std::fs::read_to_string(&self.stdout).unwrap_or_default();
            if ready.lines().any(|l| l == "ready")
                && addrs
                    .iter()
                    .all(|a| TcpStream::connect_timeout(a, Duration::from_millis(200)).is_ok())
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("{addrs:?} not ready in 20 s\n{}", self.output()));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits (at most `CLIENT_TIME_LIMIT`) for the process to exit 0; returns its stdout.
    fn finish(mut self) -> String {
        let deadline = Instant::now() + CLIENT_TIME_LIMIT;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "node timed out\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(status.success(), "node: {status}\n{}", self.output());
        std::fs::read_to_string(&self.stdout).unwrap()
    }
}

impl Drop for NodeProcess {
    fn drop(&mut self) {
        // By PID, never by name.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Two distinct free loopback ports.
fn free_ports() -> (u16, u16) {
    let a = TcpListener::bind("127.0.0.1:0").unwrap();
    let b = TcpListener::bind("127.0.0.1:0").unwrap();
    (
        a.local_addr().unwrap().port(),
        b.local_addr().unwrap().port(),
    )
}

fn der_of(client: &ClientFiles) -> Vec<u8> {
    ClientCertificate::from_pem(client.cert_pem.as_bytes())
        .unwrap()
        .der()
        .to_vec()
}

/// Another certificate for the same key pair (self-signed, named after the client): a token
/// bound to the client's certificate is bound to that certificate, not to its key.
fn same_key_other_certificate(client: &ClientFiles) -> Vec<u8> {
    let key = rcgen::KeyPair::from_pem(&client.key_pem).unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, client.client_id.as_str());
    params.self_signed(&key).unwrap().der().to_vec()
}

/// The payload of `jwt` after its ES256 signature was verified with the issuer's JWK Set
/// (and its `iss`, `exp` and, when given, `aud`): the bytes the resource server reads.
async fn verified_payload(
    http: &reqwest::Client,
    jwks_uri: &str,
    jwt: &str,
    issuer: &str,
    audience: Option<&str>,
) -> Vec<u8> {
    let jwks: JwkSet = http
        .get(jwks_uri)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let header = jsonwebtoken::decode_header(jwt).unwrap();
    assert_eq!(header.alg, Algorithm::ES256, "{header:?}");
    let jwk = jwks.find(header.kid.as_deref().unwrap()).unwrap();
    let mut validation = Validation::new(Algorithm::ES256);
    validation.set_issuer(&[issuer]);
    match audience {
        Some(aud) => validation.set_audience(&[aud]),
        None => validation.validate_aud = false,
    }
    jsonwebtoken::decode::<Value>(jwt, &DecodingKey::from_jwk(jwk).unwrap(), &validation)
        .unwrap_or_else(|e| panic!("{jwt}: {e}"));
    Base64UrlUnpadded::decode_vec(jwt.split('.').nth(1).unwrap()).unwrap()
}

/// The crate's resource-server check on `claims` (a verified JWT payload or an introspection
/// response): bound to `own` (the crate's thumbprint of it), refused with `invalid_token` for
/// `other`, for another certificate of `own`'s key, and for no certificate.
fn assert_bound_to(claims: &[u8], own: &ClientFiles, other: &ClientFiles, what: &str) {
    let claims = Claims::Json(claims);
    let own_der = der_of(own);
    let expected = ClientCertificate::from_der(&own_der).unwrap().thumbprint();
    assert_eq!(
        check_binding(BindingPolicy::Required, claims, Some(&expected), None),
        Ok(Binding::Bound {
            certificate: Some(expected),
            dpop_jkt: None
        }),
        "{what}: {}'s certificate",
        own.client_id
    );
    for wrong in [der_of(other), same_key_other_certificate(own)] {
        let wrong = Thumbprint::from_der(&wrong).unwrap();
        let err =
            check_binding(BindingPolicy::Required, claims, Some(&wrong), None).expect_err(what);
        assert_eq!(err, ResourceError::CertificateMismatch, "{what}");
        assert!(
            err.challenge()
                .to_string()
                .contains("error=\"invalid_token\""),
            "{what}"
        );
    }
    assert_eq!(
        check_binding(BindingPolicy::Required, claims, None, None),
        Err(ResourceError::NoCertificate),
        "{what}"
    );
}

/// Starts the oidc-provider script on two free ports (public, mutual TLS) with the files of
/// `pki`; returns the process, the issuer and the mutual-TLS port.
fn start_oidc_provider(pki: &Pki) -> (NodeProcess, String, u16) {
    // A port taken between free_ports and node's listen makes node exit: try again (3 times).
    let mut last = String::new();
    for _ in 0..3 {
        let (public, mtls) = free_ports();
        let args = [
            "--dir".to_string(),
            pki.dir.display().to_string(),
            "--public-port".into(),
            public.to_string(),
            "--mtls-port".into(),
            mtls.to_string(),
            "--time-limit".into(),
            NODE_TIME_LIMIT.as_secs().to_string(),
        ];
        let mut node = NodeProcess::spawn(&pki.dir, "oidc-provider", "oidc_provider_as.mjs", &args);
        let addrs = [public, mtls].map(|p| SocketAddr::from(([127, 0, 0, 1], p)));
        match node.wait_for(&addrs) {
            Ok(()) => return (node, format!("https://127.0.0.1:{public}"), mtls),
            Err(output) => last = output,
        }
    }
    panic!("oidc-provider did not start\n{last}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oidc_provider_tokens_pass_the_crates_binding_check() {
    if !node_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pki = support::pki::generate(dir.path()).unwrap();
    let (node, issuer, mtls_port) = start_oidc_provider(&pki);
    let mtls_base = format!("https://127.0.0.1:{mtls_port}");

    // Discovery (OpenID Connect Discovery 1.0), read with the crate's type.
    let public = https_client(&pki.ca_pem, None).unwrap();
    let url = format!("{issuer}/.well-known/openid-configuration");
    let body = public
        .get(&url)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let metadata = AuthorizationServerMetadata::from_json(&body).unwrap();
    metadata.validate().unwrap();
    assert_eq!(metadata.issuer, issuer);
    assert_eq!(
        metadata.tls_client_certificate_bound_access_tokens,
        Some(true)
    );
    let methods = metadata
        .token_endpoint_auth_methods_supported
        .clone()
        .unwrap();
    assert!(
        methods.contains(&TokenEndpointAuthMethod::TlsClientAuth),
        "{methods:?}"
    );
    assert!(
        methods.contains(&TokenEndpointAuthMethod::SelfSignedTlsClientAuth),
        "{methods:?}"
    );
    // The crate picks the alias the provider advertises (read here as plain JSON) for a client
    // doing mutual TLS, and the top-level URL otherwise.
    let raw: Value = serde_json::from_slice(&body).unwrap();
    let token_url = metadata
        .endpoint("token_endpoint", true)
        .unwrap()
        .to_owned();
    let introspection_url = metadata
        .endpoint("introspection_endpoint", true)
        .unwrap()
        .to_owned();
    assert_eq!(
        raw["mtls_endpoint_aliases"]["token_endpoint"],
        token_url.as_str()
    );
    assert_eq!(
        raw["mtls_endpoint_aliases"]["introspection_endpoint"],
        introspection_url.as_str()
    );
    assert!(token_url.starts_with(&mtls_base), "{token_url}");
    assert_eq!(
        metadata.endpoint("token_endpoint", false),
        raw["token_endpoint"].as_str()
    );
    assert!(raw["token_endpoint"].as_str().unwrap().starts_with(&issuer));
    let jwks_uri = metadata.jwks_uri.clone().unwrap();

    let clients = [
        (pki.client("dn-client"), pki.client("self-signed-client")),
        (pki.client("self-signed-client"), pki.client("dn-client")),
    ];
    for (client, other) in clients {
        let id = client.client_id.as_str();
        let http = https_client(&pki.ca_pem, Some((&client.cert_pem, &client.key_pem))).unwrap();
        let grant = [("grant_type", "client_credentials"), ("client_id", id)];

        // The top-level token endpoint asks for no certificate: the same request is refused
        // there, so the alias is the one that works.
        let reply = post_form(&http, raw["token_endpoint"].as_str().unwrap(), &grant)
            .await
            .unwrap();
        assert_eq!(reply.status, 401, "{id}: {}", reply.body);
        assert_eq!(reply.body["error"], "invalid_client", "{id}");

        // A JWT access token (RFC 9068) for the resource: signature verified with the
        // provider's JWK Set, then the crate's check on its claims.
        let mut jwt_grant = grant.to_vec();
        jwt_grant.push(("resource", RESOURCE));
        let reply = post_form(&http, &token_url, &jwt_grant).await.unwrap();
        assert_eq!(reply.status, 200, "{id}: {}\n{}", reply.body, node.output());
        let jwt = reply.body["access_token"].as_str().unwrap();
        let payload = verified_payload(&public, &jwks_uri, jwt, &issuer, Some(RESOURCE)).await;
        assert_bound_to(&payload, client, other, &format!("{id}'s JWT"));

        // An opaque token, and its introspection response (RFC 7662, with `cnf` per RFC 8705
        // section 3.2) from the alias, by the same client over mutual TLS.
        let reply = post_form(&http, &token_url, &grant).await.unwrap();
        assert_eq!(reply.status, 200, "{id}: {}", reply.body);
        let opaque = reply.body["access_token"].as_str().unwrap();
        assert_eq!(opaque.split('.').count(), 1, "{id}: not opaque: {opaque}");
        let reply = post_form(
            &http,
            &introspection_url,
            &[("client_id", id), ("token", opaque)],
        )
        .await
        .unwrap();
        assert_eq!(reply.status, 200, "{id}: {}", reply.body);
        assert_eq!(reply.body["active"], true, "{id}: {}", reply.body);
        let introspection = serde_json::to_vec(&reply.body).unwrap();
        assert_bound_to(
            &introspection,
            client,
            other,
            &format!("{id}'s introspection"),
        );
    }
    drop(node);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openid_client_gets_a_token_bound_to_its_certificate_from_the_example_as() {
    if !node_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pki = support::pki::generate(dir.path()).unwrap();
    let stack = support::start_stack(&pki, 300, vec![]).await.unwrap();
    let issuer = stack.auth.issuer.clone();
    let alias = stack.auth.mtls_token_endpoint();
    let public = https_client(&pki.ca_pem, None).unwrap();

    for (i, client) in pki.clients.iter().enumerate() {
        let id = client.client_id.clone();
        let args = [
            "--issuer".to_string(),
            issuer.clone(),
            "--ca".into(),
            pki.ca_path.display().to_string(),
            "--cert".into(),
            client.cert_path.display().to_string(),
            "--key".into(),
            client.key_path.display().to_string(),
            "--client-id".into(),
            id.clone(),
        ];
        let node = NodeProcess::spawn(&pki.dir, &id, "openid_client_cc.mjs", &args);
        let stdout = tokio::task::spawn_blocking(move || node.finish())
            .await
            .unwrap();
        let out: Value = serde_json::from_str(stdout.trim()).unwrap();

        // openid-client followed the metadata to the aliases (RFC 8705 section 5): discovery,
        // then the token and introspection requests, each at its alias and nowhere else.
        let aliases = &out["metadata_mtls_endpoint_aliases"];
        assert_eq!(aliases["token_endpoint"], alias.as_str(), "{id}: {out}");
        let introspection_alias = aliases["introspection_endpoint"].as_str().unwrap();
        assert_eq!(
            out["called"],
            serde_json::json!([
                format!("GET {issuer}/.well-known/oauth-authorization-server"),
                format!("POST {alias}"),
                format!("POST {introspection_alias}"),
            ]),
            "{id}"
        );
        assert_ne!(introspection_alias, format!("{issuer}/introspect"));

        // Node's own SHA-256 of the certificate it presented is the token's cnf, and the
        // crate's thumbprint of the same file.
        let node_x5t = out["node_x5t_s256"].as_str().unwrap();
        assert_eq!(out["cnf"]["x5t#S256"], node_x5t, "{id}: {out}");
        assert_eq!(out["introspection"]["cnf"], out["cnf"], "{id}: {out}");
        assert_eq!(out["introspection"]["active"], true, "{id}: {out}");
        let own = ClientCertificate::from_pem(client.cert_pem.as_bytes()).unwrap();
        assert_eq!(own.thumbprint().to_string(), node_x5t, "{id}");

        // The crate's resource-server check accepts the token with that certificate and no
        // other.
        let jwt = out["access_token"].as_str().unwrap();
        let payload = verified_payload(
            &public,
            &format!("{issuer}/jwks"),
            jwt,
            &issuer,
            Some(&stack.resource.resource),
        )
        .await;
        let other = &pki.clients[(i + 1) % pki.clients.len()];
        assert_bound_to(
            &payload,
            client,
            other,
            &format!("openid-client {id}'s JWT"),
        );
    }
    stack.shutdown().await;
}
