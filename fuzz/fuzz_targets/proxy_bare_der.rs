//! Bare base64 DER (HAProxy, Traefik): never panics; an accepted value re-encoded raw and
//! `url.QueryEscape`d decodes to the same certificates; and `escaped-pem`, which keeps
//! accepting Traefik's form for compatibility, reads every such value the same way. HAProxy's
//! concatenated chain header splits into certificates that concatenate back to the same value.
#![no_main]

use base64ct::{Base64, Encoding};
use libfuzzer_sys::fuzz_target;
use rfc8705::proxy::{ProxyFormat, TrustedProxy};

fuzz_target!(|data: &[u8]| {
    let proxy = TrustedProxy::the_peer_is_my_proxy();
    if let Ok(fwd) = proxy.decode(ProxyFormat::BareDer, data, &[]) {
        assert_eq!(rfc8705::Thumbprint::from_der(fwd.der()).ok(), Some(fwd.thumbprint()));
        let members: Vec<String> = std::iter::once(fwd.der())
            .chain(fwd.chain())
            .map(|der| Base64::encode_string(der))
            .collect();
        let raw = members.join(",");
        let escaped = raw
            .replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D");
        for value in [&raw, &escaped] {
            assert_eq!(proxy.decode(ProxyFormat::BareDer, value, &[]).as_ref(), Ok(&fwd));
        }
        let pem = proxy.decode(ProxyFormat::EscapedPem, data, &[]).expect("Traefik's form");
        assert_eq!(pem.der(), fwd.der());
        assert!(pem.chain().eq(fwd.chain()));
    }
    let leaf = "MAMCAQc="; // SEQUENCE { INTEGER 7 }
    if let Ok(fwd) = proxy.decode(ProxyFormat::BareDer, leaf, &[data]) {
        let all: Vec<u8> = fwd.chain().flatten().copied().collect();
        let again = Base64::encode_string(&all);
        let again = proxy.decode(ProxyFormat::BareDer, leaf, &[again.as_bytes()]);
        if all.is_empty() {
            assert!(data.trim_ascii().is_empty() || again.is_ok());
        } else {
            assert_eq!(again.ok(), Some(fwd));
        }
    }
});
