//! The `http` feature: forwarded certificates from a `HeaderMap`, repeated and missing
//! headers, and the per-listener certificate source.
#![cfg(feature = "http")]

use http::{HeaderMap, HeaderName, HeaderValue};
use rfc8705::ClientCertificate;
use rfc8705::proxy::http::{CertificateSource, ForwardedHeader};
use rfc8705::proxy::{
    ClientCertFieldError, ForwardedCertificateError, TrustedProxy, alb, client_cert, escaped_pem,
};

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

fn read(
    headers: &HeaderMap,
    header: &ForwardedHeader,
) -> Result<Option<String>, ForwardedCertificateError> {
    TrustedProxy::the_peer_is_my_proxy()
        .certificate_from_headers(headers, header)
        .map(|c| c.map(|c| c.thumbprint().to_string()))
}

#[test]
fn client_cert_is_a_singleton() {
    let leaf = client_cert::encode(&der("rfc9440-leaf.pem"));
    let mut headers = HeaderMap::new();
    let h = ForwardedHeader::client_cert();
    assert_eq!(read(&headers, &h), Ok(None));
    headers.append("client-cert", value(&leaf));
    assert_eq!(read(&headers, &h).unwrap().as_deref(), Some(LEAF_X5T));
    // A client-sent copy the proxy appended to instead of replacing.
    headers.append(
        "Client-Cert",
        value(&client_cert::encode(&der("rfc8705-appendix-a.pem"))),
    );
    assert_eq!(
        read(&headers, &h),
        Err(ForwardedCertificateError::RepeatedHeader {
            header: "client-cert".into(),
            count: 2
        })
    );
    // Two values joined on one line are refused too.
    let mut joined = HeaderMap::new();
    joined.insert("client-cert", value(&format!("{leaf}, {leaf}")));
    assert_eq!(
        read(&joined, &h),
        Err(ForwardedCertificateError::ClientCert(
            ClientCertFieldError::MultipleValues
        ))
    );
}

