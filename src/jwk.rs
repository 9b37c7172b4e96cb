//! The JWK and JWK Set pieces that `self_signed_tls_client_auth` needs (RFC 7517, RFC 8705
//! section 2.2).
//!
//! RFC 8705 section 2.2.2: "the existing jwks_uri or jwks metadata parameters from \[RFC7591\]
//! are used to convey the client's certificates via JSON Web Key (JWK) in a JWK Set
//! \[RFC7517\]. … A certificate is represented with the x5c parameter of an individual JWK
//! within the set."
//!
//! [`JwkSet`] reads a set **key by key**: one key this crate does not understand never makes
//! the whole set unusable (RFC 7517 section 5: implementations "SHOULD ignore JWKs within a
//! JWK Set that use "kty" values that are not understood by them, that are missing required
//! members, or for which values are out of the supported ranges"). Every key lands in one of
//! three lists:
//!
//! - [`JwkSet::certified`]: keys with an `x5c` whose first certificate parses, holds the same
//!   public key as the JWK's own members (RFC 7517 section 4.7) and agrees with a declared
//!   `x5t#S256`. Only these can authenticate a client.
//! - [`JwkSet::without_certificate`]: well-formed public keys without `x5c` (a client's JWS
//!   signing keys, for example). Kept, never matched.
//! - [`JwkSet::skipped`]: every other key, each with the [`JwkProblem`] that ruled it out.
//!
//! [`JwkSet::validate_registration`] is the strict view for a registration endpoint: it turns
//! the problems that make a registration wrong into a [`JwkRegistrationError`]
//! (`invalid_client_metadata`).
//!
//! The key members (`n`/`e`, `crv`/`x`/`y`, `crv`/`x`) are decoded with `jose-jwk`'s
//! [`jose_jwk::Key`]. Its whole-key `Jwk` type is not used: it rejects a key for an `alg` or
//! `use` value it does not know, reports a base64url `x5c` as a generic serde error, and keeps
//! no raw `kid` for keys it rejects. The members around the key (`kid`, `alg`, `use`, `x5c`,
//! `x5t#S256`) are therefore read here, from the JSON value.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use base64ct::{Base64, Encoding};
use der::asn1::{ObjectIdentifier, UintRef};
use der::oid::db::{rfc5912, rfc8410};
use der::{Reader, SliceReader};
use serde_json::{Map, Value};

use crate::error::{OAuthError, OAuthErrorCode};
use crate::{CertificateError, ClientCertificate, Thumbprint, ThumbprintError};

/// The largest JWK Set document [`JwkSet::from_json`] reads, in bytes. A set of a few
/// certificates is 2 to 20 KiB.
///
/// ```
/// use rfc8705::jwk::{JwkSet, JwkSetError, MAX_JWKS_JSON_LEN};
/// let big = vec![b' '; MAX_JWKS_JSON_LEN + 1];
/// assert!(matches!(JwkSet::from_json(&big), Err(JwkSetError::TooLarge { .. })));
/// ```
pub const MAX_JWKS_JSON_LEN: usize = 256 * 1024;

/// The most keys a set may hold; a larger set is refused as a whole.
///
/// ```
/// use rfc8705::jwk::{JwkSet, JwkSetError, MAX_KEYS};
/// let keys = vec![serde_json::json!({}); MAX_KEYS + 1];
/// let set = JwkSet::from_value(&serde_json::json!({ "keys": keys }));
/// assert!(matches!(set, Err(JwkSetError::TooManyKeys { .. })));
/// ```
pub const MAX_KEYS: usize = 100;

/// The most certificates one `x5c` may hold (the leaf and its chain).
///
/// ```
/// use rfc8705::jwk::{JwkProblem, JwkSet, MAX_X5C_CERTIFICATES};
/// let x5c = vec!["AA=="; MAX_X5C_CERTIFICATES + 1];
/// let set = JwkSet::from_value(&serde_json::json!({"keys": [{"kty": "RSA", "n": "AQAB", "e": "AQAB", "x5c": x5c}]}))?;
/// assert!(matches!(set.skipped()[0].problem(), JwkProblem::X5cTooLong { .. }));
/// # Ok::<(), rfc8705::jwk::JwkSetError>(())
/// ```
pub const MAX_X5C_CERTIFICATES: usize = 10;

/// The longest `kid` kept verbatim, in bytes; a longer `kid` is a [`JwkProblem`].
///
/// ```
/// use rfc8705::jwk::{JwkSet, MAX_KID_LEN};
/// let kid = "k".repeat(MAX_KID_LEN + 1);
/// let set = JwkSet::from_value(&serde_json::json!({"keys": [{"kty": "oct", "kid": kid}]}))?;
/// assert_eq!(set.skipped()[0].name().kid(), None);
/// # Ok::<(), rfc8705::jwk::JwkSetError>(())
/// ```
pub const MAX_KID_LEN: usize = 256;

/// secp256k1 (SEC 2), `crv` value `secp256k1` (RFC 8812).
const SECP_256_K_1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.10");

