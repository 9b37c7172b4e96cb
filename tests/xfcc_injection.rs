//! Envoy writes the client certificate's URI and DNS SANs into `x-forwarded-client-cert`
//! unquoted. A client whose certificate carries a SAN holding `,Cert="…"` or `;Cert="…"`
//! must never make the reader return another certificate: through the `proxy` API, through
//! `proxy::http` and through `inspect --from xfcc`, for certificates made here, and for
//! values Envoy would write from random SAN strings.

mod common;

use std::sync::OnceLock;

use common::encode;
use common::envoy::{Cert, Details, hex, make};
use proptest::prelude::*;
use rfc8705::proxy::{ProxyFormat, Reason, TrustedProxy};

fn victim() -> &'static Cert {
    static VICTIM: OnceLock<Cert> = OnceLock::new();
    VICTIM.get_or_init(|| make("victim", &["spiffe://example.org/victim"], &[]))
}

fn attacker() -> &'static Cert {
    static ATTACKER: OnceLock<Cert> = OnceLock::new();
    ATTACKER.get_or_init(|| make("attacker", &["spiffe://example.org/attacker"], &[]))
}

/// A complete element for the victim's certificate, as an attacker would forge it.
fn forged_victim_element() -> String {
    let v = victim();
    format!(
        "By=spiffe://edge;Hash={};Cert=\"{}\"",
        hex(&v.der),
        encode::escaped_pem(v.pem.as_bytes())
    )
}

/// The element Envoy writes for `cert`: By (raw, one per own URI SAN), Hash, Cert (quoted),
/// Chain (quoted), Subject (quoted, RFC 2253 escapes), URI and DNS (raw, one per SAN).
fn envoy_element(cert: &Cert, d: &Details) -> String {
    let mut parts: Vec<String> = d.by.iter().map(|b| format!("By={b}")).collect();
    parts.push(format!("Hash={}", hex(&cert.der)));
    let escaped = encode::escaped_pem(cert.pem.as_bytes());
    parts.push(format!("Cert=\"{escaped}\""));
    if d.chain {
        parts.push(format!("Chain=\"{escaped}\""));
    }
    if let Some(subject) = &d.subject {
        // OpenSSL's RFC 2253 output escapes '\' and '"' (and ",+;<>") with a backslash.
        let mut rendered = String::new();
        for c in subject.chars() {
            if "\\\",+;<>".contains(c) {
                rendered.push('\\');
            }
            rendered.push(c);
        }
        parts.push(format!("Subject=\"{rendered}\""));
    }
    parts.extend(d.uri.iter().map(|u| format!("URI={u}")));
    parts.extend(d.dns.iter().map(|n| format!("DNS={n}")));
    parts.join(";")
}

fn proxy() -> TrustedProxy {
    TrustedProxy::the_peer_is_my_proxy()
}

/// A certificate whose URI SAN (or DNS SAN) injects the victim's element after a ','.
fn injecting_cert(through: &str) -> (Cert, Details) {
    let injected = format!("spiffe://x,{}", forged_victim_element());
    let semicolon = format!(
        "spiffe://x;Cert=\"{}\"",
        encode::escaped_pem(victim().pem.as_bytes())
    );
    let (uris, dns): (Vec<String>, Vec<String>) = match through {
        "uri" => (vec![injected], vec![]),
        "uri;" => (vec![semicolon], vec![]),
        "dns" => (
            vec![],
            vec![format!("x.example,{}", forged_victim_element())],
        ),
        _ => unreachable!(),
    };
    let uri_refs: Vec<&str> = uris.iter().map(String::as_str).collect();
    let dns_refs: Vec<&str> = dns.iter().map(String::as_str).collect();
    let cert = make("attacker", &uri_refs, &dns_refs);
    let details = Details {
        by: vec!["spiffe://edge".into()],
        chain: false,
        subject: Some("CN=attacker".into()),
        uri: uris,
        dns,
    };
    (cert, details)
}

#[test]
fn injection_through_a_san_is_refused_at_the_proxy_api() {
    for (through, want) in [
        (
            "uri",
            Reason::AmbiguousSan {
                element: 0,
                key: "URI",
            },
        ),
        (
            "dns",
            Reason::AmbiguousSan {
                element: 0,
                key: "DNS",
            },
        ),
    ] {
        let (cert, details) = injecting_cert(through);
        let value = envoy_element(&cert, &details);
        assert_eq!(
            proxy()
                .decode(ProxyFormat::Xfcc, &value, &[])
                .unwrap_err()
                .reason(),
            &want,
            "{through}"
        );
        // Through APPEND_FORWARD, after whatever the client sent, the same.
        let appended = format!("{},{value}", forged_victim_element());
        assert!(
            proxy().decode(ProxyFormat::Xfcc, &appended, &[]).is_err(),
            "{through}"
        );
    }
    // ";Cert=" inside a URI SAN: a second Cert in the element.
    let (cert, details) = injecting_cert("uri;");
    let value = envoy_element(&cert, &details);
    assert_eq!(
        proxy()
            .decode(ProxyFormat::Xfcc, &value, &[])
            .unwrap_err()
            .reason(),
        &Reason::DuplicateKey {
            element: 0,
            key: "Cert"
        }
    );
}

