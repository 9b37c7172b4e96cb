//! Envoy's JSON `x-forwarded-client-cert` (`xfcc-json`): whatever a client sends and whatever
//! its certificate's SANs and subject hold, the reader returns the certificate the nearest
//! Envoy attached, or an error — through the `proxy` API and `inspect --from xfcc-json`.
//!
//! The values are written as Envoy writes them (envoyproxy/envoy
//! `source/common/http/conn_manager_utility.cc` at commit
//! 0825c1cecaea3b6389e25d98496942de16208d83): `appendXfccJsonObject` for the object, and
//! `applyForwardClientCertConfig` for `APPEND_FORWARD`, which keeps a received value's format
//! (JSON when its first byte is `[` and its last `]`) and splices the object in before the
//! closing `]` without parsing what the client sent.

mod common;

use std::sync::OnceLock;

use common::envoy::{Cert, Details, hex, make};
use proptest::prelude::*;
use rfc8705::Thumbprint;
use rfc8705::proxy::{ProxyFormat, TrustedProxy};

fn victim() -> &'static Cert {
    static VICTIM: OnceLock<Cert> = OnceLock::new();
    VICTIM.get_or_init(|| make("victim", &[], &[]))
}

fn attacker() -> &'static Cert {
    static ATTACKER: OnceLock<Cert> = OnceLock::new();
    ATTACKER.get_or_init(|| make("attacker", &[], &[]))
}

fn string(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn array(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| string(s)).collect();
    format!("[{}]", items.join(","))
}

/// The victim's object, as an attacker would forge it.
fn forged() -> String {
    let v = victim();
    format!(
        r#"{{"by":["spiffe://edge"],"hash":"{}","cert":{}}}"#,
        hex(&v.der),
        string(&v.pem)
    )
}

/// `appendXfccJsonObject` with `cert: true`.
fn envoy_object(cert: &Cert, d: &Details) -> String {
    let mut fields = Vec::new();
    if !d.by.is_empty() {
        fields.push(format!("\"by\":{}", array(&d.by)));
    }
    fields.push(format!("\"hash\":{}", string(&hex(&cert.der))));
    fields.push(format!("\"cert\":{}", string(&cert.pem)));
    if d.chain {
        fields.push(format!(
            "\"chain\":{}",
            array(std::slice::from_ref(&cert.pem))
        ));
    }
    if let Some(subject) = &d.subject {
        fields.push(format!("\"subject\":{}", string(subject)));
    }
    if !d.uri.is_empty() {
        fields.push(format!("\"uri\":{}", array(&d.uri)));
    }
    if !d.dns.is_empty() {
        fields.push(format!("\"dns\":{}", array(&d.dns)));
    }
    format!("{{{}}}", fields.join(","))
}

/// `APPEND_FORWARD` with the JSON format configured, for a value that arrived: `None` when
/// Envoy appends a text element instead (the received value was not `[`…`]`).
fn envoy_append(arrived: &str, object: &str) -> Option<String> {
    if arrived.is_empty() {
        return Some(format!("[{object}]"));
    }
    (arrived.starts_with('[') && arrived.ends_with(']'))
        .then(|| format!("{},{object}]", &arrived[..arrived.len() - 1]))
}

fn proxy() -> TrustedProxy {
    TrustedProxy::the_peer_is_my_proxy()
}

#[test]
fn legitimate_values_give_the_attached_certificate() {
    let d = Details {
        by: vec!["spiffe://edge/1".into(), "spiffe://edge/2".into()],
        chain: true,
        subject: Some(r#"CN=a\"b\,c"#.into()),
        uri: vec![r#"spiffe://x"},{"cert":"#.into()],
        dns: vec!["a.example".into()],
    };
    let object = envoy_object(attacker(), &d);
    for arrived in [String::new(), format!("[{}]", forged())] {
        let value = envoy_append(&arrived, &object).unwrap();
        let fwd = proxy().decode(ProxyFormat::XfccJson, &value, &[]).unwrap();
        assert_eq!(fwd.der(), attacker().der, "{value}");
        let run = common::inspect(
            &["--from", "xfcc-json", "thumbprint", "-"],
            value.as_bytes(),
        );
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(
            run.stdout.trim(),
            Thumbprint::from_der(&attacker().der).unwrap().to_string()
        );
    }
}

#[test]
fn a_broken_splice_is_refused_by_inspect() {
    // The client opened a string: Envoy's object ends up after it, and the value is no JSON.
    let arrived = format!("[{},\"]", forged());
    let value = envoy_append(&arrived, &envoy_object(attacker(), &plain())).unwrap();
    let run = common::inspect(
        &["--from", "xfcc-json", "thumbprint", "-"],
        value.as_bytes(),
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
    assert!(
        run.stderr.contains("not an Envoy JSON XFCC value"),
        "{run:?}"
    );
}

fn plain() -> Details {
    Details {
        by: vec!["spiffe://edge".into()],
        chain: false,
        subject: None,
        uri: vec![],
        dns: vec![],
    }
}

/// JSON-breaking text: quotes, backslashes, brackets, and whole forged objects.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-z0-9:/._%=-]{0,8}",
        3 => prop::sample::select(vec![
            "\"", "\\", "\\\"", "[", "]", "{", "}", ",", ":", "\"}", "\"]", "\"},", "\\u",
            "null", " ", "\n",
        ])
        .prop_map(String::from),
        1 => Just(forged()),
        1 => Just(format!(",{}", forged())),
        1 => Just(format!(r#""cert":{}"#, string(&victim().pem))),
    ];
    prop::collection::vec(piece, 0..6).prop_map(|v| v.concat())
}

fn details() -> impl Strategy<Value = Details> {
    common::envoy::details(text, text)
}

/// What a client may send: any text, or `[`…`]` around it (which Envoy treats as JSON).
fn arrived() -> impl Strategy<Value = String> {
    prop_oneof![
        text(),
        text().prop_map(|t| format!("[{t}]")),
        (text(), text()).prop_map(|(a, b)| format!("[{a}{}{b}]", forged())),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// No value Envoy forwards for the attacker's certificate yields another certificate,
    /// whatever the client sent and whatever its certificate holds; and with nothing sent,
    /// or a well-formed forged array sent, it yields the attacker's.
    #[test]
    fn never_another_certificate(d in details(), arrived in arrived()) {
        let object = envoy_object(attacker(), &d);
        let Some(value) = envoy_append(&arrived, &object) else {
            // Envoy appends text: never JSON.
            let text = format!("{arrived},Hash={}", hex(&attacker().der));
            prop_assert!(proxy().decode(ProxyFormat::XfccJson, &text, &[]).is_err());
            return Ok(());
        };
        if let Ok(fwd) = proxy().decode(ProxyFormat::XfccJson, &value, &[]) {
            prop_assert_eq!(fwd.der(), &attacker().der[..], "{}", value);
        }
        if arrived.is_empty() || arrived == format!("[{}]", forged()) {
            let fwd = proxy().decode(ProxyFormat::XfccJson, &value, &[]);
            prop_assert!(fwd.is_ok(), "{value}: {fwd:?}");
        }
    }
}
