//! RFC 9440 `Client-Cert`: the decoder never panics, and what it accepts round-trips through
//! the encoder to the same DER and thumbprint.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rfc8705::Thumbprint;
use rfc8705::proxy::{TrustedProxy, client_cert};

fuzz_target!(|data: &[u8]| {
    if let Ok(der) = client_cert::decode(data) {
        assert_eq!(client_cert::decode(client_cert::encode(&der).as_bytes()).ok(), Some(der));
    }
    if let Ok(fwd) = TrustedProxy::the_peer_is_my_proxy().client_cert(data) {
        assert_eq!(Thumbprint::from_der(fwd.der()).ok(), Some(fwd.thumbprint()));
        let _ = fwd.to_client_certificate();
    }
});
