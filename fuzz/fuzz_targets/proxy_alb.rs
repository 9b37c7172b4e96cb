//! AWS ALB URL-encoded PEM: never panics; an accepted value re-encoded the ALB way decodes to
//! the same certificates.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rfc8705::proxy::{TrustedProxy, alb, client_cert};

fn pem(der: &[u8]) -> String {
    // `:base64:` without its colons is the PEM body.
    let b64 = client_cert::encode(der);
    format!("-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n", b64.trim_matches(':'))
}

fuzz_target!(|data: &[u8]| {
    if let Ok((leaf, chain)) = alb::decode(data) {
        let text: String = std::iter::once(&leaf).chain(&chain).map(|d| pem(d)).collect();
        let again = alb::decode(alb::encode(text.as_bytes()).as_bytes());
        assert_eq!(again.ok(), Some((leaf, chain)));
    }
    let _ = TrustedProxy::the_peer_is_my_proxy().alb(data);
});
