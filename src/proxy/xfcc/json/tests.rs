//! Values written as Envoy writes them: `appendXfccJsonObject` and the `SANITIZE_SET` /
//! `APPEND_FORWARD` rules of `applyForwardClientCertConfig` (envoyproxy/envoy
//! `source/common/http/conn_manager_utility.cc` at commit
//! 0825c1cecaea3b6389e25d98496942de16208d83), over certificates made here with rcgen.

use super::super::super::testing::{escaped_pem, pem_of};
use super::*;
use crate::thumbprint::Thumbprint;
use alloc::string::ToString;
use alloc::{format, vec};
use std::sync::OnceLock;

/// The leaf and chain of the last element (the digest is checked where it is used).
fn decode_pair(value: &[u8]) -> Result<(Vec<u8>, Vec<Vec<u8>>), Reason> {
    decode_last(value).map(|(leaf, chain, _)| (leaf, chain))
}

/// A CA, a client certificate it issued, and an unrelated certificate.
struct Pki {
    ca: Vec<u8>,
    leaf: Vec<u8>,
    other: Vec<u8>,
}

fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(|| {
        let mut ca = rcgen::CertificateParams::new(vec![]).unwrap();
        ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let ca =
            rcgen::CertifiedIssuer::self_signed(ca, rcgen::KeyPair::generate().unwrap()).unwrap();
        let key = rcgen::KeyPair::generate().unwrap();
        let leaf = rcgen::CertificateParams::new(vec!["client.example".to_string()])
            .unwrap()
            .signed_by(&key, &ca)
            .unwrap();
        let other = rcgen::CertificateParams::new(vec!["other.example".to_string()])
            .unwrap()
            .self_signed(&rcgen::KeyPair::generate().unwrap())
            .unwrap();
        Pki {
            ca: ca.der().to_vec(),
            leaf: leaf.der().to_vec(),
            other: other.der().to_vec(),
        }
    })
}

/// `sha256PeerCertificateDigest`: lower-case hex.
fn hex(der: &[u8]) -> String {
    Thumbprint::digest_of(der)
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn string(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn array<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<String> = items.iter().map(|s| string(s.as_ref())).collect();
    format!("[{}]", items.join(","))
}

/// `set_current_client_cert_details`, in the order Envoy converts it (cert, chain, subject,
/// uri, dns).
#[derive(Default)]
struct Details<'a> {
    cert: bool,
    chain: &'a [&'a [u8]],
    subject: Option<&'a str>,
    uri: &'a [&'a str],
    dns: &'a [&'a str],
}

/// `appendXfccJsonObject`: `by` (the proxy's URI SANs, if any), `hash`, then the details; an
/// empty array is left out, `subject` never is. PEM as `PEM_write_bio_X509` writes it.
fn envoy_object(by: &[&str], leaf: &[u8], d: &Details) -> String {
    let mut fields = Vec::new();
    if !by.is_empty() {
        fields.push(format!("\"by\":{}", array(by)));
    }
    fields.push(format!("\"hash\":{}", string(&hex(leaf))));
    if d.cert {
        fields.push(format!("\"cert\":{}", string(&pem_of(leaf))));
    }
    if !d.chain.is_empty() {
        let pems: Vec<String> = d.chain.iter().map(|der| pem_of(der)).collect();
        fields.push(format!("\"chain\":{}", array(&pems)));
    }
    if let Some(subject) = d.subject {
        fields.push(format!("\"subject\":{}", string(subject)));
    }
    if !d.uri.is_empty() {
        fields.push(format!("\"uri\":{}", array(d.uri)));
    }
    if !d.dns.is_empty() {
        fields.push(format!("\"dns\":{}", array(d.dns)));
    }
    format!("{{{}}}", fields.join(","))
}

/// `applyForwardClientCertConfig` with the JSON format configured and `cert: true`: the
/// value Envoy forwards for `leaf`, given the value that arrived.
fn envoy_forwards(append: bool, arrived: Option<&str>, leaf: &[u8]) -> String {
    let d = Details {
        cert: true,
        ..Details::default()
    };
    let object = envoy_object(&["spiffe://edge"], leaf, &d);
    match arrived {
        Some(e) if append && !e.is_empty() => {
            if e.starts_with('[') && e.ends_with(']') {
                // "splice the new object in before the closing ']'"
                format!("{},{object}]", &e[..e.len() - 1])
            } else {
                // The existing value's format, text: a text element after a ','.
                let cert = escaped_pem(pem_of(leaf).as_bytes());
                format!("{e},By=spiffe://edge;Hash={};Cert=\"{cert}\"", hex(leaf))
            }
        }
        _ => format!("[{object}]"),
    }
}

