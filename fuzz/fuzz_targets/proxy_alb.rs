//! AWS ALB URL-encoded PEM: never panics; an accepted value re-encoded the ALB way (`+`, `=`,
//! `/` raw) decodes to the same certificates.
#![no_main]

use base64ct::{Base64, Encoding};
use libfuzzer_sys::fuzz_target;
use rfc8705::proxy::{ProxyFormat, TrustedProxy};

fuzz_target!(|data: &[u8]| {
    let proxy = TrustedProxy::the_peer_is_my_proxy();
    if let Ok(fwd) = proxy.decode(ProxyFormat::Alb, data, &[]) {
        let text: String = std::iter::once(fwd.der())
            .chain(fwd.chain())
            .map(|der| {
                let b64 = Base64::encode_string(der);
                format!("-----BEGIN CERTIFICATE-----\n{b64}\n-----END CERTIFICATE-----\n")
            })
            .collect();
        let value = text.replace(' ', "%20").replace('\n', "%0A");
        assert_eq!(proxy.decode(ProxyFormat::Alb, value, &[]).ok(), Some(fwd));
    }
});
