//! Azure App Service `X-ARR-ClientCert`: never panics; an accepted value is one certificate
//! that, re-encoded with padding, decodes to the same leaf, and a `,`-joined pair is refused.
#![no_main]

use base64ct::{Base64, Encoding};
use libfuzzer_sys::fuzz_target;
use rfc8705::proxy::{ProxyFormat, Reason, TrustedProxy};

fuzz_target!(|data: &[u8]| {
    let proxy = TrustedProxy::the_peer_is_my_proxy();
    if let Ok(fwd) = proxy.decode(ProxyFormat::Azure, data, &[]) {
        assert_eq!(fwd.chain().len(), 0);
        let value = Base64::encode_string(fwd.der());
        assert_eq!(proxy.decode(ProxyFormat::Azure, &value, &[]).ok(), Some(fwd));
        let joined = format!("{value},{value}");
        let err = proxy.decode(ProxyFormat::Azure, joined, &[]).unwrap_err();
        assert!(matches!(err.reason(), Reason::JoinedValues { .. }));
    }
});
