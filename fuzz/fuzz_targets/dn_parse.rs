//! The RFC 4514 parser must never panic, and what it accepts must format to a string that
//! parses back to the same name (format -> parse is the identity on parsed names).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rfc8705::dn::DistinguishedName;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(dn) = text.parse::<DistinguishedName>() else {
        return;
    };
    assert!(!dn.to_string().is_empty());
    let formatted = dn.to_string();
    let again: DistinguishedName = formatted
        .parse()
        .unwrap_or_else(|e| panic!("{formatted:?} does not parse: {e}"));
    assert_eq!(again, dn, "{formatted:?}");
    assert_eq!(again.to_string(), formatted);
});
