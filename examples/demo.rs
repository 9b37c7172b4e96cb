//! The whole RFC 8705 flow on loopback, in one command:
//!
//! ```text
//! cargo run --example demo
//! ```
//!
//! It generates a throwaway PKI in a temporary directory, starts the authorization server and
//! the resource server in-process on free ports, and for each registered client (a
//! `tls_client_auth` client registered by subject DN, one by DNS SAN, and a
//! `self_signed_tls_client_auth` client) discovers the mutual-TLS token endpoint, fetches a
//! certificate-bound token and calls the API. Then it shows the attack that binding stops:
//! another client replays the first client's token over its own certificate and gets
//! `401 invalid_token`. The same over gRPC: a tonic service behind the same layer answers the
//! owner and refuses the replay with `UNAUTHENTICATED`. Last, proxy mode: a resource server that
//! trusts `Client-Cert` only from its proxy's address range. Each step prints what it saw and
//! the equivalent curl command. The exit status is 0 only if every step behaved as expected.
//! `--keep` keeps the generated files.

#[path = "support/mod.rs"]
mod support;

#[path = "support/grpc.rs"]
mod grpc;

use std::net::IpAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use base64ct::{Base64, Encoding};
use rfc8705::ClientCertificate;
use support::client::{self, Reply};
use support::resource_server::{Verifier, fetch_keys};

struct Checks {
    failed: usize,
}

impl Checks {
    fn expect(&mut self, what: &str, ok: bool) {
        println!("    {} {what}", if ok { "ok  " } else { "FAIL" });
        if !ok {
            self.failed += 1;
        }
    }
}

fn show(reply: &Reply) -> String {
    match &reply.www_authenticate {
        Some(challenge) => format!("HTTP {}  WWW-Authenticate: {challenge}", reply.status),
        None => format!("HTTP {}", reply.status),
    }
}

async fn run(checks: &mut Checks, keep: bool) -> Result<(), String> {
    let mut dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    dir.disable_cleanup(keep);
    let pki = support::pki::generate(dir.path()).map_err(|e| e.to_string())?;
    println!(
        "1. Throwaway PKI in {}{}",
        pki.dir.display(),
        if keep {
            " (kept)"
        } else {
            " (removed at exit; --keep keeps it for the curl commands)"
        }
    );
    for c in &pki.clients {
        println!("   {:<20} {}", c.client_id, c.kind);
    }

    let stack = support::start_stack(&pki, 300, Vec::new()).await?;
    let issuer = stack.auth.issuer.clone();
    let api = stack.resource.api_url();
    println!(
        "\n2. Authorization server {issuer} (mTLS aliases on {})",
        stack.auth.mtls.addr
    );
    println!("   Resource server      {}", stack.resource.resource);

    let ca = pki.ca_path.display().to_string();
    let mut tokens = Vec::new();
    for (n, c) in pki.clients.iter().enumerate() {
        println!("\n3.{} {} ({})", n + 1, c.client_id, c.kind);
        let http = client::https_client(&pki.ca_pem, Some((&c.cert_pem, &c.key_pem)))?;
        let metadata = client::discover(&http, &issuer).await?;
        let token_endpoint = client::mtls_token_endpoint(&metadata)?;
        println!("    token endpoint (mtls_endpoint_aliases): {token_endpoint}");
        let (cert, key) = (c.cert_path.display(), c.key_path.display());
        println!(
            "    $ curl --cacert {ca} --cert {cert} --key {key} \\\n        \
             --data-urlencode grant_type=client_credentials --data-urlencode client_id={} \\\n        \
             {token_endpoint}",
            c.client_id
        );
        let reply = client::request_token(&http, &token_endpoint, &c.client_id).await?;
        if reply.status == 200 {
            println!("    token request: {}", show(&reply));
        } else {
            println!("    token request: {}  {}", show(&reply), reply.body);
        }
        checks.expect("token issued (200)", reply.status == 200);
        let token = reply.body["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let cnf = client::unverified_claims(&token).map(|c| c["cnf"].clone());
        let presented = ClientCertificate::from_pem(c.cert_pem.as_bytes())
            .map_err(|e| e.to_string())?
            .thumbprint()
            .to_string();
        println!(
            "    token cnf:                       {}",
            cnf.clone().unwrap_or_default()
        );
        println!("    x5t#S256 of the certificate:     {presented}");
        checks.expect(
            "cnf.x5t#S256 is the thumbprint of the presented certificate",
            cnf.as_ref().and_then(|c| c["x5t#S256"].as_str()) == Some(presented.as_str()),
        );

        println!(
            "    $ curl --cacert {ca} --cert {cert} --key {key} \\\n        \
             -H \"Authorization: Bearer $TOKEN\" {api}"
        );
        let reply = client::call_api(&http, &api, &token).await?;
        println!("    API call: {}  {}", show(&reply), reply.body);
        checks.expect("API answers 200", reply.status == 200);
        tokens.push((c.clone(), token));
    }

    println!("\n4. Without a client certificate, at the mTLS token endpoint");
    let anonymous = client::https_client(&pki.ca_pem, None)?;
    let token_endpoint = stack.auth.mtls_token_endpoint();
    let reply = client::request_token(&anonymous, &token_endpoint, "dn-client").await?;
    println!("    token request: {}  {}", show(&reply), reply.body);
    checks.expect(
        "401 invalid_client",
        reply.status == 401 && reply.body["error"] == "invalid_client",
    );

    let (victim, stolen) = &tokens[0];
    let thief = &pki.clients[1];
    println!(
        "\n5. The attack: {} replays {}'s token over its own certificate",
        thief.client_id, victim.client_id
    );
    let http = client::https_client(&pki.ca_pem, Some((&thief.cert_pem, &thief.key_pem)))?;
    println!(
        "    $ curl --cacert {ca} --cert {} --key {} \\\n        \
         -H \"Authorization: Bearer $STOLEN_TOKEN\" {api}",
        thief.cert_path.display(),
        thief.key_path.display()
    );
    let reply = client::call_api(&http, &api, stolen).await?;
    println!("    API call: {}", show(&reply));
    checks.expect(
        "401 with WWW-Authenticate error=\"invalid_token\"",
        reply.status == 401
            && reply
                .www_authenticate
                .as_deref()
                .is_some_and(|c| c.contains("error=\"invalid_token\"")),
    );

    println!("\n6. The same resource over gRPC (tonic, HTTP/2, mutual TLS)");
    let verifier = Arc::new(Verifier {
        keys: fetch_keys(&issuer, &pki.ca_pem).await?,
        issuer: issuer.clone(),
        resource: stack.resource.resource.clone(),
        metadata_url: rfc8705::metadata::protected_resource_metadata_url(&stack.resource.resource)
            .map_err(|e| e.to_string())?,
    });
    let listener = support::tls::bind(0).await.map_err(|e| e.to_string())?;
    let read = |p: &std::path::Path| std::fs::read_to_string(p).map_err(|e| e.to_string());
    let (cert_pem, key_pem) = (read(&pki.server_cert_path)?, read(&pki.server_key_path)?);
    let grpc_server = grpc::start(listener, &cert_pem, &key_pem, verifier)?;
    println!("    rfc8705.demo.Greeter/Hello on {}", grpc_server.addr);
    let owner = (victim.cert_pem.as_str(), victim.key_pem.as_str());
    match grpc::call_hello(grpc_server.addr, &pki.ca_pem, owner, stolen).await? {
        Ok(reply) => {
            println!(
                "    {} calls with its token: OK {:?}",
                victim.client_id, reply.message
            );
            checks.expect("gRPC call answered", reply.x5t_s256.len() == 43);
        }
        Err(status) => {
            println!("    {} calls with its token: {status}", victim.client_id);
            checks.expect("gRPC call answered", false);
        }
    }
    let thief_id = (thief.cert_pem.as_str(), thief.key_pem.as_str());
    let refused = grpc::call_hello(grpc_server.addr, &pki.ca_pem, thief_id, stolen).await?;
    let challenge = refused.as_ref().err().and_then(|s| {
        s.metadata()
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok())
    });
    println!(
        "    {} replays it: {:?}  www-authenticate: {}",
        thief.client_id,
        refused.as_ref().err().map(|s| s.code()),
        challenge.unwrap_or("-")
    );
    checks.expect(
        "UNAUTHENTICATED with error=\"invalid_token\"",
        refused
            .as_ref()
            .is_err_and(|s| s.code() == tonic::Code::Unauthenticated)
            && challenge.is_some_and(|c| c.contains("error=\"invalid_token\"")),
    );
    grpc_server.shutdown().await;
    stack.shutdown().await;

    proxy_mode(checks, &pki).await?;
    println!("\n8. Shut down");
    Ok(())
}

