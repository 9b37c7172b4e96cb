//! Name matching against arbitrary certificate DER must never panic; a subject's RFC 4514
//! rendering, when it parses, must match that subject; a certificate authenticates as each of
//! its own SANs that is a valid registered value (`tls_client_auth_san_*`).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
#[path = "shared/expected.rs"]
mod expected;
use expected::Expected as ExpectedSubject;
use rfc8705::ClientCertificate;
use rfc8705::dn::DistinguishedName;
use rfc8705::san::PresentedSan;

fn registered() -> &'static [ExpectedSubject] {
    static R: OnceLock<Vec<ExpectedSubject>> = OnceLock::new();
    R.get_or_init(|| {
        vec![
            ExpectedSubject::from_member("tls_client_auth_subject_dn", "CN=mtls").unwrap(),
            ExpectedSubject::from_member(
                "tls_client_auth_subject_dn",
                "CN=J. Smith+OU=Sales,O=Example\\, Inc.,C=US",
            )
            .unwrap(),
            ExpectedSubject::from_member("tls_client_auth_subject_dn", "CN=Łódź,DC=example,DC=net")
                .unwrap(),
            ExpectedSubject::from_member("tls_client_auth_san_dns", "client.example.com").unwrap(),
            ExpectedSubject::from_member("tls_client_auth_san_uri", "spiffe://example.org/client")
                .unwrap(),
            ExpectedSubject::from_member("tls_client_auth_san_ip", "2001:db8::1").unwrap(),
            ExpectedSubject::from_member("tls_client_auth_san_email", "bdc@example.com").unwrap(),
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    for expected in registered() {
        if let Ok(m) = expected.authenticate_der(data) {
            let _ = m.to_string();
        } else if let Err(e) = expected.authenticate_der(data) {
            let _ = e.to_string();
        }
    }
    let Ok(cert) = ClientCertificate::from_der(data) else {
        return;
    };
    {
        let sans = cert.sans();
        for san in sans.clone() {
            let _ = san.to_string();
            // A certificate authenticates as each of its own SANs that is a valid registered
            // value of its kind.
            let own = match san {
                PresentedSan::Dns(s) => {
                    ExpectedSubject::from_member("tls_client_auth_san_dns", s).ok()
                }
                PresentedSan::Uri(s) => {
                    ExpectedSubject::from_member("tls_client_auth_san_uri", s).ok()
                }
                PresentedSan::Ip(ip) => {
                    ExpectedSubject::from_member("tls_client_auth_san_ip", &ip.to_string()).ok()
                }
                PresentedSan::Email(s) => {
                    ExpectedSubject::from_member("tls_client_auth_san_email", s).ok()
                }
                _ => None,
            };
            if let Some(own) = own {
                assert!(
                    own.authenticate_der(data).is_ok(),
                    "{own} does not match {san}"
                );
            }
        }
    }
    let issuer = Some(cert.issuer());
    {
        let subject = cert.subject();
        let text = subject.to_string();
        if let Ok(dn) = text.parse::<DistinguishedName>() {
            assert!(
                dn.matches(&subject),
                "{text:?} does not match its own subject"
            );
            assert!(dn.explain_mismatch(&subject, issuer.as_ref()).is_none());
        }
    }
    let _ = rfc8705::ClientCertificate::from_der(data).map(|c| {
        registered()
            .iter()
            .map(|e| e.authenticate(&c).is_ok())
            .count()
    });
});