#[test]
fn client_cert_chain_lines_and_absence() {
    let h = ForwardedHeader::client_cert();
    let leaf = client_cert::encode(&der("rfc9440-leaf.pem"));
    let inter = client_cert::encode(&der("rfc9440-intermediate.pem"));
    let root = client_cert::encode(&der("rfc9440-root.pem"));
    let mut headers = HeaderMap::new();
    headers.append("client-cert-chain", value(&inter));
    assert_eq!(
        read(&headers, &h),
        Err(ForwardedCertificateError::ChainWithoutCertificate)
    );
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
fn xfcc_lines_form_one_list() {
    let h = ForwardedHeader::xfcc();
    let leaf = escaped_pem::encode(pem("rfc9440-leaf.pem").as_bytes());
    let other = escaped_pem::encode(pem("rfc8705-appendix-a.pem").as_bytes());
    let mut headers = HeaderMap::new();
    assert_eq!(read(&headers, &h), Ok(None));
    headers.append(
        "x-forwarded-client-cert",
        value(&format!("Cert=\"{other}\"")),
    );
    headers.append(
        "x-forwarded-client-cert",
        value(&format!("By=spiffe://edge;Cert=\"{leaf}\"")),
    );
    assert_eq!(read(&headers, &h).unwrap().as_deref(), Some(LEAF_X5T));
}

#[test]
fn escaped_pem_and_alb() {
    let name = HeaderName::from_static("x-ssl-client-cert");
    let h = ForwardedHeader::escaped_pem(name.clone());
    let mut headers = HeaderMap::new();
    assert_eq!(read(&headers, &h), Ok(None));
    headers.insert(name.clone(), value(""));
    assert_eq!(
        read(&headers, &h),
        Ok(None),
        "nginx's empty value: no certificate"
    );
    let nginx = escaped_pem::encode(pem("rfc8705-appendix-a.pem").as_bytes());
    headers.insert(name.clone(), value(&nginx));
    assert_eq!(read(&headers, &h).unwrap().as_deref(), Some(APPENDIX_A_X5T));
    headers.append(name, value(&nginx));
    assert!(matches!(
        read(&headers, &h),
        Err(ForwardedCertificateError::RepeatedHeader { count: 2, .. })
    ));

    let aws = alb::encode(pem("rfc9440-leaf.pem").as_bytes());
    let mut headers = HeaderMap::new();
    headers.insert("x-amzn-mtls-clientcert-leaf", value(&aws));
    assert_eq!(
        read(&headers, &ForwardedHeader::alb_leaf())
            .unwrap()
            .as_deref(),
        Some(LEAF_X5T)
    );
    assert_eq!(read(&headers, &ForwardedHeader::alb_chain()), Ok(None));
    headers.append("x-amzn-mtls-clientcert-leaf", value(&aws));
    assert!(read(&headers, &ForwardedHeader::alb_leaf()).is_err());
}

#[test]
fn certificate_source_never_mixes() {
    let proxy_cert = der("rfc8705-appendix-a.pem");
    let mut headers = HeaderMap::new();
    headers.insert(
        "client-cert",
        value(&client_cert::encode(&der("rfc9440-leaf.pem"))),
    );

    // Direct: the connection's certificate; the (client-sent) header is ignored.
    let direct = CertificateSource::Connection;
    let cert = direct
        .request_certificate(Some(&proxy_cert), &headers)
        .unwrap()
        .unwrap();
    assert!(!cert.is_forwarded());
    assert_eq!(cert.thumbprint().to_string(), APPENDIX_A_X5T);
    assert!(
        direct
            .request_certificate(None, &headers)
            .unwrap()
            .is_none()
    );

    // Behind the proxy: the header; the proxy's own connection certificate is ignored.
    let proxied = CertificateSource::Proxy {
        proxy: TrustedProxy::the_peer_is_my_proxy(),
        header: ForwardedHeader::client_cert(),
    };
    let cert = proxied
        .request_certificate(Some(&proxy_cert), &headers)
        .unwrap()
        .unwrap();
    assert!(cert.is_forwarded());
    assert_eq!(cert.thumbprint().to_string(), LEAF_X5T);
    // No header: no certificate, even though the connection has one.
    assert!(
        proxied
            .request_certificate(Some(&proxy_cert), &HeaderMap::new())
            .unwrap()
            .is_none()
    );
}

// --- bare base64 DER (HAProxy, Traefik), Apache, CloudFront ---

use rfc8705::proxy::{ApachePemError, BareDerError, ProxyFormat, apache, bare_der, cloudfront};

#[test]
fn haproxy_and_traefik_bare_der() {
    let leaf = der("rfc9440-leaf.pem");
    let intermediate = der("rfc9440-intermediate.pem");
    // HAProxy: a header the deployment named; empty when there is no client certificate.
    let name = HeaderName::from_static("x-ssl-client-cert");
    let h = ForwardedHeader::bare_der(name.clone());
    let mut headers = HeaderMap::new();
    assert_eq!(read(&headers, &h), Ok(None));
    headers.insert(name.clone(), value(""));
    assert_eq!(read(&headers, &h), Ok(None), "HAProxy's empty value");
    headers.insert(name.clone(), value(&bare_der::encode([&leaf])));
    assert_eq!(read(&headers, &h).unwrap().as_deref(), Some(LEAF_X5T));
    headers.append(name, value(&bare_der::encode([&leaf])));
    assert!(matches!(
        read(&headers, &h),
        Err(ForwardedCertificateError::RepeatedHeader { count: 2, .. })
    ));

    // Traefik: its own header, leaf first, escaped (up to v2.9) or raw.
    let t = ForwardedHeader::traefik();
    assert_eq!(t.format(), ProxyFormat::BareDer);
    for v in [
        bare_der::encode([&leaf, &intermediate]),
        bare_der::encode_query_escaped([&leaf, &intermediate]),
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
    assert_eq!(
        read(&headers, &t),
        Err(ForwardedCertificateError::BareDer(
            BareDerError::EmptyMember { index: 1 }
        ))
    );
}

#[test]
fn apache_null_and_spaced_pem() {
    let name = HeaderName::from_static("x-ssl-client-cert");
    let h = ForwardedHeader::apache(name.clone());
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
    let spaced = apache::encode(pem("rfc8705-appendix-a.pem").as_bytes());
    headers.insert(name.clone(), value(&spaced));
    assert_eq!(read(&headers, &h).unwrap().as_deref(), Some(APPENDIX_A_X5T));
    // A client-sent copy beside the proxy's: refused, whichever says (null).
    headers.append(name.clone(), value("(null)"));
    assert!(matches!(
        read(&headers, &h),
        Err(ForwardedCertificateError::RepeatedHeader { count: 2, .. })
    ));
    let mut headers = HeaderMap::new();
    headers.insert(
        name,
        value(&escaped_pem::encode(
            pem("rfc8705-appendix-a.pem").as_bytes(),
        )),
    );
    assert_eq!(
        read(&headers, &h),
        Err(ForwardedCertificateError::Apache(
            ApachePemError::UrlEncoded
        ))
    );
}

#[test]
fn cloudfront_pem_and_its_digest() {
    let leaf_pem = pem("rfc9440-leaf.pem");
    let h = ForwardedHeader::cloudfront();
    let hex = "bfaf1f7e070f9fa8dd62905f158da73f84a1136624fbafcc9393c8f7287a69eb";
    let mut headers = HeaderMap::new();
    assert_eq!(read(&headers, &h), Ok(None));
    headers.insert(
        "cloudfront-viewer-cert-pem",
        value(&cloudfront::encode(leaf_pem.as_bytes())),
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
            Err(ForwardedCertificateError::DigestMismatch {
                header: "cloudfront-viewer-cert-sha256"
            }),
            "{bad}"
        );
    }
    headers.insert("cloudfront-viewer-cert-sha256", value(hex));
    headers.append("cloudfront-viewer-cert-sha256", value(hex));
    assert!(matches!(
        read(&headers, &h),
        Err(ForwardedCertificateError::RepeatedHeader { count: 2, .. })
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
    let h = ForwardedHeader::haproxy_with_chain(cert.clone(), chain.clone());
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
    headers.insert(cert.clone(), value(&bare_der::encode([&leaf])));
    let fwd = proxy
        .certificate_from_headers(&headers, &h)
        .unwrap()
        .unwrap();
    assert_eq!(fwd.thumbprint().to_string(), LEAF_X5T);
    assert_eq!(fwd.chain().count(), 0);
    let both = bare_der::encode([[intermediate.clone(), root.clone()].concat()]);
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
        Err(ForwardedCertificateError::ChainHeaderWithoutCertificate {
            header: "x-ssl-client-cert-chain".to_string()
        })
    );
    headers.remove(&cert);
    assert!(read(&headers, &h).is_err());
    headers.insert(cert, value(&bare_der::encode([&leaf])));
    headers.append(chain, value(&both));
    assert!(matches!(
        read(&headers, &h),
        Err(ForwardedCertificateError::RepeatedHeader { count: 2, .. })
    ));
    // Without a chain name, the chain header is not read.
    assert_eq!(
        read(
            &headers,
            &ForwardedHeader::bare_der(HeaderName::from_static("x-ssl-client-cert"))
        )
        .unwrap()
        .as_deref(),
        Some(LEAF_X5T)
    );
    assert_eq!(
        read(
            &HeaderMap::new(),
            &ForwardedHeader::bare_der(HeaderName::from_static("x-ssl-client-cert"))
        ),
        Ok(None)
    );
}
