//! Envoy's JSON XFCC: the decoder never panics; a decoded certificate is the `cert` of the
//! last object, so one more object in front (an earlier hop's, of any content) changes
//! nothing, and an accepted value's `cert` alone (plain PEM, as Envoy writes it) decodes to
//! the same leaf.
#![no_main]

use base64ct::{Base64, Encoding};
use libfuzzer_sys::fuzz_target;
use rfc8705::proxy::{ProxyFormat, TrustedProxy};

fuzz_target!(|data: &[u8]| {
    let proxy = TrustedProxy::the_peer_is_my_proxy();
    if let Ok(fwd) = proxy.decode(ProxyFormat::XfccJson, data, &[]) {
        let b64 = Base64::encode_string(fwd.der());
        let cert = format!("-----BEGIN CERTIFICATE-----\\n{b64}\\n-----END CERTIFICATE-----\\n");
        let alone = format!(r#"[{{"cert":"{cert}"}}]"#);
        let alone = proxy.decode(ProxyFormat::XfccJson, alone, &[]).expect("cert");
        assert_eq!(alone.der(), fwd.der());
        // `data` is an array: put an earlier, client-written object in front of its first.
        if let Some(rest) = data.trim_ascii_start().strip_prefix(b"[") {
            let mut earlier = br#"[{"by":["spiffe://earlier"],"cert":"x","extra":[1]},"#.to_vec();
            earlier.extend_from_slice(rest);
            if let Ok(behind) = proxy.decode(ProxyFormat::XfccJson, &earlier, &[]) {
                assert_eq!(behind, fwd);
            }
        }
    }
});
