//! The trusted-proxy entry points over every format: values, chains, limits, errors.

use super::super::testing;
use super::*;
use crate::__doc_support::{rfc8705_appendix_a_der, rfc8705_appendix_a_pem};
use alloc::string::{String, ToString};
use alloc::vec;

fn proxy() -> TrustedProxy {
    TrustedProxy::the_peer_is_my_proxy()
}

/// The RFC 8705 Appendix A certificate as `format`'s proxy writes it.
fn own_value(format: ProxyFormat) -> String {
    let der = rfc8705_appendix_a_der();
    let pem = rfc8705_appendix_a_pem().as_bytes();
    match format {
        ProxyFormat::ClientCert => testing::client_cert(&der),
        ProxyFormat::Xfcc => {
            alloc::format!("By=spiffe://p;Cert=\"{}\"", testing::escaped_pem(pem))
        }
        // Envoy's JSON: lower-case keys, plain PEM in a JSON string.
        ProxyFormat::XfccJson => alloc::format!(
            "[{{\"by\":[\"spiffe://p\"],\"cert\":{}}}]",
            serde_json::to_string(rfc8705_appendix_a_pem()).unwrap()
        ),
        ProxyFormat::EscapedPem | ProxyFormat::CloudFront => testing::escaped_pem(pem),
        ProxyFormat::Alb => testing::alb(pem),
        ProxyFormat::BareDer | ProxyFormat::Traefik | ProxyFormat::Azure => {
            testing::bare_der([&der])
        }
        ProxyFormat::Apache => testing::apache(pem),
        ProxyFormat::XfccHash => alloc::format!("By=spiffe://p;Hash={}", hex(&der)),
        ProxyFormat::Fingerprint => hex(&der),
    }
}

/// The lower-case hex SHA-256 of `der`.
fn hex(der: &[u8]) -> String {
    use core::fmt::Write;
    let mut out = String::new();
    for b in Thumbprint::from_der(der).unwrap().as_bytes() {
        write!(out, "{b:02x}").unwrap();
    }
    out
}

#[test]
fn every_format_decodes_its_own_value() {
    let der = rfc8705_appendix_a_der();
    let thumbprint = Thumbprint::from_der(&der).unwrap();
    for format in ProxyFormat::ALL {
        let t = proxy().thumbprint(format, own_value(format), &[]).unwrap();
        assert_eq!(t, thumbprint, "{format}");
        match proxy().decode(format, own_value(format), &[]) {
            Ok(fwd) => assert_eq!(fwd.der(), &der[..], "{format}"),
            Err(e) => {
                assert!(format.is_hash_only(), "{format}");
                assert_eq!(e.reason(), &Reason::HashOnly);
            }
        }
    }
}

/// Each proxy's spelling of "no certificate": never a certificate, never a thumbprint.
#[test]
fn no_certificate_in_each_proxys_spelling() {
    use ProxyFormat::*;
    let caddy = "{http.request.tls.client.certificate_der_base64}";
    for (format, value) in [
        (ClientCert, "::"),
        (ClientCert, " :: "),
        (BareDer, ""),
        (BareDer, caddy),
        (Fingerprint, ""),
        (Fingerprint, "{http.request.tls.client.fingerprint}"),
        (EscapedPem, " "),
        (Alb, ""),
        (Traefik, ""),
        (Azure, ""),
        (Apache, "(null)"),
        (Apache, ""),
    ] {
        let err = proxy().decode(format, value, &[]).unwrap_err();
        assert_eq!(err.reason(), &Reason::NoCertificate, "{format} {value:?}");
        let err = proxy().thumbprint(format, value, &[]).unwrap_err();
        assert_eq!(err.reason(), &Reason::NoCertificate, "{format} {value:?}");
        assert_eq!(proxy().read(format, value.as_bytes(), &[]), Ok(None));
    }
    // A chain without its certificate did not come from the proxy.
    let chain = own_value(Apache);
    let located = proxy().read(Apache, b"(null)", &[b"", chain.as_bytes()]);
    let expected = (Part::Chain(1), Reason::ChainHeaderWithoutCertificate);
    assert_eq!(located, Err(expected));
    let chain = own_value(ClientCert);
    let located = proxy().read(ClientCert, b"::", &[chain.as_bytes()]);
    assert_eq!(
        located,
        Err((Part::Chain(0), Reason::ChainWithoutCertificate))
    );
    // Elsewhere these are malformed values, not "no certificate".
    for (format, value) in [
        (Xfcc, ""),
        (CloudFront, ""),
        (ClientCert, ""),
        (Azure, caddy),
    ] {
        let err = proxy().decode(format, value, &[]).unwrap_err();
        assert_ne!(err.reason(), &Reason::NoCertificate, "{format} {value:?}");
    }
}