/// Which key of a set: its position in `keys` and its `kid`, if it has a usable one.
///
/// Its `Display` form quotes the `kid` with control characters escaped and long values
/// truncated, so it is safe to log.
///
/// ```
/// use rfc8705::jwk::JwkSet;
///
/// let set = JwkSet::from_json(br#"{"keys":[{"kty":"oct","kid":"k\n1","k":"AA"}]}"#)?;
/// let name = set.skipped()[0].name();
/// assert_eq!(name.index(), 0);
/// assert_eq!(name.kid(), Some("k\n1"));
/// assert_eq!(name.to_string(), r#"key 0 (kid "k\n1")"#);
/// # Ok::<(), rfc8705::jwk::JwkSetError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JwkName {
    index: usize,
    kid: Option<String>,
}

impl JwkName {
    /// The key's position in the set's `keys` array, from 0.
    ///
    /// ```
    /// use rfc8705::jwk::JwkSet;
    /// let set = JwkSet::from_json(br#"{"keys":[{"kty":"oct"},{"kty":"oct"}]}"#)?;
    /// assert_eq!(set.skipped()[1].name().index(), 1);
    /// # Ok::<(), rfc8705::jwk::JwkSetError>(())
    /// ```
    pub fn index(&self) -> usize {
        self.index
    }

    /// The key's `kid`, when it has one that is a string of at most [`MAX_KID_LEN`] bytes.
    ///
    /// ```
    /// use rfc8705::jwk::JwkSet;
    /// let set = JwkSet::from_json(br#"{"keys":[{"kty":"oct","kid":"a"},{"kty":"oct","kid":7}]}"#)?;
    /// assert_eq!(set.skipped()[0].name().kid(), Some("a"));
    /// assert_eq!(set.skipped()[1].name().kid(), None);
    /// # Ok::<(), rfc8705::jwk::JwkSetError>(())
    /// ```
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }
}

impl fmt::Display for JwkName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "key {}", self.index)?;
        match &self.kid {
            Some(kid) => write!(f, " (kid \"{}\")", Escaped(kid)),
            None => f.write_str(" (no kid)"),
        }
    }
}

/// Writes attacker-chosen text escaped (Rust `escape_debug`) and truncated to 64 characters.
struct Escaped<'a>(&'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut chars = self.0.chars();
        for c in chars.by_ref().take(64) {
            for e in c.escape_debug() {
                fmt::Write::write_char(f, e)?;
            }
        }
        if chars.next().is_some() {
            f.write_str("…")?;
        }
        Ok(())
    }
}

/// A short, printable copy of a string from the input, for error values.
fn escaped(s: &str) -> String {
    alloc::format!("{}", Escaped(s))
}

/// Why one key of a set cannot authenticate a client.
///
/// At parse time these make a key [skipped](JwkSet::skipped); at registration the ones
/// [`JwkProblem::is_registration_error`] names make the registration invalid.
///
/// ```
/// use rfc8705::jwk::{JwkProblem, JwkSet};
///
/// let set = JwkSet::from_json(br#"{"keys":[{"kty":"AKP","pub":"AA"}]}"#)?;
/// assert_eq!(set.skipped()[0].problem(), &JwkProblem::UnsupportedKeyType { kty: "AKP".into() });
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
    /// The `kid` is longer than [`MAX_KID_LEN`] bytes.
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
    /// `x5c` holds more than [`MAX_X5C_CERTIFICATES`] entries.
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
    ///
    /// ```
    /// use rfc8705::jwk::JwkProblem;
    /// assert!(JwkProblem::PrivateKeyMaterial.is_registration_error(false));
    /// assert!(JwkProblem::X5cEmpty.is_registration_error(true));
    /// assert!(!JwkProblem::UnsupportedKeyType { kty: "AKP".into() }.is_registration_error(false));
    /// ```
    pub fn is_registration_error(&self, has_x5c: bool) -> bool {
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
    /// The document is larger than [`MAX_JWKS_JSON_LEN`].
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
    /// `keys` holds more than [`MAX_KEYS`] keys.
    #[error("the JWK Set holds {len} keys; the limit is {MAX_KEYS}")]
    TooManyKeys {
        /// The number of keys.
        len: usize,
    },
}

impl OAuthError for JwkSetError {
    /// A set that is not a JWK Set is invalid client metadata (RFC 7591 section 2: `jwks`
    /// "MUST be a JSON object containing a valid JWK Set").
    fn oauth_error_code(&self) -> OAuthErrorCode {
        OAuthErrorCode::InvalidClientMetadata
    }
}

/// Why a `self_signed_tls_client_auth` registration is invalid (`invalid_client_metadata`).
///
/// ```
/// use rfc8705::error::{OAuthError, OAuthErrorCode};
/// use rfc8705::jwk::{JwkRegistrationError, JwkSet};
///
/// let set = JwkSet::from_json(br#"{"keys":[{"kty":"EC","kid":"sig","crv":"P-256",
///     "x":"1yfLHCpXqFjxCeHHHMVDTcLscpb07KUxudBmOMn8C7Q","y":"8_coZwxS7LfA4vOLS9WuneIXhbGGWvsDSb0tH6IxLm8"}]}"#)?;
/// let err = set.validate_registration().unwrap_err();
/// assert_eq!(err, JwkRegistrationError::NoCertificate { keys: 1 });
/// assert_eq!(err.oauth_error_code(), OAuthErrorCode::InvalidClientMetadata);
/// # Ok::<(), rfc8705::jwk::JwkSetError>(())
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
    /// Both `jwks` and `jwks_uri` are present.
    #[error("jwks and jwks_uri are both present; RFC 7591 section 2 allows only one")]
    JwksAndJwksUri,
    /// Neither `jwks` nor `jwks_uri` is present.
    #[error(
        "self_signed_tls_client_auth needs jwks or jwks_uri to register the client's certificates (RFC 8705 section 2.2.2)"
    )]
    NoJwks,
    /// The client does not use `self_signed_tls_client_auth`.
    #[error("token_endpoint_auth_method is not self_signed_tls_client_auth")]
    NotSelfSigned,
}

