//! Thumbprint parsing never panics, accepts exactly what base64ct's strict decoder accepts as
//! 32 bytes (the parser has its own table decoder), whatever parses formats back to the same
//! string, and serde agrees with `FromStr`.
#![no_main]

use base64ct::{Base64UrlUnpadded, Encoding};
use libfuzzer_sys::fuzz_target;
use rfc8705::Thumbprint;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = core::str::from_utf8(data) {
        let parsed = s.parse::<Thumbprint>();
        let mut out = [0u8; 32];
        let strict = match Base64UrlUnpadded::decode(s, &mut out) {
            Ok(d) if d.len() == 32 => Some(Thumbprint::from_bytes(out)),
            _ => None,
        };
        assert_eq!(parsed.as_ref().ok().copied(), strict);
        if let Ok(t) = &parsed {
            assert_eq!(t.to_string(), s);
        }
        // The JSON string form: serde accepts exactly what FromStr accepts.
        if let Ok(json) = serde_json::to_string(s) {
            let from_json = serde_json::from_str::<Thumbprint>(&json);
            assert_eq!(from_json.ok(), parsed.as_ref().ok().copied());
        }
        let _ = serde_json::from_str::<Thumbprint>(s);
    }
    // Any 32 bytes format to a value that parses back to them.
    if let Ok(bytes) = <[u8; 32]>::try_from(data) {
        let t = Thumbprint::from_bytes(bytes);
        assert_eq!(t.to_string().parse::<Thumbprint>().ok(), Some(t));
    }
});
