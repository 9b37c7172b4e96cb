//! RFC 9440 `Client-Cert-Chain`: never panics, whether the input is one field line or split
//! into lines at `\n`; an accepted chain re-encoded as one list decodes to the same chain.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rfc8705::proxy::client_cert;

fuzz_target!(|data: &[u8]| {
    let lines: Vec<&[u8]> = data.split(|b| *b == b'\n').collect();
    let by_lines = client_cert::decode_chain(lines.iter().copied());
    let _ = client_cert::decode_chain([data]);
    if let Ok(chain) = by_lines {
        let encoded: Vec<String> = chain.iter().map(|d| client_cert::encode(d)).collect();
        assert_eq!(client_cert::decode_chain([encoded.join(", ")]).ok(), Some(chain));
    }
});
