//! CloudFront `CloudFront-Viewer-Cert-Pem` and `-Sha256`: never panic; an accepted PEM value
//! re-encoded decodes to the same leaf; an accepted digest printed as hex parses back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rfc8705::proxy::{TrustedProxy, client_cert, cloudfront};

fuzz_target!(|data: &[u8]| {
    if let Ok(leaf) = cloudfront::decode(data) {
        let b64 = client_cert::encode(&leaf);
        let pem = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            b64.trim_matches(':')
        );
        let again = cloudfront::decode(cloudfront::encode(pem.as_bytes()).as_bytes());
        assert_eq!(again.ok(), Some(leaf));
    }
    if let Some(digest) = cloudfront::parse_sha256(data) {
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        assert!(hex.eq_ignore_ascii_case(std::str::from_utf8(data.trim_ascii()).unwrap()));
        assert_eq!(cloudfront::parse_sha256(hex.as_bytes()), Some(digest));
    }
    let _ = TrustedProxy::the_peer_is_my_proxy().cloudfront(data);
});
