use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::convert::Infallible;
use core::future::{Future, Ready, ready};
use core::pin::pin;
use core::task::{Context, Poll, Waker};
use std::sync::Mutex;

use http::{HeaderValue, Request, Response};
use tower_layer::Layer;
use tower_service::Service;

use super::*;
use crate::__doc_support::rfc8705_appendix_a_der;
use crate::cnf::{Binding, BindingPolicy, Claims, Confirmation, ResourceError};
use crate::proxy::ProxyFormat;
use crate::proxy::http::ForwardedHeader;

const APPENDIX_A: &str = "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0";
const OTHER: &str = "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg4";

/// The handler: answers 200 with the binding it found, and counts its calls.
#[derive(Clone, Default)]
struct Handler(Arc<Mutex<usize>>);

impl Service<Request<()>> for Handler {
    type Response = Response<String>;
    type Error = Infallible;
    type Future = Ready<Result<Response<String>, Infallible>>;
    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }
    fn call(&mut self, req: Request<()>) -> Self::Future {
        *self.0.lock().unwrap() += 1;
        let b = req.extensions().get::<Binding>().copied();
        ready(Ok(Response::new(alloc::format!("{b:?}"))))
    }
}

fn run(layer: &CertificateBindingLayer, req: Request<()>) -> (Response<String>, usize) {
    let handler = Handler::default();
    let mut svc = layer.layer(handler.clone());
    let mut cx = Context::from_waker(Waker::noop());
    assert!(svc.poll_ready(&mut cx).is_ready());
    let mut fut = pin!(svc.call(req));
    let Poll::Ready(Ok(resp)) = fut.as_mut().poll(&mut cx) else {
        panic!("ready futures complete at once")
    };
    let calls = *handler.0.lock().unwrap();
    (resp, calls)
}

