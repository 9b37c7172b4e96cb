//! The accept adapters (`rfc8705::tower::MtlsAcceptor`): with axum-server and as tonic's
//! incoming stream, a stalled handshake is dropped after the configured time, a failed
//! handshake does not stop the server (the next client is served), and the request sees the
//! peer address, the certificate's thumbprint and the chain. Real sockets on 127.0.0.1, free
//! ports, every wait bounded.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Extension;
use axum::routing::get;
use futures_util::StreamExt;
use rfc8705::Thumbprint;
use rfc8705::rustls::PossessionOnlyVerifier;
use rfc8705::tower::{MtlsAcceptor, PeerConnection};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tonic::transport::server::Connected;

const LIMIT: Duration = Duration::from_millis(400);
/// The longest any step waits.
const WAIT: Duration = Duration::from_secs(10);

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// A CA, a server certificate for 127.0.0.1 and a client certificate issued by the CA.
struct Pki {
    ca: CertificateDer<'static>,
    server: (CertificateDer<'static>, PrivateKeyDer<'static>),
    client: (CertificateDer<'static>, PrivateKeyDer<'static>),
}

fn pki() -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let issuer = CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();
    let leaf = |name: &str| {
        let key = KeyPair::generate().unwrap();
        let cert = CertificateParams::new(vec![name.into()])
            .unwrap()
            .signed_by(&key, &issuer)
            .unwrap();
        (
            cert.der().clone(),
            PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
    };
    Pki {
        ca: issuer.der().clone(),
        server: leaf("127.0.0.1"),
        client: leaf("client.example"),
    }
}

fn server_config(pki: &Pki, alpn: &[u8]) -> Arc<rustls::ServerConfig> {
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(PossessionOnlyVerifier::mandatory(provider()))
        .with_single_cert(vec![pki.server.0.clone()], pki.server.1.clone_key())
        .unwrap();
    config.alpn_protocols = vec![alpn.to_vec()];
    Arc::new(config)
}

fn client_config(pki: &Pki, alpn: &[u8]) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(pki.ca.clone()).unwrap();
    let mut config = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        // The leaf and the CA: the server keeps the chain as presented.
        .with_client_auth_cert(
            vec![pki.client.0.clone(), pki.ca.clone()],
            pki.client.1.clone_key(),
        )
        .unwrap();
    config.alpn_protocols = vec![alpn.to_vec()];
    Arc::new(config)
}

/// A TCP client that never starts a handshake, or sends half a ClientHello: how long until
/// the server closed it (`None`: still open after `WAIT`).
async fn closed_after(addr: SocketAddr, send: &[u8]) -> Option<Duration> {
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    tcp.write_all(send).await.unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 64];
    loop {
        match tokio::time::timeout(WAIT, tcp.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return Some(started.elapsed()),
            // A TLS alert before the close is fine; keep reading.
            Ok(Ok(_)) => continue,
            Err(_) => return None,
        }
    }
}

/// The first half of a TLS 1.2/1.3 ClientHello record: the record header announces 512
/// bytes, and only a handful follow.
const HALF_HELLO: &[u8] = &[
    0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03,
];

fn assert_dropped_in_time(closed: Option<Duration>) {
    let closed = closed.expect("the server kept a stalled handshake open");
    assert!(closed >= LIMIT - Duration::from_millis(50), "{closed:?}");
    assert!(closed < LIMIT + Duration::from_secs(3), "{closed:?}");
}

/// What the handler saw, as text: peer address, thumbprint, chain length.
async fn seen(Extension(conn): Extension<PeerConnection>) -> String {
    format!(
        "{} {} {}",
        conn.peer_addr(),
        conn.thumbprint().map(|t| t.to_string()).unwrap_or_default(),
        conn.peer_certificates().map_or(0, <[_]>::len)
    )
}

