//! The `cnf` confirmation claim (RFC 7800, RFC 8705 section 3, RFC 9449 section 6): building
//! it, the resource server's check over every confirmation method it knows, and the
//! authorization server's binding decision.
//!
//! RFC 8705 section 3.1: "When access tokens are represented as JSON Web Tokens (JWT), the
//! certificate hash information SHOULD be represented using the `x5t#S256` confirmation method
//! member defined herein." RFC 9449 section 6.1: the `jkt` member holds "the base64url encoding
//! [...] of the JWK SHA-256 Thumbprint [...] of the DPoP public key". Both are carried the same
//! way at the top level of an introspection response (RFC 8705 section 3.2, RFC 9449 section
//! 6.2).
//!
//! * [`check_binding`] is the resource server's one check, on the token's [`Claims`]: the
//!   claims JSON (a JWT payload or an introspection response), or the `cnf` the server
//!   deserialized with the rest of them; it does not allocate, and every failure is a
//!   [`ResourceError`] with its challenge.
//! * [`Confirmation`] is the `cnf` value an authorization server puts in a token;
//!   [`decide_binding`] decides what it binds to, [`check_refresh_token_binding`] checks a
//!   bound refresh token.
//!
//! # Mutual TLS and DPoP in one server
//!
//! A resource server that accepts certificate-bound tokens (RFC 8705) and DPoP-bound tokens
//! (RFC 9449) calls [`check_binding`] once per request with everything the request proved: the
//! thumbprint of the client certificate on the connection (computed once per connection), if
//! any, and the RFC 7638 thumbprint of the key of the DPoP proof it verified, if any ([`jwk::thumbprint`](crate::jwk::thumbprint) of
//! the proof's `jwk` header). The token decides what must be proven, never the request:
//!
//! * every method in `cnf` that the crate knows (`x5t#S256`, `jkt`) must be proven, so a token
//!   bound by both needs both proofs; a certificate never stands in for a DPoP proof, nor the
//!   reverse;
//! * a `cnf` without a known method never passes [`BindingPolicy::IfBound`] or
//!   [`BindingPolicy::Required`];
//! * a token without `cnf` is a bearer token under `IfBound` and refused under `Required`; a
//!   proof the token does not ask for changes nothing;
//! * the error's [`challenge`](ResourceError::challenge) uses the scheme of the proof that
//!   failed: `DPoP` (RFC 9449 section 7.1; add `algs`) or `Bearer` (RFC 6750, for certificate
//!   binding and everything else).
//!
//! What the crate does **not** check, and the server must before it hands over the proof's
//! thumbprint (RFC 9449 section 4.3): the DPoP proof's signature, `typ` and `alg`; `htm` and
//! `htu` against the request; `iat` (and `jti` replay); `ath` against the hash of the access
//! token; the `nonce` when the server requires one; and that a DPoP-bound token came with the
//! `DPoP` authorization scheme (RFC 9449 section 7.2). It also checks no token signature,
//! expiry or audience: the claims it reads are those the server already trusts.
//!
//! ```
//! use rfc8705::cnf::{Binding, BindingPolicy, Claims, check_binding};
//! use rfc8705::{ResourceError, Thumbprint, jwk};
//! # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
//! let certificate = Thumbprint::from_der(&der)?;
//!
//! // The proof's `jwk` header (RFC 9449 section 7.1, Figure 14), after the server verified
//! // the proof.
//! let proof_jwk = serde_json::json!({"kty":"EC","crv":"P-256",
//!     "x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs",
//!     "y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"});
//! let proof_key = jwk::thumbprint(&proof_jwk)?;
//!
//! // Bound by both methods: both proofs, or a refusal.
//! let both = br#"{"cnf":{"x5t#S256":"A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0",
//!                        "jkt":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}}"#;
//! let policy = BindingPolicy::Required;
//! assert!(matches!(
//!     check_binding(policy, Claims::Json(both), Some(&certificate), Some(&proof_key)),
//!     Ok(Binding::Bound { certificate: Some(_), dpop_jkt: Some(_) })
//! ));
//! let both = Claims::Json(both);
//! assert_eq!(check_binding(policy, both, Some(&certificate), None), Err(ResourceError::NoDpopProof));
//! assert_eq!(check_binding(policy, both, None, Some(&proof_key)), Err(ResourceError::NoCertificate));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use alloc::string::String;
use core::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde_json::{Map, Value};

