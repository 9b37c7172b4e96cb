//! The JWK Set that registers a certificate for `self_signed_tls_client_auth`.

use alloc::vec;

use base64ct::{Base64, Encoding};
use serde_json::{Map, Value};

use super::JwkProblem;
use super::spki::certificate_jwk;
use crate::ClientCertificate;

/// The JWK Set that registers `certificate` for `self_signed_tls_client_auth`: one key with
/// the certificate's public key members and the certificate itself as `x5c`, ready to be the
/// client's `jwks` metadata member.
///
/// RFC 8705 section 2.2.2: "A certificate is represented with the x5c parameter of an
/// individual JWK within the set." RFC 7517 section 4.7: "The key in the first certificate
/// MUST match the public key represented by other members of the JWK"; `x5c` is standard
/// base64 of the exact DER (section 4.7: "not base64url-encoded"). The key members come from
/// the certificate's SubjectPublicKeyInfo, written by `jose-jwk`: `RSA` (`n`, `e`), `EC`
/// (P-256, P-384, P-521, secp256k1: `crv`, `x`, `y`) or `OKP` (Ed25519, Ed448, X25519, X448:
/// `crv`, `x`); any other key is [`JwkProblem::CertificateKeyUnsupported`], a compressed EC
/// point [`JwkProblem::CompressedPoint`]. No `kid`, `alg` or `use`: add them to the key if
/// your registration wants them.
///
/// The set is one that [`MtlsClientAuth::from_metadata`](crate::MtlsClientAuth::from_metadata)
/// accepts as the client's `jwks`, and that matches `certificate`.
///
/// ```
/// use rfc8705::{ClientCertificate, jwk};
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
/// let cert = ClientCertificate::from_der(&der)?;
/// let jwks = jwk::registration_jwks(&cert)?;
/// let key = &jwks["keys"][0];
/// assert_eq!((key["kty"].as_str(), key["crv"].as_str()), (Some("EC"), Some("P-256")));
/// assert_eq!(key["x"], "1yfLHCpXqFjxCeHHHMVDTcLscpb07KUxudBmOMn8C7Q");
/// assert!(key["x5c"][0].as_str().unwrap().starts_with("MIIBBjCBrAIBAjAKBggqhkjOPQQDAjAP"));
///
/// // The client's registration: it authenticates with exactly this certificate.
/// let metadata = serde_json::json!({
///     "token_endpoint_auth_method": "self_signed_tls_client_auth",
///     "jwks": jwks,
///     "tls_client_certificate_bound_access_tokens": true,
/// });
/// let client: rfc8705::ClientMetadata = serde_json::from_value(metadata)?;
/// assert!(rfc8705::MtlsClientAuth::from_metadata(&client)?.is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn registration_jwks(certificate: &ClientCertificate<'_>) -> Result<Value, JwkProblem> {
    let key = certificate_jwk(certificate)?;
    // jose-jwk writes `kty` and the key members (unpadded base64url); a public key has no
    // private members to skip.
    let Ok(Value::Object(mut jwk)) = serde_json::to_value(&key) else {
        return Err(JwkProblem::CertificateKeyMalformed);
    };
    jwk.insert(
        "x5c".into(),
        Value::Array(vec![Value::String(Base64::encode_string(
            certificate.der(),
        ))]),
    );
    let mut set = Map::new();
    set.insert("keys".into(), Value::Array(vec![Value::Object(jwk)]));
    Ok(Value::Object(set))
}
