//! What both XFCC injection tests build: certificates as Envoy sees them, the hash Envoy
//! writes, and what a connection holds besides the certificate.

use proptest::prelude::*;
use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair, SanType};
use rfc8705::Thumbprint;

/// A certificate as Envoy sees it: its DER and PEM.
pub struct Cert {
    pub der: Vec<u8>,
    pub pem: String,
}

/// A self-signed certificate for `cn` with these URI and DNS SANs.
pub fn make(cn: &str, uris: &[&str], dns: &[&str]) -> Cert {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, cn);
    params.distinguished_name = dn;
    for uri in uris {
        params
            .subject_alt_names
            .push(SanType::URI((*uri).try_into().unwrap()));
    }
    for name in dns {
        params
            .subject_alt_names
            .push(SanType::DnsName((*name).try_into().unwrap()));
    }
    let cert = params.self_signed(&KeyPair::generate().unwrap()).unwrap();
    Cert {
        der: cert.der().to_vec(),
        pem: cert.pem(),
    }
}

/// Envoy's `Hash`/`hash`: the SHA-256 of the DER in lower-case hex.
pub fn hex(der: &[u8]) -> String {
    Thumbprint::from_der(der)
        .unwrap()
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What Envoy's `set_current_client_cert_details` adds to the certificate: the proxy's own
/// URI SANs (`By`), the chain, and the client certificate's subject and SANs as Envoy reads
/// them.
#[derive(Debug, Clone)]
pub struct Details {
    pub by: Vec<String>,
    pub chain: bool,
    pub subject: Option<String>,
    pub uri: Vec<String>,
    pub dns: Vec<String>,
}

/// Any `Details`: up to two `By` values drawn from `by()`, and a subject and up to two URI
/// and two DNS SANs drawn from `text()`.
pub fn details<B, T>(by: impl Fn() -> B, text: impl Fn() -> T) -> impl Strategy<Value = Details>
where
    B: Strategy<Value = String>,
    T: Strategy<Value = String>,
{
    (
        prop::collection::vec(by(), 0..3),
        any::<bool>(),
        prop::option::of(text()),
        prop::collection::vec(text(), 0..3),
        prop::collection::vec(text(), 0..3),
    )
        .prop_map(|(by, chain, subject, uri, dns)| Details {
            by,
            chain,
            subject,
            uri,
            dns,
        })
}
