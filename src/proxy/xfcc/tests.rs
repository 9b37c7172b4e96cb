use super::parse::Xfcc;
use super::*;
use alloc::{format, vec};

/// The leaf and chain of the last element (the digest is checked where it is used).
fn decode_pair(value: &[u8]) -> Result<(Vec<u8>, Vec<Vec<u8>>), Reason> {
    decode_last(value).map(|(leaf, chain, _)| (leaf, chain))
}

/// The Envoy documentation examples, verbatim.
const ENVOY_DOCS: [&str; 3] = [
    r#"By=http://frontend.lyft.com;Hash=468ed33be74eee6556d90c0149c1309e9ba61d6425303443c0748a02dd8de688;Subject="/C=US/ST=CA/L=San Francisco/OU=Lyft/CN=Test Client";URI=http://testclient.lyft.com"#,
    "By=http://frontend.lyft.com;Hash=468ed33be74eee6556d90c0149c1309e9ba61d6425303443c0748a02dd8de688;URI=http://testclient.lyft.com,By=http://backend.lyft.com;Hash=9ba61d6425303443c0748a02dd8de688468ed33be74eee6556d90c0149c1309e;URI=http://frontend.lyft.com",
    r#"By=http://frontend.lyft.com;Hash=468ed33be74eee6556d90c0149c1309e9ba61d6425303443c0748a02dd8de688;Subject="/C=US/ST=CA/L=San Francisco/OU=Lyft/CN=Test Client";URI=http://testclient.lyft.com;DNS=lyft.com;DNS=www.lyft.com"#,
];

#[test]
fn envoy_documentation_examples() {
    let one = Xfcc::parse(ENVOY_DOCS[0]).unwrap();
    assert_eq!(one.elements().len(), 1);
    let e = one.last();
    assert_eq!(e.by().collect::<Vec<_>>(), ["http://frontend.lyft.com"]);
    assert_eq!(
        e.hash(),
        Some("468ed33be74eee6556d90c0149c1309e9ba61d6425303443c0748a02dd8de688")
    );
    assert_eq!(
        e.subject(),
        Some("/C=US/ST=CA/L=San Francisco/OU=Lyft/CN=Test Client")
    );
    assert_eq!(e.uri().collect::<Vec<_>>(), ["http://testclient.lyft.com"]);
    assert_eq!(e.cert(), None);

    // Two hops, the first with a raw URI and no Cert: a ',' inside that URI would have
    // forged the second element, so the split is not certain.
    assert_eq!(
        parse(ENVOY_DOCS[1].as_bytes()).map(|x| x.elements().len()),
        Err(Reason::AmbiguousSan {
            element: 0,
            key: "URI"
        })
    );

    let dns = Xfcc::parse(ENVOY_DOCS[2]).unwrap();
    assert_eq!(
        dns.last().dns().collect::<Vec<_>>(),
        ["lyft.com", "www.lyft.com"]
    );

    // None of them carries a Cert: no certificate to hand out.
    assert_eq!(decode_pair(ENVOY_DOCS[0].as_bytes()), Err(Reason::NoCert));
    assert_eq!(decode_pair(ENVOY_DOCS[2].as_bytes()), Err(Reason::NoCert));
}

