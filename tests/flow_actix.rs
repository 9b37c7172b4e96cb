//! The actix-web resource server (`examples/support/actix.rs`) over real mutual TLS: a token
//! bound to the client's certificate is accepted on a connection with that certificate, and
//! refused (`401 invalid_token`) on a connection with another.

#[path = "../examples/support/actix.rs"]
mod actix;
#[path = "../examples/support/mod.rs"]
mod support;

use std::sync::Arc;

use rfc8705::ClientCertificate;
use support::client::{call_api, https_client, request_token};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn actix_accepts_the_bound_certificate_and_refuses_another() {
    let dir = tempfile::tempdir().unwrap();
    let pki = support::pki::generate(dir.path()).unwrap();
    let stack = support::start_stack(&pki, 300, Vec::new()).await.unwrap();
    let owner = pki.client("dn-client");
    let other = pki.client("san-client");
    let http = |c: &support::pki::ClientFiles| {
        https_client(&pki.ca_pem, Some((&c.cert_pem, &c.key_pem))).unwrap()
    };
    let reply = request_token(&http(owner), &stack.auth.mtls_token_endpoint(), "dn-client")
        .await
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.body);
    let token = reply.body["access_token"].as_str().unwrap().to_owned();

    // The actix server answers for the same resource (the token's audience).
    let resource = stack.resource.resource.clone();
    let verifier = Arc::new(support::resource_server::Verifier {
        keys: support::resource_server::fetch_keys(&stack.auth.issuer, &pki.ca_pem)
            .await
            .unwrap(),
        issuer: stack.auth.issuer.clone(),
        metadata_url: rfc8705::metadata::protected_resource_metadata_url(&resource).unwrap(),
        resource,
    });
    let tls = support::tls::server_config(
        &std::fs::read(&pki.server_cert_path).unwrap(),
        &std::fs::read(&pki.server_key_path).unwrap(),
        rfc8705::rustls::PossessionOnlyVerifier::optional(support::tls::provider()),
    )
    .unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}/api/hello", listener.local_addr().unwrap());
    let (handle_tx, handle_rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = actix::server(listener, Arc::unwrap_or_clone(tls), verifier).unwrap();
            handle_tx.send(server.handle()).unwrap();
            server.await.unwrap();
        });
    });
    let handle = handle_rx
        .recv_timeout(std::time::Duration::from_secs(20))
        .unwrap();

    let bound = call_api(&http(owner), &url, &token).await.unwrap();
    assert_eq!(bound.status, 200, "{}", bound.body);
    let expected = ClientCertificate::from_pem(owner.cert_pem.as_bytes())
        .unwrap()
        .thumbprint()
        .to_string();
    assert_eq!(bound.body["x5t#S256"], expected.as_str(), "{}", bound.body);
    assert_eq!(bound.body["client_id"], "dn-client");

    // The same token over another client's certificate.
    let stolen = call_api(&http(other), &url, &token).await.unwrap();
    assert_eq!(stolen.status, 401, "{}", stolen.body);
    let challenge = stolen.www_authenticate.unwrap();
    assert!(challenge.starts_with("Bearer "), "{challenge}");
    assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
    assert!(!challenge.contains(&expected), "{challenge}");

    handle.stop(true).await;
    thread.join().unwrap();
    stack.shutdown().await;
}
