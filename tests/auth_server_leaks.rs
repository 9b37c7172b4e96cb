//! What the example authorization server tells a client that is not who it claims to be, and
//! whose tokens a client may introspect: a failed client authentication is one `invalid_client`
//! response whatever the reason (an unknown `client_id` looks like a wrong certificate), it
//! names no subject and no thumbprint, and only the registry's resource servers may introspect
//! other clients' tokens.

#[path = "../examples/support/mod.rs"]
mod support;

use rfc8705::ClientCertificate;
use serde_json::{Value, json};
use support::auth_server::Registry;
use support::client::{https_client, request_token};
use support::pki::Pki;
use support::{Stack, start_stack};

struct Env {
    _dir: tempfile::TempDir,
    pki: Pki,
    stack: Stack,
}

/// The demo PKI and stack; `resource_servers` goes into the registry file first.
async fn env(resource_servers: &[&str]) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let pki = support::pki::generate(dir.path()).unwrap();
    let mut registry: Value =
        serde_json::from_str(&std::fs::read_to_string(&pki.registry_path).unwrap()).unwrap();
    registry["resource_servers"] = json!(resource_servers);
    std::fs::write(&pki.registry_path, registry.to_string()).unwrap();
    let stack = start_stack(&pki, 300, vec![]).await.unwrap();
    Env {
        _dir: dir,
        pki,
        stack,
    }
}

impl Env {
    fn http_as(&self, client_id: &str) -> reqwest::Client {
        let c = self.pki.client(client_id);
        https_client(&self.pki.ca_pem, Some((&c.cert_pem, &c.key_pem))).unwrap()
    }

    fn anonymous(&self) -> reqwest::Client {
        https_client(&self.pki.ca_pem, None).unwrap()
    }

    fn mtls(&self, path: &str) -> String {
        format!("https://{}/{path}", self.stack.auth.mtls.addr)
    }

    async fn token_for(&self, client_id: &str) -> String {
        let reply = request_token(&self.http_as(client_id), &self.mtls("token"), client_id)
            .await
            .unwrap();
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.body["access_token"].as_str().unwrap().to_owned()
    }
}

