//! RFC 9440 `Client-Cert-Chain` through `TrustedProxy::decode`: never panics,
//! whether the input is one field line or split into lines at `\n`; an accepted chain
//! re-encoded as one list decodes to the same chain.
#![no_main]

use base64ct::{Base64, Encoding};
use libfuzzer_sys::fuzz_target;
use rfc8705::ClientCertificate;
use rfc8705::proxy::{ProxyFormat, TrustedProxy};

fn byte_sequence(der: &[u8]) -> String {
    format!(":{}:", Base64::encode_string(der))
}

fuzz_target!(|data: &[u8]| {
    let pem = include_str!("../../tests/data/rfc8705-appendix-a.pem");
    let leaf = ClientCertificate::from_pem(pem.as_bytes()).expect("the test certificate");
    let leaf = byte_sequence(leaf.der());
    let proxy = TrustedProxy::the_peer_is_my_proxy();
    let lines: Vec<&[u8]> = data.split(|b| *b == b'\n').collect();
    let by_lines = proxy.decode(ProxyFormat::ClientCert, &leaf, &lines);
    let _ = proxy.decode(ProxyFormat::ClientCert, &leaf, &[data]);
    if let Ok(fwd) = by_lines {
        let encoded: Vec<String> = fwd.chain().map(byte_sequence).collect();
        let again = proxy.decode(ProxyFormat::ClientCert, &leaf, &[encoded.join(", ").as_bytes()]);
        assert_eq!(again.ok(), Some(fwd));
    }
});
