//! What can be wrong with a JWK Set, one of its keys, or a registration.

use alloc::string::String;

use super::name::JwkName;
use super::{MAX_JWKS_JSON_LEN, MAX_KEYS, MAX_KID_LEN, MAX_X5C_CERTIFICATES};
use crate::{CertificateError, Thumbprint, ThumbprintError};

/// Why one key of a set cannot authenticate a client.
///
/// At parse time these make a key [skipped](crate::jwk::JwkSet::skipped); at registration the ones
/// that show a mistake (an unusable `x5c`, private or symmetric key material) make the
/// registration invalid.
///
/// ```
/// use rfc8705::jwk::{JwkProblem, JwkSet};
///
/// let set = JwkSet::from_json(br#"{"keys":[{"kty":"AKP","pub":"AA"}]}"#)?;
/// let (_, problem) = set.skipped().next().expect("one key");
/// assert_eq!(problem, &JwkProblem::UnsupportedKeyType { kty: "AKP".into() });
/// # Ok::<(), rfc8705::jwk::JwkSetError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwkProblem {
    /// The array element is not a JSON object.
    #[error("is not a JSON object")]
    NotAnObject,
    /// A member RFC 7517 requires is absent.
    #[error("has no \"{member}\" member")]
    MissingMember {
        /// The member's name.
        member: &'static str,
    },
    /// A member that must be a string is not one.
    #[error("member \"{member}\" is not a string")]
    MemberNotString {
        /// The member's name.
        member: &'static str,
    },
    /// The `kid` is longer than 256 bytes.
    #[error("kid is {len} bytes long; the limit is {MAX_KID_LEN}")]
    KidTooLong {
        /// The `kid`'s length in bytes.
        len: usize,
    },
    /// The `kty` is not one this crate understands (`EC`, `RSA`, `OKP`; `oct` is refused).
    #[error("kty \"{kty}\" is not supported (EC, RSA and OKP are)")]
    UnsupportedKeyType {
        /// The `kty` value, escaped and truncated.
        kty: String,
    },
    /// The key members for the `kty` are missing or not valid (base64url without padding,
    /// a known `crv`).
    #[error("its {kty} key members are missing or invalid: {expected}")]
    InvalidKeyMembers {
        /// The `kty`.
        kty: &'static str,
        /// What that `kty` requires.
        expected: &'static str,
    },
    /// The key holds private key members (`d`): a registered set must hold public keys only.
    #[error(
        "holds private key material (\"d\"); register only the public key, and replace the exposed key"
    )]
    PrivateKeyMaterial,
    /// A symmetric (`oct`) key: it is a shared secret and holds no certificate.
    #[error(
        "is a symmetric (kty \"oct\") key: a shared secret has no place in a registered JWK Set"
    )]
    SymmetricKey,
    /// `x5c` is not a JSON array.
    #[error("x5c is not an array of base64 strings")]
    X5cNotArray,
    /// `x5c` is an empty array.
    #[error("x5c is empty; RFC 7517 section 4.7 requires at least the certificate holding the key")]
    X5cEmpty,
    /// `x5c` holds more than 10 entries.
    #[error("x5c holds {len} certificates; the limit is {MAX_X5C_CERTIFICATES}")]
    X5cTooLong {
        /// The number of entries.
        len: usize,
    },
    /// An `x5c` entry is not a string.
    #[error("x5c[{position}] is not a string")]
    X5cEntryNotString {
        /// The entry's position.
        position: usize,
    },
    /// An `x5c` entry uses the base64url alphabet (`-`, `_`).
    #[error(
        "x5c[{position}] is base64url ('-' or '_'); RFC 7517 section 4.7 requires standard base64 ('+', '/', '=' padding)"
    )]
    X5cBase64Url {
        /// The entry's position.
        position: usize,
    },
    /// An `x5c` entry is not valid standard, padded base64 (whitespace, missing padding, other
    /// characters).
    #[error(
        "x5c[{position}] is not standard padded base64 without whitespace (RFC 7517 section 4.7)"
    )]
    X5cNotBase64 {
        /// The entry's position.
        position: usize,
    },
    /// `x5c[0]` is not a DER certificate.
    #[error("x5c[0] is not a certificate: {0}")]
    X5cCertificate(CertificateError),
    /// `x5t#S256` is not a valid thumbprint.
    #[error("x5t#S256 is invalid: {0}")]
    X5tS256Invalid(ThumbprintError),
    /// `x5t#S256` is not the thumbprint of `x5c[0]`.
    #[error(
        "x5t#S256 is not the SHA-256 thumbprint of x5c[0] (x5c[0] has {actual}); RFC 7517 section 4.9"
    )]
    X5tS256Mismatch {
        /// The thumbprint of `x5c[0]`.
        actual: Thumbprint,
    },
    /// The certificate's key and the JWK's key are of different types or curves.
    #[error(
        "x5c[0] holds {certificate} key but the JWK is {jwk}; RFC 7517 section 4.7 requires the same key"
    )]
    CertificateKeyTypeMismatch {
        /// The JWK's key type and curve.
        jwk: &'static str,
        /// The certificate's key type and curve.
        certificate: &'static str,
    },
    /// The certificate holds a different public key than the JWK's members.
    #[error(
        "x5c[0] holds a different public key than the JWK's {members}; RFC 7517 section 4.7 requires the same key"
    )]
    CertificateKeyDiffers {
        /// The JWK members compared.
        members: &'static str,
    },
    /// The certificate's public key algorithm is not one this crate compares.
    #[error(
        "x5c[0] holds a public key this crate cannot compare with the JWK (supported: RSA, EC P-256/P-384/P-521/secp256k1, Ed25519, Ed448, X25519, X448)"
    )]
    CertificateKeyUnsupported,
    /// The certificate's EC point is compressed; the JWK's `x`/`y` cannot be compared with it.
    #[error("x5c[0] holds a compressed EC point; use a certificate with an uncompressed point")]
    CompressedPoint,
    /// The certificate's public key bits are not valid for their algorithm.
    #[error("x5c[0]'s public key is malformed for its algorithm")]
    CertificateKeyMalformed,
}