/// A resource server behind a TLS-terminating proxy: the `Client-Cert` header counts only
/// from the proxy's address range.
async fn proxy_mode(checks: &mut Checks, pki: &support::pki::Pki) -> Result<(), String> {
    println!("\n7. Proxy mode: a resource server that trusts Client-Cert from 127.0.0.1/32 only");
    let stack = support::start_stack(pki, 300, vec![IpAddr::from([127, 0, 0, 1])]).await?;
    let owner = &pki.clients[0];
    let http = client::https_client(&pki.ca_pem, Some((&owner.cert_pem, &owner.key_pem)))?;
    let endpoint = stack.auth.mtls_token_endpoint();
    let reply = client::request_token(&http, &endpoint, &owner.client_id).await?;
    let token = reply.body["access_token"].as_str().unwrap_or_default();
    // The proxy: its own connection has no client certificate; it forwards the client's.
    let proxy = client::https_client(&pki.ca_pem, None)?;
    for (who, pem) in [
        ("owner", &owner.cert_pem),
        ("other client", &pki.clients[1].cert_pem),
    ] {
        let der = ClientCertificate::from_pem(pem.as_bytes()).map_err(|e| e.to_string())?;
        let header = format!(":{}:", Base64::encode_string(der.der()));
        let status = proxy
            .get(stack.resource.api_url())
            .bearer_auth(token)
            .header("client-cert", header)
            .send()
            .await
            .map_err(|e| e.to_string())?
            .status()
            .as_u16();
        println!("    via the proxy, Client-Cert of the {who}: HTTP {status}");
        let expected = if who == "owner" { 200 } else { 401 };
        checks.expect(&format!("HTTP {expected}"), status == expected);
    }
    stack.shutdown().await;
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let started = Instant::now();
    let mut checks = Checks { failed: 0 };
    // `--keep` keeps the PKI directory, to try the printed curl commands against
    // `authorization_server` and `resource_server` started from its files.
    let keep = std::env::args().any(|a| a == "--keep");
    let outcome = run(&mut checks, keep).await;
    let elapsed = started.elapsed();
    match outcome {
        Err(e) => {
            eprintln!("demo failed: {e}");
            ExitCode::FAILURE
        }
        Ok(()) if checks.failed > 0 => {
            eprintln!("{} step(s) did not behave as expected", checks.failed);
            ExitCode::FAILURE
        }
        Ok(()) => {
            println!(
                "\nEvery step behaved as expected ({:.2} s).",
                elapsed.as_secs_f64()
            );
            ExitCode::SUCCESS
        }
    }
}