impl OAuthError for JwkRegistrationError {
    /// RFC 7591 section 3.2.2: "invalid_client_metadata: The value of one of the client
    /// metadata fields is invalid".
    fn oauth_error_code(&self) -> OAuthErrorCode {
        OAuthErrorCode::InvalidClientMetadata
    }
}

/// A key whose `x5c[0]` certificate was checked against its key members: the only kind that
/// can authenticate a client.
///
/// The thumbprints of `x5c[0]` and of the rest of the chain are computed once, when the set
/// is parsed, so matching a presented certificate costs one SHA-256 and a compare per key.
///
/// ```
/// use rfc8705::jwk::JwkSet;
/// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jwk/rfc8705-appendix-a.jwks.json"));
/// let set = JwkSet::from_json(json.as_bytes())?;
/// let key = &set.certified()[0];
/// assert_eq!(key.name().index(), 0);
/// assert_eq!(key.thumbprint().to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
/// assert_eq!(key.certificate().der().len(), 266);
/// assert!(key.chain_thumbprints().is_empty());
/// # Ok::<(), rfc8705::jwk::JwkSetError>(())
/// ```
#[derive(Debug, Clone)]
pub struct CertifiedJwk {
    name: JwkName,
    certificate: ClientCertificate<'static>,
    thumbprint: Thumbprint,
    chain: Vec<Thumbprint>,
}

impl CertifiedJwk {
    /// Which key of the set.
    ///
    /// ```
    /// use rfc8705::jwk::JwkSet;
    /// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jwk/rfc8705-appendix-a.jwks.json"));
    /// let set = JwkSet::from_json(json.as_bytes())?;
    /// let key = &set.certified()[0];
    /// assert_eq!(key.name().kid(), None);
    /// # Ok::<(), rfc8705::jwk::JwkSetError>(())
    /// ```
    pub fn name(&self) -> &JwkName {
        &self.name
    }

    /// The parsed `x5c[0]`.
    ///
    /// ```
    /// use rfc8705::jwk::JwkSet;
    /// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jwk/rfc8705-appendix-a.jwks.json"));
    /// let set = JwkSet::from_json(json.as_bytes())?;
    /// let key = &set.certified()[0];
    /// assert_eq!(key.certificate().thumbprint(), *key.thumbprint());
    /// # Ok::<(), rfc8705::jwk::JwkSetError>(())
    /// ```
    pub fn certificate(&self) -> &ClientCertificate<'static> {
        &self.certificate
    }

    /// The `x5t#S256` of `x5c[0]`.
    ///
    /// ```
    /// use rfc8705::jwk::JwkSet;
    /// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jwk/rfc8705-appendix-a.jwks.json"));
    /// let set = JwkSet::from_json(json.as_bytes())?;
    /// let key = &set.certified()[0];
    /// assert_eq!(key.thumbprint().to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
    /// # Ok::<(), rfc8705::jwk::JwkSetError>(())
    /// ```
    pub fn thumbprint(&self) -> &Thumbprint {
        &self.thumbprint
    }

    /// The thumbprints of `x5c[1..]`, in order (entry `i` is `x5c[i + 1]`). They never
    /// authenticate; they explain a mismatch.
    ///
    /// ```
    /// use rfc8705::jwk::JwkSet;
    /// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jwk/rfc8705-appendix-a.jwks.json"));
    /// let set = JwkSet::from_json(json.as_bytes())?;
    /// let key = &set.certified()[0];
    /// assert!(key.chain_thumbprints().is_empty());
    /// # Ok::<(), rfc8705::jwk::JwkSetError>(())
    /// ```
    pub fn chain_thumbprints(&self) -> &[Thumbprint] {
        &self.chain
    }
}

/// A key that was left out, and why.
///
/// ```
/// use rfc8705::jwk::{JwkProblem, JwkSet};
/// let set = JwkSet::from_json(br#"{"keys":[{"kty":"EC","x5c":["MIIB-w=="]}]}"#)?;
/// let skipped = &set.skipped()[0];
/// assert!(skipped.has_x5c());
/// assert!(matches!(skipped.problem(), JwkProblem::InvalidKeyMembers { .. }));
/// # Ok::<(), rfc8705::jwk::JwkSetError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedJwk {
    name: JwkName,
    problem: JwkProblem,
    has_x5c: bool,
    x5c0: Option<Thumbprint>,
}

