//! Where an earlier element of a multi-hop XFCC value ends (an Envoy mesh with
//! `APPEND_FORWARD`).
//!
//! Envoy writes `URI` and `DNS` raw, so a `,` inside a client certificate's SAN could end an
//! element early and start a forged one. An element that carries its own `Cert` says what
//! those values are: Envoy writes one `URI` pair per URI SAN of that certificate and one
//! `DNS` pair per DNS SAN, in certificate order. When the element's values are exactly those
//! SANs, in order, no `,` was inside one of them (a value cut at a `,` is a strict prefix of
//! its SAN, never equal to it), so the element's end is proven. Anything else (no `Cert`, a
//! `Cert` that does not decode, older Envoy's first-URI-only or empty `URI=`, values that
//! differ) proves nothing, and the value stays refused.

use alloc::vec::Vec;

use super::super::escaped_pem;
use super::parse::{Key, XfccElement};
use crate::san::{PresentedSan, PresentedSans, SanKind};

/// Whether `element`'s `URI` and `DNS` values are exactly its own `Cert`'s URI and DNS SANs,
/// in order.
pub(super) fn proven_end(element: &XfccElement<'_>) -> bool {
    let Some(cert) = element.cert() else {
        return false;
    };
    let Ok((der, rest)) = escaped_pem::decode(cert.as_bytes()) else {
        return false;
    };
    let Ok(sans) = PresentedSans::of_der(&der) else {
        return false;
    };
    if !rest.is_empty() {
        return false;
    }
    let (mut uris, mut dns) = (Vec::new(), Vec::new());
    for san in sans {
        match san {
            PresentedSan::Uri(uri) => uris.push(uri),
            PresentedSan::Dns(name) => dns.push(name),
            // A URI or DNS SAN that is not ASCII: Envoy's rendering of it is not checked here.
            PresentedSan::Invalid(SanKind::Uri | SanKind::Dns) => {
                return false;
            }
            _ => {}
        }
    }
    element.values(Key::Uri).eq(uris) && element.values(Key::Dns).eq(dns)
}