#[test]
fn quoting() {
    let x = Xfcc::parse(r#"Subject="CN=a\"b,O=c;d=e"  , Hash = h ;Subject="x""#).unwrap();
    let first = &x.elements()[0];
    assert_eq!(first.subject(), Some(r#"CN=a\"b,O=c;d=e"#));
    assert_eq!(x.last().hash(), Some("h"));
    assert_eq!(x.last().subject(), Some("x"));
    // Escapes are kept: a Subject is OpenSSL's RFC 2253 string.
    assert_eq!(
        Xfcc::parse(r#"Subject="CN=a\,b""#)
            .unwrap()
            .last()
            .subject(),
        Some(r"CN=a\,b")
    );
    // A subject ending in '\' is written `\\"`: the quote still closes.
    assert_eq!(
        Xfcc::parse(r#"Subject="CN=a\\";URI=u"#)
            .unwrap()
            .last()
            .subject(),
        Some(r"CN=a\\")
    );
    assert_eq!(Xfcc::parse("By=").unwrap().last().by().next(), Some(""));
    assert_eq!(Xfcc::parse("By=\"\"").unwrap().last().by().next(), Some(""));
}

#[test]
fn envoy_order_and_repeats() {
    use Reason::*;
    // Several By (Envoy's own URI SANs), URI and DNS (the client's) are legitimate.
    let ok = "By=spiffe://a;By=spiffe://b;Hash=h;Cert=\"c\";Chain=\"c\";Subject=\"s\";URI=u1;URI=u2;DNS=d1;DNS=d2";
    let x = Xfcc::parse(ok).unwrap();
    assert_eq!(x.last().by().count(), 2);
    assert_eq!(x.last().uri().count(), 2);
    // A Cert or Chain after URI/DNS is what a SAN holding ";Cert=" would produce.
    assert_eq!(
        Xfcc::parse("Hash=h;URI=spiffe://x;Cert=\"c\""),
        Err(OutOfOrder {
            key: "Cert",
            position: 22
        })
    );
    assert_eq!(
        Xfcc::parse("Cert=\"c\";DNS=x;Chain=\"c\""),
        Err(OutOfOrder {
            key: "Chain",
            position: 15
        })
    );
    assert_eq!(
        Xfcc::parse("Cert=\"c\";DNS=x;URI=y"),
        Err(OutOfOrder {
            key: "URI",
            position: 15
        })
    );
    assert_eq!(
        Xfcc::parse("Cert=\"c\";URI=x;Foo=y"),
        Err(NotEnvoyKey { position: 15 })
    );
    // Earlier elements are not Envoy's to judge, but may hold URI or DNS only with a Cert
    // whose SANs they are.
    assert!(Xfcc::parse("Foo=1;Cert=\"a\";By=b,Cert=\"c\"").is_ok());
    assert_eq!(
        parse(b"dns=\"quoted\",Cert=\"c\"").map(|x| x.elements().len()),
        Err(AmbiguousSan {
            element: 0,
            key: "DNS"
        })
    );
    // A quote opened in client-written text cannot swallow the current element.
    assert_eq!(
        Xfcc::parse("Subject=\",By=e;Hash=h;Cert=\"c\""),
        Err(AfterQuote {
            position: 28,
            found: "c".into()
        })
    );
}

#[test]
fn malformed() {
    use Reason::*;
    assert_eq!(Xfcc::parse(""), Err(Empty));
    assert_eq!(Xfcc::parse(" "), Err(Empty));
    assert_eq!(Xfcc::parse("By=a,"), Err(EmptyPair { position: 5 }));
    assert_eq!(Xfcc::parse("By=a;;URI=b"), Err(EmptyPair { position: 5 }));
    assert_eq!(Xfcc::parse(",By=a"), Err(EmptyPair { position: 0 }));
    assert_eq!(Xfcc::parse("By=a;URI"), Err(MissingEquals { position: 5 }));
    assert_eq!(Xfcc::parse("=a"), Err(InvalidKey { position: 0 }));
    assert_eq!(Xfcc::parse("B y=a"), Err(InvalidKey { position: 0 }));
    assert_eq!(Xfcc::parse("B\"y=a"), Err(InvalidKey { position: 0 }));
    assert_eq!(Xfcc::parse("B y;=a"), Err(MissingEquals { position: 0 }));
    assert_eq!(
        Xfcc::parse("By=a, \tB,y=b"),
        Err(MissingEquals { position: 7 })
    );
    assert_eq!(
        Xfcc::parse("By \t= a").unwrap().last().by().next(),
        Some("a")
    );
    assert_eq!(
        Xfcc::parse("By=\"a"),
        Err(UnterminatedQuote { position: 3 })
    );
    assert_eq!(
        Xfcc::parse("By=\"a\\\""),
        Err(UnterminatedQuote { position: 3 })
    );
    assert_eq!(
        Xfcc::parse("By=\"a\"b"),
        Err(AfterQuote {
            position: 6,
            found: "b".into()
        })
    );
    assert_eq!(Xfcc::parse("By=a\"b\""), Err(QuoteInValue { position: 4 }));
    assert_eq!(
        Xfcc::parse("Cert=a;cert=b"),
        Err(DuplicateKey {
            element: 0,
            key: "Cert"
        })
    );
    assert_eq!(
        Xfcc::parse("By=a,Hash=1;HASH=2"),
        Err(DuplicateKey {
            element: 1,
            key: "Hash"
        })
    );
    let many = vec!["By=a"; MAX_ELEMENTS + 1].join(",");
    assert_eq!(Xfcc::parse(&many), Err(TooManyElements));
    assert_eq!(
        Xfcc::parse(&vec!["By=a"; MAX_ELEMENTS].join(","))
            .unwrap()
            .elements()
            .len(),
        MAX_ELEMENTS
    );
    let pairs = vec!["DNS=a"; MAX_PAIRS + 1].join(";");
    assert_eq!(Xfcc::parse(&pairs), Err(TooManyPairs { element: 0 }));
    assert_eq!(decode_pair(b"By=\xff"), Err(NotUtf8 { position: 3 }));
    assert_eq!(
        decode_pair(b"Cert=\"%zz\""),
        Err(XfccCert(Box::new(BadPercentEscape { position: 0 })))
    );
}

#[test]
fn hash_parsing() {
    let d1 = "0380ed2f626650c840b2f263e6d2b29fae12ab39ae5db32b25ad27efad72e6fd";
    let t: Thumbprint = "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"
        .parse()
        .unwrap();
    assert_eq!(hex_sha256(d1), Some(t));
    assert_eq!(hex_sha256(&d1.to_uppercase()), Some(t));
    assert_eq!(hex_sha256(&d1[1..]), None);
    assert_eq!(hex_sha256(&format!("{}g", &d1[1..])), None);
    assert_eq!(hex_sha256(&format!("+{}", &d1[1..])), None);
}

#[test]
fn quoted_values_hold_separators() {
    let value =
        r#"Cert="%2D";Subject="CN=a\"b\", O=x;y=z\\";URI=spiffe://c;DNS=a.example;dns=b.example"#;
    let parsed = Xfcc::parse(value).unwrap();
    assert_eq!(parsed.elements().len(), 1);
    assert_eq!(parsed.last().subject(), Some(r#"CN=a\"b\", O=x;y=z\\"#));
    assert_eq!(
        parsed.last().dns().collect::<Vec<_>>(),
        ["a.example", "b.example"]
    );
}

#[test]
fn envoy_keys_in_any_case() {
    use super::parse::Key::*;
    for key in [By, Hash, Cert, Chain, Subject, Uri, Dns] {
        let name = key.name();
        for spelling in [name.into(), name.to_lowercase(), name.to_uppercase()] {
            let value = format!("{spelling}=x");
            let parsed = Xfcc::parse(&value).unwrap();
            assert_eq!(
                parsed.last().values(key).collect::<Vec<_>>(),
                ["x"],
                "{value}"
            );
        }
    }
    // Not Envoy's: the last element refuses them; an earlier one keeps them as other keys.
    for other in [
        "B", "Hashes", "Certs", "URIs", "Foo", "Subjec", "Dn_", "ur.", "By0", "SubjectX",
    ] {
        let value = format!("{other}=x");
        assert!(
            matches!(
                Xfcc::parse(&value),
                Err(Reason::NotEnvoyKey { position: 0 })
            ),
            "{other}"
        );
        let two = format!("{value},By=y");
        let earlier = Xfcc::parse(&two).unwrap();
        let first = &earlier.elements()[0];
        assert!(
            [By, Hash, Cert, Chain, Subject, Uri, Dns]
                .into_iter()
                .all(|key| first.values(key).next().is_none()),
            "{other}"
        );
    }
}
