//! Forwarded client certificates: RFC vectors, every format agreeing, XFCC semantics,
//! malformed values, and encode/decode round trips.

mod common;

use common::encode;
use proptest::prelude::*;
use rfc8705::proxy::{ForwardedCertificateError, ProxyFormat, Reason, TrustedProxy};
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

/// Why `value` is refused in `format`; the error must name that format.
fn why(format: ProxyFormat, value: impl AsRef<[u8]>) -> Reason {
    let err: ForwardedCertificateError = proxy().decode(format, value, &[]).unwrap_err();
    assert_eq!(err.format(), format);
    err.reason().clone()
}

/// The RFC 9440 Appendix A certificates' thumbprints (leaf, intermediate, root) and the
/// leaf's hex SHA-256.
const LEAF_X5T: &str = "v68ffgcPn6jdYpBfFY2nP4ShE2Yk-6_Mk5PI9yh6aes";
const INTERMEDIATE_X5T: &str = "6H31tD6_m4nKKyu_MaTnrVpA1ATPuy_MGkA8JlEoWtw";
const ROOT_X5T: &str = "QjrpXcQc0m2pAhrU5jibqnfghYYHY1qwhekeXR2Ue4M";
const LEAF_HASH: &str = "bfaf1f7e070f9fa8dd62905f158da73f84a1136624fbafcc9393c8f7287a69eb";

#[test]
fn rfc9440_appendix_a_client_cert() {
    let value = unfold(&data("proxy/rfc9440-client-cert-folded.txt"));
    let fwd = proxy()
        .decode(ProxyFormat::ClientCert, &value, &[])
        .unwrap();
    assert_eq!(fwd.der(), pem_der("rfc9440-leaf.pem"));
    assert_eq!(fwd.der().len(), 428);
    assert_eq!(fwd.thumbprint().to_string(), LEAF_X5T);
    let parsed = rfc8705::ClientCertificate::from_der(fwd.der()).unwrap();
    assert_eq!(parsed.thumbprint().to_string(), LEAF_X5T);
}

#[test]
fn rfc9440_appendix_a_chain() {
    let leaf = unfold(&data("proxy/rfc9440-client-cert-folded.txt"));
    let chain = unfold(&data("proxy/rfc9440-client-cert-chain-folded.txt"));
    let fwd = proxy()
        .decode(ProxyFormat::ClientCert, &leaf, &[chain.as_bytes()])
        .unwrap();
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
    let split = proxy()
        .decode(
            ProxyFormat::ClientCert,
            &leaf,
            &[a.as_bytes(), b.as_bytes()],
        )
        .unwrap();
    assert_eq!(split, fwd);
}