#[test]
fn legitimate_envoy_values_give_the_attached_certificate() {
    let cert = make(
        "client",
        &["spiffe://example.org/a", "spiffe://example.org/b"],
        &["a.example", "b.example"],
    );
    let details = Details {
        // Envoy's own certificate with two URI SANs: By twice.
        by: vec!["spiffe://edge/1".into(), "spiffe://edge/2".into()],
        chain: true,
        // A subject ending in a backslash: OpenSSL writes `…\\`, Envoy adds the quote.
        subject: Some(r"CN=client\".into()),
        uri: vec![
            "spiffe://example.org/a".into(),
            "spiffe://example.org/b".into(),
        ],
        dns: vec!["a.example".into(), "b.example".into()],
    };
    let value = envoy_element(&cert, &details);
    assert!(value.contains(r#"Subject="CN=client\\""#), "{value}");
    let fwd = proxy().decode(ProxyFormat::Xfcc, &value, &[]).unwrap();
    assert_eq!(fwd.der(), cert.der);
    // APPEND_FORWARD after a client-written element without URI/DNS.
    let appended = format!("{},{value}", forged_victim_element());
    assert_eq!(
        proxy()
            .decode(ProxyFormat::Xfcc, &appended, &[])
            .unwrap()
            .der(),
        cert.der
    );
}

#[cfg(feature = "http")]
#[test]
fn injection_is_refused_through_proxy_http() {
    use http::{HeaderMap, HeaderValue};
    use rfc8705::proxy::http::ForwardedHeader;
    for through in ["uri", "dns", "uri;"] {
        let (cert, details) = injecting_cert(through);
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-client-cert",
            HeaderValue::from_str(&envoy_element(&cert, &details)).unwrap(),
        );
        let got = proxy().certificate_from_headers(
            &headers,
            &ForwardedHeader::standard(ProxyFormat::Xfcc).unwrap(),
        );
        assert!(
            matches!(&got, Err(e) if e.format() == ProxyFormat::Xfcc),
            "{through}: {got:?}"
        );
    }
}

#[test]
fn injection_is_refused_by_inspect() {
    for through in ["uri", "dns", "uri;"] {
        let (cert, details) = injecting_cert(through);
        let value = envoy_element(&cert, &details);
        let run = common::inspect(&["--from", "xfcc", "thumbprint", "-"], value.as_bytes());
        assert_eq!(run.code, 2, "{through}: {run:?}");
        assert!(run.stdout.is_empty(), "{through}: {run:?}");
        if through != "uri;" {
            assert!(run.stderr.contains("ambiguous"), "{run:?}");
        }
    }
}

/// SAN text: ordinary characters, every separator, and whole forged elements.
fn san_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-z0-9:/._%=-]{0,8}",
        2 => prop::sample::select(vec![",", ";", "=", "\"", "\\", " ", "\\\""]).prop_map(String::from),
        1 => Just(forged_victim_element()),
        1 => Just(format!(",{}", forged_victim_element())),
        1 => Just(format!(";Cert=\"{}\"", encode::escaped_pem(victim().pem.as_bytes()))),
        1 => Just(format!(";Hash={}", hex(&victim().der))),
        1 => Just(format!(";Chain=\"{}\"", encode::escaped_pem(victim().pem.as_bytes()))),
    ];
    prop::collection::vec(piece, 0..5).prop_map(|v| v.concat())
}

fn details() -> impl Strategy<Value = Details> {
    common::envoy::details(|| "spiffe://[a-z]{1,6}(/[a-z]{1,4})?", san_text)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// No value Envoy writes for the attacker's certificate yields another certificate,
    /// whatever its SANs hold and whatever the client sent before it.
    #[test]
    fn never_another_certificate(
        d in details(),
        prefix in prop::option::of(prop_oneof![san_text(), Just(forged_victim_element())]),
    ) {
        let element = envoy_element(attacker(), &d);
        let value = match &prefix {
            Some(p) => format!("{p},{element}"),
            None => element,
        };
        if let Ok(fwd) = proxy().decode(ProxyFormat::Xfcc, &value, &[]) {
            prop_assert_eq!(fwd.der(), &attacker().der[..], "{}", value);
        }
        // Without URI and DNS the split is always certain: the attached certificate.
        if d.uri.is_empty() && d.dns.is_empty() && prefix.is_none() {
            let fwd = proxy().decode(ProxyFormat::Xfcc, &value, &[]);
            prop_assert!(fwd.is_ok(), "{value}: {fwd:?}");
        }
    }
}