/// One size limit, checked before any decoder reads a value: the certificate value, each
/// numbered chain header, HAProxy's chain header and the `Client-Cert-Chain` lines
/// together are each at most `MAX_FIELD_VALUE_LEN` bytes, whitespace included.
#[test]
fn one_size_limit_for_every_value() {
    const MAX: usize = super::super::MAX_FIELD_VALUE_LEN;
    let der = rfc8705_appendix_a_der();
    // Every format ignores spaces around the value: pad a good one to `len` bytes.
    let padded = |format, len: usize| {
        let value = own_value(format);
        value.clone() + &" ".repeat(len - value.len())
    };
    let too_large = Reason::TooLarge { len: MAX + 1 };
    let thumbprint = Thumbprint::from_der(&der).unwrap();
    for format in ProxyFormat::ALL {
        let at = padded(format, MAX);
        let t = proxy().thumbprint(format, &at, &[]).unwrap();
        assert_eq!(t, thumbprint, "{format}");
        let over = proxy().thumbprint(format, padded(format, MAX + 1), &[]);
        assert_eq!(over.unwrap_err().reason(), &too_large, "{format}");
        // Whatever the content: the size is checked first.
        let junk = "A".repeat(MAX + 1);
        let err = proxy().thumbprint(format, &junk, &[]).unwrap_err();
        assert_eq!(err.reason(), &too_large, "{format}");
        if format.is_hash_only() {
            continue;
        }
        let fwd = proxy().decode(format, &at, &[]).unwrap();
        assert_eq!(fwd.der(), &der[..], "{format}");

        // A chain header holds a value in the same format, and the same limit.
        let own = own_value(format);
        let at_chain = proxy().decode(format, &own, &[at.as_bytes()]);
        let over_chain = proxy().decode(format, &own, &[padded(format, MAX + 1).as_bytes()]);
        match format {
            ProxyFormat::Xfcc | ProxyFormat::XfccJson | ProxyFormat::Traefik => {
                assert_eq!(at_chain.unwrap_err().reason(), &Reason::NoSeparateChain);
                let err = over_chain.unwrap_err();
                assert_eq!(err.reason(), &Reason::NoSeparateChain);
            }
            ProxyFormat::ClientCert | ProxyFormat::BareDer => {
                assert_eq!(at_chain.unwrap().chain().count(), 1, "{format}");
                assert_eq!(over_chain.unwrap_err().reason(), &too_large, "{format}");
            }
            _ => {
                assert_eq!(at_chain.unwrap().chain().count(), 1, "{format}");
                let member = Reason::ChainMember {
                    index: 0,
                    reason: Box::new(too_large.clone()),
                };
                assert_eq!(over_chain.unwrap_err().reason(), &member, "{format}");
            }
        }
    }
    // `Client-Cert-Chain` lines are one list: their lengths add up.
    let leaf = own_value(ProxyFormat::ClientCert);
    let first = padded(ProxyFormat::ClientCert, MAX / 2);
    let second = padded(ProxyFormat::ClientCert, MAX - MAX / 2);
    let lines = [first.as_bytes(), second.as_bytes()];
    let fwd = proxy().decode(ProxyFormat::ClientCert, &leaf, &lines);
    assert_eq!(fwd.unwrap().chain().count(), 2);
    let second = second + " ";
    let lines = [first.as_bytes(), second.as_bytes()];
    let err = proxy().decode(ProxyFormat::ClientCert, &leaf, &lines);
    assert_eq!(err.unwrap_err().reason(), &too_large);
    // A blank chain header is no chain, however long.
    let blank = " ".repeat(MAX + 1);
    for format in [ProxyFormat::BareDer, ProxyFormat::Apache] {
        let fwd = proxy().decode(format, own_value(format), &[blank.as_bytes()]);
        assert_eq!(fwd.unwrap().chain().count(), 0, "{format}");
    }
}