impl SkippedJwk {
    /// Which key of the set.
    ///
    /// ```
    /// use rfc8705::jwk::{JwkProblem, JwkSet};
    /// let set = JwkSet::from_json(br#"{"keys":[{"kty":"oct","kid":"s","k":"AA"}]}"#)?;
    /// let skipped = &set.skipped()[0];
    /// assert_eq!(skipped.name().kid(), Some("s"));
    /// # Ok::<(), rfc8705::jwk::JwkSetError>(())
    /// ```
    pub fn name(&self) -> &JwkName {
        &self.name
    }

    /// Why it was left out.
    ///
    /// ```
    /// use rfc8705::jwk::{JwkProblem, JwkSet};
    /// let set = JwkSet::from_json(br#"{"keys":[{"kty":"oct","kid":"s","k":"AA"}]}"#)?;
    /// let skipped = &set.skipped()[0];
    /// assert_eq!(skipped.problem(), &JwkProblem::SymmetricKey);
    /// # Ok::<(), rfc8705::jwk::JwkSetError>(())
    /// ```
    pub fn problem(&self) -> &JwkProblem {
        &self.problem
    }

    /// Whether the key has an `x5c` member.
    ///
    /// ```
    /// use rfc8705::jwk::{JwkProblem, JwkSet};
    /// let set = JwkSet::from_json(br#"{"keys":[{"kty":"oct","kid":"s","k":"AA"}]}"#)?;
    /// let skipped = &set.skipped()[0];
    /// assert!(!skipped.has_x5c());
    /// # Ok::<(), rfc8705::jwk::JwkSetError>(())
    /// ```
    pub fn has_x5c(&self) -> bool {
        self.has_x5c
    }

    /// The thumbprint of `x5c[0]`, when it decoded as base64: lets a mismatch report say "your
    /// certificate is in the set, but its key was rejected because …".
    ///
    /// ```
    /// use rfc8705::jwk::JwkSet;
    /// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jwk/rfc8705-appendix-a.jwks.json"));
    /// // Appendix A with a wrong curve: skipped, but its x5c[0] is known.
    /// let set = JwkSet::from_json(json.replace("P-256", "P-384").as_bytes())?;
    /// let t = set.skipped()[0].x5c0_thumbprint().unwrap();
    /// assert_eq!(t.to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
    /// # Ok::<(), rfc8705::jwk::JwkSetError>(())
    /// ```
    pub fn x5c0_thumbprint(&self) -> Option<&Thumbprint> {
        self.x5c0.as_ref()
    }
}

/// A client's JWK Set, read key by key, ready for matching.
///
/// ```
/// use rfc8705::jwk::JwkSet;
/// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jwk/rfc8705-appendix-a.jwks.json"));
/// let set = JwkSet::from_json(json.as_bytes())?;
/// assert_eq!(set.certified().len(), 1);
/// set.validate_registration().expect("the RFC 8705 Appendix A JWK is consistent");
/// # Ok::<(), rfc8705::jwk::JwkSetError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct JwkSet {
    certified: Vec<CertifiedJwk>,
    without_certificate: Vec<JwkName>,
    skipped: Vec<SkippedJwk>,
    len: usize,
}

impl JwkSet {
    /// Reads a JWK Set from JSON text of at most [`MAX_JWKS_JSON_LEN`] bytes.
    ///
    /// ```
    /// use rfc8705::jwk::{JwkSet, JwkSetError};
    /// assert!(matches!(JwkSet::from_json(b"{"), Err(JwkSetError::NotJson { .. })));
    /// assert_eq!(JwkSet::from_json(br#"{"keys":[]}"#)?.len(), 0);
    /// # Ok::<(), JwkSetError>(())
    /// ```
    pub fn from_json(json: &[u8]) -> Result<Self, JwkSetError> {
        if json.len() > MAX_JWKS_JSON_LEN {
            return Err(JwkSetError::TooLarge { len: json.len() });
        }
        let value: Value = serde_json::from_slice(json).map_err(|e| JwkSetError::NotJson {
            line: e.line(),
            column: e.column(),
        })?;
        Self::from_value(&value)
    }

    /// Reads a JWK Set from a JSON value (the `jwks` member of client metadata). Fails only
    /// when the value is not a set; each key's problems are recorded in [`JwkSet::skipped`].
    ///
    /// ```
    /// use rfc8705::jwk::{JwkSet, JwkSetError};
    /// let v = serde_json::json!({"keys": "none"});
    /// assert_eq!(JwkSet::from_value(&v).unwrap_err(), JwkSetError::KeysNotArray);
    /// ```
    pub fn from_value(value: &Value) -> Result<Self, JwkSetError> {
        let object = value.as_object().ok_or(JwkSetError::NotAnObject)?;
        // RFC 7517 section 5.1: "The value of the "keys" member is an array of JWK values."
        let keys = object
            .get("keys")
            .ok_or(JwkSetError::NoKeys)?
            .as_array()
            .ok_or(JwkSetError::KeysNotArray)?;
        if keys.len() > MAX_KEYS {
            return Err(JwkSetError::TooManyKeys { len: keys.len() });
        }
        let mut set = JwkSet {
            len: keys.len(),
            ..JwkSet::default()
        };
        for (index, key) in keys.iter().enumerate() {
            match read_key(index, key) {
                Read::Certified(c) => set.certified.push(*c),
                Read::WithoutCertificate(name) => set.without_certificate.push(name),
                Read::Skipped(s) => set.skipped.push(s),
            }
        }
        Ok(set)
    }