impl JwkProblem {
    /// Whether the problem makes a registration invalid.
    ///
    /// A key with an `x5c` member that cannot be used is an error: the client meant it as its
    /// certificate, and accepting the registration would only defer the failure to the token
    /// endpoint. So is private or symmetric key material, which must never be registered. Keys
    /// without `x5c` that are merely not understood are ignored, as RFC 7517 section 5 asks.
    pub(crate) fn is_registration_error(&self, has_x5c: bool) -> bool {
        has_x5c || matches!(self, Self::PrivateKeyMaterial | Self::SymmetricKey)
    }
}

/// Why a document is not a JWK Set at all. Problems with single keys are [`JwkProblem`]s
/// instead.
///
/// ```
/// use rfc8705::jwk::{JwkSet, JwkSetError};
/// assert_eq!(JwkSet::from_json(b"[]").unwrap_err(), JwkSetError::NotAnObject);
/// assert_eq!(JwkSet::from_json(b"{}").unwrap_err(), JwkSetError::NoKeys);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwkSetError {
    /// The document is larger than 256 KiB.
    #[error("the JWK Set is {len} bytes; the limit is {MAX_JWKS_JSON_LEN}")]
    TooLarge {
        /// The document's length.
        len: usize,
    },
    /// The document is not JSON.
    #[error("the JWK Set is not valid JSON (line {line}, column {column})")]
    NotJson {
        /// Line of the syntax error.
        line: usize,
        /// Column of the syntax error.
        column: usize,
    },
    /// The document is not a JSON object.
    #[error("the JWK Set is not a JSON object")]
    NotAnObject,
    /// The object has no `keys` member (RFC 7517 section 5.1: it is REQUIRED).
    #[error("the JWK Set has no \"keys\" member (RFC 7517 section 5.1)")]
    NoKeys,
    /// `keys` is not an array.
    #[error("the JWK Set's \"keys\" member is not an array")]
    KeysNotArray,
    /// `keys` holds more than 100 keys.
    #[error("the JWK Set holds {len} keys; the limit is {MAX_KEYS}")]
    TooManyKeys {
        /// The number of keys.
        len: usize,
    },
}

/// Why the `jwks` of a `self_signed_tls_client_auth` registration is not usable
/// (`invalid_client_metadata`), as reported by
/// [`MtlsClientAuth::from_metadata`](crate::client_auth::MtlsClientAuth::from_metadata).
///
/// ```
/// use rfc8705::client_auth::{MtlsClientAuth, RegistrationError};
/// use rfc8705::jwk::JwkRegistrationError;
/// use rfc8705::metadata::ClientMetadata;
///
/// let m = ClientMetadata::from_json(br#"{"token_endpoint_auth_method":"self_signed_tls_client_auth","tls_client_certificate_bound_access_tokens":true,
///     "jwks":{"keys":[{"kty":"EC","kid":"sig","crv":"P-256",
///     "x":"1yfLHCpXqFjxCeHHHMVDTcLscpb07KUxudBmOMn8C7Q","y":"8_coZwxS7LfA4vOLS9WuneIXhbGGWvsDSb0tH6IxLm8"}]}}"#)?;
/// assert_eq!(
///     MtlsClientAuth::from_metadata(&m).unwrap_err(),
///     RegistrationError::Keys(JwkRegistrationError::NoCertificate { keys: 1 })
/// );
/// # Ok::<(), rfc8705::metadata::MetadataError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwkRegistrationError {
    /// The `jwks` value is not a JWK Set.
    #[error("jwks: {0}")]
    Set(#[from] JwkSetError),
    /// One key of the set is invalid.
    #[error("jwks: {name} {problem}")]
    Key {
        /// Which key.
        name: JwkName,
        /// What is wrong with it.
        problem: JwkProblem,
    },
    /// No key of the set carries a usable `x5c`, so no certificate could ever authenticate.
    #[error(
        "jwks: none of its {keys} keys has an x5c certificate; self_signed_tls_client_auth registers certificates as x5c (RFC 8705 section 2.2.2)"
    )]
    NoCertificate {
        /// The number of keys in the set.
        keys: usize,
    },
}
