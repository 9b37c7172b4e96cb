//! JSON -> RFC 7638 JWK thumbprint: never panics; a thumbprint depends only on the required
//! members (the same JWK without its other members has the same one), and is the SHA-256 of
//! the canonical JSON that serde_json writes for those members in order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};
use sha2::Digest;

fuzz_target!(|data: &[u8]| {
    let Ok(jwk) = serde_json::from_slice::<Value>(data) else { return };
    let Ok(t) = rfc8705::jwk::thumbprint(&jwk) else { return };
    let object = jwk.as_object().expect("a thumbprint comes from an object");
    let required: &[&str] = match object["kty"].as_str() {
        Some("EC") => &["crv", "kty", "x", "y"],
        Some("RSA") => &["e", "kty", "n"],
        Some("OKP") => &["crv", "kty", "x"],
        other => panic!("thumbprint of kty {other:?}"),
    };
    // serde_json's Map is sorted by name (no preserve_order): the canonical order.
    let only: Map<String, Value> =
        required.iter().map(|m| ((*m).to_string(), object[*m].clone())).collect();
    let canonical = serde_json::to_string(&only).expect("serializes");
    assert_eq!(t.as_bytes(), &<[u8; 32]>::from(sha2::Sha256::digest(canonical.as_bytes())));
    assert_eq!(rfc8705::jwk::thumbprint(&Value::Object(only)), Ok(t));
});