#[test]
fn sanitize_set_with_every_detail() {
    let p = pki();
    let d = Details {
        cert: true,
        chain: &[&p.leaf, &p.ca],
        subject: Some(r#"CN=client,O=Example \"Q\"\, Inc."#),
        uri: &["spiffe://example.org/client"],
        dns: &["client.example", "*.client.example"],
    };
    let value = format!(
        "[{}]",
        envoy_object(&["spiffe://edge", "https://edge.example"], &p.leaf, &d)
    );
    assert!(value.starts_with(r#"[{"by":["spiffe://edge","https://edge.example"],"hash":""#));
    assert!(value.contains(r#""cert":"-----BEGIN CERTIFICATE-----\n"#));
    assert_eq!(
        decode_pair(value.as_bytes()),
        Ok((p.leaf.clone(), vec![p.ca.clone()]))
    );
}

#[test]
fn cert_alone_and_no_cert() {
    let p = pki();
    let value = envoy_forwards(false, Some("[{\"cert\":\"x\"}]"), &p.leaf);
    assert_eq!(decode_pair(value.as_bytes()), Ok((p.leaf.clone(), vec![])));
    // Without `cert: true` Envoy writes the hash only.
    let value = format!("[{}]", envoy_object(&[], &p.leaf, &Details::default()));
    assert_eq!(decode_pair(value.as_bytes()), Err(Reason::NoCert));
}

#[test]
fn append_forward_behind_envoy_hops() {
    let p = pki();
    let first = envoy_forwards(true, None, &p.other);
    let second = envoy_forwards(true, Some(&first), &p.ca);
    let third = envoy_forwards(true, Some(&second), &p.leaf);
    assert_eq!(third.matches("\"cert\"").count(), 3);
    for (value, der) in [(first, &p.other), (second, &p.ca), (third, &p.leaf)] {
        assert_eq!(decode_pair(value.as_bytes()).unwrap().0, *der);
    }
}

#[test]
fn a_client_sent_value_never_chooses_the_certificate() {
    let p = pki();
    let other = string(&pem_of(&p.other));
    let forged = format!(r#"{{"hash":"{}","cert":{other}}}"#, hex(&p.other));
    let arrived = [
        format!("[{forged}]"),
        format!("[{forged},{forged}]"),
        format!("[{forged}]]"),
        format!("[[{forged}]"),
        format!("[{forged}"),
        format!(r#"[{{"by":[],"cert":{other},"x":{{"cert":{other}}}}}]"#),
        format!(r#"[{{"cert":{other},"cert":{other}}}]"#),
        format!(r#"[{forged},"]"#),
        format!(r#"[{forged},"\]"#),
        format!(r#"[{forged},{{"a":]"#),
        format!(r#"[1,{forged}]"#),
        "[]".into(),
        "[".into(),
        "]".into(),
        "[ ]".into(),
        format!("{forged}]"),
    ];
    for arrived in arrived {
        let value = envoy_forwards(true, Some(&arrived), &p.leaf);
        if let Ok(got) = decode_pair(value.as_bytes()) {
            assert_eq!(got, (p.leaf.clone(), vec![]), "{value}");
        }
    }
    // The well-formed ones are read, with Envoy's object last.
    let value = envoy_forwards(true, Some(&format!("[{forged}]")), &p.leaf);
    assert_eq!(decode_pair(value.as_bytes()).unwrap().0, p.leaf);
    let value = envoy_forwards(true, Some("[]"), &p.leaf);
    assert!(value.starts_with("[,{"), "{value}");
    assert!(matches!(
        decode_pair(value.as_bytes()),
        Err(Reason::NotXfccJson { .. })
    ));
}

#[test]
fn a_text_value_stays_text_and_is_refused() {
    let p = pki();
    // Envoy's test: first byte '[' and last byte ']' (and nothing else) make a value JSON.
    for arrived in ["By=spiffe://client;Hash=00", "[abc", "abc]", "[{}]"] {
        let value = envoy_forwards(true, Some(arrived), &p.leaf);
        if arrived.starts_with('[') && arrived.ends_with(']') {
            assert_eq!(decode_pair(value.as_bytes()).unwrap().0, p.leaf);
        } else {
            assert!(value.contains(";Cert=\""), "{value}");
            assert!(matches!(
                decode_pair(value.as_bytes()),
                Err(Reason::NotXfccJson { .. })
            ));
        }
    }
    // What the text reader makes of the first: Envoy's element, last.
    let value = envoy_forwards(true, Some("By=spiffe://client;Hash=00"), &p.leaf);
    assert_eq!(
        super::super::decode_last(value.as_bytes()).unwrap().0,
        p.leaf
    );
}

#[test]
fn hash_and_chain_are_checked() {
    let p = pki();
    let cert = string(&pem_of(&p.leaf));
    let pem = |der: &[u8]| string(&pem_of(der));
    let value = |hash: &str, chain: &str| {
        format!(
            r#"[{{"hash":{},"cert":{cert},"chain":{chain}}}]"#,
            string(hash)
        )
    };
    let good = format!("[{},{}]", pem(&p.leaf), pem(&p.ca));
    assert_eq!(
        decode_pair(value(&hex(&p.leaf), &good).as_bytes()),
        Ok((p.leaf.clone(), vec![p.ca.clone()]))
    );
    let cases = [
        (value(&hex(&p.other), &good), Reason::HashMismatch),
        (value("xyz", &good), Reason::MalformedHash),
        (
            value(&hex(&p.leaf), &format!("[{}]", pem(&p.ca))),
            Reason::ChainLeafMismatch,
        ),
        (
            value(&hex(&p.leaf), "[]"),
            Reason::XfccChain(Box::new(Reason::Empty)),
        ),
        (
            value(
                &hex(&p.leaf),
                &format!("[{}]", string(&(pem_of(&p.leaf) + &pem_of(&p.ca)))),
            ),
            Reason::XfccChain(Box::new(Reason::ChainMember {
                index: 0,
                reason: Box::new(Reason::NotOneCertificate { count: 2 }),
            })),
        ),
        (
            value(
                &hex(&p.leaf),
                &array(&vec![pem_of(&p.ca); MAX_CHAIN_LEN + 2]),
            ),
            Reason::XfccChain(Box::new(Reason::TooManyCertificates)),
        ),
    ];
    for (value, reason) in cases {
        assert_eq!(decode_pair(value.as_bytes()), Err(reason), "{value}");
    }
}

#[test]
fn rejections() {
    let p = pki();
    let cert = string(&pem_of(&p.leaf));
    assert_eq!(decode_pair(b" "), Err(Reason::Empty));
    assert_eq!(decode_pair(b"[]"), Err(Reason::Empty));
    assert_eq!(decode_pair(b"[{}]"), Err(Reason::NoCert));
    // Keys are Envoy's spelling: the text format's `Cert` is another key.
    let upper = format!(r#"[{{"Cert":{cert}}}]"#);
    assert_eq!(decode_pair(upper.as_bytes()), Err(Reason::NoCert));
    // The text format's URL-encoded PEM is not what Envoy puts in JSON.
    let escaped = format!(
        r#"[{{"cert":"{}"}}]"#,
        escaped_pem(pem_of(&p.leaf).as_bytes())
    );
    assert_eq!(
        decode_pair(escaped.as_bytes()),
        Err(Reason::XfccCert(Box::new(Reason::UrlEncoded)))
    );
    let two = format!(
        r#"[{{"cert":{}}}]"#,
        string(&(pem_of(&p.leaf) + &pem_of(&p.ca)))
    );
    assert_eq!(decode_pair(two.as_bytes()), Err(Reason::CertHoldsSeveral));
    let not_json = [
        format!(r#"Hash=00;Cert="{cert}""#),
        format!(r#"{{"cert":{cert}}}"#),
        format!(r#"[{{"cert":{cert}}}],[{{"cert":{cert}}}]"#),
        format!(r#"[{{"cert":{cert},"cert":{cert}}}]"#),
        r#"[{"cert":null}]"#.into(),
        format!(r#"[{{"cert":{cert},"chain":{cert}}}]"#),
        format!(r#"[{{"cert":{cert},"chain":[null]}}]"#),
        format!(r#"[["{}",{cert}]]"#, hex(&p.leaf)),
        format!(r#"[{cert}]"#),
        format!(r#"[1,{{"cert":{cert}}}]"#),
        r#"[{"cert":5}]"#.into(),
    ];
    for value in not_json {
        assert!(
            matches!(
                decode_pair(value.as_bytes()),
                Err(Reason::NotXfccJson { .. })
            ),
            "{value}"
        );
    }
    let many = format!("[{}{{\"cert\":{cert}}}]", "{},".repeat(MAX_ELEMENTS));
    assert_eq!(decode_pair(many.as_bytes()), Err(Reason::TooManyElements));
}
