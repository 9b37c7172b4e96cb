//! The legacy (RFC 1779 / RFC 2253) DN parser must never panic; what it accepts must store as
//! an RFC 4514 string that the default parser reads back to the same name; and it must agree
//! with the default parser on every string without a legacy addition (`"`, `;`, `OID.`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rfc8705::dn::DistinguishedName;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let legacy = DistinguishedName::parse_legacy(text);
    let strict = text.parse::<DistinguishedName>();
    if let Ok(strict) = &strict {
        assert_eq!(legacy.as_ref(), Ok(strict), "{text:?}");
    }
    let additions = text.contains(['"', ';']) || text.contains("OID.") || text.contains("oid.");
    if !additions {
        assert_eq!(legacy, strict, "{text:?}");
    }
    let Ok(dn) = legacy else {
        return;
    };
    let stored = dn.to_string();
    let again: DistinguishedName = stored
        .parse()
        .unwrap_or_else(|e| panic!("{text:?} stores as {stored:?}, which does not parse: {e}"));
    assert_eq!(again, dn, "{stored:?}");
    assert_eq!(again.to_string(), stored);
});