#[test]
fn errors_name_the_format() {
    let err = proxy()
        .decode(ProxyFormat::Apache, " (null) ", &[])
        .unwrap_err();
    assert_eq!(
        (err.format(), err.reason()),
        (ProxyFormat::Apache, &Reason::NoCertificate)
    );
    let err = proxy().decode(ProxyFormat::Xfcc, "", &[]).unwrap_err();
    assert_eq!(
        (err.format(), err.reason()),
        (ProxyFormat::Xfcc, &Reason::Empty)
    );
    assert_eq!(err.to_string(), "xfcc: the value is empty");
}

#[test]
fn trusted_ranges() {
    let nets: [IpNet; 2] = [
        "10.0.0.0/24".parse().unwrap(),
        "2001:db8::/64".parse().unwrap(),
    ];
    for (peer, trusted) in [
        ("10.0.0.1", true),
        ("10.0.0.255", true),
        ("10.0.1.0", false),
        ("::ffff:10.0.0.9", true),
        ("2001:db8::7", true),
        ("2001:db8:1::7", false),
        ("203.0.113.9", false),
    ] {
        let peer: IpAddr = peer.parse().unwrap();
        assert_eq!(
            TrustedProxy::if_peer_in(peer, &nets).is_some(),
            trusted,
            "{peer}"
        );
    }
    assert!(TrustedProxy::if_peer_in("10.0.0.1".parse().unwrap(), &[]).is_none());
}

#[test]
fn separate_chains() {
    let der = rfc8705_appendix_a_der();
    let leaf = testing::bare_der([&der]);
    let chain = testing::bare_der([[der.clone(), der.clone()].concat()]);
    let fwd = proxy()
        .decode(ProxyFormat::BareDer, &leaf, &[chain.as_bytes()])
        .unwrap();
    assert_eq!(fwd.chain().count(), 2);
    // bare-der holds one certificate; Traefik's list holds the chain.
    let two = testing::bare_der([&der, &der]);
    let err = proxy()
        .decode(ProxyFormat::BareDer, &two, &[chain.as_bytes()])
        .unwrap_err();
    let position = leaf.len();
    assert_eq!(err.reason(), &Reason::JoinedValues { position });
    assert_eq!(
        proxy()
            .decode(ProxyFormat::Traefik, &two, &[b" "])
            .unwrap()
            .chain()
            .count(),
        1
    );
    let err = proxy()
        .decode(ProxyFormat::Traefik, &two, &[chain.as_bytes()])
        .unwrap_err();
    assert_eq!(err.reason(), &Reason::NoSeparateChain);
    // XFCC carries its chain in the value.
    let xfcc = alloc::format!(
        "Cert=\"{}\"",
        testing::escaped_pem(rfc8705_appendix_a_pem().as_bytes())
    );
    let err = proxy()
        .decode(ProxyFormat::Xfcc, &xfcc, &[leaf.as_bytes()])
        .unwrap_err();
    assert_eq!(err.reason(), &Reason::NoSeparateChain);
    let over = vec![chain.as_bytes(); MAX_CHAIN_LEN / 2 + 1];
    let err = proxy()
        .decode(ProxyFormat::BareDer, &leaf, &over)
        .unwrap_err();
    assert_eq!(err.reason(), &Reason::TooManyCertificates);
}

