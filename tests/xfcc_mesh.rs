//! Multi-hop XFCC from an Envoy mesh (`APPEND_FORWARD`): an earlier element that holds `URI`
//! or `DNS` is accepted only where its own `Cert` proves where it ends (its values are exactly
//! that certificate's URI and DNS SANs, in order); the last element is read as always, and the
//! hash-only `xfcc-hash` reads its `Hash`.

mod common;

use common::encode;
use common::envoy::{Cert, hex, make};
use rfc8705::Thumbprint;
use rfc8705::proxy::{ProxyFormat, Reason, TrustedProxy};

/// The element Envoy writes for `cert`, with the `URI` and `DNS` values given (raw).
fn element(by: &str, cert: Option<&Cert>, uris: &[&str], dns: &[&str]) -> String {
    let mut parts = vec![format!("By={by}")];
    if let Some(cert) = cert {
        parts.push(format!("Hash={}", hex(&cert.der)));
        parts.push(format!(
            "Cert=\"{}\"",
            encode::escaped_pem(cert.pem.as_bytes())
        ));
    }
    parts.extend(uris.iter().map(|u| format!("URI={u}")));
    parts.extend(dns.iter().map(|d| format!("DNS={d}")));
    parts.join(";")
}

fn read(value: &str) -> Result<Thumbprint, Reason> {
    TrustedProxy::the_peer_is_my_proxy()
        .decode(ProxyFormat::Xfcc, value, &[])
        .map(|fwd| fwd.thumbprint())
        .map_err(|e| e.reason().clone())
}

fn read_hash(value: &str) -> Result<Thumbprint, Reason> {
    TrustedProxy::the_peer_is_my_proxy()
        .thumbprint(ProxyFormat::XfccHash, value, &[])
        .map_err(|e| e.reason().clone())
}

fn ambiguous(element: usize, key: &'static str) -> Result<Thumbprint, Reason> {
    Err(Reason::AmbiguousSan { element, key })
}

#[test]
fn an_earlier_element_whose_cert_proves_its_end() {
    let edge_uris = [
        "spiffe://mesh/ns/a/sa/frontend",
        "spiffe://mesh/ns/a/sa/alias",
    ];
    let edge_dns = ["frontend.a.svc"];
    let edge = make("frontend", &edge_uris, &edge_dns);
    let client = make("api", &["spiffe://mesh/ns/b/sa/api"], &["api.b.svc"]);
    let first = element(
        "spiffe://mesh/ns/a/sa/gw",
        Some(&edge),
        &edge_uris,
        &edge_dns,
    );
    let last = element(
        "spiffe://mesh/ns/b/sa/gw",
        Some(&client),
        &["spiffe://mesh/ns/b/sa/api"],
        &["api.b.svc"],
    );
    let want = Thumbprint::from_der(&client.der).unwrap();
    for sep in [",", ", "] {
        let value = format!("{first}{sep}{last}");
        assert_eq!(read(&value), Ok(want));
        assert_eq!(read_hash(&value), Ok(want));
    }
    // Three hops, each proven.
    let value = format!("{first},{first},{last}");
    assert_eq!(read(&value), Ok(want));
}

#[test]
fn unproven_ends_stay_refused() {
    let uris = [
        "spiffe://mesh/ns/a/sa/frontend",
        "spiffe://mesh/ns/a/sa/alias",
    ];
    let edge = make("frontend", &uris, &["frontend.a.svc"]);
    let client = make("api", &["spiffe://mesh/ns/b/sa/api"], &[]);
    let last = element("spiffe://gw", Some(&client), &[], &[]);
    let no_cert = element("spiffe://gw", None, &uris, &["frontend.a.svc"]);
    let reordered = element(
        "spiffe://gw",
        Some(&edge),
        &[uris[1], uris[0]],
        &["frontend.a.svc"],
    );
    let first_uri_only = element("spiffe://gw", Some(&edge), &uris[..1], &["frontend.a.svc"]);
    let no_dns = element("spiffe://gw", Some(&edge), &uris, &[]);
    let other_cert = element("spiffe://gw", Some(&client), &uris, &["frontend.a.svc"]);
    for (first, key) in [
        (no_cert, "URI"),
        (reordered, "URI"),
        (first_uri_only, "URI"),
        (no_dns, "URI"),
        (other_cert, "URI"),
    ] {
        let value = format!("{first},{last}");
        assert_eq!(read(&value), ambiguous(0, key), "{first}");
        assert_eq!(read_hash(&value), ambiguous(0, key), "{first}");
    }
    // Older Envoy writes `URI=` for a certificate without URI SANs: not proven either.
    let plain = make("plain", &[], &[]);
    let empty_uri = element("spiffe://gw", Some(&plain), &[""], &[]);
    assert_eq!(read(&format!("{empty_uri},{last}")), ambiguous(0, "URI"));
}

/// A SAN holding `,` cut by the parser is a strict prefix of itself, never equal to it: a
/// forged element can hide neither behind an earlier hop nor inside the last one.
#[test]
fn a_comma_inside_a_san_forges_nothing() {
    let victim = make("victim", &["spiffe://mesh/victim"], &[]);
    let forged = element("spiffe://gw", Some(&victim), &[], &[]);
    let attacker_san = format!("spiffe://mesh/attacker,{forged}");
    let attacker = make("attacker", &[&attacker_san], &[]);
    let written = element("spiffe://gw", Some(&attacker), &[&attacker_san], &[]);
    let victim_x5t = Thumbprint::from_der(&victim.der).unwrap();
    // As the last hop: Envoy's element splits into a proven-looking prefix and the forgery.
    assert_eq!(read(&written), ambiguous(0, "URI"));
    assert_eq!(read_hash(&written), ambiguous(0, "URI"));
    // As an earlier hop of a mesh, before an honest last element.
    let honest = make("honest", &["spiffe://mesh/honest"], &[]);
    let last = element("spiffe://gw", Some(&honest), &["spiffe://mesh/honest"], &[]);
    let value = format!("{written},{last}");
    assert_eq!(read(&value), ambiguous(0, "URI"));
    assert_ne!(read(&value), Ok(victim_x5t));
}

/// Istio's default details (`Hash`, `Subject`, `URI`, `DNS`, no `Cert`) with one element: read
/// through `xfcc-hash`; `xfcc` needs the `Cert`.
#[test]
fn istio_default_details() {
    let client = make("api", &["spiffe://cluster.local/ns/b/sa/api"], &[]);
    let value = format!(
        "By=spiffe://cluster.local/ns/a/sa/web;Hash={};Subject=\"\";URI=spiffe://cluster.local/ns/b/sa/api",
        hex(&client.der)
    );
    let want = Thumbprint::from_der(&client.der).unwrap();
    assert_eq!(read_hash(&value), Ok(want));
    assert_eq!(read(&value), Err(Reason::NoCert));
    // A Hash that disagrees with a Cert is refused, as xfcc refuses it.
    let other = make("other", &[], &[]);
    let inconsistent = format!(
        "Hash={};Cert=\"{}\"",
        hex(&other.der),
        encode::escaped_pem(client.pem.as_bytes())
    );
    assert_eq!(read_hash(&inconsistent), Err(Reason::HashMismatch));
    assert_eq!(read(&inconsistent), Err(Reason::HashMismatch));
    assert_eq!(read_hash("By=spiffe://a"), Err(Reason::NoHash));
}