/// A response as the client sees it: status, every header but `date`, and the body's bytes.
#[derive(Debug, PartialEq, Eq)]
struct Raw {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

async fn raw(http: &reqwest::Client, url: &str, form: &[(&str, &str)]) -> Raw {
    let response = http.post(url).form(form).send().await.unwrap();
    let status = response.status().as_u16();
    let mut headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .filter(|(name, _)| *name != reqwest::header::DATE)
        .map(|(name, value)| {
            (
                name.to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    headers.sort();
    let body = response.text().await.unwrap();
    Raw {
        status,
        headers,
        body,
    }
}

fn token_form(client_id: &str) -> [(&str, &str); 2] {
    [
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
    ]
}

/// A self-signed certificate with dn-client's subject DN and san-client's DNS SAN: the
/// registered subjects, without a chain to the CA.
fn impostor() -> (String, String) {
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params =
        rcgen::CertificateParams::new(vec!["san-client.example.com".to_string()]).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationName, "Example Corp");
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "dn-client");
    let cert = params.self_signed(&key).unwrap();
    (cert.pem(), key.serialize_pem())
}

fn thumbprint_of(pem: &str) -> String {
    ClientCertificate::from_pem(pem.as_bytes())
        .unwrap()
        .thumbprint()
        .to_string()
}

/// Every way of failing client authentication, at `path` (`token` or `introspect`) on the
/// mutual-TLS listener, with the form `form(client_id)`; labelled for the assertions.
async fn failures(
    env: &Env,
    path: &str,
    form: impl Fn(&str) -> Vec<(&'static str, String)>,
) -> Vec<(String, Raw)> {
    let (impostor_cert, impostor_key) = impostor();
    let impostor = https_client(&env.pki.ca_pem, Some((&impostor_cert, &impostor_key))).unwrap();
    let url = env.mtls(path);
    let cases: Vec<(&str, reqwest::Client, &str)> = vec![
        ("unknown client_id", env.http_as("dn-client"), "nobody"),
        (
            "unknown client_id, no certificate",
            env.anonymous(),
            "nobody",
        ),
        (
            "unknown client_id, untrusted certificate",
            impostor.clone(),
            "nobody",
        ),
        (
            "another PKI client's certificate (subject DN registration)",
            env.http_as("san-client"),
            "dn-client",
        ),
        (
            "another PKI client's certificate (DNS SAN registration)",
            env.http_as("dn-client"),
            "san-client",
        ),
        (
            "another client's certificate (self-signed registration)",
            env.http_as("dn-client"),
            "self-signed-client",
        ),
        ("no certificate", env.anonymous(), "dn-client"),
        (
            "the registered subject DN, untrusted chain",
            impostor.clone(),
            "dn-client",
        ),
        (
            "the registered DNS SAN, untrusted chain",
            impostor,
            "san-client",
        ),
    ];
    let mut out = Vec::new();
    for (label, http, client_id) in cases {
        let form = form(client_id);
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        out.push((label.to_owned(), raw(&http, &url, &form).await));
    }
    // The conventional endpoint asks for no certificate, so a client that has one is not
    // authenticated there either.
    let conventional = format!("{}/{path}", env.stack.auth.issuer);
    let form = form("dn-client");
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    out.push((
        "the conventional endpoint".to_owned(),
        raw(&env.http_as("dn-client"), &conventional, &form).await,
    ));
    out
}

fn assert_all_identical(responses: &[(String, Raw)]) {
    let (first_label, first) = &responses[0];
    assert_eq!(first.status, 401, "{first:?}");
    let body: Value = serde_json::from_str(&first.body).unwrap();
    assert_eq!(body["error"], "invalid_client", "{}", first.body);
    for (label, response) in responses {
        assert_eq!(
            response, first,
            "`{label}` and `{first_label}` can be told apart"
        );
    }
}

/// What the registry and the certificates say about the clients, none of which a failed
/// authentication may echo.
fn secrets(env: &Env) -> Vec<String> {
    let mut secrets: Vec<String> = [
        "O=Example Corp,CN=dn-client",
        "CN=dn-client",
        "Example Corp",
        "workload 7",
        "san-client.example.com",
        "CN=self-signed-client",
        "subject",
        "certificate",
        "chain",
        "registered",
        "127.0.0.1",
    ]
    .map(String::from)
    .to_vec();
    for c in &env.pki.clients {
        secrets.push(thumbprint_of(&c.cert_pem));
    }
    secrets
}

#[tokio::test]
async fn every_failed_token_request_gets_one_identical_invalid_client_response() {
    let env = env(&[]).await;
    let responses = failures(&env, "token", |client_id| {
        vec![
            ("grant_type", "client_credentials".to_owned()),
            ("client_id", client_id.to_owned()),
        ]
    })
    .await;
    assert_all_identical(&responses);
    let (_, response) = &responses[0];
    assert_eq!(
        response.body,
        r#"{"error":"invalid_client","error_description":"client authentication failed"}"#
    );
    assert!(
        response
            .headers
            .contains(&("cache-control".into(), "no-store".into())),
        "{response:?}"
    );
    assert!(
        response
            .headers
            .contains(&("content-type".into(), "application/json".into())),
        "{response:?}"
    );
    env.stack.shutdown().await;
}

#[tokio::test]
async fn every_failed_introspection_request_gets_the_same_invalid_client_response() {
    let env = env(&[]).await;
    let token = env.token_for("dn-client").await;
    let introspection = failures(&env, "introspect", |client_id| {
        vec![
            ("token", token.clone()),
            ("client_id", client_id.to_owned()),
        ]
    })
    .await;
    assert_all_identical(&introspection);
    // The same as the token endpoint's.
    let at_token_endpoint = raw(
        &env.anonymous(),
        &env.mtls("token"),
        &token_form("dn-client"),
    )
    .await;
    assert_eq!(introspection[0].1, at_token_endpoint);
    env.stack.shutdown().await;
}

#[tokio::test]
async fn no_failure_response_names_a_subject_or_a_thumbprint() {
    let env = env(&[]).await;
    let secrets = secrets(&env);
    let token = env.token_for("san-client").await;
    let mut responses = failures(&env, "token", |client_id| {
        vec![
            ("grant_type", "client_credentials".to_owned()),
            ("client_id", client_id.to_owned()),
        ]
    })
    .await;
    responses.extend(
        failures(&env, "introspect", |client_id| {
            vec![
                ("token", token.clone()),
                ("client_id", client_id.to_owned()),
            ]
        })
        .await,
    );
    for (label, response) in &responses {
        let everything = format!("{:?}{}", response.headers, response.body);
        for secret in &secrets {
            assert!(
                !everything.contains(secret.as_str()),
                "`{label}`: the response contains {secret:?}: {everything}"
            );
        }
    }
    env.stack.shutdown().await;
}

async fn introspect(env: &Env, caller: &str, token: &str) -> Raw {
    raw(
        &env.http_as(caller),
        &env.mtls("introspect"),
        &[("token", token), ("client_id", caller)],
    )
    .await
}

#[tokio::test]
async fn only_resource_servers_introspect_other_clients_tokens() {
    // san-client stands for a resource server with a client registration.
    let env = env(&["san-client"]).await;
    let token = env.token_for("dn-client").await;
    let x5t = thumbprint_of(&env.pki.client("dn-client").cert_pem);

    // The resource server sees it.
    let response = introspect(&env, "san-client", &token).await;
    assert_eq!(response.status, 200, "{response:?}");
    let body: Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(body["active"], true, "{body}");
    assert_eq!(body["client_id"], "dn-client", "{body}");
    assert_eq!(body["cnf"]["x5t#S256"], x5t.as_str(), "{body}");

    // So does the client it was issued to.
    let response = introspect(&env, "dn-client", &token).await;
    assert_eq!(response.status, 200, "{response:?}");
    let body: Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(body["active"], true, "{body}");
    assert_eq!(body["cnf"]["x5t#S256"], x5t.as_str(), "{body}");

    // Another client that is not a resource server: inactive, exactly as for a token that
    // does not exist, so it cannot tell whether the token is real.
    let other = introspect(&env, "self-signed-client", &token).await;
    assert_eq!(other.status, 200, "{other:?}");
    assert_eq!(other.body, r#"{"active":false}"#);
    assert!(!other.body.contains(&x5t), "{other:?}");
    let forged = format!("{}x", &token[..token.len() - 1]);
    for not_a_token in ["no-such-token", forged.as_str()] {
        assert_eq!(
            introspect(&env, "self-signed-client", not_a_token).await,
            other,
            "{not_a_token}"
        );
    }
    // And the resource server's and owner's answers for a token that does not exist are the
    // same inactive response.
    for caller in ["san-client", "dn-client"] {
        assert_eq!(introspect(&env, caller, "no-such-token").await, other);
    }
    env.stack.shutdown().await;
}

#[tokio::test]
async fn without_resource_servers_a_client_introspects_only_its_own_tokens() {
    let env = env(&[]).await;
    let tokens = [
        ("dn-client", env.token_for("dn-client").await),
        ("san-client", env.token_for("san-client").await),
        (
            "self-signed-client",
            env.token_for("self-signed-client").await,
        ),
    ];
    for (owner, token) in &tokens {
        for (caller, _) in &tokens {
            let response = introspect(&env, caller, token).await;
            assert_eq!(response.status, 200, "{response:?}");
            let body: Value = serde_json::from_str(&response.body).unwrap();
            assert_eq!(
                body["active"],
                owner == caller,
                "{caller} on {owner}'s: {body}"
            );
        }
    }
    env.stack.shutdown().await;
}

#[test]
fn the_registry_refuses_a_resource_server_that_is_not_a_client() {
    let registry = |resource_servers: Value| {
        json!({
            "clients": [{
                "client_id": "rs",
                "token_endpoint_auth_method": "tls_client_auth",
                "tls_client_auth_subject_dn": "CN=rs"
            }],
            "resource_servers": resource_servers,
        })
        .to_string()
    };
    assert_eq!(
        Registry::from_json(&registry(json!(["rs"])))
            .unwrap()
            .resource_servers,
        ["rs"]
    );
    let err = Registry::from_json(&registry(json!(["rs", "sr"]))).unwrap_err();
    assert!(err.contains("\"sr\""), "{err}");
    // Absent: no resource servers.
    let none = json!({"clients": []}).to_string();
    assert!(
        Registry::from_json(&none)
            .unwrap()
            .resource_servers
            .is_empty()
    );
}
