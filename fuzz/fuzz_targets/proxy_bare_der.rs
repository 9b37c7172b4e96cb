//! Bare base64 DER: `bare-der` (HAProxy, Caddy: one certificate) and `traefik` (a `,` list,
//! leaf first). Never panics; an accepted `bare-der` value holds no `,` (a joined value never
//! yields a certificate), and re-encoded decodes to the same certificate; an accepted Traefik
//! value re-encoded raw and `url.QueryEscape`d decodes to the same certificates, and its leaf
//! alone is a `bare-der` value. HAProxy's concatenated chain header splits into certificates
//! that concatenate back to the same value.
#![no_main]

use base64ct::{Base64, Encoding};
use libfuzzer_sys::fuzz_target;
use rfc8705::proxy::{ProxyFormat, Reason, TrustedProxy};

fuzz_target!(|data: &[u8]| {
    let proxy = TrustedProxy::the_peer_is_my_proxy();
    if let Ok(fwd) = proxy.decode(ProxyFormat::BareDer, data, &[]) {
        assert!(!data.contains(&b','));
        assert_eq!(fwd.chain().len(), 0);
        assert_eq!(rfc8705::Thumbprint::from_der(fwd.der()).ok(), Some(fwd.thumbprint()));
        let value = Base64::encode_string(fwd.der());
        assert_eq!(proxy.decode(ProxyFormat::BareDer, &value, &[]).as_ref(), Ok(&fwd));
        let joined = format!("{value},{value}");
        let err = proxy.decode(ProxyFormat::BareDer, joined, &[]).unwrap_err();
        assert!(matches!(err.reason(), Reason::JoinedValues { .. }));
    }
    if let Ok(fwd) = proxy.decode(ProxyFormat::Traefik, data, &[]) {
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
            assert_eq!(proxy.decode(ProxyFormat::Traefik, value, &[]).as_ref(), Ok(&fwd));
        }
        let leaf = proxy.decode(ProxyFormat::BareDer, &members[0], &[]).expect("one member");
        assert_eq!(leaf.der(), fwd.der());
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