/// An HTTP/1.1 GET over mutual TLS: the response body and the client's own address.
async fn https_get(addr: SocketAddr, pki: &Pki) -> (String, SocketAddr) {
    let connector = tokio_rustls::TlsConnector::from(client_config(pki, b"http/1.1"));
    let tcp = TcpStream::connect(addr).await.unwrap();
    let local = tcp.local_addr().unwrap();
    let name = ServerName::from(addr.ip());
    let mut tls = connector.connect(name, tcp).await.unwrap();
    tls.write_all(b"GET / HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut response = String::new();
    tls.read_to_string(&mut response).await.unwrap_or_default();
    let body = response.split("\r\n\r\n").nth(1).unwrap_or_default();
    (body.to_owned(), local)
}

#[tokio::test]
async fn axum_server_drops_stalled_handshakes_survives_failures_and_hands_over_the_connection() {
    let pki = pki();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let handle = axum_server::Handle::new();
    let app = axum::Router::new().route("/", get(seen));
    let server = axum_server::Server::<SocketAddr>::from_listener(listener)
        .acceptor(MtlsAcceptor::new(server_config(&pki, b"http/1.1"), LIMIT))
        .handle(handle.clone())
        .serve(app.into_make_service());
    let task = tokio::spawn(server);

    // A client that sends nothing, and one that stops in the middle of its ClientHello.
    let (silent, half) = tokio::join!(closed_after(addr, b""), closed_after(addr, HALF_HELLO));
    assert_dropped_in_time(silent);
    assert_dropped_in_time(half);

    // A failed handshake (plain HTTP on the TLS port), then a client without a certificate:
    // each closes its own connection only.
    let plain = closed_after(addr, b"GET / HTTP/1.1\r\nhost: x\r\n\r\n").await;
    assert!(plain.is_some_and(|d| d < LIMIT), "{plain:?}");

    // The next client is served, and the handler sees its connection.
    let (body, local) = tokio::time::timeout(WAIT, https_get(addr, &pki))
        .await
        .unwrap();
    let thumbprint = Thumbprint::from_der(&pki.client.0).unwrap();
    assert_eq!(body, format!("{local} {thumbprint} 2"));

    handle.shutdown();
    tokio::time::timeout(WAIT, task)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn tonic_incoming_handshakes_concurrently_skips_failures_and_carries_the_connection() {
    let pki = pki();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut incoming =
        Box::pin(MtlsAcceptor::new(server_config(&pki, b"h2"), LIMIT).incoming(listener));
    // Start the accept loop (it starts on the first poll).
    assert!(
        tokio::time::timeout(Duration::from_millis(10), incoming.next())
            .await
            .is_err()
    );

    // A stalled client first: it delays nobody, and is dropped when the time is up.
    let stalled = tokio::spawn(closed_after(addr, HALF_HELLO));
    // A failed handshake: plain bytes.
    let plain = tokio::spawn(closed_after(addr, b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));

    let connector = tokio_rustls::TlsConnector::from(client_config(&pki, b"h2"));
    let client = tokio::spawn(async move {
        let tcp = TcpStream::connect(addr).await.unwrap();
        let local = tcp.local_addr().unwrap();
        let mut tls = connector
            .connect(ServerName::from(addr.ip()), tcp)
            .await
            .unwrap();
        // Hold the connection until the server side has looked at it.
        let mut buf = [0u8; 1];
        let _ = tokio::time::timeout(WAIT, tls.read(&mut buf)).await;
        local
    });

    let started = Instant::now();
    let accepted = tokio::time::timeout(WAIT, incoming.next())
        .await
        .expect("the stream yielded no connection")
        .expect("the stream ended")
        .unwrap();
    assert!(
        started.elapsed() < LIMIT,
        "the stalled client delayed the next one"
    );
    let conn: PeerConnection = accepted.connect_info();
    let thumbprint = Thumbprint::from_der(&pki.client.0).unwrap();
    assert_eq!(conn.thumbprint(), Some(thumbprint));
    let chain = conn.peer_certificates().unwrap();
    assert_eq!(chain.len(), 2);
    assert_eq!(chain[0], pki.client.0);
    drop(accepted);
    let local = tokio::time::timeout(WAIT, client).await.unwrap().unwrap();
    assert_eq!(conn.peer_addr(), local);

    assert_dropped_in_time(tokio::time::timeout(WAIT, stalled).await.unwrap().unwrap());
    let plain = tokio::time::timeout(WAIT, plain).await.unwrap().unwrap();
    assert!(plain.is_some_and(|d| d < LIMIT), "{plain:?}");
    // Neither failure came out of the stream.
    assert!(
        tokio::time::timeout(Duration::from_millis(100), incoming.next())
            .await
            .is_err()
    );
}
