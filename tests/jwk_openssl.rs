//! Key types rcgen cannot make (Ed448, secp256k1, a compressed P-256 point), from certificates
//! made by tests/data/jwk/make-openssl-certs.sh.
mod common;

use base64ct::{Base64, Encoding};
use common::self_signed_authenticate as authenticate;
use rfc8705::client_auth::RenewedCertificatePolicy;
use rfc8705::jwk::{JwkProblem, JwkRegistrationError, JwkSet};
use rfc8705::metadata::ClientMetadata;
use rfc8705::{ClientCertificate, MtlsClientAuth, RegistrationError};
use serde_json::{Value, json};

fn load(name: &str) -> (ClientCertificate<'static>, Value) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jwk/");
    let pem = std::fs::read(format!("{dir}{name}.pem")).unwrap();
    let members = std::fs::read(format!("{dir}{name}.jwk.json")).unwrap();
    (
        ClientCertificate::from_pem(&pem).unwrap(),
        serde_json::from_slice(&members).unwrap(),
    )
}

/// The set `{"keys": [key]}` with `kid` "k" and `cert` as `x5c`.
fn jwks(mut key: Value, cert: &ClientCertificate<'_>) -> Value {
    key["kid"] = json!("k");
    key["x5c"] = json!([Base64::encode_string(cert.der())]);
    json!({ "keys": [key] })
}

fn with_x5c(key: Value, cert: &ClientCertificate<'_>) -> JwkSet {
    JwkSet::from_json(jwks(key, cert).to_string().as_bytes()).unwrap()
}

/// The set as a `self_signed_tls_client_auth` registration.
fn register(key: Value, cert: &ClientCertificate<'_>) -> Result<JwkSet, JwkRegistrationError> {
    let m: ClientMetadata = serde_json::from_value(json!({
        "token_endpoint_auth_method": "self_signed_tls_client_auth",
        "jwks": jwks(key, cert),
    }))
    .unwrap();
    match MtlsClientAuth::from_metadata(&m) {
        Ok(Some(MtlsClientAuth::SelfSigned(set))) => Ok(set),
        Err(RegistrationError::Keys(e)) => Err(e),
        other => panic!("not a self-signed registration outcome: {other:?}"),
    }
}

fn consistent_and_matching(name: &str, member: &str) {
    let (cert, key) = load(name);
    let set = register(key.clone(), &cert).unwrap_or_else(|e| panic!("{name}: {e}"));
    let hit = authenticate(&cert, &set, RenewedCertificatePolicy::Reject).unwrap();
    assert!(hit.to_string().contains("(kid \"k\")"), "{hit}");

    // Flip one bit of the member: a different key.
    let mut other = key;
    let mut bytes =
        base64ct::Base64UrlUnpadded::decode_vec(other[member].as_str().unwrap()).unwrap();
    bytes[5] ^= 1;
    other[member] = json!(base64ct::Base64UrlUnpadded::encode_string(&bytes));
    let err = register(other, &cert).unwrap_err();
    assert!(
        matches!(
            err,
            JwkRegistrationError::Key {
                problem: JwkProblem::CertificateKeyDiffers { .. },
                ..
            }
        ),
        "{name}: {err}"
    );
}

#[test]
fn ed448() {
    consistent_and_matching("ed448", "x");
}

#[test]
fn secp256k1() {
    consistent_and_matching("secp256k1", "y");
}

#[test]
fn a_compressed_point_cannot_be_compared() {
    let (cert, key) = load("p256-compressed");
    let set = with_x5c(key.clone(), &cert);
    assert_eq!(
        set.skipped().next().unwrap().1,
        &JwkProblem::CompressedPoint
    );
    let err = register(key, &cert).unwrap_err();
    assert!(err.to_string().contains("compressed EC point"), "{err}");
    assert!(authenticate(&cert, &set, RenewedCertificatePolicy::AcceptSameKey).is_err());
}

#[test]
fn an_ed448_certificate_with_an_x448_jwk_is_a_type_mismatch() {
    let (cert, mut key) = load("ed448");
    key["crv"] = json!("X448");
    assert_eq!(
        with_x5c(key, &cert).skipped().next().unwrap().1,
        &JwkProblem::CertificateKeyTypeMismatch {
            jwk: "an X448",
            certificate: "an Ed448"
        }
    );
}