    /// The number of keys in the set, whatever became of them.
    ///
    /// ```
    /// use rfc8705::jwk::JwkSet;
    /// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jwk/rfc8705-appendix-a.jwks.json"));
    /// let mut v: serde_json::Value = serde_json::from_str(json)?;
    /// v["keys"].as_array_mut().unwrap().push(serde_json::json!({"kty": "RSA", "n": "AQAB", "e": "AQAB"}));
    /// v["keys"].as_array_mut().unwrap().push(serde_json::json!({"kty": "AKP"}));
    /// let set = JwkSet::from_value(&v)?;
    /// assert_eq!(set.len(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the set has no keys at all.
    ///
    /// ```
    /// # use rfc8705::jwk::JwkSet;
    /// assert!(JwkSet::from_json(br#"{"keys":[]}"#)?.is_empty());
    /// # Ok::<(), rfc8705::jwk::JwkSetError>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The keys that can authenticate a client, in set order.
    ///
    /// ```
    /// use rfc8705::jwk::JwkSet;
    /// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jwk/rfc8705-appendix-a.jwks.json"));
    /// let mut v: serde_json::Value = serde_json::from_str(json)?;
    /// v["keys"].as_array_mut().unwrap().push(serde_json::json!({"kty": "RSA", "n": "AQAB", "e": "AQAB"}));
    /// v["keys"].as_array_mut().unwrap().push(serde_json::json!({"kty": "AKP"}));
    /// let set = JwkSet::from_value(&v)?;
    /// assert_eq!(set.certified().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn certified(&self) -> &[CertifiedJwk] {
        &self.certified
    }

    /// Well-formed public keys without `x5c`: kept, never matched.
    ///
    /// ```
    /// use rfc8705::jwk::JwkSet;
    /// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jwk/rfc8705-appendix-a.jwks.json"));
    /// let mut v: serde_json::Value = serde_json::from_str(json)?;
    /// v["keys"].as_array_mut().unwrap().push(serde_json::json!({"kty": "RSA", "n": "AQAB", "e": "AQAB"}));
    /// v["keys"].as_array_mut().unwrap().push(serde_json::json!({"kty": "AKP"}));
    /// let set = JwkSet::from_value(&v)?;
    /// assert_eq!(set.without_certificate()[0].index(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn without_certificate(&self) -> &[JwkName] {
        &self.without_certificate
    }

    /// The keys left out, each with its reason, in set order.
    ///
    /// ```
    /// use rfc8705::jwk::JwkSet;
    /// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jwk/rfc8705-appendix-a.jwks.json"));
    /// let mut v: serde_json::Value = serde_json::from_str(json)?;
    /// v["keys"].as_array_mut().unwrap().push(serde_json::json!({"kty": "RSA", "n": "AQAB", "e": "AQAB"}));
    /// v["keys"].as_array_mut().unwrap().push(serde_json::json!({"kty": "AKP"}));
    /// let set = JwkSet::from_value(&v)?;
    /// assert_eq!(set.skipped()[0].name().index(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn skipped(&self) -> &[SkippedJwk] {
        &self.skipped
    }

    /// Checks the set as a `self_signed_tls_client_auth` registration: every key with `x5c`
    /// is usable (its `x5c[0]` is a certificate holding the JWK's own key, RFC 7517 section
    /// 4.7, and a declared `x5t#S256` is its thumbprint, section 4.9), no key holds private or
    /// symmetric key material, and at least one key has a certificate. Reports the first
    /// problem in set order.
    ///
    /// ```
    /// use rfc8705::jwk::{JwkProblem, JwkRegistrationError, JwkSet};
    /// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jwk/rfc8705-appendix-a.jwks.json"));
    /// // The Appendix A JWK with x5c written in the base64url alphabet.
    /// let bad = json.replace('/', "_").replace('+', "-");
    /// let err = JwkSet::from_json(bad.as_bytes())?.validate_registration().unwrap_err();
    /// assert!(matches!(
    ///     err,
    ///     JwkRegistrationError::Key { problem: JwkProblem::X5cBase64Url { position: 0 }, .. }
    /// ));
    /// # Ok::<(), rfc8705::jwk::JwkSetError>(())
    /// ```
    pub fn validate_registration(&self) -> Result<(), JwkRegistrationError> {
        if let Some(bad) = self
            .skipped
            .iter()
            .find(|s| s.problem.is_registration_error(s.has_x5c))
        {
            return Err(JwkRegistrationError::Key {
                name: bad.name.clone(),
                problem: bad.problem.clone(),
            });
        }
        // RFC 8705 section 2.2: the client "registers its X.509 certificates"; a set without
        // any can never authenticate it.
        if self.certified.is_empty() {
            return Err(JwkRegistrationError::NoCertificate { keys: self.len });
        }
        Ok(())
    }
}

enum Read {
    Certified(alloc::boxed::Box<CertifiedJwk>),
    WithoutCertificate(JwkName),
    Skipped(SkippedJwk),
}

