//! Apache `mod_headers` PEM: never panics; `(null)` or an empty value, and nothing else, is "no
//! certificate"; an
//! accepted value re-encoded as PEM and mangled the `mod_headers` way (line breaks to spaces)
//! decodes to the same certificates.
#![no_main]

use base64ct::{Base64, Encoding};
use libfuzzer_sys::fuzz_target;
use rfc8705::proxy::{ProxyFormat, Reason, TrustedProxy};

fuzz_target!(|data: &[u8]| {
    let proxy = TrustedProxy::the_peer_is_my_proxy();
    match proxy.decode(ProxyFormat::Apache, data, &[]) {
        Err(e) if e.reason() == &Reason::NoCertificate => {
            assert!(matches!(data.trim_ascii(), b"(null)" | b""));
        }
        Err(_) => {}
        Ok(fwd) => {
            assert_ne!(data.trim_ascii(), b"(null)");
            let value: String = std::iter::once(fwd.der())
                .chain(fwd.chain())
                .map(|der| {
                    let b64 = Base64::encode_string(der);
                    format!("-----BEGIN CERTIFICATE----- {b64} -----END CERTIFICATE----- ")
                })
                .collect();
            assert_eq!(proxy.decode(ProxyFormat::Apache, value, &[]).as_ref(), Ok(&fwd));
            let _ = rfc8705::ClientCertificate::from_der(fwd.der());
        }
    }
});