use crate::thumbprint::Thumbprint;

mod claims;
mod error;
mod issue;
mod read;

#[cfg(feature = "tower")]
pub(crate) use claims::check_binding_with;
pub use claims::{Claims, check_binding};
pub use error::ResourceError;
pub use issue::{
    BindWhen, IssuanceDecision, IssuanceError, IssuancePolicy, MissingCertificate,
    RefreshTokenError, RequestedBinding, UnboundReason, check_refresh_token_binding,
    decide_binding,
};
pub use read::{ClaimsError, MemberError};

/// The name of the RFC 8705 confirmation method member.
pub(crate) const X5T_S256: &str = "x5t#S256";

/// The name of the RFC 9449 confirmation method member.
pub(crate) const JKT: &str = "jkt";

/// A `cnf` (confirmation) value: the JWT claim of RFC 7800 section 3.1, also carried as a
/// top-level member of an introspection response (RFC 8705 section 3.2).
///
/// It keeps every member as received (in a `serde_json::Map`, so serialized back in the map's
/// order, sorted by name) and interprets none itself: a resource server that deserialized it
/// with the rest of a token's claims hands it to [`check_binding`] as [`Claims::Cnf`].
/// Deserializing fails only when `cnf` is not a JSON object or names a member twice.
///
/// ```
/// use rfc8705::cnf::{Binding, BindingPolicy, Claims, Confirmation, check_binding};
/// use rfc8705::ClientCertificate;
/// # let pem = rfc8705::__doc_support::rfc8705_appendix_a_pem();
///
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct AccessTokenClaims {
///     sub: String,
///     #[serde(default, skip_serializing_if = "Option::is_none")]
///     cnf: Option<Confirmation>,
/// }
///
/// // Authorization server: bind the token to the certificate the client presented.
/// let cert = ClientCertificate::from_pem(pem.as_bytes())?;
/// let claims = AccessTokenClaims {
///     sub: "ty.webb@example.com".into(),
///     cnf: Some(Confirmation::from(cert.thumbprint())),
/// };
/// let json = serde_json::to_string(&claims).unwrap();
/// assert_eq!(
///     json,
///     r#"{"sub":"ty.webb@example.com","cnf":{"x5t#S256":"A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"}}"#
/// );
///
/// // Resource server: check the token's claims against the connection's certificate,
/// // as JSON or as the `cnf` deserialized with the rest of the claims.
/// let bound = Ok(Binding::Bound { certificate: Some(cert.thumbprint()), dpop_jkt: None });
/// let presented = cert.thumbprint();
/// let claims = Claims::Json(json.as_bytes());
/// assert_eq!(check_binding(BindingPolicy::Required, claims, Some(&presented), None), bound);
/// let read: AccessTokenClaims = serde_json::from_str(&json).unwrap();
/// let claims = Claims::Cnf(read.cnf.as_ref());
/// assert_eq!(check_binding(BindingPolicy::Required, claims, Some(&presented), None), bound);
/// # Ok::<(), rfc8705::CertificateError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Confirmation {
    members: Map<String, Value>,
}

impl Confirmation {
    /// The `cnf` value `{"x5t#S256": "…"}` binding a token to the certificate with this
    /// thumbprint (RFC 8705 section 3.1); `Confirmation::from(thumbprint)`.
    pub(crate) fn from_thumbprint(thumbprint: &Thumbprint) -> Self {
        let mut members = Map::new();
        let mut buf = [0u8; crate::thumbprint::ENCODED_LEN];
        members.insert(
            X5T_S256.into(),
            Value::String(thumbprint.encode_to(&mut buf).into()),
        );
        Self { members }
    }

    /// Adds the RFC 9449 section 6.1 `jkt` member.
    pub(crate) fn insert_jkt(&mut self, jkt: &Thumbprint) {
        let mut buf = [0u8; crate::thumbprint::ENCODED_LEN];
        self.members
            .insert(JKT.into(), Value::String(jkt.encode_to(&mut buf).into()));
    }

    /// All members, as received.
    #[cfg(test)]
    fn members(&self) -> &Map<String, Value> {
        &self.members
    }
}