fn read_key(index: usize, value: &Value) -> Read {
    let mut name = JwkName { index, kid: None };
    let Some(object) = value.as_object() else {
        return skip(name, JwkProblem::NotAnObject, false, None);
    };
    let has_x5c = object.contains_key("x5c");
    let kid = object.get("kid");
    if let Some(Value::String(kid)) = kid
        && kid.len() <= MAX_KID_LEN
    {
        name.kid = Some(kid.clone());
    }
    match read_checked(object) {
        Ok(None) => Read::WithoutCertificate(name),
        Ok(Some((certificate, chain))) => Read::Certified(alloc::boxed::Box::new(CertifiedJwk {
            name,
            thumbprint: certificate.thumbprint(),
            certificate,
            chain,
        })),
        Err((problem, x5c0)) => skip(name, problem, has_x5c, x5c0),
    }
}

fn skip(name: JwkName, problem: JwkProblem, has_x5c: bool, x5c0: Option<Thumbprint>) -> Read {
    Read::Skipped(SkippedJwk {
        name,
        problem,
        has_x5c,
        x5c0,
    })
}

type Checked = Option<(ClientCertificate<'static>, Vec<Thumbprint>)>;

/// Reads one key; `Ok(None)` for a good key without `x5c`. The error carries the thumbprint of
/// `x5c[0]` when it decoded.
fn read_checked(object: &Map<String, Value>) -> Result<Checked, (JwkProblem, Option<Thumbprint>)> {
    let key = read_key_members(object).map_err(|p| (p, None))?;
    let declared = read_declared_thumbprint(object).map_err(|p| (p, None))?;
    let Some(x5c) = object.get("x5c") else {
        return Ok(None);
    };
    let mut ders = decode_x5c(x5c).map_err(|p| (p, None))?.into_iter();
    let Some(first) = ders.next() else {
        return Err((JwkProblem::X5cEmpty, None));
    };
    let actual = Thumbprint::digest_of(&first);
    let chain = ders.map(|d| Thumbprint::digest_of(&d)).collect();
    let certificate = ClientCertificate::from_der_vec(first)
        .map_err(|e| (JwkProblem::X5cCertificate(e), Some(actual)))?;
    // RFC 7517 section 4.9: x5t#S256 "is a base64url-encoded SHA-256 thumbprint (a.k.a. digest)
    // of the DER encoding of an X.509 certificate"; for a key with x5c it must be x5c[0]'s.
    if let Some(declared) = declared
        && declared != actual
    {
        return Err((JwkProblem::X5tS256Mismatch { actual }, Some(actual)));
    }
    // RFC 7517 section 4.7: "The key in the first certificate MUST match the public key
    // represented by other members of the JWK."
    check_certificate_holds_key(&certificate, &key).map_err(|p| (p, Some(actual)))?;
    Ok(Some((certificate, chain)))
}

fn string_member<'a>(
    object: &'a Map<String, Value>,
    member: &'static str,
) -> Result<Option<&'a str>, JwkProblem> {
    match object.get(member) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        // A member of the wrong JSON type: the key is malformed.
        Some(_) => Err(JwkProblem::MemberNotString { member }),
    }
}

/// Decodes `kty` and the key members with `jose-jwk`.
fn read_key_members(object: &Map<String, Value>) -> Result<jose_jwk::Key, JwkProblem> {
    // RFC 7517 section 4: "kid", "alg" and "use" are strings when present. Their values are not
    // interpreted: RFC 8705 matches certificates, and an algorithm or use this crate does not
    // know says nothing about the certificate (unlike jose-jwk's Jwk, which rejects the key).
    if let Some(kid) = string_member(object, "kid")?
        && kid.len() > MAX_KID_LEN
    {
        return Err(JwkProblem::KidTooLong { len: kid.len() });
    }
    string_member(object, "alg")?;
    string_member(object, "use")?;
    let kty = string_member(object, "kty")?.ok_or(JwkProblem::MissingMember { member: "kty" })?;
    let (kty, members, expected): (&'static str, &[&str], &'static str) = match kty {
        "EC" => (
            "EC",
            &["crv", "x", "y"],
            "crv (P-256, P-384, P-521, secp256k1), x and y as unpadded base64url",
        ),
        "RSA" => ("RSA", &["n", "e"], "n and e as unpadded base64url"),
        "OKP" => (
            "OKP",
            &["crv", "x"],
            "crv (Ed25519, Ed448, X25519, X448) and x as unpadded base64url",
        ),
        // A secret key: refused whether or not "k" is present.
        "oct" => return Err(JwkProblem::SymmetricKey),
        other => {
            return Err(JwkProblem::UnsupportedKeyType {
                kty: escaped(other),
            });
        }
    };
    // RFC 7518 sections 6.2.2.1, 6.3.2.1, RFC 8037 section 2: "d" is the private key.
    if object.contains_key("d") {
        return Err(JwkProblem::PrivateKeyMaterial);
    }
    // Hand jose-jwk only kty and the key members, so nothing else about the key can make it
    // fail.
    let mut only = Map::new();
    only.insert("kty".into(), Value::String(kty.into()));
    for m in members {
        if let Some(v) = object.get(*m) {
            only.insert((*m).into(), v.clone());
        }
    }
    serde_json::from_value::<jose_jwk::Key>(Value::Object(only))
        .map_err(|_| JwkProblem::InvalidKeyMembers { kty, expected })
}

