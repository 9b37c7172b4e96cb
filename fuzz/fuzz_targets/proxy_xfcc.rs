//! Envoy XFCC: the parser and the certificate decoder never panic; a parsed value always has
//! a last element, and a decoded certificate is that element's `Cert`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rfc8705::proxy::{TrustedProxy, escaped_pem, xfcc::Xfcc};

fuzz_target!(|data: &[u8]| {
    let decoded = TrustedProxy::the_peer_is_my_proxy().xfcc(data);
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(xfcc) = Xfcc::parse(text)
    {
        assert!(!xfcc.elements().is_empty());
        if let Ok(fwd) = decoded {
            let cert = xfcc.last().cert().expect("a decoded XFCC has a Cert");
            let (leaf, _) = escaped_pem::decode(cert.as_bytes()).expect("Cert decodes");
            assert_eq!(leaf, fwd.der());
        }
    }
});
