//! One header per chain certificate (`…_0`, `…_1`, …), here Apache's: the input split at
//! `\n` is the chain headers in order. Never panics; an accepted chain has no certificate
//! after an empty or `(null)` header, and re-encoded one per header decodes the same.
#![no_main]

use base64ct::{Base64, Encoding};
use libfuzzer_sys::fuzz_target;
use rfc8705::ClientCertificate;
use rfc8705::proxy::{ProxyFormat, TrustedProxy};

/// Apache `mod_headers`: PEM with a space for every line break.
fn apache(der: &[u8]) -> String {
    let b64 = Base64::encode_string(der);
    let lines: Vec<&str> = b64.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).expect("ascii")).collect();
    format!("-----BEGIN CERTIFICATE----- {} -----END CERTIFICATE----- ", lines.join(" "))
}

fuzz_target!(|data: &[u8]| {
    let pem = include_str!("../../tests/data/rfc8705-appendix-a.pem");
    let leaf = ClientCertificate::from_pem(pem.as_bytes()).expect("the test certificate");
    let leaf = apache(leaf.der());
    let proxy = TrustedProxy::the_peer_is_my_proxy();
    let lines: Vec<&[u8]> = data.split(|b| *b == b'\n').collect();
    if let Ok(fwd) = proxy.decode(ProxyFormat::Apache, &leaf, &lines) {
        let present = lines
            .iter()
            .take_while(|l| !matches!(l.trim_ascii(), b"" | b"(null)"))
            .count();
        assert_eq!(fwd.chain().len(), present);
        let encoded: Vec<String> = fwd.chain().map(apache).collect();
        let encoded: Vec<&[u8]> = encoded.iter().map(|e| e.as_bytes()).collect();
        let again = proxy.decode(ProxyFormat::Apache, &leaf, &encoded);
        assert_eq!(again.ok(), Some(fwd));
    }
});
