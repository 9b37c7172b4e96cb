//! Forwarded client certificates: RFC vectors, every format agreeing, XFCC semantics,
//! malformed values, and encode/decode round trips.

use proptest::prelude::*;
use rfc8705::proxy::{
    ClientCertFieldError, EscapedPemError, ForwardedCertificateError, ProxyFormat,
    RequestCertificate, TrustedProxy, XfccError, alb, client_cert, escaped_pem, xfcc::Xfcc,
};
use rfc8705::{ClientCertificate, Thumbprint};

fn data(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn pem_der(name: &str) -> Vec<u8> {
    ClientCertificate::from_pem(data(name).as_bytes())
        .unwrap()
        .der()
        .to_vec()
}

/// RFC 9440 Appendix A figures are folded "for display and formatting purposes only".
fn unfold(folded: &str) -> String {
    folded.trim_end().replace("\n ", "")
}

fn proxy() -> TrustedProxy {
    TrustedProxy::the_peer_is_my_proxy()
}

/// D-2 in specs.md.
const LEAF_X5T: &str = "v68ffgcPn6jdYpBfFY2nP4ShE2Yk-6_Mk5PI9yh6aes";
const INTERMEDIATE_X5T: &str = "6H31tD6_m4nKKyu_MaTnrVpA1ATPuy_MGkA8JlEoWtw";
const ROOT_X5T: &str = "QjrpXcQc0m2pAhrU5jibqnfghYYHY1qwhekeXR2Ue4M";
const LEAF_HASH: &str = "bfaf1f7e070f9fa8dd62905f158da73f84a1136624fbafcc9393c8f7287a69eb";

#[test]
fn rfc9440_appendix_a_client_cert() {
    let value = unfold(&data("proxy/rfc9440-client-cert-folded.txt"));
    let fwd = proxy().client_cert(&value).unwrap();
    assert_eq!(fwd.der(), pem_der("rfc9440-leaf.pem"));
    assert_eq!(fwd.der().len(), 428);
    assert_eq!(fwd.thumbprint().to_string(), LEAF_X5T);
    assert_eq!(fwd.format(), ProxyFormat::ClientCert);
    let parsed = fwd.to_client_certificate().unwrap();
    assert_eq!(parsed.thumbprint().to_string(), LEAF_X5T);
}

#[test]
fn rfc9440_appendix_a_chain() {
    let leaf = unfold(&data("proxy/rfc9440-client-cert-folded.txt"));
    let chain = unfold(&data("proxy/rfc9440-client-cert-chain-folded.txt"));
    let fwd = proxy().client_cert_with_chain(&leaf, [&chain]).unwrap();
    let got: Vec<String> = fwd
        .chain()
        .map(|der| Thumbprint::from_der(der).unwrap().to_string())
        .collect();
    assert_eq!(got, [INTERMEDIATE_X5T, ROOT_X5T]);
    assert_eq!(
        fwd.chain().next().unwrap(),
        pem_der("rfc9440-intermediate.pem")
    );
    // The same list split over two field lines is the same chain.
    let (a, b) = chain.split_once(", ").unwrap();
    let split = proxy().client_cert_with_chain(&leaf, [a, b]).unwrap();
    assert_eq!(split, fwd);
}

#[test]
fn rfc9440_folded_values_are_not_accepted_as_is() {
    // The figure as printed holds line feeds: RFC 8941 "parsers MUST fail on … line feeds".
    let folded = data("proxy/rfc9440-client-cert-folded.txt");
    let err = proxy().client_cert(folded.trim_end()).unwrap_err();
    assert!(
        matches!(
            err,
            ForwardedCertificateError::ClientCert(ClientCertFieldError::LineBreak { position: 56 })
        ),
        "{err:?}"
    );
    // Unfolded but with the padding dropped: still the same certificate.
    let value = unfold(&folded).replace("=:", ":");
    assert_eq!(
        proxy()
            .client_cert(&value)
            .unwrap()
            .thumbprint()
            .to_string(),
        LEAF_X5T
    );
}

#[test]
fn d2_escaped_leaf_and_synthetic_xfcc() {
    let escaped = data("proxy/rfc9440-leaf-escaped.txt");
    assert_eq!(
        escaped,
        escaped_pem::encode(data("rfc9440-leaf.pem").as_bytes())
    );
    let fwd = proxy().escaped_pem(&escaped).unwrap();
    assert_eq!(fwd.thumbprint().to_string(), LEAF_X5T);
    let element = format!("Hash={LEAF_HASH};Cert=\"{escaped}\";Subject=\"CN=BC\"");
    assert_eq!(
        proxy().xfcc(&element).unwrap().thumbprint().to_string(),
        LEAF_X5T
    );
}

/// Every format carries the same certificate to the same thumbprint as its PEM.
fn every_format_agrees(pem: &str) {
    let der = ClientCertificate::from_pem(pem.as_bytes())
        .unwrap()
        .der()
        .to_vec();
    let want = Thumbprint::from_der(&der).unwrap();
    let p = proxy();
    let rfc9440 = client_cert::encode(&der);
    let nginx = escaped_pem::encode(pem.as_bytes());
    let aws = alb::encode(pem.as_bytes());
    let envoy = format!("By=spiffe://edge;Cert=\"{nginx}\";URI=spiffe://client");
    let b64 = rfc9440.trim_matches(':');
    let traefik = escaped_pem::encode(b64.as_bytes());
    for (format, value) in [
        (ProxyFormat::ClientCert, &rfc9440),
        (ProxyFormat::EscapedPem, &nginx),
        (ProxyFormat::EscapedPem, &traefik),
        (ProxyFormat::Alb, &aws),
        (ProxyFormat::Xfcc, &envoy),
    ] {
        let fwd = p.decode(format, value).unwrap();
        assert_eq!(fwd.der(), der, "{format}");
        assert_eq!(fwd.thumbprint(), want, "{format}");
        assert_eq!(fwd.format(), format);
        let request = RequestCertificate::Forwarded(fwd.clone());
        assert!(request.is_forwarded());
        assert_eq!(request.thumbprint(), want);
        assert_eq!(fwd.into_client_certificate().unwrap().thumbprint(), want);
    }
}

#[test]
fn every_format_gives_the_pem_thumbprint() {
    for name in [
        "rfc9440-leaf.pem",
        "rfc9440-intermediate.pem",
        "rfc9440-root.pem",
        "rfc8705-appendix-a.pem",
    ] {
        every_format_agrees(&data(name));
    }
    let generated = rcgen::generate_simple_self_signed(vec!["client.example".to_string()]).unwrap();
    every_format_agrees(&generated.cert.pem());
}

#[test]
fn xfcc_only_the_last_cert_counts() {
    let attacker = escaped_pem::encode(data("rfc8705-appendix-a.pem").as_bytes());
    let leaf = escaped_pem::encode(data("rfc9440-leaf.pem").as_bytes());
    // An APPEND_FORWARD chain: the first element may be client-written.
    let value = format!("Cert=\"{attacker}\";By=spiffe://evil,By=spiffe://edge;Cert=\"{leaf}\"");
    let fwd = proxy().xfcc(&value).unwrap();
    assert_eq!(fwd.thumbprint().to_string(), LEAF_X5T);
    // Swapped, the other certificate is the one: nothing but position decides.
    let swapped = format!("Cert=\"{leaf}\",Cert=\"{attacker}\"");
    assert_eq!(
        proxy().xfcc(&swapped).unwrap().thumbprint().to_string(),
        "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"
    );
    // The last element without a Cert is no certificate, never an earlier element's.
    let no_cert = format!("Cert=\"{leaf}\",By=spiffe://edge;Hash={LEAF_HASH}");
    assert_eq!(
        proxy().xfcc(&no_cert).unwrap_err(),
        ForwardedCertificateError::Xfcc(XfccError::NoCert)
    );
}

#[test]
fn xfcc_quoted_values_hold_separators() {
    let leaf = escaped_pem::encode(data("rfc9440-leaf.pem").as_bytes());
    let value = format!(
        r#"Cert="{leaf}";Subject="CN=a\"b\", O=x;y=z\\";URI=spiffe://c;DNS=a.example;dns=b.example"#
    );
    let parsed = Xfcc::parse(&value).unwrap();
    assert_eq!(parsed.elements().len(), 1);
    assert_eq!(parsed.last().subject(), Some(r#"CN=a\"b\", O=x;y=z\\"#));
    assert_eq!(
        parsed.last().dns().collect::<Vec<_>>(),
        ["a.example", "b.example"]
    );
    assert_eq!(
        proxy().xfcc(&value).unwrap().thumbprint().to_string(),
        LEAF_X5T
    );
    // A Cert after URI is what a URI SAN holding ";Cert=" would produce: refused.
    let late = format!(r#"URI=spiffe://c;Cert="{leaf}""#);
    assert!(matches!(
        proxy().xfcc(&late).unwrap_err(),
        ForwardedCertificateError::Xfcc(XfccError::OutOfOrder { key: "Cert", .. })
    ));
}

#[test]
fn xfcc_hash_must_agree_with_cert() {
    let leaf = escaped_pem::encode(data("rfc9440-leaf.pem").as_bytes());
    let ok = format!("Hash={};Cert=\"{leaf}\"", LEAF_HASH.to_uppercase());
    assert!(proxy().xfcc(&ok).is_ok());
    // The intermediate's digest (D-2) with the leaf's Cert.
    let other = "e87df5b43ebf9b89ca2b2bbf31a4e7ad5a40d404cfbb2fcc1a403c2651285adc";
    let bad = format!("Hash={other};Cert=\"{leaf}\"");
    assert_eq!(
        proxy().xfcc(&bad).unwrap_err(),
        ForwardedCertificateError::Xfcc(XfccError::HashMismatch)
    );
    let short = format!("Hash={};Cert=\"{leaf}\"", &LEAF_HASH[2..]);
    assert_eq!(
        proxy().xfcc(&short).unwrap_err(),
        ForwardedCertificateError::Xfcc(XfccError::MalformedHash)
    );
}

#[test]
fn xfcc_chain_includes_the_leaf() {
    let [leaf, inter, root] = [
        "rfc9440-leaf.pem",
        "rfc9440-intermediate.pem",
        "rfc9440-root.pem",
    ]
    .map(data);
    let chain = escaped_pem::encode(format!("{leaf}{inter}{root}").as_bytes());
    let cert = escaped_pem::encode(leaf.as_bytes());
    let value = format!("Cert=\"{cert}\";Chain=\"{chain}\"");
    let fwd = proxy().xfcc(&value).unwrap();
    let got: Vec<String> = fwd
        .chain()
        .map(|d| Thumbprint::from_der(d).unwrap().to_string())
        .collect();
    assert_eq!(got, [INTERMEDIATE_X5T, ROOT_X5T]);
    let wrong = escaped_pem::encode(format!("{inter}{root}").as_bytes());
    let value = format!("Cert=\"{cert}\";Chain=\"{wrong}\"");
    assert_eq!(
        proxy().xfcc(&value).unwrap_err(),
        ForwardedCertificateError::Xfcc(XfccError::ChainLeafMismatch)
    );
    let two = format!("Cert=\"{chain}\"");
    assert_eq!(
        proxy().xfcc(&two).unwrap_err(),
        ForwardedCertificateError::Xfcc(XfccError::CertHoldsSeveral)
    );
}

#[test]
fn alb_chain_header_leaf_first() {
    let [leaf, inter] = ["rfc9440-leaf.pem", "rfc9440-intermediate.pem"].map(data);
    let value = alb::encode(format!("{leaf}{inter}").as_bytes());
    let fwd = proxy().alb(&value).unwrap();
    assert_eq!(fwd.thumbprint().to_string(), LEAF_X5T);
    assert_eq!(fwd.chain().len(), 1);
}

#[test]
fn malformed_values_of_every_format() {
    use ForwardedCertificateError as F;
    let p = proxy();
    let cases: Vec<(ProxyFormat, String, F)> = vec![
        (
            ProxyFormat::ClientCert,
            "".into(),
            F::ClientCert(ClientCertFieldError::Empty),
        ),
        (
            ProxyFormat::ClientCert,
            "MIIB".into(),
            F::ClientCert(ClientCertFieldError::NotAByteSequence { found: "M".into() }),
        ),
        (
            ProxyFormat::ClientCert,
            ":MIIB".into(),
            F::ClientCert(ClientCertFieldError::Unterminated),
        ),
        (
            ProxyFormat::ClientCert,
            ":MII_:".into(),
            F::ClientCert(ClientCertFieldError::InvalidCharacter {
                position: 4,
                found: "_".into(),
            }),
        ),
        (
            ProxyFormat::ClientCert,
            ":AAAA:, :AAAA:".into(),
            F::ClientCert(ClientCertFieldError::MultipleValues),
        ),
        // Well-formed base64, but not DER.
        (
            ProxyFormat::ClientCert,
            ":AAAA:".into(),
            F::Certificate(rfc8705::CertificateError::NotASequence),
        ),
        (ProxyFormat::Xfcc, "".into(), F::Xfcc(XfccError::Empty)),
        (
            ProxyFormat::Xfcc,
            "Cert=\"abc".into(),
            F::Xfcc(XfccError::UnterminatedQuote { position: 5 }),
        ),
        (
            ProxyFormat::Xfcc,
            "By=a;Cert".into(),
            F::Xfcc(XfccError::MissingEquals { position: 5 }),
        ),
        (
            ProxyFormat::Xfcc,
            "Cert=\"nothing\"".into(),
            F::Xfcc(XfccError::Cert(EscapedPemError::NoCertificate)),
        ),
        (
            ProxyFormat::EscapedPem,
            "".into(),
            F::EscapedPem(EscapedPemError::Empty),
        ),
        (
            ProxyFormat::EscapedPem,
            "-----BEGIN%2".into(),
            F::EscapedPem(EscapedPemError::BadPercentEscape { position: 10 }),
        ),
        (
            ProxyFormat::EscapedPem,
            "not a certificate".into(),
            F::EscapedPem(EscapedPemError::NoCertificate),
        ),
        (
            ProxyFormat::Alb,
            "".into(),
            F::EscapedPem(EscapedPemError::Empty),
        ),
        (
            ProxyFormat::Alb,
            "AQID".into(),
            F::EscapedPem(EscapedPemError::NoCertificate),
        ),
    ];
    for (format, value, want) in cases {
        assert_eq!(
            p.decode(format, &value).unwrap_err(),
            want,
            "{format} {value:?}"
        );
    }
    // Truncated DER inside well-formed PEM: the framing check names it.
    let der = pem_der("rfc9440-leaf.pem");
    let short = client_cert::encode(&der[..der.len() - 1]);
    assert!(matches!(
        p.client_cert(&short).unwrap_err(),
        F::Certificate(rfc8705::CertificateError::Truncated { .. })
    ));
}

#[test]
fn diagnostics_escape_control_characters() {
    let err = proxy().client_cert(":AB\x1b[31m:").unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("\\x1b") && !msg.contains('\x1b'), "{msg}");
}

#[test]
fn trust_by_peer_address() {
    let proxies: Vec<std::net::IpAddr> =
        vec!["10.0.0.2".parse().unwrap(), "fd00::2".parse().unwrap()];
    for ok in ["10.0.0.2", "::ffff:10.0.0.2", "fd00::2"] {
        assert!(
            TrustedProxy::if_peer_in(ok.parse().unwrap(), &proxies).is_some(),
            "{ok}"
        );
    }
    for no in ["10.0.0.3", "::1", "fd00::3", "::a00:2"] {
        assert!(
            TrustedProxy::if_peer_in(no.parse().unwrap(), &proxies).is_none(),
            "{no}"
        );
    }
    assert!(TrustedProxy::if_peer_in("10.0.0.2".parse().unwrap(), &[]).is_none());
}

/// A certificate-like DER: one SEQUENCE with definite-length content.
fn der_like() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..1500).prop_map(|content| {
        let mut der = vec![0x30];
        match content.len() {
            n if n < 0x80 => der.push(n as u8),
            n if n < 0x100 => der.extend([0x81, n as u8]),
            n => der.extend([0x82, (n >> 8) as u8, n as u8]),
        }
        der.extend(content);
        der
    })
}

fn to_pem(der: &[u8]) -> String {
    use base64ct::{Base64, Encoding};
    let b64 = Base64::encode_string(der);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}

proptest! {
    #[test]
    fn every_format_round_trips(der in der_like(), chain in proptest::collection::vec(der_like(), 0..3)) {
        let p = proxy();
        let want = Thumbprint::from_der(&der).unwrap();

        let leaf = client_cert::encode(&der);
        let list: Vec<String> = chain.iter().map(|d| client_cert::encode(d)).collect();
        let fwd = p.client_cert_with_chain(&leaf, [list.join(", ")]).unwrap();
        prop_assert_eq!(fwd.thumbprint(), want);
        prop_assert_eq!(fwd.chain().map(<[u8]>::to_vec).collect::<Vec<_>>(), chain.clone());

        let pem: String = std::iter::once(&der).chain(&chain).map(|d| to_pem(d)).collect();
        for (format, value) in [
            (ProxyFormat::EscapedPem, escaped_pem::encode(pem.as_bytes())),
            (ProxyFormat::Alb, alb::encode(pem.as_bytes())),
        ] {
            let fwd = p.decode(format, &value).unwrap();
            prop_assert_eq!(fwd.der(), &der[..]);
            prop_assert_eq!(fwd.chain().map(<[u8]>::to_vec).collect::<Vec<_>>(), chain.clone());
        }

        let hex: String = want.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
        let xfcc = format!(
            "By=spiffe://x;Hash={hex};Cert=\"{}\";Chain=\"{}\"",
            escaped_pem::encode(to_pem(&der).as_bytes()),
            escaped_pem::encode(pem.as_bytes()),
        );
        let fwd = p.xfcc(&xfcc).unwrap();
        prop_assert_eq!(fwd.thumbprint(), want);
        prop_assert_eq!(fwd.chain().map(<[u8]>::to_vec).collect::<Vec<_>>(), chain);
    }

    #[test]
    fn decoders_are_total(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let p = proxy();
        for format in ProxyFormat::ALL {
            let _ = p.decode(format, &bytes);
        }
        if let Ok(s) = std::str::from_utf8(&bytes) {
            let _ = Xfcc::parse(s);
        }
    }
}

// --- bare base64 DER (HAProxy, Traefik), Apache, CloudFront ---

use rfc8705::proxy::{ApachePemError, BareDerError, apache, bare_der, cloudfront};

/// HAProxy, Traefik (both escapings), Apache and CloudFront carry the PEM's certificate to the
/// PEM's thumbprint.
fn new_formats_agree(pem: &str) {
    let der = ClientCertificate::from_pem(pem.as_bytes())
        .unwrap()
        .der()
        .to_vec();
    let want = Thumbprint::from_der(&der).unwrap();
    let p = proxy();
    let haproxy = bare_der::encode([&der]);
    let traefik_v2 = bare_der::encode_query_escaped([&der]);
    let apache_value = apache::encode(pem.as_bytes());
    let cf = cloudfront::encode(pem.as_bytes());
    for (format, value) in [
        (ProxyFormat::BareDer, &haproxy),
        (ProxyFormat::BareDer, &traefik_v2),
        (ProxyFormat::Apache, &apache_value),
        (ProxyFormat::CloudFront, &cf),
    ] {
        let fwd = p.decode(format, value).unwrap();
        assert_eq!(fwd.der(), der, "{format}");
        assert_eq!(fwd.thumbprint(), want, "{format}");
        assert_eq!(fwd.format(), format);
        assert_eq!(fwd.chain().count(), 0);
        assert_eq!(fwd.into_client_certificate().unwrap().thumbprint(), want);
    }
    assert_eq!(p.bare_der(&haproxy).unwrap().thumbprint(), want);
    assert_eq!(p.apache(&apache_value).unwrap().unwrap().thumbprint(), want);
    assert_eq!(p.cloudfront(&cf).unwrap().thumbprint(), want);
    // Traefik's value was always readable as escaped-pem too; both readings agree.
    assert_eq!(
        p.decode(ProxyFormat::EscapedPem, &traefik_v2)
            .unwrap()
            .der(),
        der
    );
}

#[test]
fn new_formats_give_the_pem_thumbprint() {
    for name in [
        "rfc9440-leaf.pem",
        "rfc9440-intermediate.pem",
        "rfc9440-root.pem",
        "rfc8705-appendix-a.pem",
    ] {
        new_formats_agree(&data(name));
    }
    let generated = rcgen::generate_simple_self_signed(vec!["client.example".to_string()]).unwrap();
    new_formats_agree(&generated.cert.pem());
}

#[test]
fn traefik_and_apache_chains_are_leaf_first() {
    let leaf = pem_der("rfc9440-leaf.pem");
    let intermediate = pem_der("rfc9440-intermediate.pem");
    let root = pem_der("rfc9440-root.pem");
    let p = proxy();
    // Traefik joins req.TLS.PeerCertificates (leaf first) with ",".
    for value in [
        bare_der::encode([&leaf, &intermediate, &root]),
        bare_der::encode_query_escaped([&leaf, &intermediate, &root]),
    ] {
        let fwd = p.bare_der(&value).unwrap();
        assert_eq!(fwd.thumbprint().to_string(), LEAF_X5T);
        let chain: Vec<String> = fwd
            .chain()
            .map(|d| Thumbprint::from_der(d).unwrap().to_string())
            .collect();
        assert_eq!(chain, [INTERMEDIATE_X5T, ROOT_X5T]);
    }
    // Apache: "%{SSL_CLIENT_CERT}s%{SSL_CLIENT_CERT_CHAIN_0}s" in one header.
    let text = format!(
        "{}{}",
        data("rfc9440-leaf.pem"),
        data("rfc9440-intermediate.pem")
    );
    let fwd = p.apache(apache::encode(text.as_bytes())).unwrap().unwrap();
    assert_eq!(fwd.thumbprint().to_string(), LEAF_X5T);
    assert_eq!(fwd.chain().next(), Some(&intermediate[..]));
    // CloudFront forwards the leaf alone.
    let two = cloudfront::encode(text.as_bytes());
    assert!(matches!(
        p.cloudfront(&two),
        Err(ForwardedCertificateError::EscapedPem(
            EscapedPemError::NotOneCertificate { count: 2 }
        ))
    ));
}

#[test]
fn apache_null_is_no_certificate_never_a_certificate() {
    let p = proxy();
    assert!(p.apache("(null)").unwrap().is_none());
    assert!(p.apache(" (null)\t").unwrap().is_none());
    // The dispatching form must return a certificate: (null) is its own error, named as such.
    let err = p.decode(ProxyFormat::Apache, "(null)").unwrap_err();
    assert_eq!(
        err,
        ForwardedCertificateError::Apache(ApachePemError::NoCertificate)
    );
    assert!(err.to_string().contains("no certificate"));
    // Neither other format reads "(null)" as a certificate.
    for format in [
        ProxyFormat::BareDer,
        ProxyFormat::EscapedPem,
        ProxyFormat::CloudFront,
    ] {
        assert!(p.decode(format, "(null)").is_err(), "{format}");
    }
}

#[test]
fn new_formats_reject_each_others_values() {
    let pem = data("rfc9440-leaf.pem");
    let der = pem_der("rfc9440-leaf.pem");
    let p = proxy();
    // PEM, escaped or not, is not bare DER.
    for value in [pem.clone(), escaped_pem::encode(pem.as_bytes())] {
        assert_eq!(
            p.bare_der(&value).unwrap_err(),
            ForwardedCertificateError::BareDer(BareDerError::LooksLikePem)
        );
    }
    // URL-encoded PEM and bare DER are not Apache's.
    assert_eq!(
        p.apache(escaped_pem::encode(pem.as_bytes())).unwrap_err(),
        ForwardedCertificateError::Apache(ApachePemError::UrlEncoded)
    );
    assert!(matches!(
        p.apache(bare_der::encode([&der])),
        Err(ForwardedCertificateError::Apache(
            ApachePemError::NotPem { .. }
        ))
    ));
    // Bare DER and RFC 9440 are not CloudFront's.
    for value in [bare_der::encode([&der]), client_cert::encode(&der)] {
        assert_eq!(
            p.cloudfront(&value).unwrap_err(),
            ForwardedCertificateError::EscapedPem(EscapedPemError::NoCertificate)
        );
    }
    // RFC 9440's colons are not base64.
    assert!(matches!(
        p.bare_der(client_cert::encode(&der)),
        Err(ForwardedCertificateError::BareDer(
            BareDerError::InvalidCharacter {
                index: 0,
                position: 0,
                ..
            }
        ))
    ));
    // Decoded bytes that are not one DER SEQUENCE are refused by the framing check.
    assert!(matches!(
        p.bare_der("AQID"),
        Err(ForwardedCertificateError::Certificate(_))
    ));
    let mut cut = der.clone();
    cut.pop();
    assert!(matches!(
        p.bare_der(bare_der::encode([&der, &cut])),
        Err(ForwardedCertificateError::ChainCertificate { index: 0, .. })
    ));
    // Form decoding's `+` -> space breaks the certificate: it must not decode to another one.
    let spaced = bare_der::encode([&der]).replace('+', " ");
    if spaced != bare_der::encode([&der]) {
        assert!(p.bare_der(&spaced).is_err());
    }
}

proptest! {
    #[test]
    fn new_formats_round_trip(der in der_like(), chain in proptest::collection::vec(der_like(), 0..3)) {
        let p = proxy();
        let want = Thumbprint::from_der(&der).unwrap();
        let all: Vec<&Vec<u8>> = std::iter::once(&der).chain(&chain).collect();
        for value in [bare_der::encode(&all), bare_der::encode_query_escaped(&all)] {
            let fwd = p.bare_der(&value).unwrap();
            prop_assert_eq!(fwd.thumbprint(), want);
            prop_assert_eq!(fwd.chain().map(<[u8]>::to_vec).collect::<Vec<_>>(), chain.clone());
        }
        let pem: String = all.iter().map(|d| to_pem(d)).collect();
        let fwd = p.apache(apache::encode(pem.as_bytes())).unwrap().unwrap();
        prop_assert_eq!(fwd.der(), &der[..]);
        prop_assert_eq!(fwd.chain().map(<[u8]>::to_vec).collect::<Vec<_>>(), chain);
        let fwd = p.cloudfront(cloudfront::encode(to_pem(&der).as_bytes())).unwrap();
        prop_assert_eq!(fwd.thumbprint(), want);
    }
}

#[test]
fn haproxy_leaf_and_concatenated_chain_headers() {
    let leaf = pem_der("rfc9440-leaf.pem");
    let intermediate = pem_der("rfc9440-intermediate.pem");
    let root = pem_der("rfc9440-root.pem");
    let p = proxy();
    // http-request set-header X-SSL-Client-Cert %[ssl_c_der,base64]
    // http-request set-header X-SSL-Client-Cert-Chain %[ssl_c_chain_der,base64]
    let value = bare_der::encode([&leaf]);
    let chain = bare_der::encode([[intermediate.clone(), root.clone()].concat()]);
    let fwd = p.bare_der_with_concatenated_chain(&value, &chain).unwrap();
    assert_eq!(fwd.thumbprint().to_string(), LEAF_X5T);
    assert_eq!(
        fwd.chain().collect::<Vec<_>>(),
        [&intermediate[..], &root[..]]
    );
    // No chain: an empty header.
    let fwd = p.bare_der_with_concatenated_chain(&value, "").unwrap();
    assert_eq!(fwd.chain().count(), 0);
    // The leaf header holds one certificate.
    let two = bare_der::encode([&leaf, &leaf]);
    assert_eq!(
        p.bare_der_with_concatenated_chain(&two, &chain)
            .unwrap_err(),
        ForwardedCertificateError::BareDer(BareDerError::TooManyCertificates)
    );
    // A cut chain is refused, not shortened.
    let cut = bare_der::encode([[intermediate.clone(), root[..root.len() - 1].to_vec()].concat()]);
    assert!(matches!(
        p.bare_der_with_concatenated_chain(&value, &cut),
        Err(ForwardedCertificateError::BareDer(
            BareDerError::ChainFraming { index: 1, .. }
        ))
    ));
}
