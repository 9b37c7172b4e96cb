//! Raw claims JSON -> binding outcome, and `Confirmation` deserialization: never panics, and the
//! two paths agree whenever both can read the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rfc8705::cnf::{
    BindingError, BindingPolicy, ClaimsError, Confirmation, check_binding, check_binding_in_claims,
};
use serde_json::Value;

/// The claims' `cnf` read the ordinary way (`serde_json::Value`, where a duplicate member's
/// last value wins): `None` when the document is not an object, `Some(None)` without `cnf`.
fn owned_cnf(data: &[u8]) -> Option<Option<Confirmation>> {
    match serde_json::from_slice::<Value>(data).ok()? {
        Value::Object(mut claims) => match claims.remove("cnf") {
            None | Some(Value::Null) => Some(None),
            Some(v) => serde_json::from_value::<Confirmation>(v).ok().map(Some),
        },
        _ => None,
    }
}

const DER: &[u8] = include_bytes!("../corpus/certificate/rfc9440-leaf.der");

fuzz_target!(|data: &[u8]| {
    for policy in [BindingPolicy::Off, BindingPolicy::IfBound, BindingPolicy::Required] {
        for der in [None, Some(DER)] {
            let raw = check_binding_in_claims(policy, data, der);
            let _ = raw.map_err(|e| e.challenge().to_string());
            if policy != BindingPolicy::Off && data.len() <= 64 * 1024 {
                let duplicate = matches!(
                    raw,
                    Err(BindingError::MalformedClaims(ClaimsError::DuplicateMember(_)))
                );
                let raw_read = !matches!(raw, Err(BindingError::MalformedClaims(_)));
                // Duplicates are rejected by the raw reader, resolved last-wins by Value.
                if let (false, Some(cnf)) = (duplicate, owned_cnf(data)) {
                    assert!(raw_read, "read but raw failed: {raw:?}");
                    assert_eq!(check_binding(policy, cnf.as_ref(), der), raw);
                }
            }
        }
    }
    if let Ok(cnf) = serde_json::from_slice::<Confirmation>(data) {
        let _ = check_binding(BindingPolicy::Required, Some(&cnf), Some(DER));
        let back = serde_json::to_string(&cnf).expect("serializes");
        let again: Confirmation = serde_json::from_str(&back).expect("reads back");
        // Not `again == cnf`: serde_json's default float parsing is not exact, so a number in an
        // unknown member may move by an ulp. The binding and the member names must not.
        assert_eq!(again.thumbprint(), cnf.thumbprint());
        assert!(again.members().keys().eq(cnf.members().keys()));
    }
});
