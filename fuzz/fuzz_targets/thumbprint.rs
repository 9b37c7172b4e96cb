//! Thumbprint parsing never panics, and whatever parses formats back to the same string.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rfc8705::Thumbprint;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = core::str::from_utf8(data) {
        if let Ok(t) = s.parse::<Thumbprint>() {
            assert_eq!(t.to_string(), s);
        }
        let _ = serde_json::from_str::<Thumbprint>(s);
    }
});
