//! RFC 7638 thumbprints against the RFC vectors and an independent implementation: jwcrypto's
//! `JWK.thumbprint()` over fresh EC (P-256, P-384, P-521, secp256k1), OKP (Ed25519, Ed448,
//! X25519, X448) and RSA keys, in `tests/data/jwk/jkt-vectors.json` (made by
//! `make-jkt-vectors.py` beside it).
use rfc8705::jwk;
use serde_json::Value;

fn read(file: &str) -> Value {
    let path = format!("{}/tests/data/jwk/{file}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn rfc7638_section_3_1() {
    let jwk = read("rfc7638-rsa.jwk.json");
    assert_eq!(
        jwk::thumbprint(&jwk).unwrap().to_string(),
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    );
}

#[test]
fn rfc9449_dpop_key() {
    assert_eq!(
        jwk::thumbprint(&read("rfc9449-dpop-key.jwk.json"))
            .unwrap()
            .to_string(),
        "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"
    );
}

#[test]
fn agrees_with_jwcrypto_for_every_key_type() {
    let vectors = read("jkt-vectors.json");
    let vectors = vectors.as_array().unwrap();
    let mut kinds = Vec::new();
    for v in vectors {
        let private = &v["jwk"];
        let want = v["jkt"].as_str().unwrap();
        assert!(private.get("d").is_some(), "the vectors are private keys");
        assert_eq!(
            jwk::thumbprint(private).unwrap().to_string(),
            want,
            "{private}"
        );
        // The public half alone has the same thumbprint.
        let mut public = private.as_object().unwrap().clone();
        for m in ["d", "p", "q", "dp", "dq", "qi", "kid", "use"] {
            public.remove(m);
        }
        assert_eq!(
            jwk::thumbprint(&Value::Object(public)).unwrap().to_string(),
            want
        );
        kinds.push(format!("{}/{}", private["kty"], private["crv"]));
    }
    assert_eq!(kinds.len(), 9, "{kinds:?}");
}
