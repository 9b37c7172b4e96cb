//! Property tests over JWK Sets assembled from real and broken members: parsing accounts for
//! every key, only a consistent x5c[0] becomes matchable, and matching agrees with it.
mod common;

use common::self_signed_authenticate as authenticate;
use proptest::prelude::*;
use rfc8705::client_auth::RenewedCertificatePolicy;
use rfc8705::jwk::JwkSet;
use rfc8705::metadata::ClientMetadata;
use rfc8705::{ClientCertificate, MtlsClientAuth};
use serde_json::{Map, Value, json};

const APPENDIX_A_JWKS: &str = include_str!("data/jwk/rfc8705-appendix-a.jwks.json");
const APPENDIX_A_PEM: &str = include_str!("data/rfc8705-appendix-a.pem");

fn appendix_a_key() -> Map<String, Value> {
    let v: Value = serde_json::from_str(APPENDIX_A_JWKS).unwrap();
    v["keys"][0].as_object().unwrap().clone()
}

/// One member value for a key: real ones, near misses and wrong JSON types.
fn member(name: &'static str) -> impl Strategy<Value = Option<Value>> {
    // Absent for members Appendix A does not have (kid, x5t#S256).
    let real = appendix_a_key().get(name).cloned();
    let x5c0 = appendix_a_key()["x5c"][0].as_str().unwrap().to_string();
    prop_oneof![
        10 => Just(real),
        1 => Just(None),
        1 => Just(Some(json!(1))),
        1 => Just(Some(json!("AAAA"))),
        1 => Just(Some(json!([x5c0.clone()]))),
        1 => Just(Some(json!([x5c0.replace('/', "_")]))),
        1 => Just(Some(json!([x5c0.clone(), x5c0]))),
        1 => Just(Some(json!("P-384"))),
        1 => Just(Some(json!("OKP"))),
        1 => Just(Some(json!("A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"))),
    ]
}

fn key() -> impl Strategy<Value = Value> {
    (
        member("kty"),
        member("crv"),
        member("x"),
        member("y"),
        member("x5c"),
        member("kid"),
        member("x5t#S256"),
    )
        .prop_map(|(kty, crv, x, y, x5c, kid, x5t)| {
            let mut m = Map::new();
            for (name, v) in [
                ("kty", kty),
                ("crv", crv),
                ("x", x),
                ("y", y),
                ("x5c", x5c),
                ("kid", kid),
                ("x5t#S256", x5t),
            ] {
                if let Some(v) = v {
                    m.insert(name.into(), v);
                }
            }
            Value::Object(m)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parsing_and_matching_agree(keys in proptest::collection::vec(key(), 0..6)) {
        let set = JwkSet::from_json(json!({ "keys": keys }).to_string().as_bytes()).unwrap();
        // Every key lands in at most one list; one in neither is a public key without x5c.
        let mut seen = vec![false; keys.len()];
        let indices = set.certified().map(|(name, _)| name.index())
            .chain(set.skipped().map(|(name, _)| name.index()));
        for i in indices {
            prop_assert!(!seen[i], "key {} listed twice", i);
            seen[i] = true;
        }
        for (i, listed) in seen.iter().enumerate() {
            prop_assert!(*listed || keys[i].get("x5c").is_none(), "key {} lost", i);
        }
        let presented = ClientCertificate::from_pem(APPENDIX_A_PEM.as_bytes()).unwrap();
        // The only certificate in play is Appendix A's, so a certified key is exactly it, with
        // the JWK's own (consistent) members.
        for (name, certificate) in set.certified() {
            prop_assert_eq!(certificate.der(), presented.der());
            let k = &keys[name.index()];
            prop_assert_eq!(&k["x"], &appendix_a_key()["x"]);
            prop_assert_eq!(&k["y"], &appendix_a_key()["y"]);
            prop_assert_eq!(&k["crv"], &json!("P-256"));
        }
        let registration: ClientMetadata = serde_json::from_value(json!({
            "token_endpoint_auth_method": "self_signed_tls_client_auth",
            "jwks": { "keys": keys },
        })).unwrap();
        if let Ok(Some(MtlsClientAuth::SelfSigned(registered))) = MtlsClientAuth::from_metadata(&registration) {
            prop_assert!(set.certified().len() > 0);
            prop_assert_eq!(registered.certified().len(), set.certified().len());
        }
        for policy in [RenewedCertificatePolicy::Reject, RenewedCertificatePolicy::AcceptSameKey] {
            let outcome = authenticate(&presented, &set, policy);
            prop_assert_eq!(outcome.is_ok(), set.certified().len() > 0);
            if let Ok(hit) = outcome {
                let expected = format!("of {}:", set.certified().next().unwrap().0);
                prop_assert!(hit.to_string().contains(&expected), "{}", hit);
            }
        }
    }
}

#[test]
fn the_generator_produces_certified_keys() {
    // The property above is only worth something if some generated sets hold a certified key
    // and some do not.
    let mut runner = proptest::test_runner::TestRunner::default();
    let certified = std::cell::Cell::new(0usize);
    let none = std::cell::Cell::new(0usize);
    runner
        .run(&proptest::collection::vec(key(), 0..6), |keys| {
            let set = JwkSet::from_json(json!({ "keys": keys }).to_string().as_bytes()).unwrap();
            if set.certified().len() == 0 {
                none.set(none.get() + 1);
            } else {
                certified.set(certified.get() + 1);
            }
            Ok(())
        })
        .unwrap();
    let (certified, none) = (certified.get(), none.get());
    assert!(
        certified > 0 && none > 0,
        "certified {certified}, none {none}"
    );
}
