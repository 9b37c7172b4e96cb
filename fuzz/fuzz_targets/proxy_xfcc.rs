//! Envoy XFCC: the decoder never panics; a decoded certificate is the `Cert` of the last
//! element, so one more element in front (an earlier hop's, holding no `URI`/`DNS`) changes
//! nothing, and an accepted value's `Cert` alone decodes to the same leaf.
#![no_main]

use base64ct::{Base64, Encoding};
use libfuzzer_sys::fuzz_target;
use rfc8705::proxy::{ProxyFormat, TrustedProxy};

fuzz_target!(|data: &[u8]| {
    let proxy = TrustedProxy::the_peer_is_my_proxy();
    if let Ok(fwd) = proxy.decode(ProxyFormat::Xfcc, data, &[]) {
        let b64 = Base64::encode_string(fwd.der());
        let cert = format!("-----BEGIN%20CERTIFICATE-----%0A{b64}%0A-----END%20CERTIFICATE-----%0A");
        let alone = proxy.decode(ProxyFormat::Xfcc, format!("Cert=\"{cert}\""), &[]).expect("Cert");
        assert_eq!(alone.der(), fwd.der());
        let mut earlier = b"By=spiffe://earlier;Cert=\"x\",".to_vec();
        earlier.extend_from_slice(data);
        let behind = proxy.decode(ProxyFormat::Xfcc, &earlier, &[]);
        if let Ok(behind) = behind {
            assert_eq!(behind, fwd);
        }
    }
});