fn request(peer: &str, cert: Option<&[u8]>, x5t: Option<&str>) -> Request<()> {
    let mut req = Request::new(());
    req.extensions_mut()
        .insert(PeerConnection::new(peer.parse().unwrap(), cert).unwrap());
    let claims = match x5t {
        Some(t) => alloc::format!(r#"{{"sub":"s","cnf":{{"x5t#S256":"{t}"}}}}"#),
        None => r#"{"sub":"s"}"#.to_string(),
    };
    req.extensions_mut().insert(TokenClaims::new(claims));
    req
}

fn challenge(resp: &Response<String>) -> &str {
    resp.headers()["www-authenticate"].to_str().unwrap()
}

#[test]
fn bound_token_on_its_connection_passes_with_the_binding() {
    let der = rfc8705_appendix_a_der();
    let layer = CertificateBindingLayer::new(BindingPolicy::Required);
    let (resp, calls) = run(&layer, request("192.0.2.1:1", Some(&der), Some(APPENDIX_A)));
    assert_eq!((resp.status().as_u16(), calls), (200, 1));
    assert_eq!(
        resp.body(),
        &alloc::format!(
            "Some(Bound {{ certificate: Some(Thumbprint({APPENDIX_A})), dpop_jkt: None }})"
        )
    );
}

#[test]
fn refusals_are_401_with_a_fixed_challenge_and_the_reason_for_the_log() {
    let der = rfc8705_appendix_a_der();
    let seen: Arc<Mutex<Vec<ResourceError>>> = Arc::default();
    let log = seen.clone();
    let layer = CertificateBindingLayer::new(BindingPolicy::Required)
        .on_reject(move |e| log.lock().unwrap().push(e.clone()));
    let cases = [
        (
            request("192.0.2.1:1", Some(&der), Some(OTHER)),
            ResourceError::CertificateMismatch,
        ),
        (
            request("192.0.2.1:1", None, Some(APPENDIX_A)),
            ResourceError::NoCertificate,
        ),
        (
            request("192.0.2.1:1", Some(&der), None),
            ResourceError::NoConfirmation,
        ),
    ];
    for (req, expected) in cases {
        let (resp, calls) = run(&layer, req);
        assert_eq!((resp.status().as_u16(), calls), (401, 0), "{expected}");
        let c = challenge(&resp);
        assert_eq!(
            c,
            alloc::format!(
                r#"Bearer error="invalid_token", error_description="{}""#,
                expected.description()
            )
        );
        assert!(!c.contains(APPENDIX_A) && !c.contains(OTHER));
        assert_eq!(seen.lock().unwrap().pop(), Some(expected));
    }
}

#[test]
fn policy_off_and_if_bound() {
    let off = CertificateBindingLayer::new(BindingPolicy::Off);
    let (resp, calls) = run(&off, Request::new(()));
    assert_eq!((resp.body().as_str(), calls), ("Some(Skipped)", 1));

    let if_bound = CertificateBindingLayer::new(BindingPolicy::IfBound);
    let (resp, _) = run(&if_bound, request("192.0.2.1:1", None, None));
    assert_eq!(resp.body(), "Some(NotBound)");
    // No PeerConnection: no certificate, so a bound token cannot pass.
    let mut req = Request::new(());
    let claims = alloc::format!(r#"{{"cnf":{{"x5t#S256":"{APPENDIX_A}"}}}}"#);
    req.extensions_mut().insert(TokenClaims::new(claims));
    assert_eq!(run(&if_bound, req).0.status(), 401);
}

#[test]
fn no_claims_is_a_request_without_a_token() {
    let der = rfc8705_appendix_a_der();
    let layer = CertificateBindingLayer::new(BindingPolicy::IfBound)
        .resource_metadata("https://rs.example/.well-known/oauth-protected-resource");
    let mut req = Request::new(());
    req.extensions_mut()
        .insert(PeerConnection::new("192.0.2.1:1".parse().unwrap(), Some(&der)).unwrap());
    let (resp, calls) = run(&layer, req);
    assert_eq!((resp.status().as_u16(), calls), (401, 0));
    assert_eq!(
        challenge(&resp),
        r#"Bearer resource_metadata="https://rs.example/.well-known/oauth-protected-resource""#
    );
}

#[test]
fn claims_from_a_closure() {
    #[derive(Clone)]
    struct Mine(Vec<u8>);
    let der = rfc8705_appendix_a_der();
    let layer = CertificateBindingLayer::new(BindingPolicy::Required)
        .claims_from(|ext| ext.get::<Mine>().map(|m| Claims::Json(&m.0)));
    let mut req = request("192.0.2.1:1", Some(&der), Some(OTHER));
    let mine = alloc::format!(r#"{{"cnf":{{"x5t#S256":"{APPENDIX_A}"}}}}"#);
    req.extensions_mut().insert(Mine(mine.into_bytes()));
    assert_eq!(run(&layer, req).0.status(), 200);
}

#[test]
fn claims_from_deserialized_claims() {
    #[derive(Clone)]
    struct Typed {
        cnf: Option<Confirmation>,
    }
    let der = rfc8705_appendix_a_der();
    let layer = CertificateBindingLayer::new(BindingPolicy::Required)
        .claims_from(|ext| ext.get::<Typed>().map(|t| Claims::Cnf(t.cnf.as_ref())));
    let bound: Confirmation =
        serde_json::from_str(&alloc::format!(r#"{{"x5t#S256":"{APPENDIX_A}"}}"#)).unwrap();
    for (cnf, status) in [(Some(bound), 200), (None, 401)] {
        let mut req = request("192.0.2.1:1", Some(&der), Some(OTHER));
        req.extensions_mut().insert(Typed { cnf });
        assert_eq!(run(&layer, req).0.status(), status);
    }
    // Bound to another certificate.
    let mut req = request("192.0.2.1:1", Some(&der), Some(APPENDIX_A));
    let cnf = serde_json::from_str(&alloc::format!(r#"{{"x5t#S256":"{OTHER}"}}"#)).ok();
    req.extensions_mut().insert(Typed { cnf });
    assert_eq!(run(&layer, req).0.status(), 401);
}

fn client_cert_value(der: &[u8]) -> HeaderValue {
    use base64ct::Encoding;
    alloc::format!(":{}:", base64ct::Base64::encode_string(der))
        .parse()
        .unwrap()
}

#[test]
fn proxies_by_range_header_or_connection_never_both() {
    let der = rfc8705_appendix_a_der();
    let header = ForwardedHeader::standard(ProxyFormat::ClientCert).unwrap();
    let layer = CertificateBindingLayer::new(BindingPolicy::Required)
        .trusted_proxies(["10.1.0.0/16".parse().unwrap()], header);

    // From the proxy: the header's certificate.
    for peer in ["10.1.2.3:1", "[::ffff:10.1.2.3]:1"] {
        let mut req = request(peer, None, Some(APPENDIX_A));
        req.headers_mut()
            .insert("client-cert", client_cert_value(&der));
        assert_eq!(run(&layer, req).0.status(), 200, "{peer}");
    }
    // From the proxy without the header: its own connection certificate does not count.
    let req = request("10.1.2.3:1", Some(&der), Some(APPENDIX_A));
    assert_eq!(run(&layer, req).0.status(), 401);
    // From anyone else: the header is not read, the connection decides.
    let mut req = request("10.2.0.1:1", None, Some(APPENDIX_A));
    req.headers_mut()
        .insert("client-cert", client_cert_value(&der));
    assert_eq!(run(&layer, req).0.status(), 401);
    let mut req = request("10.2.0.1:1", Some(&der), Some(APPENDIX_A));
    req.headers_mut()
        .insert("client-cert", HeaderValue::from_static(":bm9wZQ==:"));
    assert_eq!(run(&layer, req).0.status(), 200);
    // A malformed header from the proxy: no usable certificate.
    let mut req = request("10.1.2.3:1", None, Some(APPENDIX_A));
    req.headers_mut()
        .insert("client-cert", HeaderValue::from_static(":bm9wZQ==:"));
    let (resp, _) = run(&layer, req);
    assert_eq!(resp.status(), 401);
    assert!(challenge(&resp).contains("No usable client certificate"));
}

/// The hash-only sources: the layer needs the thumbprint alone.
#[test]
fn hash_only_sources_from_the_proxy() {
    let der = rfc8705_appendix_a_der();
    let hex: String = crate::Thumbprint::from_der(&der)
        .unwrap()
        .as_bytes()
        .iter()
        .map(|b| alloc::format!("{b:02x}"))
        .collect();
    let fingerprint = ForwardedHeader::new(
        ProxyFormat::Fingerprint,
        http::HeaderName::from_static("cf-client-cert-sha256"),
    );
    let xfcc = ForwardedHeader::standard(ProxyFormat::XfccHash).unwrap();
    for (header, value) in [
        (fingerprint, hex.clone()),
        (xfcc, alloc::format!("By=spiffe://mesh/gw;Hash={hex}")),
    ] {
        let name = header.name().clone();
        let layer = CertificateBindingLayer::new(BindingPolicy::Required)
            .trusted_proxies(["10.1.0.0/16".parse().unwrap()], header);
        for (x5t, status) in [(APPENDIX_A, 200), (OTHER, 401)] {
            let mut req = request("10.1.2.3:1", None, Some(x5t));
            req.headers_mut()
                .insert(&name, HeaderValue::from_str(&value).unwrap());
            assert_eq!(run(&layer, req).0.status(), status, "{name} {x5t}");
        }
        // From anyone else the header is not read.
        let mut req = request("10.2.0.1:1", None, Some(APPENDIX_A));
        req.headers_mut()
            .insert(&name, HeaderValue::from_str(&value).unwrap());
        assert_eq!(run(&layer, req).0.status(), 401, "{name}");
    }
}

#[test]
fn grpc_calls_get_unauthenticated() {
    let der = rfc8705_appendix_a_der();
    let layer = CertificateBindingLayer::new(BindingPolicy::Required);
    let mut req = request("192.0.2.1:1", Some(&der), Some(OTHER));
    req.headers_mut()
        .insert("content-type", HeaderValue::from_static("application/grpc"));
    let (resp, calls) = run(&layer, req);
    assert_eq!((resp.status().as_u16(), calls), (200, 0));
    assert_eq!(resp.headers()["grpc-status"], "16");
    assert!(challenge(&resp).contains(r#"error="invalid_token""#));
}

/// A request whose verified claims carry `cnf`, with the DPoP proof key the verification step
/// recorded (if any).
fn dpop_request(cert: Option<&[u8]>, cnf: &str, proof: Option<&str>) -> Request<()> {
    let mut req = Request::new(());
    req.extensions_mut()
        .insert(PeerConnection::new("192.0.2.1:1".parse().unwrap(), cert).unwrap());
    let mut claims = TokenClaims::new(alloc::format!(r#"{{"sub":"s","cnf":{cnf}}}"#));
    if let Some(jkt) = proof {
        claims = claims.with_dpop_jkt(jkt.parse().unwrap());
    }
    req.extensions_mut().insert(claims);
    req
}

#[test]
fn dpop_bound_tokens_need_the_proof_key_the_verification_recorded() {
    let der = rfc8705_appendix_a_der();
    let layer = CertificateBindingLayer::new(BindingPolicy::IfBound);
    let jkt = alloc::format!(r#"{{"jkt":"{OTHER}"}}"#);
    // The proof key the token names: bound.
    let (resp, calls) = run(&layer, dpop_request(None, &jkt, Some(OTHER)));
    assert_eq!((resp.status().as_u16(), calls), (200, 1));
    assert!(resp.body().contains("dpop_jkt: Some("), "{}", resp.body());
    // No proof, or another key: refused with the DPoP scheme, even over a certificate.
    for proof in [None, Some(APPENDIX_A)] {
        let (resp, calls) = run(&layer, dpop_request(Some(&der), &jkt, proof));
        assert_eq!((resp.status().as_u16(), calls), (401, 0), "{proof:?}");
        assert!(
            challenge(&resp).starts_with("DPoP "),
            "{}",
            challenge(&resp)
        );
    }
    // Bound by both: the certificate alone does not do, nor the proof alone.
    let both = alloc::format!(r#"{{"x5t#S256":"{APPENDIX_A}","jkt":"{OTHER}"}}"#);
    let (resp, _) = run(&layer, dpop_request(Some(&der), &both, None));
    assert_eq!(resp.status().as_u16(), 401);
    let (resp, _) = run(&layer, dpop_request(None, &both, Some(OTHER)));
    assert_eq!(resp.status().as_u16(), 401);
    let (resp, calls) = run(&layer, dpop_request(Some(&der), &both, Some(OTHER)));
    assert_eq!((resp.status().as_u16(), calls), (200, 1));
}

/// The `tracing` events of the `rfc8705::tower` target: their message and fields, one string
/// each.
#[derive(Clone, Default)]
struct Events(Arc<Mutex<Vec<String>>>);

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn core::fmt::Debug) {
        use core::fmt::Write;
        let _ = write!(self.0, "{}={value:?};", field.name());
    }
}

impl tracing::Subscriber for Events {
    fn register_callsite(
        &self,
        _: &'static tracing::Metadata<'static>,
    ) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::sometimes()
    }
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        metadata.target() == "rfc8705::tower"
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut line = String::new();
        event.record(&mut Fields(&mut line));
        self.0.lock().unwrap().push(line);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// Runs `req` through `layer` and returns the status and the log.
fn run_logged(layer: &CertificateBindingLayer, req: Request<()>) -> (u16, Vec<String>) {
    let events = Events::default();
    let status =
        tracing::subscriber::with_default(events.clone(), || run(layer, req).0.status().as_u16());
    let log = events.0.lock().unwrap().clone();
    (status, log)
}

#[test]
fn a_header_from_an_untrusted_peer_is_logged_as_ignored() {
    let der = rfc8705_appendix_a_der();
    let header = ForwardedHeader::standard(ProxyFormat::ClientCert).unwrap();
    let layer = CertificateBindingLayer::new(BindingPolicy::Required)
        .trusted_proxies(["10.1.0.0/16".parse().unwrap()], header);
    let mut req = request("203.0.113.9:1", None, Some(APPENDIX_A));
    req.headers_mut()
        .insert("client-cert", client_cert_value(&der));
    let (status, log) = run_logged(&layer, req);
    assert_eq!(status, 401);
    assert!(
        log.iter().any(|l| l.contains(
            "message=header ignored: peer 203.0.113.9 is not a trusted proxy;header=client-cert;"
        )),
        "{log:?}"
    );
    // And the refusal follows, with its own reason.
    assert!(
        log.iter()
            .any(|l| l.contains("certificate-bound token refused")),
        "{log:?}"
    );

    // No header: nothing to say about it.
    let (status, log) = run_logged(&layer, request("203.0.113.9:1", None, Some(APPENDIX_A)));
    assert_eq!(status, 401);
    assert!(!log.iter().any(|l| l.contains("header ignored")), "{log:?}");

    // No peer address at all (no PeerConnection, no peer_addr_from): said as such.
    let mut req = Request::new(());
    req.extensions_mut().insert(TokenClaims::new(alloc::format!(
        r#"{{"cnf":{{"x5t#S256":"{APPENDIX_A}"}}}}"#
    )));
    req.headers_mut()
        .insert("client-cert", client_cert_value(&der));
    let (status, log) = run_logged(&layer, req);
    assert_eq!(status, 401);
    assert!(
        log.iter().any(|l| l.contains(
            "header ignored: the request has no peer address (no PeerConnection in its extensions; without TLS, pass the peer address with peer_addr_from)"
        )),
        "{log:?}"
    );
}

#[test]
fn every_trusted_proxies_call_adds_a_source() {
    let der = rfc8705_appendix_a_der();
    let client_cert = ForwardedHeader::standard(ProxyFormat::ClientCert).unwrap();
    let nginx = ForwardedHeader::new(
        ProxyFormat::ClientCert,
        http::HeaderName::from_static("x-client-cert"),
    );
    let layer = CertificateBindingLayer::new(BindingPolicy::Required)
        .trusted_proxies(["10.1.0.0/16".parse().unwrap()], client_cert)
        .trusted_proxies(["192.0.2.10/32".parse().unwrap()], nginx);
    // Each proxy is read with its own header, and only with it.
    for (peer, name, status) in [
        ("10.1.2.3:1", "client-cert", 200),
        ("192.0.2.10:1", "x-client-cert", 200),
        ("10.1.2.3:1", "x-client-cert", 401),
        ("192.0.2.10:1", "client-cert", 401),
        ("192.0.2.11:1", "x-client-cert", 401),
    ] {
        let mut req = request(peer, None, Some(APPENDIX_A));
        req.headers_mut().insert(name, client_cert_value(&der));
        assert_eq!(run(&layer, req).0.status(), status, "{peer} {name}");
    }
}

#[test]
fn the_peer_address_from_a_closure_when_there_is_no_connection() {
    /// What axum's `ConnectInfo<SocketAddr>` is: a newtype in the extensions.
    #[derive(Clone, Copy)]
    struct ConnectInfo(core::net::SocketAddr);
    let der = rfc8705_appendix_a_der();
    let header = ForwardedHeader::standard(ProxyFormat::ClientCert).unwrap();
    let layer = CertificateBindingLayer::new(BindingPolicy::Required)
        .trusted_proxies(["10.1.0.0/16".parse().unwrap()], header)
        .peer_addr_from(|ext| ext.get::<ConnectInfo>().map(|c| c.0));
    let bound = alloc::format!(r#"{{"cnf":{{"x5t#S256":"{APPENDIX_A}"}}}}"#);
    let plain = |peer: &str, connection: Option<PeerConnection>| {
        let mut req = Request::new(());
        req.extensions_mut()
            .insert(ConnectInfo(peer.parse().unwrap()));
        if let Some(c) = connection {
            req.extensions_mut().insert(c);
        }
        req.extensions_mut().insert(TokenClaims::new(bound.clone()));
        req.headers_mut()
            .insert("client-cert", client_cert_value(&der));
        req
    };
    // The proxy's address: its header is read.
    assert_eq!(run(&layer, plain("10.1.2.3:1", None)).0.status(), 200);
    // Anyone else: no certificate.
    let (status, log) = run_logged(&layer, plain("203.0.113.9:1", None));
    assert_eq!(status, 401);
    assert!(
        log.iter()
            .any(|l| l.contains("header ignored: peer 203.0.113.9 is not a trusted proxy")),
        "{log:?}"
    );
    // A PeerConnection is the peer: the closure is not asked.
    let connection = PeerConnection::new("203.0.113.9:1".parse().unwrap(), None).unwrap();
    assert_eq!(
        run(&layer, plain("10.1.2.3:1", Some(connection)))
            .0
            .status(),
        401
    );
}

#[test]
fn the_realm_is_in_every_challenge() {
    let der = rfc8705_appendix_a_der();
    let layer = CertificateBindingLayer::new(BindingPolicy::Required)
        .realm("payments")
        .resource_metadata("https://rs.example/.well-known/oauth-protected-resource");
    let (resp, _) = run(&layer, request("192.0.2.1:1", Some(&der), Some(OTHER)));
    assert_eq!(
        challenge(&resp),
        r#"Bearer realm="payments", error="invalid_token", error_description="The access token is bound to a different certificate", resource_metadata="https://rs.example/.well-known/oauth-protected-resource""#
    );
    let mut req = Request::new(());
    req.extensions_mut()
        .insert(PeerConnection::new("192.0.2.1:1".parse().unwrap(), Some(&der)).unwrap());
    let (resp, _) = run(&layer, req);
    assert!(challenge(&resp).starts_with(r#"Bearer realm="payments", resource_metadata="#));
}
