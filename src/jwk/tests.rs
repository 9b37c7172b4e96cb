//! Unit tests of the key-by-key reading.

use alloc::string::ToString;
use alloc::vec::Vec;

use serde_json::{Value, json};

use super::spki::strip_leading_zeros;
use super::*;
use crate::__doc_support::rfc8705_appendix_a_der;
use crate::{CertificateError, ThumbprintError};

fn rfc8705_appendix_a_jwks() -> &'static str {
    include_str!("../../tests/data/jwk/rfc8705-appendix-a.jwks.json")
}

fn appendix_a_key() -> Value {
    let v: Value = serde_json::from_str(rfc8705_appendix_a_jwks()).unwrap();
    v["keys"][0].clone()
}

fn set_of(keys: Vec<Value>) -> JwkSet {
    JwkSet::from_value(&json!({ "keys": keys })).unwrap()
}

fn only_problem(key: Value) -> JwkProblem {
    let set = set_of(alloc::vec![key]);
    assert_eq!(set.certified().len(), 0);
    set.skipped().next().unwrap().1.clone()
}

#[test]
fn appendix_a_is_certified() {
    let set = set_of(alloc::vec![appendix_a_key()]);
    assert_eq!(set.certified().len(), 1);
    assert_eq!(
        set.certified().next().unwrap().1.der(),
        &rfc8705_appendix_a_der()[..]
    );
    set.validate_registration().unwrap();
}

