//! URL-encoded PEM (nginx, Traefik, Caddy): never panics; an accepted value re-encoded as PEM
//! and escaped decodes to the same certificates.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rfc8705::proxy::{TrustedProxy, client_cert, escaped_pem};

fn pem(der: &[u8]) -> String {
    // `:base64:` without its colons is the PEM body.
    let b64 = client_cert::encode(der);
    format!("-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n", b64.trim_matches(':'))
}

fuzz_target!(|data: &[u8]| {
    if let Ok((leaf, chain)) = escaped_pem::decode(data) {
        if !leaf.is_empty() && chain.iter().all(|c| !c.is_empty()) {
            let text: String = std::iter::once(&leaf).chain(&chain).map(|d| pem(d)).collect();
            let again = escaped_pem::decode(escaped_pem::encode(text.as_bytes()).as_bytes());
            assert_eq!(again.ok(), Some((leaf, chain)));
        }
    }
    let _ = TrustedProxy::the_peer_is_my_proxy().escaped_pem(data);
});