fn read_declared_thumbprint(object: &Map<String, Value>) -> Result<Option<Thumbprint>, JwkProblem> {
    string_member(object, "x5t#S256")?
        .map(|s| s.parse().map_err(JwkProblem::X5tS256Invalid))
        .transpose()
}

/// Decodes every `x5c` entry from standard base64 (RFC 7517 section 4.7: "Each string in the
/// array is a base64-encoded (Section 4 of \[RFC4648\] -- not base64url-encoded) DER").
fn decode_x5c(x5c: &Value) -> Result<Vec<Vec<u8>>, JwkProblem> {
    let entries = x5c.as_array().ok_or(JwkProblem::X5cNotArray)?;
    if entries.is_empty() {
        return Err(JwkProblem::X5cEmpty);
    }
    if entries.len() > MAX_X5C_CERTIFICATES {
        return Err(JwkProblem::X5cTooLong { len: entries.len() });
    }
    entries
        .iter()
        .enumerate()
        .map(|(position, entry)| {
            let text = entry
                .as_str()
                .ok_or(JwkProblem::X5cEntryNotString { position })?;
            Base64::decode_vec(text).map_err(|_| {
                // Name the common mistake: the JWS alphabet instead of the one x5c uses.
                if text.bytes().any(|b| b == b'-' || b == b'_') {
                    JwkProblem::X5cBase64Url { position }
                } else {
                    JwkProblem::X5cNotBase64 { position }
                }
            })
        })
        .collect()
}

/// The public key in a certificate, in the shape of JWK members.
enum CertificateKey<'a> {
    Rsa {
        n: &'a [u8],
        e: &'a [u8],
    },
    Ec {
        crv: jose_jwk::EcCurves,
        point: &'a [u8],
    },
    Okp {
        crv: jose_jwk::OkpCurves,
        x: &'a [u8],
    },
}

fn describe_ec(crv: jose_jwk::EcCurves) -> &'static str {
    use jose_jwk::EcCurves;
    match crv {
        EcCurves::P256 => "an EC P-256",
        EcCurves::P384 => "an EC P-384",
        EcCurves::P521 => "an EC P-521",
        EcCurves::P256K => "an EC secp256k1",
        _ => "an EC",
    }
}

fn describe_okp(crv: jose_jwk::OkpCurves) -> &'static str {
    use jose_jwk::OkpCurves;
    match crv {
        OkpCurves::Ed25519 => "an Ed25519",
        OkpCurves::Ed448 => "an Ed448",
        OkpCurves::X25519 => "an X25519",
        OkpCurves::X448 => "an X448",
        _ => "an OKP",
    }
}

fn describe_jwk(key: &jose_jwk::Key) -> &'static str {
    use jose_jwk::Key;
    match key {
        Key::Rsa(_) => "an RSA",
        Key::Ec(ec) => describe_ec(ec.crv),
        Key::Okp(okp) => describe_okp(okp.crv),
        _ => "a non-public",
    }
}

