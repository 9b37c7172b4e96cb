//! Apache `mod_headers` PEM: never panics; `(null)` and nothing else is "no certificate"; an
//! accepted value re-encoded as PEM and mangled the `mod_headers` way decodes to the same
//! certificates.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rfc8705::proxy::{TrustedProxy, apache, client_cert};

fn pem(der: &[u8]) -> String {
    // `:base64:` without its colons is the PEM body.
    let b64 = client_cert::encode(der);
    format!("-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n", b64.trim_matches(':'))
}

fuzz_target!(|data: &[u8]| {
    match apache::decode(data) {
        Ok(None) => assert_eq!(data.trim_ascii(), apache::NO_CERTIFICATE.as_bytes()),
        Ok(Some((leaf, chain))) => {
            let text: String = std::iter::once(&leaf).chain(&chain).map(|d| pem(d)).collect();
            let again = apache::decode(apache::encode(text.as_bytes()).as_bytes());
            assert_eq!(again.ok(), Some(Some((leaf, chain))));
        }
        Err(_) => {}
    }
    if let Ok(Some(fwd)) = TrustedProxy::the_peer_is_my_proxy().apache(data) {
        assert_ne!(data.trim_ascii(), apache::NO_CERTIFICATE.as_bytes());
        let _ = fwd.to_client_certificate();
    }
});