#[test]
fn declared_thumbprint_is_checked_both_ways() {
    let mut k = appendix_a_key();
    k["x5t#S256"] = json!("A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
    assert_eq!(set_of(alloc::vec![k.clone()]).certified().len(), 1);
    // The SHA-256 of the SPKI, the classic wrong input.
    k["x5t#S256"] = json!("Wfn777VsDXE-cW3Wvzm7CuMw6D6h15KRhVqq3o80H48");
    assert!(matches!(
        only_problem(k.clone()),
        JwkProblem::X5tS256Mismatch { .. }
    ));
    k["x5t#S256"] = json!("T8Qp8fPmVYqb9iHyzQUaAbxBedY");
    assert_eq!(
        only_problem(k),
        JwkProblem::X5tS256Invalid(ThumbprintError::Sha1Length)
    );
}

#[test]
fn key_members_must_equal_the_certificate() {
    let mut k = appendix_a_key();
    // Swap x and y: same curve, other point.
    let x = k["x"].clone();
    k["x"] = k["y"].clone();
    k["y"] = x;
    assert_eq!(
        only_problem(k.clone()),
        JwkProblem::CertificateKeyDiffers { members: "crv/x/y" }
    );
    k["kty"] = json!("RSA");
    k["n"] = json!("AQAB");
    k["e"] = json!("AQAB");
    assert_eq!(
        only_problem(k),
        JwkProblem::CertificateKeyTypeMismatch {
            jwk: "an RSA",
            certificate: "an EC P-256"
        }
    );
}

#[test]
fn wrong_curve_is_a_type_mismatch() {
    let mut k = appendix_a_key();
    k["crv"] = json!("P-384");
    // P-384 coordinates are 48 bytes; jose-jwk does not check lengths.
    assert_eq!(
        only_problem(k),
        JwkProblem::CertificateKeyTypeMismatch {
            jwk: "an EC P-384",
            certificate: "an EC P-256"
        }
    );
}

#[test]
fn every_skip_reason_is_recorded() {
    let cases = [
        (json!("a string"), JwkProblem::NotAnObject),
        (json!({}), JwkProblem::MissingMember { member: "kty" }),
        (
            json!({"kty": 1}),
            JwkProblem::MemberNotString { member: "kty" },
        ),
        (
            json!({"kty": "EC", "alg": 5}),
            JwkProblem::MemberNotString { member: "alg" },
        ),
        (
            json!({"kty": "EC", "kid": ["x"]}),
            JwkProblem::MemberNotString { member: "kid" },
        ),
        (json!({"kty": "oct", "k": "AA"}), JwkProblem::SymmetricKey),
        (
            json!({"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA", "d": "AA"}),
            JwkProblem::PrivateKeyMaterial,
        ),
        (
            json!({"kty": "Kyber\u{1b}[31m"}),
            JwkProblem::UnsupportedKeyType {
                kty: "Kyber\\u{1b}[31m".into(),
            },
        ),
        (
            json!({"kty": "EC", "crv": "P-999", "x": "AA", "y": "AA"}),
            JwkProblem::InvalidKeyMembers {
                kty: "EC",
                expected: "crv (P-256, P-384, P-521, secp256k1), x and y as unpadded base64url",
            },
        ),
    ];
    for (key, problem) in cases {
        assert_eq!(only_problem(key), problem);
    }
}

#[test]
fn unknown_alg_and_use_do_not_skip_a_key() {
    let mut k = appendix_a_key();
    k["alg"] = json!("ML-DSA-44");
    k["use"] = json!("tls");
    assert_eq!(set_of(alloc::vec![k]).certified().len(), 1);
}

#[test]
fn x5c_problems() {
    let k = appendix_a_key();
    let with = |x5c: Value| {
        let mut k = k.clone();
        k["x5c"] = x5c;
        only_problem(k)
    };
    assert_eq!(with(json!("MIIB")), JwkProblem::X5cNotArray);
    assert_eq!(with(json!([])), JwkProblem::X5cEmpty);
    assert_eq!(
        with(json!([1])),
        JwkProblem::X5cEntryNotString { position: 0 }
    );
    assert_eq!(
        with(json!(alloc::vec!["AA=="; 11])),
        JwkProblem::X5cTooLong { len: 11 }
    );
    let good = k["x5c"][0].as_str().unwrap().to_string();
    let url = good.replace('/', "_").replace('+', "-");
    assert_eq!(with(json!([url])), JwkProblem::X5cBase64Url { position: 0 });
    assert_eq!(
        with(json!([good.clone(), "A_=="])),
        JwkProblem::X5cBase64Url { position: 1 }
    );
    assert_eq!(
        with(json!([good.trim_end_matches('=')])),
        JwkProblem::X5cNotBase64 { position: 0 }
    );
    assert!(matches!(
        with(json!(["MAA="])),
        JwkProblem::X5cCertificate(CertificateError::Malformed(_))
    ));
}

#[test]
fn long_kid_is_not_kept() {
    let mut k = appendix_a_key();
    k["kid"] = json!("k".repeat(MAX_KID_LEN + 1));
    let set = set_of(alloc::vec![k]);
    assert_eq!(set.skipped().next().unwrap().0.kid(), None);
    assert_eq!(
        set.skipped().next().unwrap().1,
        &JwkProblem::KidTooLong {
            len: MAX_KID_LEN + 1
        }
    );
}

#[test]
fn set_level_errors() {
    assert_eq!(
        JwkSet::from_json(&alloc::vec![b' '; MAX_JWKS_JSON_LEN + 1]).unwrap_err(),
        JwkSetError::TooLarge {
            len: MAX_JWKS_JSON_LEN + 1
        }
    );
    let many: Vec<Value> = (0..=MAX_KEYS).map(|_| json!({})).collect();
    assert_eq!(
        JwkSet::from_value(&json!({ "keys": many })).unwrap_err(),
        JwkSetError::TooManyKeys { len: MAX_KEYS + 1 }
    );
}

#[test]
fn registration_ignores_unknown_keys_without_x5c() {
    let set = set_of(alloc::vec![
        json!({"kty": "AKP", "alg": "ML-DSA-44", "pub": "AA"}),
        appendix_a_key(),
    ]);
    set.validate_registration().unwrap();
    let mut akp_with_x5c = appendix_a_key();
    akp_with_x5c["kty"] = json!("AKP");
    let set = set_of(alloc::vec![appendix_a_key(), akp_with_x5c]);
    let err = set.validate_registration().unwrap_err();
    assert_eq!(
        err.to_string(),
        "jwks: key 1 (no kid) kty \"AKP\" is not supported (EC, RSA and OKP are)"
    );
}

#[test]
fn names_escape_the_kid() {
    let name = JwkName {
        index: 3,
        kid: Some("\u{1b}]0;x\u{7}".into()),
    };
    assert_eq!(name.to_string(), "key 3 (kid \"\\u{1b}]0;x\\u{7}\")");
    let long = JwkName {
        index: 0,
        kid: Some("a".repeat(100)),
    };
    assert_eq!(long.to_string().chars().filter(|c| *c == 'a').count(), 64);
}

#[test]
fn leading_zeros_are_ignored() {
    assert_eq!(strip_leading_zeros(&[0, 0, 1, 0]), &[1, 0]);
    assert_eq!(strip_leading_zeros(&[0, 0]), &[] as &[u8]);
}