fn describe_certificate(key: &CertificateKey<'_>) -> &'static str {
    match key {
        CertificateKey::Rsa { .. } => "an RSA",
        CertificateKey::Ec { crv, .. } => describe_ec(*crv),
        CertificateKey::Okp { crv, .. } => describe_okp(*crv),
    }
}

/// Reads the certificate's SubjectPublicKeyInfo into JWK terms.
fn certificate_key<'a>(cert: &'a ClientCertificate<'_>) -> Result<CertificateKey<'a>, JwkProblem> {
    use jose_jwk::{EcCurves, OkpCurves};
    let spki = cert.x509().tbs_certificate().subject_public_key_info();
    let oid = spki.algorithm.oid;
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or(JwkProblem::CertificateKeyMalformed)?;
    if oid == rfc5912::RSA_ENCRYPTION || oid == rfc5912::ID_RSASSA_PSS {
        // RFC 8017 appendix A.1.1: RSAPublicKey ::= SEQUENCE { modulus INTEGER,
        // publicExponent INTEGER }. UintRef strips the sign octet.
        let (n, e) = SliceReader::new(bits)
            .and_then(|mut r| {
                let ne = r.sequence(|s| {
                    Ok::<_, der::Error>((s.decode::<UintRef<'a>>()?, s.decode::<UintRef<'a>>()?))
                })?;
                r.finish()?;
                Ok(ne)
            })
            .map_err(|_: der::Error| JwkProblem::CertificateKeyMalformed)?;
        return Ok(CertificateKey::Rsa {
            n: n.as_bytes(),
            e: e.as_bytes(),
        });
    }
    if oid == rfc5912::ID_EC_PUBLIC_KEY {
        // RFC 5480 section 2.1.1: the parameters are the namedCurve OID.
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
            .ok_or(JwkProblem::CertificateKeyMalformed)?;
        let crv = match curve {
            c if c == rfc5912::SECP_256_R_1 => EcCurves::P256,
            c if c == rfc5912::SECP_384_R_1 => EcCurves::P384,
            c if c == rfc5912::SECP_521_R_1 => EcCurves::P521,
            c if c == SECP_256_K_1 => EcCurves::P256K,
            _ => return Err(JwkProblem::CertificateKeyUnsupported),
        };
        return Ok(CertificateKey::Ec { crv, point: bits });
    }
    // RFC 8410 section 4: the key is the raw public key octets.
    let crv = match oid {
        o if o == rfc8410::ID_ED_25519 => OkpCurves::Ed25519,
        o if o == rfc8410::ID_ED_448 => OkpCurves::Ed448,
        o if o == rfc8410::ID_X_25519 => OkpCurves::X25519,
        o if o == rfc8410::ID_X_448 => OkpCurves::X448,
        _ => return Err(JwkProblem::CertificateKeyUnsupported),
    };
    Ok(CertificateKey::Okp { crv, x: bits })
}

/// Strips leading zero octets, so that `00 ab` and `ab` compare equal as unsigned integers.
fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// The size in octets of a field element of an EC curve (RFC 7518 section 6.2.1.2: "The
/// length of this octet string MUST be the full size of a coordinate for the curve").
fn coordinate_len(crv: jose_jwk::EcCurves) -> usize {
    use jose_jwk::EcCurves;
    match crv {
        EcCurves::P384 => 48,
        EcCurves::P521 => 66,
        _ => 32,
    }
}

/// RFC 7517 section 4.7: "The key in the first certificate MUST match the public key
/// represented by other members of the JWK." Public keys are compared in variable time: they
/// are public.
fn check_certificate_holds_key(
    cert: &ClientCertificate<'_>,
    jwk: &jose_jwk::Key,
) -> Result<(), JwkProblem> {
    use jose_jwk::Key;
    let in_cert = certificate_key(cert)?;
    let type_mismatch = || JwkProblem::CertificateKeyTypeMismatch {
        jwk: describe_jwk(jwk),
        certificate: describe_certificate(&in_cert),
    };
    match (&in_cert, jwk) {
        (CertificateKey::Rsa { n, e }, Key::Rsa(rsa)) => {
            // RFC 7518 section 6.3.1.1 forbids a leading zero in "n", but notes that libraries
            // emit one; comparing the integers accepts both.
            let same = strip_leading_zeros(n) == strip_leading_zeros(&rsa.n)
                && strip_leading_zeros(e) == strip_leading_zeros(&rsa.e);
            if same {
                Ok(())
            } else {
                Err(JwkProblem::CertificateKeyDiffers { members: "n/e" })
            }
        }
        (CertificateKey::Ec { crv, point }, Key::Ec(ec)) => {
            if *crv != ec.crv {
                return Err(type_mismatch());
            }
            // SEC 1 section 2.3.3: 0x04 || X || Y; 0x02 / 0x03 is a compressed point.
            let (&form, xy) = point
                .split_first()
                .ok_or(JwkProblem::CertificateKeyMalformed)?;
            if form == 0x02 || form == 0x03 {
                return Err(JwkProblem::CompressedPoint);
            }
            let len = coordinate_len(*crv);
            if form != 0x04 || xy.len() != 2 * len {
                return Err(JwkProblem::CertificateKeyMalformed);
            }
            let (x, y) = xy.split_at(len);
            if x == &ec.x[..] && y == &ec.y[..] {
                Ok(())
            } else {
                Err(JwkProblem::CertificateKeyDiffers { members: "crv/x/y" })
            }
        }
        (CertificateKey::Okp { crv, x }, Key::Okp(okp)) => {
            if *crv != okp.crv {
                return Err(type_mismatch());
            }
            if *x == &okp.x[..] {
                Ok(())
            } else {
                Err(JwkProblem::CertificateKeyDiffers { members: "crv/x" })
            }
        }
        _ => Err(type_mismatch()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::__doc_support::rfc8705_appendix_a_der;

    fn rfc8705_appendix_a_jwks() -> &'static str {
        include_str!("../tests/data/jwk/rfc8705-appendix-a.jwks.json")
    }
    use alloc::string::ToString;
    use serde_json::json;

    fn appendix_a_key() -> Value {
        let v: Value = serde_json::from_str(rfc8705_appendix_a_jwks()).unwrap();
        v["keys"][0].clone()
    }

    fn set_of(keys: Vec<Value>) -> JwkSet {
        JwkSet::from_value(&json!({ "keys": keys })).unwrap()
    }

    fn only_problem(key: Value) -> JwkProblem {
        let set = set_of(alloc::vec![key]);
        assert!(set.certified().is_empty());
        set.skipped()[0].problem().clone()
    }

    #[test]
    fn appendix_a_is_certified() {
        let set = set_of(alloc::vec![appendix_a_key()]);
        assert_eq!(set.certified().len(), 1);
        assert_eq!(
            set.certified()[0].certificate().der(),
            &rfc8705_appendix_a_der()[..]
        );
        set.validate_registration().unwrap();
    }

    #[test]
    fn declared_thumbprint_is_checked_both_ways() {
        let mut k = appendix_a_key();
        k["x5t#S256"] = json!("A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
        assert_eq!(set_of(alloc::vec![k.clone()]).certified().len(), 1);
        // The SHA-256 of the SPKI (D-1), the classic wrong input.
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
        assert_eq!(set.skipped()[0].name().kid(), None);
        assert_eq!(
            set.skipped()[0].problem(),
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
}
