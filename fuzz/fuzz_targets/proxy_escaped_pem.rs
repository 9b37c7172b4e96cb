//! URL-encoded PEM (nginx; ALB, CloudFront and Envoy's `Cert` read it too): never panics; an accepted value re-encoded
//! as PEM and escaped the nginx way decodes to the same certificates.
#![no_main]

use base64ct::{Base64, Encoding};
use libfuzzer_sys::fuzz_target;
use rfc8705::proxy::{ForwardedCertificate, ProxyFormat, TrustedProxy};

fn pem(fwd: &ForwardedCertificate) -> String {
    std::iter::once(fwd.der())
        .chain(fwd.chain())
        .map(|der| {
            let b64 = Base64::encode_string(der);
            format!("-----BEGIN CERTIFICATE-----\n{b64}\n-----END CERTIFICATE-----\n")
        })
        .collect()
}

/// nginx `$ssl_client_escaped_cert`: all but `A-Z a-z 0-9 - . _ ~` as `%XX`.
fn escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let proxy = TrustedProxy::the_peer_is_my_proxy();
    if let Ok(fwd) = proxy.decode(ProxyFormat::EscapedPem, data, &[]) {
        let again = proxy.decode(ProxyFormat::EscapedPem, escape(&pem(&fwd)), &[]);
        assert_eq!(again.ok(), Some(fwd));
    }
});
