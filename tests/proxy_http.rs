//! The `http` feature: forwarded certificates from a `HeaderMap`, repeated and missing
//! headers, chain headers.
#![cfg(feature = "http")]

use http::{HeaderMap, HeaderName, HeaderValue};
use rfc8705::ClientCertificate;
use rfc8705::proxy::http::ForwardedHeader;
mod common;

use common::encode;
use rfc8705::proxy::{ForwardedCertificateError, ProxyFormat, Reason, TrustedProxy};

const LEAF_X5T: &str = "v68ffgcPn6jdYpBfFY2nP4ShE2Yk-6_Mk5PI9yh6aes";
const APPENDIX_A_X5T: &str = "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0";

fn pem(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn der(name: &str) -> Vec<u8> {
    ClientCertificate::from_pem(pem(name).as_bytes())
        .unwrap()
        .der()
        .to_vec()
}

fn value(s: &str) -> HeaderValue {
    HeaderValue::from_str(s).unwrap()
}

/// The thumbprint of what `headers` forward, or why not (the error must name the header's
/// format).
fn read(headers: &HeaderMap, header: &ForwardedHeader) -> Result<Option<String>, Reason> {
    TrustedProxy::the_peer_is_my_proxy()
        .thumbprint_from_headers(headers, header)
        .map(|c| c.map(|t| t.to_string()))
        .map_err(|e: ForwardedCertificateError| {
            assert_eq!(e.format(), header.format());
            e.reason().clone()
        })
}

#[test]
fn client_cert_is_a_singleton() {
    let leaf = encode::client_cert(&der("rfc9440-leaf.pem"));
    let mut headers = HeaderMap::new();
    let h = ForwardedHeader::standard(ProxyFormat::ClientCert).unwrap();
    assert_eq!(read(&headers, &h), Ok(None));
    headers.append("client-cert", value(&leaf));
    assert_eq!(read(&headers, &h).unwrap().as_deref(), Some(LEAF_X5T));
    // A client-sent copy the proxy appended to instead of replacing.
    headers.append(
        "Client-Cert",
        value(&encode::client_cert(&der("rfc8705-appendix-a.pem"))),
    );
    assert_eq!(
        read(&headers, &h),
        Err(Reason::RepeatedHeader {
            header: "client-cert".into(),
            count: 2
        })
    );
    // Two values joined on one line are refused too.
    let mut joined = HeaderMap::new();
    joined.insert("client-cert", value(&format!("{leaf}, {leaf}")));
    assert_eq!(read(&joined, &h), Err(Reason::MultipleValues));
}

#[test]
fn client_cert_chain_lines_and_absence() {
    let without_chain = ForwardedHeader::standard(ProxyFormat::ClientCert).unwrap();
    let h = without_chain
        .clone()
        .with_chain(HeaderName::from_static("client-cert-chain"))
        .unwrap();
    let leaf = encode::client_cert(&der("rfc9440-leaf.pem"));
    let inter = encode::client_cert(&der("rfc9440-intermediate.pem"));
    let root = encode::client_cert(&der("rfc9440-root.pem"));
    let mut headers = HeaderMap::new();
    headers.append("client-cert-chain", value(&inter));
    assert_eq!(read(&headers, &h), Err(Reason::ChainWithoutCertificate));
    // A proxy that sends no chain: a client-sent Client-Cert-Chain is never read.
    assert_eq!(read(&headers, &without_chain), Ok(None));
    let mut forged = headers.clone();
    forged.insert("client-cert", value(&leaf));
    let fwd = TrustedProxy::the_peer_is_my_proxy()
        .certificate_from_headers(&forged, &without_chain)
        .unwrap()
        .unwrap();
    assert_eq!(fwd.chain().count(), 0);
    // HAProxy's `:%[ssl_c_der,base64]:` without a certificate: no certificate.
    forged.insert("client-cert", value("::"));
    assert_eq!(read(&forged, &without_chain), Ok(None));
    headers.append("client-cert-chain", value(&root));
    headers.insert("client-cert", value(&leaf));
    let fwd = TrustedProxy::the_peer_is_my_proxy()
        .certificate_from_headers(&headers, &h)
        .unwrap()
        .unwrap();
    let chain: Vec<&[u8]> = fwd.chain().collect();
    assert_eq!(
        chain,
        [
            &der("rfc9440-intermediate.pem")[..],
            &der("rfc9440-root.pem")[..]
        ]
    );
}

#[test]
fn xfcc_lines_are_refused() {
    // Envoy appends its element to the value it received, on one line: a second field line
    // is someone else's, and joining it after Envoy's would make it the "last" element.
    let leaf = encode::escaped_pem(pem("rfc9440-leaf.pem").as_bytes());
    let other = encode::escaped_pem(pem("rfc8705-appendix-a.pem").as_bytes());
    for (format, ours, theirs) in [
        (
            ProxyFormat::Xfcc,
            format!("By=spiffe://edge;Cert=\"{leaf}\""),
            format!("Cert=\"{other}\""),
        ),
        (
            ProxyFormat::XfccJson,
            format!(
                r#"[{{"by":["spiffe://edge"],"cert":{}}}]"#,
                serde_json::to_string(&pem("rfc9440-leaf.pem")).unwrap()
            ),
            format!(
                r#"[{{"cert":{}}}]"#,
                serde_json::to_string(&pem("rfc8705-appendix-a.pem")).unwrap()
            ),
        ),
    ] {
        let h = ForwardedHeader::standard(format).unwrap();
        let mut headers = HeaderMap::new();
        assert_eq!(read(&headers, &h), Ok(None));
        headers.append("x-forwarded-client-cert", value(&ours));
        assert_eq!(read(&headers, &h).unwrap().as_deref(), Some(LEAF_X5T));
        headers.append("x-forwarded-client-cert", value(&theirs));
        assert!(matches!(
            read(&headers, &h),
            Err(Reason::RepeatedHeader { count: 2, .. })
        ));
    }
}

#[test]
fn escaped_pem_and_alb() {
    let name = HeaderName::from_static("x-ssl-client-cert");
    let h = ForwardedHeader::new(ProxyFormat::EscapedPem, name.clone());
    let mut headers = HeaderMap::new();
    assert_eq!(read(&headers, &h), Ok(None));
    headers.insert(name.clone(), value(""));
    assert_eq!(
        read(&headers, &h),
        Ok(None),
        "nginx's empty value: no certificate"
    );
    let nginx = encode::escaped_pem(pem("rfc8705-appendix-a.pem").as_bytes());
    headers.insert(name.clone(), value(&nginx));
    assert_eq!(read(&headers, &h).unwrap().as_deref(), Some(APPENDIX_A_X5T));
    headers.append(name, value(&nginx));
    assert!(matches!(
        read(&headers, &h),
        Err(Reason::RepeatedHeader { count: 2, .. })
    ));

    let aws = encode::alb(pem("rfc9440-leaf.pem").as_bytes());
    let mut headers = HeaderMap::new();
    headers.insert("x-amzn-mtls-clientcert-leaf", value(&aws));
    assert_eq!(
        read(
            &headers,
            &ForwardedHeader::standard(ProxyFormat::Alb).unwrap()
        )
        .unwrap()
        .as_deref(),
        Some(LEAF_X5T)
    );
    assert_eq!(
        read(
            &headers,
            &ForwardedHeader::new(
                ProxyFormat::Alb,
                HeaderName::from_static("x-amzn-mtls-clientcert")
            )
        ),
        Ok(None)
    );
    headers.append("x-amzn-mtls-clientcert-leaf", value(&aws));
    assert!(
        read(
            &headers,
            &ForwardedHeader::standard(ProxyFormat::Alb).unwrap()
        )
        .is_err()
    );
}

#[test]
fn trusted_ranges_then_headers() {
    // The per-connection decision, then the per-request read.
    let proxies: [ipnet::IpNet; 1] = ["10.1.0.0/16".parse().unwrap()];
    let mut headers = HeaderMap::new();
    headers.insert(
        "client-cert",
        value(&encode::client_cert(&der("rfc9440-leaf.pem"))),
    );
    let header = ForwardedHeader::standard(ProxyFormat::ClientCert).unwrap();
    let from = |peer: &str| {
        TrustedProxy::if_peer_in(peer.parse().unwrap(), &proxies)
            .map(|p| p.certificate_from_headers(&headers, &header).unwrap())
    };
    // From the proxy: the header's certificate.
    let fwd = from("10.1.200.3").unwrap().unwrap();
    assert_eq!(fwd.thumbprint().to_string(), LEAF_X5T);
    // From anyone else: the header is never read (the connection's certificate counts).
    assert!(from("10.2.0.1").is_none());
    assert_ne!(LEAF_X5T, APPENDIX_A_X5T);
}

/// Keycloak's Apache provider: `SSL_CLIENT_CERT` and `SSL_CLIENT_CERT_CHAIN_0` … set with
/// `RequestHeader set SSL_CLIENT_CERT_CHAIN_0 "%{SSL_CLIENT_CERT_CHAIN_0}s"`: PEM with spaces
/// for line breaks, `(null)` where the client sent fewer certificates.
#[test]
fn numbered_chain_headers() {
    let apache = |name: &str| encode::apache(pem(name).as_bytes());
    let h = ForwardedHeader::new(
        ProxyFormat::Apache,
        HeaderName::from_static("ssl_client_cert"),
    )
    .with_numbered_chain("SSL_CLIENT_CERT_CHAIN", 3)
    .unwrap();
    let chain_of = |headers: &HeaderMap| {
        TrustedProxy::the_peer_is_my_proxy()
            .certificate_from_headers(headers, &h)
            .map(|c| c.map(|c| c.chain().count()))
            .map_err(|e| e.reason().clone())
    };
    let mut headers = HeaderMap::new();
    headers.insert("ssl_client_cert", value(&apache("rfc9440-leaf.pem")));
    headers.insert(
        "ssl_client_cert_chain_0",
        value(&apache("rfc9440-intermediate.pem")),
    );
    headers.insert(
        "ssl_client_cert_chain_1",
        value(&apache("rfc9440-root.pem")),
    );
    headers.insert("ssl_client_cert_chain_2", value("(null)"));
    assert_eq!(chain_of(&headers), Ok(Some(2)));
    // A gap in the numbering.
    let mut gap = headers.clone();
    gap.insert("ssl_client_cert_chain_0", value("(null)"));
    assert_eq!(chain_of(&gap), Err(Reason::ChainGap { index: 1 }));
    // More than the configured maximum.
    let mut over = headers.clone();
    over.insert(
        "ssl_client_cert_chain_2",
        value(&apache("rfc9440-root.pem")),
    );
    over.insert(
        "ssl_client_cert_chain_3",
        value(&apache("rfc9440-root.pem")),
    );
    assert_eq!(chain_of(&over), Err(Reason::UnexpectedChainHeader));
    // Errors name the header that was wrong: here the one beyond the configured count.
    let named = |headers: &HeaderMap| {
        let err = TrustedProxy::the_peer_is_my_proxy()
            .certificate_from_headers(headers, &h)
            .unwrap_err();
        err.header().map(str::to_string)
    };
    assert_eq!(named(&over).as_deref(), Some("ssl_client_cert_chain_3"));
    assert_eq!(named(&gap).as_deref(), Some("ssl_client_cert_chain_1"));
    // A client-sent chain header within the count, the certificate header saying "none".
    let mut forged = HeaderMap::new();
    forged.insert("ssl_client_cert", value("(null)"));
    for i in 0..3 {
        forged.insert(
            HeaderName::from_bytes(format!("ssl_client_cert_chain_{i}").as_bytes()).unwrap(),
            value("(null)"),
        );
    }
    forged.insert(
        "ssl_client_cert_chain_2",
        value(&apache("rfc9440-root.pem")),
    );
    assert_eq!(
        chain_of(&forged),
        Err(Reason::ChainHeaderWithoutCertificate)
    );
    assert_eq!(named(&forged).as_deref(), Some("ssl_client_cert_chain_2"));
    // A duplicate.
    let mut twice = headers.clone();
    twice.append(
        "ssl_client_cert_chain_1",
        value(&apache("rfc9440-root.pem")),
    );
    assert!(matches!(
        chain_of(&twice),
        Err(Reason::RepeatedHeader { count: 2, .. })
    ));
    // A chain without its leaf did not come from the proxy.
    let mut no_leaf = headers.clone();
    no_leaf.insert("ssl_client_cert", value("(null)"));
    assert!(matches!(
        chain_of(&no_leaf),
        Err(Reason::ChainHeaderWithoutCertificate)
    ));
    // Formats whose chain is a list have no numbered headers.
    let xfcc = ForwardedHeader::standard(ProxyFormat::Xfcc).unwrap();
    assert!(xfcc.with_numbered_chain("x", 2).is_none());
}

#[test]
fn azure_app_service() {
    let h = ForwardedHeader::standard(ProxyFormat::Azure).unwrap();
    assert_eq!(h.name().as_str(), "x-arr-clientcert");
    let b64 = encode::bare_der([&der("rfc9440-leaf.pem")]);
    let mut headers = HeaderMap::new();
    assert_eq!(read(&headers, &h), Ok(None));
    headers.insert("x-arr-clientcert", value(&b64));
    assert_eq!(read(&headers, &h).unwrap().as_deref(), Some(LEAF_X5T));
    // One line a framework joined from two.
    headers.insert("x-arr-clientcert", value(&format!("{b64}, {b64}")));
    assert!(matches!(
        read(&headers, &h),
        Err(Reason::JoinedValues { .. })
    ));
}

// --- bare base64 DER (HAProxy, Traefik), Apache, CloudFront ---

#[test]
fn haproxy_and_traefik_bare_der() {
    let leaf = der("rfc9440-leaf.pem");
    let intermediate = der("rfc9440-intermediate.pem");
    // HAProxy: a header the deployment named; empty when there is no client certificate.
    let name = HeaderName::from_static("x-ssl-client-cert");
    let h = ForwardedHeader::new(ProxyFormat::BareDer, name.clone());
    let mut headers = HeaderMap::new();
    assert_eq!(read(&headers, &h), Ok(None));
    headers.insert(name.clone(), value(""));
    assert_eq!(read(&headers, &h), Ok(None), "HAProxy's empty value");
    headers.insert(name.clone(), value(&encode::bare_der([&leaf])));
    assert_eq!(read(&headers, &h).unwrap().as_deref(), Some(LEAF_X5T));
    headers.append(name, value(&encode::bare_der([&leaf])));
    assert!(matches!(
        read(&headers, &h),
        Err(Reason::RepeatedHeader { count: 2, .. })
    ));

    // Traefik: its own header, leaf first, escaped (up to v2.9) or raw.
    let t = ForwardedHeader::standard(ProxyFormat::Traefik).unwrap();
    assert_eq!(t.format(), ProxyFormat::Traefik);
    assert!(ForwardedHeader::standard(ProxyFormat::BareDer).is_none());
    for v in [
        encode::bare_der([&leaf, &intermediate]),
        encode::bare_der_query_escaped([&leaf, &intermediate]),
    ] {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-tls-client-cert", value(&v));
        let fwd = TrustedProxy::the_peer_is_my_proxy()
            .certificate_from_headers(&headers, &t)
            .unwrap()
            .unwrap();
        assert_eq!(fwd.thumbprint().to_string(), LEAF_X5T);
        assert_eq!(fwd.chain().next(), Some(&intermediate[..]));
    }
    let mut headers = HeaderMap::new();
    headers.insert("x-forwarded-tls-client-cert", value("AQID,"));
    assert_eq!(read(&headers, &t), Err(Reason::EmptyMember { index: 1 }));
}

#[test]
fn apache_null_and_spaced_pem() {
    let name = HeaderName::from_static("x-ssl-client-cert");
    let h = ForwardedHeader::new(ProxyFormat::Apache, name.clone());
    let mut headers = HeaderMap::new();
    assert_eq!(read(&headers, &h), Ok(None));
    headers.insert(name.clone(), value("(null)"));
    assert_eq!(
        read(&headers, &h),
        Ok(None),
        "Apache's (null): no certificate"
    );
    headers.insert(name.clone(), value(""));
    assert_eq!(read(&headers, &h), Ok(None));
    let spaced = encode::apache(pem("rfc8705-appendix-a.pem").as_bytes());
    headers.insert(name.clone(), value(&spaced));
    assert_eq!(read(&headers, &h).unwrap().as_deref(), Some(APPENDIX_A_X5T));
    // A client-sent copy beside the proxy's: refused, whichever says (null).
    headers.append(name.clone(), value("(null)"));
    assert!(matches!(
        read(&headers, &h),
        Err(Reason::RepeatedHeader { count: 2, .. })
    ));
    let mut headers = HeaderMap::new();
    headers.insert(
        name,
        value(&encode::escaped_pem(
            pem("rfc8705-appendix-a.pem").as_bytes(),
        )),
    );
    assert_eq!(read(&headers, &h), Err(Reason::UrlEncoded));
}

#[test]
fn cloudfront_pem_and_its_digest() {
    let leaf_pem = pem("rfc9440-leaf.pem");
    let h = ForwardedHeader::standard(ProxyFormat::CloudFront).unwrap();
    let hex = "bfaf1f7e070f9fa8dd62905f158da73f84a1136624fbafcc9393c8f7287a69eb";
    let mut headers = HeaderMap::new();
    assert_eq!(read(&headers, &h), Ok(None));
    headers.insert(
        "cloudfront-viewer-cert-pem",
        value(&encode::escaped_pem(leaf_pem.as_bytes())),
    );
    assert_eq!(read(&headers, &h).unwrap().as_deref(), Some(LEAF_X5T));
    // The digest header, when present, must be the certificate's SHA-256 (either case).
    for good in [hex.to_string(), hex.to_uppercase()] {
        headers.insert("cloudfront-viewer-cert-sha256", value(&good));
        assert_eq!(read(&headers, &h).unwrap().as_deref(), Some(LEAF_X5T));
    }
    let other = format!("{}0", &hex[..63]);
    for bad in [other.as_str(), "bfaf", "not hex"] {
        headers.insert("cloudfront-viewer-cert-sha256", value(bad));
        assert_eq!(
            read(&headers, &h),
            Err(Reason::DigestMismatch {
                header: "cloudfront-viewer-cert-sha256"
            }),
            "{bad}"
        );
    }
    headers.insert("cloudfront-viewer-cert-sha256", value(hex));
    headers.append("cloudfront-viewer-cert-sha256", value(hex));
    assert!(matches!(
        read(&headers, &h),
        Err(Reason::RepeatedHeader { count: 2, .. })
    ));
    // The digest alone is no certificate.
    let mut headers = HeaderMap::new();
    headers.insert("cloudfront-viewer-cert-sha256", value(hex));
    assert_eq!(read(&headers, &h), Ok(None));
}

#[test]
fn haproxy_leaf_and_chain_headers() {
    let leaf = der("rfc9440-leaf.pem");
    let intermediate = der("rfc9440-intermediate.pem");
    let root = der("rfc9440-root.pem");
    let cert = HeaderName::from_static("x-ssl-client-cert");
    let chain = HeaderName::from_static("x-ssl-client-cert-chain");
    let h = ForwardedHeader::new(ProxyFormat::BareDer, cert.clone())
        .with_chain(chain.clone())
        .unwrap();
    let proxy = TrustedProxy::the_peer_is_my_proxy();
    let mut headers = HeaderMap::new();
    assert!(
        proxy
            .certificate_from_headers(&headers, &h)
            .unwrap()
            .is_none()
    );
    // No client certificate: HAProxy writes both headers, empty.
    headers.insert(cert.clone(), value(""));
    headers.insert(chain.clone(), value(""));
    assert!(
        proxy
            .certificate_from_headers(&headers, &h)
            .unwrap()
            .is_none()
    );
    headers.insert(cert.clone(), value(&encode::bare_der([&leaf])));
    let fwd = proxy
        .certificate_from_headers(&headers, &h)
        .unwrap()
        .unwrap();
    assert_eq!(fwd.thumbprint().to_string(), LEAF_X5T);
    assert_eq!(fwd.chain().count(), 0);
    let both = encode::bare_der([[intermediate.clone(), root.clone()].concat()]);
    headers.insert(chain.clone(), value(&both));
    let fwd = proxy
        .certificate_from_headers(&headers, &h)
        .unwrap()
        .unwrap();
    assert_eq!(
        fwd.chain().collect::<Vec<_>>(),
        [&intermediate[..], &root[..]]
    );
    // A chain without its leaf, or a repeated chain header, did not come from HAProxy.
    headers.insert(cert.clone(), value(""));
    assert_eq!(
        read(&headers, &h),
        Err(Reason::ChainHeaderWithoutCertificate)
    );
    let err = TrustedProxy::the_peer_is_my_proxy()
        .certificate_from_headers(&headers, &h)
        .unwrap_err();
    assert_eq!(err.header(), Some("x-ssl-client-cert-chain"));
    assert!(
        err.to_string()
            .starts_with("bare-der header x-ssl-client-cert-chain: ")
    );
    headers.remove(&cert);
    assert!(read(&headers, &h).is_err());
    headers.insert(cert, value(&encode::bare_der([&leaf])));
    headers.append(chain, value(&both));
    assert!(matches!(
        read(&headers, &h),
        Err(Reason::RepeatedHeader { count: 2, .. })
    ));
    // Without a chain name, the chain header is not read.
    assert_eq!(
        read(
            &headers,
            &ForwardedHeader::new(
                ProxyFormat::BareDer,
                HeaderName::from_static("x-ssl-client-cert")
            )
        )
        .unwrap()
        .as_deref(),
        Some(LEAF_X5T)
    );
    assert_eq!(
        read(
            &HeaderMap::new(),
            &ForwardedHeader::new(
                ProxyFormat::BareDer,
                HeaderName::from_static("x-ssl-client-cert")
            )
        ),
        Ok(None)
    );
}

/// Every header is bounded as `TrustedProxy::decode` bounds a value: 128 KiB, whitespace
/// included; the `Client-Cert-Chain` lines together; each numbered chain header.
#[test]
fn header_values_are_bounded() {
    const MAX: usize = 128 * 1024;
    let der = der("rfc9440-leaf.pem");
    let padded = |format, len: usize| {
        let v = encode::value(format, &der);
        value(&(v.clone() + &" ".repeat(len - v.len())))
    };
    let too_large = Reason::TooLarge { len: MAX + 1 };
    let name = HeaderName::from_static("x-cert");
    for format in ProxyFormat::ALL {
        let header = ForwardedHeader::new(format, name.clone());
        let mut headers = HeaderMap::new();
        headers.insert(&name, padded(format, MAX));
        assert_eq!(
            read(&headers, &header),
            Ok(Some(LEAF_X5T.to_string())),
            "{format}"
        );
        headers.insert(&name, padded(format, MAX + 1));
        assert_eq!(read(&headers, &header), Err(too_large.clone()), "{format}");
        // One header per chain certificate: each bounded.
        if let Some(numbered) = header.clone().with_numbered_chain("x-chain", 2) {
            headers.insert(&name, value(&encode::value(format, &der)));
            headers.insert("x-chain_0", padded(format, MAX));
            let chain = TrustedProxy::the_peer_is_my_proxy()
                .certificate_from_headers(&headers, &numbered)
                .unwrap()
                .unwrap();
            assert_eq!(chain.chain().count(), 1, "{format}");
            headers.insert("x-chain_0", padded(format, MAX + 1));
            let member = Reason::ChainMember {
                index: 0,
                reason: Box::new(too_large.clone()),
            };
            assert_eq!(read(&headers, &numbered), Err(member), "{format}");
        }
    }
    // HAProxy's chain header.
    let haproxy = ForwardedHeader::new(ProxyFormat::BareDer, name.clone())
        .with_chain(HeaderName::from_static("x-chain"))
        .unwrap();
    let mut headers = HeaderMap::new();
    headers.insert(&name, value(&encode::bare_der([&der])));
    headers.insert("x-chain", padded(ProxyFormat::BareDer, MAX));
    assert_eq!(read(&headers, &haproxy), Ok(Some(LEAF_X5T.to_string())));
    headers.insert("x-chain", padded(ProxyFormat::BareDer, MAX + 1));
    assert_eq!(read(&headers, &haproxy), Err(too_large.clone()));
    // `Client-Cert-Chain` field lines are one list: their lengths add up.
    let client_cert = ForwardedHeader::standard(ProxyFormat::ClientCert)
        .and_then(|h| h.with_chain(HeaderName::from_static("client-cert-chain")))
        .unwrap();
    let mut headers = HeaderMap::new();
    headers.insert("client-cert", value(&encode::client_cert(&der)));
    headers.append(
        "client-cert-chain",
        padded(ProxyFormat::ClientCert, MAX / 2),
    );
    headers.append(
        "client-cert-chain",
        padded(ProxyFormat::ClientCert, MAX / 2),
    );
    assert_eq!(read(&headers, &client_cert), Ok(Some(LEAF_X5T.to_string())));
    headers.append("client-cert-chain", value(" "));
    assert_eq!(read(&headers, &client_cert), Err(too_large));
}