#[test]
fn numbered_chains() {
    let der = rfc8705_appendix_a_der();
    let pem = testing::apache(rfc8705_appendix_a_pem().as_bytes());
    let p = pem.as_bytes();
    let fwd = proxy()
        .decode(ProxyFormat::Apache, p, &[p, p, b"(null)", b""])
        .unwrap();
    assert_eq!(fwd.chain().collect::<Vec<_>>(), [&der[..], &der[..]]);
    // Unused chain headers, and the chain in the value itself.
    let fwd = proxy()
        .decode(
            ProxyFormat::Apache,
            String::from(pem.as_str()) + &pem,
            &[b"(null)"],
        )
        .unwrap();
    assert_eq!(fwd.chain().count(), 1);
    let gap = proxy()
        .decode(ProxyFormat::Apache, p, &[p, b"(null)", p])
        .unwrap_err();
    assert_eq!(gap.reason(), &Reason::ChainGap { index: 2 });
    let bad = proxy()
        .decode(ProxyFormat::Apache, p, &[b"MIIB"])
        .unwrap_err();
    assert!(matches!(bad.reason(), Reason::ChainMember { index: 0, .. }));
    let two = String::from(pem.as_str()) + &pem;
    let err = proxy().decode(ProxyFormat::Apache, &two, &[p]).unwrap_err();
    assert_eq!(err.reason(), &Reason::NotOneCertificate { count: 2 });
    let over = vec![p; MAX_CHAIN_LEN + 1];
    let err = proxy().decode(ProxyFormat::Apache, p, &over).unwrap_err();
    assert_eq!(err.reason(), &Reason::TooManyCertificates);
    // Each chain header holds one certificate in the value's format.
    let b64 = testing::bare_der([&der]);
    let fwd = proxy()
        .decode(ProxyFormat::Azure, &b64, &[b64.as_bytes()])
        .unwrap();
    assert_eq!(fwd.chain().count(), 1);
}

/// A proxy that appends its value after a client-sent copy (HAProxy `add-header`, Caddy
/// `header_up +…`, Apache `RequestHeader add`), joined into one value: whichever
/// certificate comes first, a value that holds one certificate is refused.
#[test]
fn joined_values_are_refused() {
    use ProxyFormat::*;
    for format in [
        EscapedPem,
        Alb,
        BareDer,
        Apache,
        CloudFront,
        Azure,
        Fingerprint,
    ] {
        let own = own_value(format);
        let own = own.trim_end();
        for sep in [",", ", "] {
            let joined = alloc::format!("{own}{sep}{own}");
            let err = proxy().decode(format, &joined, &[]);
            let err = err.err().filter(|_| !format.is_hash_only());
            let thumbprint = proxy().thumbprint(format, &joined, &[]).unwrap_err();
            let expected = Reason::JoinedValues {
                position: own.len(),
            };
            assert_eq!(thumbprint.reason(), &expected, "{format}");
            if let Some(err) = err {
                assert_eq!(err.reason(), &expected, "{format}");
            }
            // The same in a numbered chain header.
            if matches!(format, EscapedPem | Alb | Apache | CloudFront | Azure) {
                let located = proxy().read(format, own.as_bytes(), &[joined.as_bytes()]);
                let (part, reason) = located.unwrap_err();
                assert_eq!(part, Part::Chain(0), "{format}");
                assert!(
                    matches!(reason, Reason::ChainMember { index: 0, reason } if *reason == expected)
                );
            }
        }
    }
    // HAProxy's chain header holds one base64 string.
    let chain = own_value(BareDer);
    let joined = alloc::format!("{chain},{chain}");
    let located = proxy().read(BareDer, chain.as_bytes(), &[joined.as_bytes()]);
    let expected = Reason::JoinedValues {
        position: chain.len(),
    };
    assert_eq!(located, Err((Part::Chain(0), expected)));
}

#[test]
fn the_der_is_checked() {
    let err = proxy()
        .decode(ProxyFormat::ClientCert, ":AQID:", &[])
        .unwrap_err();
    assert!(matches!(err.reason(), Reason::NotDer(_)));
    let chain = testing::client_cert(&[1, 2, 3]);
    let leaf = testing::client_cert(&rfc8705_appendix_a_der());
    let err = proxy()
        .decode(ProxyFormat::ClientCert, &leaf, &[chain.as_bytes()])
        .unwrap_err();
    assert!(matches!(err.reason(), Reason::ChainNotDer { index: 0, .. }));
    let _ = leaf.to_string();
}
