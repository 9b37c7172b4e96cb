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

/// `jwk::registration_jwks` writes the key members openssl derived, and its set registers
/// the certificate and matches it.
fn registration_set_has_the_openssl_members(name: &str) {
    let (cert, openssl) = load(name);
    let set = rfc8705::jwk::registration_jwks(&cert).unwrap();
    let keys = set["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1, "{set}");
    let mut members = keys[0].clone();
    let x5c = members.as_object_mut().unwrap().remove("x5c").unwrap();
    assert_eq!(members, openssl, "{name}");
    assert_eq!(x5c, json!([Base64::encode_string(cert.der())]));
    // The set as the client's jwks: a valid registration that authenticates the certificate.
    let m: ClientMetadata = serde_json::from_value(json!({
        "token_endpoint_auth_method": "self_signed_tls_client_auth",
        "jwks": set,
    }))
    .unwrap();
    let Ok(Some(MtlsClientAuth::SelfSigned(registered))) = MtlsClientAuth::from_metadata(&m) else {
        panic!("{name}: not a self-signed registration");
    };
    authenticate(&cert, &registered, RenewedCertificatePolicy::Reject).unwrap();
}

#[test]
fn registration_jwks_ed448() {
    registration_set_has_the_openssl_members("ed448");
}

#[test]
fn registration_jwks_secp256k1() {
    registration_set_has_the_openssl_members("secp256k1");
}

#[test]
fn registration_jwks_of_a_compressed_point_is_refused() {
    let (cert, _) = load("p256-compressed");
    assert_eq!(
        rfc8705::jwk::registration_jwks(&cert),
        Err(JwkProblem::CompressedPoint)
    );
}

#[test]
fn registration_jwks_is_the_rfc8705_appendix_a_set() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/");
    let pem = std::fs::read(format!("{dir}rfc8705-appendix-a.pem")).unwrap();
    let cert = ClientCertificate::from_pem(&pem).unwrap();
    let rfc: Value = serde_json::from_slice(
        &std::fs::read(format!("{dir}jwk/rfc8705-appendix-a.jwks.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(rfc8705::jwk::registration_jwks(&cert).unwrap(), rfc);
}

#[test]
fn registration_jwks_of_rsa_keys() {
    // RSA moduli with the top bit set: DER needs a leading zero octet, JWK must not have it
    // (RFC 7518 section 6.3.1.1).
    for alg in [&rcgen::PKCS_RSA_SHA256, &rcgen::PKCS_RSA_SHA512] {
        let key = rcgen::KeyPair::generate_for(alg).unwrap();
        let made = rcgen::CertificateParams::new(vec!["rsa.example".into()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        let cert = ClientCertificate::from_der(made.der()).unwrap();
        let set = rfc8705::jwk::registration_jwks(&cert).unwrap();
        let jwk = &set["keys"][0];
        assert_eq!(jwk["kty"], "RSA");
        assert_eq!(jwk["e"], "AQAB");
        let n = base64ct::Base64UrlUnpadded::decode_vec(jwk["n"].as_str().unwrap()).unwrap();
        assert_eq!(n.len(), 256, "2048-bit modulus, no leading zero");
        assert_ne!(n[0], 0);
        let set = JwkSet::from_json(set.to_string().as_bytes()).unwrap();
        authenticate(&cert, &set, RenewedCertificatePolicy::Reject).unwrap();
    }
}
