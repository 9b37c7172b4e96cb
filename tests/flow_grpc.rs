//! The gRPC resource server of the examples (tonic over mutual TLS, behind
//! `CertificateBindingLayer`) with tokens from the example authorization server.

#[path = "../examples/support/mod.rs"]
mod support;

#[path = "../examples/support/grpc.rs"]
mod grpc;

use std::sync::Arc;

use support::client::request_token;
use support::resource_server::{Verifier, fetch_keys};

#[tokio::test]
async fn bound_tokens_over_grpc() {
    let dir = tempfile::tempdir().unwrap();
    let pki = support::pki::generate(dir.path()).unwrap();
    let stack = support::start_stack(&pki, 300, vec![]).await.unwrap();
    let resource = stack.resource.resource.clone();
    let verifier = Arc::new(Verifier {
        keys: fetch_keys(&stack.auth.issuer, &pki.ca_pem).await.unwrap(),
        issuer: stack.auth.issuer.clone(),
        metadata_url: rfc8705::metadata::protected_resource_metadata_url(&resource).unwrap(),
        resource,
    });
    let server_cert = std::fs::read_to_string(&pki.server_cert_path).unwrap();
    let server_key = std::fs::read_to_string(&pki.server_key_path).unwrap();
    let listener = support::tls::bind(0).await.unwrap();
    let server = grpc::start(listener, &server_cert, &server_key, verifier).unwrap();

    let owner = pki.client("dn-client");
    let http = support::client::https_client(&pki.ca_pem, Some((&owner.cert_pem, &owner.key_pem)))
        .unwrap();
    let reply = request_token(&http, &stack.auth.mtls_token_endpoint(), "dn-client")
        .await
        .unwrap();
    let token = reply.body["access_token"].as_str().unwrap();
    let x5t = rfc8705::ClientCertificate::from_pem(owner.cert_pem.as_bytes())
        .unwrap()
        .thumbprint()
        .to_string();

    let as_owner = (owner.cert_pem.as_str(), owner.key_pem.as_str());
    let reply = grpc::call_hello(server.addr, &pki.ca_pem, as_owner, token)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(reply.message, "hello, dn-client");
    assert_eq!(reply.x5t_s256, x5t);

    // Replayed over another certificate: UNAUTHENTICATED, the challenge without the thumbprint.
    let thief = pki.client("san-client");
    let as_thief = (thief.cert_pem.as_str(), thief.key_pem.as_str());
    let status = grpc::call_hello(server.addr, &pki.ca_pem, as_thief, token)
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::Unauthenticated);
    let challenge = status
        .metadata()
        .get("www-authenticate")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        challenge.starts_with(r#"Bearer error="invalid_token", error_description="The access token is bound to a different certificate""#),
        "{challenge}"
    );
    assert!(!challenge.contains(&x5t), "{challenge}");

    // A token that does not verify: the interceptor refuses before the binding is checked.
    let status = grpc::call_hello(server.addr, &pki.ca_pem, as_owner, "not-a-jwt")
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::Unauthenticated);
    let challenge = status.metadata().get("www-authenticate").unwrap();
    assert!(
        challenge.to_str().unwrap().contains("malformed"),
        "{challenge:?}"
    );

    server.shutdown().await;
    stack.shutdown().await;
}
