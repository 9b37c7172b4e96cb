//! The seed article's steps with the real `curl` binary: fetch a token from the example
//! authorization server over mutual TLS (`--cert`, `--key`, `--cacert`, client_credentials),
//! check that the token's `cnf` is the thumbprint of the certificate curl presented, and call
//! the resource server with it.

#[path = "../examples/support/mod.rs"]
mod support;

use std::process::Command;

use rfc8705::ClientCertificate;
use serde_json::Value;
use support::pki::ClientFiles;

fn curl_available() -> bool {
    Command::new("curl")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs curl; returns (HTTP status, response headers, body).
async fn curl(args: Vec<String>) -> (u16, String, String) {
    tokio::task::spawn_blocking(move || {
        let headers = tempfile::NamedTempFile::new().unwrap();
        let out = Command::new("curl")
            .args(["--silent", "--show-error", "--max-time", "20"])
            .args(["--write-out", "\n%{http_code}", "--dump-header"])
            .arg(headers.path())
            .args(&args)
            .output()
            .expect("run curl");
        assert!(
            out.status.success(),
            "curl {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        let (body, status) = stdout.rsplit_once('\n').unwrap();
        let headers = std::fs::read_to_string(headers.path()).unwrap();
        (status.trim().parse().unwrap(), headers, body.to_owned())
    })
    .await
    .unwrap()
}

fn tls_args(ca: &str, client: Option<&ClientFiles>) -> Vec<String> {
    let mut args = vec!["--cacert".to_string(), ca.to_string()];
    if let Some(c) = client {
        args.extend([
            "--key".into(),
            c.key_path.display().to_string(),
            "--cert".into(),
            c.cert_path.display().to_string(),
        ]);
    }
    args
}

/// The seed article's token request.
async fn token_request(
    ca: &str,
    client: Option<&ClientFiles>,
    client_id: &str,
    endpoint: &str,
) -> (u16, Value) {
    let mut args = tls_args(ca, client);
    args.extend(
        [
            "--header",
            "Content-Type: application/x-www-form-urlencoded",
            "--data-urlencode",
            "grant_type=client_credentials",
            "--data-urlencode",
        ]
        .map(String::from),
    );
    args.push(format!("client_id={client_id}"));
    args.extend(["--request".into(), "POST".into(), endpoint.into()]);
    let (status, _, body) = curl(args).await;
    (status, serde_json::from_str(&body).unwrap())
}

async fn api_call(ca: &str, client: &ClientFiles, token: &str, api: &str) -> (u16, String) {
    let mut args = tls_args(ca, Some(client));
    args.extend([
        "--header".into(),
        format!("Authorization: Bearer {token}"),
        api.into(),
    ]);
    let (status, headers, _) = curl(args).await;
    (status, headers)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curl_gets_a_token_bound_to_the_certificate_it_presented() {
    if !curl_available() {
        eprintln!("SKIPPED: the curl binary is not installed (.ci/run installs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pki = support::pki::generate(dir.path()).unwrap();
    let stack = support::start_stack(&pki, 300, vec![]).await.unwrap();
    let ca = pki.ca_path.display().to_string();
    let endpoint = stack.auth.mtls_token_endpoint();
    let api = stack.resource.api_url();

    let mut tokens = Vec::new();
    for c in &pki.clients {
        let (status, body) = token_request(&ca, Some(c), &c.client_id, &endpoint).await;
        assert_eq!(status, 200, "{}: {body}", c.client_id);
        let token = body["access_token"].as_str().unwrap().to_owned();
        let claims = support::client::unverified_claims(&token).unwrap();
        // The certificate curl presented is the file it was given.
        let presented = ClientCertificate::from_pem(&std::fs::read(&c.cert_path).unwrap())
            .unwrap()
            .thumbprint()
            .to_string();
        assert_eq!(
            claims["cnf"]["x5t#S256"],
            presented.as_str(),
            "{}",
            c.client_id
        );

        let (status, _) = api_call(&ca, c, &token, &api).await;
        assert_eq!(status, 200, "{}", c.client_id);
        tokens.push(token);
    }

    // Replay: the second client presents the first client's token.
    let (status, headers) = api_call(&ca, &pki.clients[1], &tokens[0], &api).await;
    assert_eq!(status, 401);
    let challenge = headers
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("www-authenticate:"))
        .unwrap_or_default();
    assert!(challenge.contains("error=\"invalid_token\""), "{headers}");

    // Without --cert/--key: invalid_client.
    let (status, body) = token_request(&ca, None, "dn-client", &endpoint).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"], "invalid_client");

    stack.shutdown().await;
}