#[test]
fn rfc9440_folded_values_are_not_accepted_as_is() {
    // The figure as printed holds line feeds: RFC 8941 "parsers MUST fail on … line feeds".
    let folded = data("proxy/rfc9440-client-cert-folded.txt");
    let err = proxy()
        .decode(ProxyFormat::ClientCert, folded.trim_end(), &[])
        .unwrap_err();
    assert!(
        matches!(err.reason(), Reason::LineBreak { position: 56 }),
        "{err:?}"
    );
    // Unfolded but with the padding dropped: still the same certificate.
    let value = unfold(&folded).replace("=:", ":");
    assert_eq!(
        proxy()
            .decode(ProxyFormat::ClientCert, &value, &[])
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
        encode::escaped_pem(data("rfc9440-leaf.pem").as_bytes())
    );
    let fwd = proxy()
        .decode(ProxyFormat::EscapedPem, &escaped, &[])
        .unwrap();
    assert_eq!(fwd.thumbprint().to_string(), LEAF_X5T);
    let element = format!("Hash={LEAF_HASH};Cert=\"{escaped}\";Subject=\"CN=BC\"");
    assert_eq!(
        proxy()
            .decode(ProxyFormat::Xfcc, &element, &[])
            .unwrap()
            .thumbprint()
            .to_string(),
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
    let rfc9440 = encode::client_cert(&der);
    let nginx = encode::escaped_pem(pem.as_bytes());
    let aws = encode::alb(pem.as_bytes());
    let envoy = format!("By=spiffe://edge;Cert=\"{nginx}\";URI=spiffe://client");
    let b64 = rfc9440.trim_matches(':');
    let traefik = encode::escaped_pem(b64.as_bytes());
    for (format, value) in [
        (ProxyFormat::ClientCert, &rfc9440),
        (ProxyFormat::EscapedPem, &nginx),
        (ProxyFormat::Traefik, &traefik),
        (ProxyFormat::Alb, &aws),
        (ProxyFormat::Xfcc, &envoy),
    ] {
        let fwd = p.decode(format, value, &[]).unwrap();
        assert_eq!(fwd.der(), der, "{format}");
        assert_eq!(fwd.thumbprint(), want, "{format}");
        let parsed = rfc8705::ClientCertificate::from_der(fwd.der()).unwrap();
        assert_eq!(parsed.thumbprint(), want);
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
    let attacker = encode::escaped_pem(data("rfc8705-appendix-a.pem").as_bytes());
    let leaf = encode::escaped_pem(data("rfc9440-leaf.pem").as_bytes());
    // An APPEND_FORWARD chain: the first element may be client-written.
    let value = format!("Cert=\"{attacker}\";By=spiffe://evil,By=spiffe://edge;Cert=\"{leaf}\"");
    let fwd = proxy().decode(ProxyFormat::Xfcc, &value, &[]).unwrap();
    assert_eq!(fwd.thumbprint().to_string(), LEAF_X5T);
    // Swapped, the other certificate is the one: nothing but position decides.
    let swapped = format!("Cert=\"{leaf}\",Cert=\"{attacker}\"");
    assert_eq!(
        proxy()
            .decode(ProxyFormat::Xfcc, &swapped, &[])
            .unwrap()
            .thumbprint()
            .to_string(),
        "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"
    );
    // The last element without a Cert is no certificate, never an earlier element's.
    let no_cert = format!("Cert=\"{leaf}\",By=spiffe://edge;Hash={LEAF_HASH}");
    assert_eq!(
        proxy()
            .decode(ProxyFormat::Xfcc, &no_cert, &[])
            .unwrap_err()
            .reason(),
        &Reason::NoCert
    );
}

#[test]
fn xfcc_quoted_values_hold_separators() {
    let leaf = encode::escaped_pem(data("rfc9440-leaf.pem").as_bytes());
    let value = format!(
        r#"Cert="{leaf}";Subject="CN=a\"b\", O=x;y=z\\";URI=spiffe://c;DNS=a.example;dns=b.example"#
    );
    assert_eq!(
        proxy()
            .decode(ProxyFormat::Xfcc, &value, &[])
            .unwrap()
            .thumbprint()
            .to_string(),
        LEAF_X5T
    );
    // A Cert after URI is what a URI SAN holding ";Cert=" would produce: refused.
    let late = format!(r#"URI=spiffe://c;Cert="{leaf}""#);
    assert!(matches!(
        proxy()
            .decode(ProxyFormat::Xfcc, &late, &[])
            .unwrap_err()
            .reason(),
        &Reason::OutOfOrder { key: "Cert", .. }
    ));
}

#[test]
fn xfcc_hash_must_agree_with_cert() {
    let leaf = encode::escaped_pem(data("rfc9440-leaf.pem").as_bytes());
    let ok = format!("Hash={};Cert=\"{leaf}\"", LEAF_HASH.to_uppercase());
    assert!(proxy().decode(ProxyFormat::Xfcc, &ok, &[]).is_ok());
    // The intermediate's digest with the leaf's Cert.
    let other = "e87df5b43ebf9b89ca2b2bbf31a4e7ad5a40d404cfbb2fcc1a403c2651285adc";
    let bad = format!("Hash={other};Cert=\"{leaf}\"");
    assert_eq!(
        proxy()
            .decode(ProxyFormat::Xfcc, &bad, &[])
            .unwrap_err()
            .reason(),
        &Reason::HashMismatch
    );
    let short = format!("Hash={};Cert=\"{leaf}\"", &LEAF_HASH[2..]);
    assert_eq!(
        proxy()
            .decode(ProxyFormat::Xfcc, &short, &[])
            .unwrap_err()
            .reason(),
        &Reason::MalformedHash
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
    let chain = encode::escaped_pem(format!("{leaf}{inter}{root}").as_bytes());
    let cert = encode::escaped_pem(leaf.as_bytes());
    let value = format!("Cert=\"{cert}\";Chain=\"{chain}\"");
    let fwd = proxy().decode(ProxyFormat::Xfcc, &value, &[]).unwrap();
    let got: Vec<String> = fwd
        .chain()
        .map(|d| Thumbprint::from_der(d).unwrap().to_string())
        .collect();
    assert_eq!(got, [INTERMEDIATE_X5T, ROOT_X5T]);
    let wrong = encode::escaped_pem(format!("{inter}{root}").as_bytes());
    let value = format!("Cert=\"{cert}\";Chain=\"{wrong}\"");
    assert_eq!(
        proxy()
            .decode(ProxyFormat::Xfcc, &value, &[])
            .unwrap_err()
            .reason(),
        &Reason::ChainLeafMismatch
    );
    let two = format!("Cert=\"{chain}\"");
    assert_eq!(
        proxy()
            .decode(ProxyFormat::Xfcc, &two, &[])
            .unwrap_err()
            .reason(),
        &Reason::CertHoldsSeveral
    );
}

#[test]
fn alb_chain_header_leaf_first() {
    let [leaf, inter] = ["rfc9440-leaf.pem", "rfc9440-intermediate.pem"].map(data);
    let value = encode::alb(format!("{leaf}{inter}").as_bytes());
    let fwd = proxy().decode(ProxyFormat::Alb, &value, &[]).unwrap();
    assert_eq!(fwd.thumbprint().to_string(), LEAF_X5T);
    assert_eq!(fwd.chain().len(), 1);
}

#[test]
fn malformed_values_of_every_format() {
    let p = proxy();
    let cases: Vec<(ProxyFormat, String, Reason)> = vec![
        (ProxyFormat::ClientCert, "".into(), Reason::Empty),
        (
            ProxyFormat::ClientCert,
            "MIIB".into(),
            Reason::NotAByteSequence { found: "M".into() },
        ),
        (
            ProxyFormat::ClientCert,
            ":MIIB".into(),
            Reason::Unterminated,
        ),
        (
            ProxyFormat::ClientCert,
            ":MII_:".into(),
            Reason::InvalidCharacter {
                position: 4,
                found: "_".into(),
            },
        ),
        (
            ProxyFormat::ClientCert,
            ":AAAA:, :AAAA:".into(),
            Reason::MultipleValues,
        ),
        // Well-formed base64, but not DER.
        (
            ProxyFormat::ClientCert,
            ":AAAA:".into(),
            Reason::NotDer(rfc8705::CertificateError::NotASequence),
        ),
        (ProxyFormat::Xfcc, "".into(), Reason::Empty),
        (
            ProxyFormat::Xfcc,
            "Cert=\"abc".into(),
            Reason::UnterminatedQuote { position: 5 },
        ),
        (
            ProxyFormat::Xfcc,
            "By=a;Cert".into(),
            Reason::MissingEquals { position: 5 },
        ),
        (
            ProxyFormat::Xfcc,
            "Cert=\"nothing\"".into(),
            Reason::XfccCert(Box::new(Reason::NoCertificateBlock)),
        ),
        (ProxyFormat::EscapedPem, "".into(), Reason::NoCertificate),
        (
            ProxyFormat::EscapedPem,
            "-----BEGIN%2".into(),
            Reason::BadPercentEscape { position: 10 },
        ),
        (
            ProxyFormat::EscapedPem,
            "not a certificate".into(),
            Reason::NoCertificateBlock,
        ),
        (ProxyFormat::Alb, "".into(), Reason::NoCertificate),
        (ProxyFormat::Xfcc, "".into(), Reason::Empty),
        (ProxyFormat::Alb, "AQID".into(), Reason::NoCertificateBlock),
    ];
    for (format, value, want) in cases {
        let err = p.decode(format, &value, &[]).unwrap_err();
        // The error names the format it was read as, and the precise reason.
        assert_eq!(
            (err.format(), err.reason()),
            (format, &want),
            "{format} {value:?}"
        );
    }
    // Truncated DER inside well-formed PEM: the framing check names it.
    let der = pem_der("rfc9440-leaf.pem");
    let short = encode::client_cert(&der[..der.len() - 1]);
    assert!(matches!(
        p.decode(ProxyFormat::ClientCert, &short, &[])
            .unwrap_err()
            .reason(),
        &Reason::NotDer(rfc8705::CertificateError::Truncated { .. })
    ));
}

#[test]
fn diagnostics_escape_control_characters() {
    let err = proxy()
        .decode(ProxyFormat::ClientCert, ":AB\x1b[31m:", &[])
        .unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("\\x1b") && !msg.contains('\x1b'), "{msg}");
}

#[test]
fn trust_by_peer_address() {
    let proxies: Vec<ipnet::IpNet> = vec![
        "10.0.0.2/32".parse().unwrap(),
        "fd00::2/128".parse().unwrap(),
    ];
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

proptest! {
    #[test]
    fn every_format_round_trips(der in der_like(), chain in proptest::collection::vec(der_like(), 0..3)) {
        let p = proxy();
        let want = Thumbprint::from_der(&der).unwrap();

        let leaf = encode::client_cert(&der);
        let list: Vec<String> = chain.iter().map(|d| encode::client_cert(d)).collect();
        let fwd = p.decode(ProxyFormat::ClientCert, &leaf, &[list.join(", ").as_bytes()]).unwrap();
        prop_assert_eq!(fwd.thumbprint(), want);
        prop_assert_eq!(fwd.chain().map(<[u8]>::to_vec).collect::<Vec<_>>(), chain.clone());

        let pem: String = std::iter::once(&der).chain(&chain).map(|d| encode::pem(d)).collect();
        for (format, value) in [
            (ProxyFormat::EscapedPem, encode::escaped_pem(pem.as_bytes())),
            (ProxyFormat::Alb, encode::alb(pem.as_bytes())),
        ] {
            let fwd = p.decode(format, &value, &[]).unwrap();
            prop_assert_eq!(fwd.der(), &der[..]);
            prop_assert_eq!(fwd.chain().map(<[u8]>::to_vec).collect::<Vec<_>>(), chain.clone());
        }

        let hex: String = want.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
        let xfcc = format!(
            "By=spiffe://x;Hash={hex};Cert=\"{}\";Chain=\"{}\"",
            encode::escaped_pem(encode::pem(&der).as_bytes()),
            encode::escaped_pem(pem.as_bytes()),
        );
        let fwd = p.decode(ProxyFormat::Xfcc, &xfcc, &[]).unwrap();
        prop_assert_eq!(fwd.thumbprint(), want);
        prop_assert_eq!(fwd.chain().map(<[u8]>::to_vec).collect::<Vec<_>>(), chain);
    }

    #[test]
    fn decoders_are_total(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let p = proxy();
        for format in ProxyFormat::ALL {
            let _ = p.decode(format, &bytes, &[]);
        }
    }
}

// --- bare base64 DER (HAProxy, Traefik), Apache, CloudFront ---

/// HAProxy, Traefik (both escapings), Apache and CloudFront carry the PEM's certificate to the
/// PEM's thumbprint.
fn new_formats_agree(pem: &str) {
    let der = ClientCertificate::from_pem(pem.as_bytes())
        .unwrap()
        .der()
        .to_vec();
    let want = Thumbprint::from_der(&der).unwrap();
    let p = proxy();
    let haproxy = encode::bare_der([&der]);
    let traefik_v2 = encode::bare_der_query_escaped([&der]);
    let apache_value = encode::apache(pem.as_bytes());
    let cf = encode::escaped_pem(pem.as_bytes());
    for (format, value) in [
        (ProxyFormat::BareDer, &haproxy),
        (ProxyFormat::Traefik, &traefik_v2),
        (ProxyFormat::Apache, &apache_value),
        (ProxyFormat::CloudFront, &cf),
    ] {
        let fwd = p.decode(format, value, &[]).unwrap();
        assert_eq!(fwd.der(), der, "{format}");
        assert_eq!(fwd.thumbprint(), want, "{format}");
        assert_eq!(fwd.chain().count(), 0);
        let parsed = rfc8705::ClientCertificate::from_der(fwd.der()).unwrap();
        assert_eq!(parsed.thumbprint(), want);
    }
    assert_eq!(
        p.decode(ProxyFormat::BareDer, &haproxy, &[])
            .unwrap()
            .thumbprint(),
        want
    );
    assert_eq!(
        p.decode(ProxyFormat::Apache, &apache_value, &[])
            .unwrap()
            .thumbprint(),
        want
    );
    assert_eq!(
        p.decode(ProxyFormat::CloudFront, &cf, &[])
            .unwrap()
            .thumbprint(),
        want
    );
    // Traefik's value is its own format: escaped-pem reads PEM only, and says so.
    assert_eq!(
        p.decode(ProxyFormat::EscapedPem, &traefik_v2, &[])
            .unwrap_err()
            .reason(),
        &Reason::NoCertificateBlock
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
        encode::bare_der([&leaf, &intermediate, &root]),
        encode::bare_der_query_escaped([&leaf, &intermediate, &root]),
    ] {
        let fwd = p.decode(ProxyFormat::Traefik, &value, &[]).unwrap();
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
    let fwd = p
        .decode(ProxyFormat::Apache, encode::apache(text.as_bytes()), &[])
        .unwrap();
    assert_eq!(fwd.thumbprint().to_string(), LEAF_X5T);
    assert_eq!(fwd.chain().next(), Some(&intermediate[..]));
    // CloudFront forwards the leaf alone.
    let two = encode::escaped_pem(text.as_bytes());
    assert!(matches!(
        p.decode(ProxyFormat::CloudFront, &two, &[])
            .unwrap_err()
            .reason(),
        Reason::NotOneCertificate { count: 2 }
    ));
}

#[test]
fn apache_null_is_no_certificate_never_a_certificate() {
    let p = proxy();
    // `decode` must return a certificate: (null) is its own error, named as such (reading a
    // HeaderMap turns it into "no certificate").
    assert_eq!(why(ProxyFormat::Apache, " (null)\t"), Reason::NoCertificate);
    let err = p.decode(ProxyFormat::Apache, "(null)", &[]).unwrap_err();
    assert_eq!(
        (err.format(), err.reason()),
        (ProxyFormat::Apache, &Reason::NoCertificate)
    );
    assert!(err.to_string().contains("no certificate"));
    // Neither other format reads "(null)" as a certificate.
    for format in [
        ProxyFormat::BareDer,
        ProxyFormat::EscapedPem,
        ProxyFormat::CloudFront,
    ] {
        assert!(p.decode(format, "(null)", &[]).is_err(), "{format}");
    }
}

#[test]
fn new_formats_reject_each_others_values() {
    let pem = data("rfc9440-leaf.pem");
    let der = pem_der("rfc9440-leaf.pem");
    let p = proxy();
    // PEM, escaped or not, is not bare DER.
    for value in [pem.clone(), encode::escaped_pem(pem.as_bytes())] {
        assert_eq!(
            p.decode(ProxyFormat::BareDer, &value, &[])
                .unwrap_err()
                .reason(),
            &Reason::LooksLikePem
        );
    }
    // URL-encoded PEM and bare DER are not Apache's.
    assert_eq!(
        p.decode(
            ProxyFormat::Apache,
            encode::escaped_pem(pem.as_bytes()),
            &[]
        )
        .unwrap_err()
        .reason(),
        &Reason::UrlEncoded
    );
    assert!(matches!(
        p.decode(ProxyFormat::Apache, encode::bare_der([&der]), &[])
            .unwrap_err()
            .reason(),
        Reason::NotPem { .. }
    ));
    // Bare DER and RFC 9440 are not CloudFront's.
    for value in [encode::bare_der([&der]), encode::client_cert(&der)] {
        assert_eq!(
            p.decode(ProxyFormat::CloudFront, &value, &[])
                .unwrap_err()
                .reason(),
            &Reason::NoCertificateBlock
        );
    }
    // RFC 9440's colons are not base64.
    assert!(matches!(
        p.decode(ProxyFormat::BareDer, encode::client_cert(&der), &[])
            .unwrap_err()
            .reason(),
        Reason::InvalidCharacter { position: 0, .. }
    ));
    assert!(matches!(
        p.decode(ProxyFormat::Traefik, encode::client_cert(&der), &[]).unwrap_err().reason(),
        Reason::ListMember { index: 0, reason }
            if matches!(**reason, Reason::InvalidCharacter { position: 0, .. })
    ));
    // Decoded bytes that are not one DER SEQUENCE are refused by the framing check.
    assert!(matches!(
        p.decode(ProxyFormat::BareDer, "AQID", &[])
            .unwrap_err()
            .reason(),
        Reason::NotDer(_)
    ));
    let mut cut = der.clone();
    cut.pop();
    assert!(matches!(
        p.decode(ProxyFormat::Traefik, encode::bare_der([&der, &cut]), &[])
            .unwrap_err()
            .reason(),
        Reason::ChainNotDer { index: 0, .. }
    ));
    // Form decoding's `+` -> space breaks the certificate: it must not decode to another one.
    let spaced = encode::bare_der([&der]).replace('+', " ");
    if spaced != encode::bare_der([&der]) {
        assert!(p.decode(ProxyFormat::BareDer, &spaced, &[]).is_err());
    }
}

proptest! {
    #[test]
    fn new_formats_round_trip(der in der_like(), chain in proptest::collection::vec(der_like(), 0..3)) {
        let p = proxy();
        let want = Thumbprint::from_der(&der).unwrap();
        let all: Vec<&Vec<u8>> = std::iter::once(&der).chain(&chain).collect();
        for value in [encode::bare_der(&all), encode::bare_der_query_escaped(&all)] {
            let fwd = p.decode(ProxyFormat::Traefik, &value, &[]).unwrap();
            prop_assert_eq!(fwd.thumbprint(), want);
            prop_assert_eq!(fwd.chain().map(<[u8]>::to_vec).collect::<Vec<_>>(), chain.clone());
        }
        let fwd = p.decode(ProxyFormat::BareDer, encode::bare_der([&der]), &[]).unwrap();
        prop_assert_eq!(fwd.thumbprint(), want);
        let pem: String = all.iter().map(|d| encode::pem(d)).collect();
        let fwd = p.decode(ProxyFormat::Apache, encode::apache(pem.as_bytes()), &[]).unwrap();
        prop_assert_eq!(fwd.der(), &der[..]);
        prop_assert_eq!(fwd.chain().map(<[u8]>::to_vec).collect::<Vec<_>>(), chain);
        let fwd = p.decode(ProxyFormat::CloudFront, encode::escaped_pem(encode::pem(&der).as_bytes()), &[]).unwrap();
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
    let value = encode::bare_der([&leaf]);
    let chain = encode::bare_der([[intermediate.clone(), root.clone()].concat()]);
    let fwd = p
        .decode(ProxyFormat::BareDer, &value, &[chain.as_bytes()])
        .unwrap();
    assert_eq!(fwd.thumbprint().to_string(), LEAF_X5T);
    assert_eq!(
        fwd.chain().collect::<Vec<_>>(),
        [&intermediate[..], &root[..]]
    );
    // No chain: an empty header.
    let fwd = p.decode(ProxyFormat::BareDer, &value, &[b""]).unwrap();
    assert_eq!(fwd.chain().count(), 0);
    // The leaf header holds one certificate.
    let two = encode::bare_der([&leaf, &leaf]);
    assert_eq!(
        p.decode(ProxyFormat::BareDer, &two, &[chain.as_bytes()])
            .unwrap_err()
            .reason(),
        &Reason::JoinedValues {
            position: value.len()
        }
    );
    // A cut chain is refused, not shortened.
    let cut = encode::bare_der([[intermediate.clone(), root[..root.len() - 1].to_vec()].concat()]);
    assert!(matches!(
        p.decode(ProxyFormat::BareDer, &value, &[cut.as_bytes()])
            .unwrap_err()
            .reason(),
        Reason::ChainFraming { index: 1, .. }
    ));
}
