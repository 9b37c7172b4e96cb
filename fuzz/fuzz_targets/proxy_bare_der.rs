//! Bare base64 DER (HAProxy, Traefik): never panics; an accepted value re-encoded raw and
//! `url.QueryEscape`d decodes to the same certificates; and `escaped_pem`, which keeps
//! accepting Traefik's form for compatibility, reads every such value the same way. HAProxy's
//! concatenated chain splits into certificates that concatenate back to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rfc8705::proxy::{TrustedProxy, bare_der, escaped_pem};

fuzz_target!(|data: &[u8]| {
    if let Ok((leaf, chain)) = bare_der::decode(data) {
        let all: Vec<&Vec<u8>> = std::iter::once(&leaf).chain(&chain).collect();
        let want = Some((leaf.clone(), chain.clone()));
        assert_eq!(bare_der::decode(bare_der::encode(&all).as_bytes()).ok(), want);
        assert_eq!(
            bare_der::decode(bare_der::encode_query_escaped(&all).as_bytes()).ok(),
            want
        );
        assert_eq!(escaped_pem::decode(data).ok(), want);
    }
    if let Ok(chain) = bare_der::decode_concatenated_chain(data) {
        if chain.is_empty() {
            assert!(data.trim_ascii().is_empty() || bare_der::decode(data).is_ok_and(|d| d.0.is_empty()));
        } else {
            let again = bare_der::encode([chain.concat()]);
            assert_eq!(bare_der::decode_concatenated_chain(again.as_bytes()).ok(), Some(chain));
        }
    }
    if let Ok(fwd) = TrustedProxy::the_peer_is_my_proxy().bare_der(data) {
        assert_eq!(rfc8705::Thumbprint::from_der(fwd.der()).ok(), Some(fwd.thumbprint()));
    }
});
