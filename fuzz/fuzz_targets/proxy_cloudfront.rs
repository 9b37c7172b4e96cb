//! CloudFront `CloudFront-Viewer-Cert-Pem`: never panics; an accepted value holds one
//! certificate, and re-encoded it decodes to the same leaf.
#![no_main]

use base64ct::{Base64, Encoding};
use libfuzzer_sys::fuzz_target;
use rfc8705::proxy::{ProxyFormat, TrustedProxy};

fuzz_target!(|data: &[u8]| {
    let proxy = TrustedProxy::the_peer_is_my_proxy();
    if let Ok(fwd) = proxy.decode(ProxyFormat::CloudFront, data, &[]) {
        assert_eq!(fwd.chain().len(), 0);
        let b64 = Base64::encode_string(fwd.der());
        let value = format!("-----BEGIN%20CERTIFICATE-----%0A{b64}%0A-----END%20CERTIFICATE-----%0A");
        assert_eq!(proxy.decode(ProxyFormat::CloudFront, value, &[]).ok(), Some(fwd));
    }
});