/// The `cnf` value `{"x5t#S256": "…"}` binding a token to the certificate with this thumbprint
/// (RFC 8705 section 3.1).
///
/// ```
/// use rfc8705::{cnf::Confirmation, Thumbprint};
/// let t: Thumbprint = "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0".parse()?;
/// let cnf = Confirmation::from(t);
/// assert_eq!(serde_json::to_string(&cnf).unwrap(), r#"{"x5t#S256":"A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"}"#);
/// # Ok::<(), rfc8705::ThumbprintError>(())
/// ```
impl From<Thumbprint> for Confirmation {
    fn from(t: Thumbprint) -> Self {
        Self::from_thumbprint(&t)
    }
}

impl fmt::Debug for Confirmation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.members.iter()).finish()
    }
}

impl serde::Serialize for Confirmation {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.members.len()))?;
        for (k, v) in &self.members {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> serde::Deserialize<'de> for Confirmation {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Confirmation;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a cnf JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Confirmation, A::Error> {
                let mut members = Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value: Value = map.next_value()?;
                    // A member named twice is ambiguous: two readers could pick different
                    // values (RFC 8259 section 4 leaves the behaviour unpredictable).
                    if members.insert(key, value).is_some() {
                        return Err(de::Error::custom("cnf names a member twice"));
                    }
                }
                Ok(Confirmation { members })
            }
        }
        d.deserialize_map(V)
    }
}

/// The resource server's binding policy: what a token must carry for a request to proceed.
///
/// RFC 8705 section 3 and RFC 9449 section 7.1 require the check for bound tokens; what to do
/// with an unbound token is the resource server's decision, made here explicitly.
///
/// ```
/// use rfc8705::cnf::BindingPolicy;
/// assert_eq!("required".parse::<BindingPolicy>(), Ok(BindingPolicy::Required));
/// assert_eq!(BindingPolicy::IfBound.to_string(), "if-bound");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum BindingPolicy {
    /// No check at all: the resource uses no sender-constrained tokens.
    Off,
    /// Check bound tokens; accept tokens without `cnf` as bearer tokens.
    #[default]
    IfBound,
    /// Every token must be sender-constrained, and every method in its `cnf` proven.
    Required,
}

impl BindingPolicy {
    /// The policy's name: `off`, `if-bound` or `required`.
    const fn as_str(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::IfBound => "if-bound",
            Self::Required => "required",
        }
    }
}

impl fmt::Display for BindingPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A binding policy name that is not `off`, `if-bound` or `required`.
///
/// ```
/// # use rfc8705::cnf::{BindingPolicy, UnknownPolicy};
/// assert_eq!("sometimes".parse::<BindingPolicy>(), Err(UnknownPolicy));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown binding policy; use off, if-bound or required")]
pub struct UnknownPolicy;

impl core::str::FromStr for BindingPolicy {
    type Err = UnknownPolicy;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "off" => Ok(Self::Off),
            "if-bound" => Ok(Self::IfBound),
            "required" => Ok(Self::Required),
            _ => Err(UnknownPolicy),
        }
    }
}

/// The successful outcomes of the resource server's check, [`check_binding`].
///
/// ```
/// use rfc8705::cnf::{Binding, BindingPolicy, Claims, check_binding};
/// assert_eq!(check_binding(BindingPolicy::IfBound, Claims::Json(b"{}"), None, None), Ok(Binding::NotBound));
/// assert_eq!(check_binding(BindingPolicy::Off, Claims::Json(b"{}"), None, None), Ok(Binding::Skipped));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Binding {
    /// Every confirmation method the token's `cnf` holds is proven (at least one).
    Bound {
        /// The presented certificate's thumbprint, when `cnf` holds `x5t#S256`.
        certificate: Option<Thumbprint>,
        /// The DPoP proof key's thumbprint, when `cnf` holds `jkt`.
        dpop_jkt: Option<Thumbprint>,
    },
    /// The token has no `cnf`; the policy ([`BindingPolicy::IfBound`]) accepts it as a bearer
    /// token.
    NotBound,
    /// The policy is [`BindingPolicy::Off`]; nothing was checked.
    Skipped,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_unknown_members() {
        let json = r#"{"jkt":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I","x5t#S256":"A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"}"#;
        let c: Confirmation = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), json);
        assert_eq!(c.members().len(), 2);
    }

    #[test]
    fn rejects_non_objects_and_duplicates() {
        assert!(serde_json::from_str::<Confirmation>("\"x\"").is_err());
        assert!(serde_json::from_str::<Confirmation>("[]").is_err());
        let dup = r#"{"x5t#S256":"a","x5t#S256":"b"}"#;
        assert!(serde_json::from_str::<Confirmation>(dup).is_err());
    }
}
