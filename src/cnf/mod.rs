//! The `cnf` confirmation claim (RFC 7800, RFC 8705 section 3): building it, reading it,
//! verifying a binding, and the resource-server and authorization-server binding policies.
//!
//! RFC 8705 section 3.1: "When access tokens are represented as JSON Web Tokens (JWT), the
//! certificate hash information SHOULD be represented using the `x5t#S256` confirmation method
//! member defined herein." Section 3.2: the hash is conveyed "using the same `cnf` with
//! `x5t#S256` member structure [...] as a top-level member of the introspection response JSON."
//!
//! * [`Confirmation`] is the `cnf` value: embed it in your own claims struct as
//!   `cnf: Option<Confirmation>`; it keeps members it does not know (`jkt`, `jwk`, ...) and keeps
//!   `x5t#S256` as received, so that a malformed value is reported when the binding is checked
//!   rather than when the claims are read.
//! * [`check_binding`] is the resource server's check for a parsed `cnf`;
//!   [`check_binding_in_claims`] does the same straight from the raw claims JSON (a JWT payload
//!   or an introspection response) without allocating.
//! * [`decide_binding`] and [`check_refresh_token_binding`] are the authorization server's side.

use alloc::string::String;
use core::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde_json::{Map, Value};

use crate::challenge::{BearerChallenge, BearerErrorCode};
use crate::error::{OAuthError, OAuthErrorCode};
use crate::thumbprint::{Thumbprint, ThumbprintError};

mod claims;
mod issue;

#[cfg(feature = "tower")]
pub(crate) use claims::check_thumbprint_in_claims;
pub use claims::{ClaimsError, check_binding_in_claims};
pub use issue::{
    BindWhen, IssuanceDecision, IssuanceError, IssuancePolicy, MissingCertificate,
    RefreshTokenError, RequestedBinding, check_refresh_token_binding, decide_binding,
};

/// The name of the RFC 8705 confirmation method member.
pub(crate) const X5T_S256: &str = "x5t#S256";

/// A `cnf` (confirmation) value: the JWT claim of RFC 7800 section 3.1, also carried as a
/// top-level member of an introspection response (RFC 8705 section 3.2).
///
/// It keeps every member as received (in a `serde_json::Map`, so serialized back in the map's
/// order, sorted by name); only `x5t#S256` is interpreted, and only by
/// [`Confirmation::thumbprint`] and the binding checks. Reading a
/// claims set whose `x5t#S256` is malformed therefore succeeds, and the malformed value is
/// reported by the binding check as [`BindingError::MalformedThumbprint`].
///
/// Deserializing fails only when `cnf` is not a JSON object or names a member twice.
///
/// ```
/// use rfc8705::cnf::{Binding, BindingPolicy, Confirmation, check_binding};
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
///     cnf: Some(Confirmation::from_thumbprint(&cert.thumbprint())),
/// };
/// let json = serde_json::to_string(&claims).unwrap();
/// assert_eq!(
///     json,
///     r#"{"sub":"ty.webb@example.com","cnf":{"x5t#S256":"A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"}}"#
/// );
///
/// // Resource server: read it back and check it against the connection's certificate.
/// let read: AccessTokenClaims = serde_json::from_str(&json).unwrap();
/// assert_eq!(
///     check_binding(BindingPolicy::Required, read.cnf.as_ref(), Some(cert.der())),
///     Ok(Binding::Bound(cert.thumbprint()))
/// );
/// # Ok::<(), rfc8705::CertificateError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Confirmation {
    members: Map<String, Value>,
    /// `x5t#S256` parsed once, when the value is built: the check then costs one SHA-256.
    x5t: Option<Result<Thumbprint, X5tS256Error>>,
}

impl Confirmation {
    /// The `cnf` value `{"x5t#S256": "…"}` binding a token to the certificate with this
    /// thumbprint (RFC 8705 section 3.1).
    ///
    /// ```
    /// use rfc8705::{cnf::Confirmation, Thumbprint};
    /// let t: Thumbprint = "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0".parse()?;
    /// let cnf = Confirmation::from_thumbprint(&t);
    /// assert_eq!(serde_json::to_string(&cnf).unwrap(), r#"{"x5t#S256":"A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"}"#);
    /// # Ok::<(), rfc8705::ThumbprintError>(())
    /// ```
    pub fn from_thumbprint(thumbprint: &Thumbprint) -> Self {
        let mut members = Map::new();
        let mut buf = [0u8; crate::thumbprint::ENCODED_LEN];
        members.insert(
            X5T_S256.into(),
            Value::String(thumbprint.encode_to(&mut buf).into()),
        );
        Self {
            members,
            x5t: Some(Ok(*thumbprint)),
        }
    }

    /// Wraps the members of a `cnf` object, as received.
    ///
    /// ```
    /// use rfc8705::cnf::Confirmation;
    /// let mut m = serde_json::Map::new();
    /// m.insert("jkt".into(), "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I".into());
    /// let cnf = Confirmation::from_members(m);
    /// assert_eq!(cnf.thumbprint(), Ok(None));
    /// ```
    pub fn from_members(members: Map<String, Value>) -> Self {
        let x5t = members.get(X5T_S256).map(|v| match v {
            Value::String(s) => parse_x5t(s),
            _ => Err(X5tS256Error::NotAString),
        });
        Self { members, x5t }
    }

    /// All members, as received (including `x5t#S256`).
    ///
    /// ```
    /// use rfc8705::cnf::Confirmation;
    /// let cnf: Confirmation = serde_json::from_str(r#"{"jkt":"abc"}"#).unwrap();
    /// assert_eq!(cnf.members()["jkt"], "abc");
    /// ```
    pub fn members(&self) -> &Map<String, Value> {
        &self.members
    }

    /// The `x5t#S256` member parsed strictly: `Ok(None)` when there is none, an error when it is
    /// not a string or not a canonical thumbprint.
    ///
    /// ```
    /// use rfc8705::cnf::{Confirmation, X5tS256Error};
    /// let cnf: Confirmation = serde_json::from_str(r#"{"x5t#S256":"A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"}"#).unwrap();
    /// assert!(cnf.thumbprint()?.is_some());
    /// let bad: Confirmation = serde_json::from_str(r#"{"x5t#S256":42}"#).unwrap();
    /// assert_eq!(bad.thumbprint(), Err(X5tS256Error::NotAString));
    /// # Ok::<(), X5tS256Error>(())
    /// ```
    pub fn thumbprint(&self) -> Result<Option<Thumbprint>, X5tS256Error> {
        self.x5t.transpose()
    }
}

/// Parses an `x5t#S256` value strictly, with [`Thumbprint::from_str`](core::str::FromStr).
pub(crate) fn parse_x5t(s: &str) -> Result<Thumbprint, X5tS256Error> {
    s.parse().map_err(X5tS256Error::Invalid)
}

/// The certificate on the request: its DER (hashed at the check), or its thumbprint computed
/// earlier (once per connection, by the `tower` feature's connection extension).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Presented<'a> {
    Der(&'a [u8]),
    #[cfg_attr(not(feature = "tower"), allow(dead_code))]
    Thumbprint(&'a Thumbprint),
}

/// The constant-time comparison at the heart of every check.
fn verify_thumbprint(
    expected: Thumbprint,
    presented: Presented<'_>,
) -> Result<Thumbprint, BindingError> {
    let matches = match presented {
        Presented::Der(der) => expected.matches_der(der),
        Presented::Thumbprint(t) => expected.ct_eq(t),
    };
    // RFC 8705 section 3: "If they do not match, the resource access attempt MUST be
    // rejected".
    if matches {
        Ok(expected)
    } else {
        Err(BindingError::Mismatch)
    }
}

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
                Ok(Confirmation::from_members(members))
            }
        }
        d.deserialize_map(V)
    }
}

/// Why an `x5t#S256` member is malformed.
///
/// ```
/// use rfc8705::cnf::{Confirmation, X5tS256Error};
/// use rfc8705::ThumbprintError;
/// let cnf: Confirmation = serde_json::from_str(r#"{"x5t#S256":"A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0="}"#).unwrap();
/// assert_eq!(cnf.thumbprint(), Err(X5tS256Error::Invalid(ThumbprintError::Padded)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum X5tS256Error {
    /// The member is not a JSON string.
    #[error("cnf x5t#S256 is not a JSON string")]
    NotAString,
    /// The member is a string but not a canonical thumbprint.
    #[error(transparent)]
    Invalid(ThumbprintError),
}

/// The resource server's binding policy: what a token must carry for a request to proceed.
///
/// RFC 8705 section 3 requires the check for bound tokens; what to do with an unbound token is
/// the resource server's decision, made here explicitly.
///
/// ```
/// use rfc8705::cnf::BindingPolicy;
/// assert_eq!("required".parse::<BindingPolicy>(), Ok(BindingPolicy::Required));
/// assert_eq!(BindingPolicy::IfBound.to_string(), "if-bound");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum BindingPolicy {
    /// No check at all: the resource does not use certificate-bound tokens.
    Off,
    /// Check bound tokens; accept tokens without `cnf` as bearer tokens.
    #[default]
    IfBound,
    /// Every token must be bound to the presented certificate.
    Required,
}

impl BindingPolicy {
    /// The policy's name: `off`, `if-bound` or `required`.
    ///
    /// ```
    /// # use rfc8705::cnf::BindingPolicy;
    /// assert_eq!(BindingPolicy::Off.as_str(), "off");
    /// ```
    pub const fn as_str(self) -> &'static str {
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

/// The successful outcomes of a resource server's binding check.
///
/// ```
/// use rfc8705::cnf::{Binding, BindingPolicy, check_binding};
/// assert_eq!(check_binding(BindingPolicy::IfBound, None, None), Ok(Binding::NotBound));
/// assert_eq!(check_binding(BindingPolicy::Off, None, None), Ok(Binding::Skipped));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Binding {
    /// The token is bound to the presented certificate, which has this thumbprint.
    Bound(Thumbprint),
    /// The token has no `cnf`; the policy ([`BindingPolicy::IfBound`]) accepts it as a bearer
    /// token.
    NotBound,
    /// The policy is [`BindingPolicy::Off`]; nothing was checked.
    Skipped,
}

/// Why a token is not accepted as bound to the presented certificate. Every variant maps to
/// `invalid_token` with HTTP status 401 (RFC 8705 section 3) and has its RFC 6750 challenge,
/// [`BindingError::challenge`].
///
/// The messages never contain the expected thumbprint.
///
/// ```
/// use rfc8705::cnf::{BindingError, BindingPolicy, check_binding};
/// use rfc8705::{OAuthError, OAuthErrorCode};
///
/// let err = check_binding(BindingPolicy::Required, None, Some(b"der")).unwrap_err();
/// assert_eq!(err, BindingError::NoConfirmation);
/// assert_eq!(err.oauth_error_code(), OAuthErrorCode::InvalidToken);
/// assert_eq!(
///     err.challenge().to_string(),
///     r#"Bearer error="invalid_token", error_description="The access token is not certificate-bound""#
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BindingError {
    /// The policy requires a bound token and the token has no `cnf`.
    #[error("the token has no cnf claim and the binding policy requires certificate-bound tokens")]
    NoConfirmation,
    /// The token's `cnf` has no `x5t#S256` (it may be bound to a DPoP key with `jkt`, or use
    /// another confirmation method): it is bound to something this check cannot verify, so it
    /// is rejected unless the policy is [`BindingPolicy::Off`].
    #[error(
        "the token's cnf has no x5t#S256 member: it is bound by another confirmation method that a certificate cannot confirm"
    )]
    UnsupportedConfirmation,
    /// The token's `x5t#S256` is not a canonical thumbprint.
    #[error("the token's cnf x5t#S256 is malformed: {0}")]
    MalformedThumbprint(X5tS256Error),
    /// The token is bound to a different certificate than the one presented.
    #[error("the token is bound to a different certificate than the one presented")]
    Mismatch,
    /// The token is bound but the request came without a client certificate.
    #[error(
        "the token is certificate-bound but no client certificate was presented on the connection"
    )]
    NoCertificate,
    /// The raw claims could not be read ([`check_binding_in_claims`] only).
    #[error("the token claims cannot be read: {0}")]
    MalformedClaims(ClaimsError),
}

impl BindingError {
    /// A short `error_description` for the RFC 6750 challenge: fixed text within the RFC 6750
    /// character set, never the expected thumbprint or any input byte.
    ///
    /// ```
    /// use rfc8705::cnf::BindingError;
    /// assert_eq!(BindingError::Mismatch.error_description(), "The access token is bound to a different certificate");
    /// ```
    pub const fn error_description(&self) -> &'static str {
        match self {
            Self::NoConfirmation => "The access token is not certificate-bound",
            Self::UnsupportedConfirmation => {
                "The access token is bound by a confirmation method other than x5t#S256"
            }
            Self::MalformedThumbprint(_) => "The access token has a malformed x5t#S256",
            Self::Mismatch => "The access token is bound to a different certificate",
            Self::NoCertificate => {
                "The access token is certificate-bound but no certificate was presented"
            }
            Self::MalformedClaims(_) => "The access token claims are malformed",
        }
    }

    /// The RFC 6750 `WWW-Authenticate` challenge for this failure: `Bearer
    /// error="invalid_token", error_description="…"`. Add `realm` or `resource_metadata` with
    /// the builder methods.
    ///
    /// ```
    /// use rfc8705::cnf::BindingError;
    /// let c = BindingError::Mismatch.challenge().realm("example");
    /// assert_eq!(c.status(), 401);
    /// assert_eq!(
    ///     c.to_string(),
    ///     r#"Bearer realm="example", error="invalid_token", error_description="The access token is bound to a different certificate""#
    /// );
    /// ```
    pub fn challenge(&self) -> BearerChallenge<'static> {
        BearerChallenge::new()
            .error(BearerErrorCode::InvalidToken)
            .error_description(self.error_description())
    }
}

impl OAuthError for BindingError {
    /// RFC 8705 section 3: "the resource access attempt MUST be rejected with an error, per
    /// \[RFC6750\], using an HTTP 401 status code and the `invalid_token` error code."
    fn oauth_error_code(&self) -> OAuthErrorCode {
        OAuthErrorCode::InvalidToken
    }
}

/// The resource server's binding check for a parsed `cnf`: applies `policy` to the token's
/// `cnf` (if any) and the DER of the certificate presented on the connection (if any).
///
/// Without allocating, and in constant time over the thumbprint comparison. Outcomes:
///
/// | policy | token | certificate | result |
/// |---|---|---|---|
/// | `Off` | any | any | `Ok(Skipped)` |
/// | `IfBound` | no `cnf` | any | `Ok(NotBound)` |
/// | `Required` | no `cnf` | any | `Err(NoConfirmation)` |
/// | `IfBound`/`Required` | `cnf` without `x5t#S256` | any | `Err(UnsupportedConfirmation)` |
/// | `IfBound`/`Required` | malformed `x5t#S256` | any | `Err(MalformedThumbprint)` |
/// | `IfBound`/`Required` | `x5t#S256` | none | `Err(NoCertificate)` |
/// | `IfBound`/`Required` | `x5t#S256` | different | `Err(Mismatch)` |
/// | `IfBound`/`Required` | `x5t#S256` | same | `Ok(Bound(thumbprint))` |
///
/// ```
/// use rfc8705::cnf::{Binding, BindingError, BindingPolicy, Confirmation, check_binding};
/// use rfc8705::ClientCertificate;
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
///
/// let cert = ClientCertificate::from_der(&der)?;
/// let cnf = Confirmation::from_thumbprint(&cert.thumbprint());
/// assert_eq!(
///     check_binding(BindingPolicy::Required, Some(&cnf), Some(cert.der())),
///     Ok(Binding::Bound(cert.thumbprint()))
/// );
/// assert_eq!(
///     check_binding(BindingPolicy::Required, Some(&cnf), None),
///     Err(BindingError::NoCertificate)
/// );
/// # Ok::<(), rfc8705::CertificateError>(())
/// ```
pub fn check_binding(
    policy: BindingPolicy,
    cnf: Option<&Confirmation>,
    presented_der: Option<&[u8]>,
) -> Result<Binding, BindingError> {
    let found = match cnf {
        None => Found::NoCnf,
        Some(c) => match c.thumbprint() {
            Ok(Some(t)) => Found::Thumbprint(t),
            Ok(None) => Found::NoX5t,
            Err(e) => Found::Malformed(e),
        },
    };
    apply_policy(policy, found, presented_der.map(Presented::Der))
}

/// What the token carries, once read.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Found {
    NoCnf,
    NoX5t,
    Malformed(X5tS256Error),
    Thumbprint(Thumbprint),
}

/// The policy table of [`check_binding`], shared with [`check_binding_in_claims`].
pub(crate) fn apply_policy(
    policy: BindingPolicy,
    found: Found,
    presented: Option<Presented<'_>>,
) -> Result<Binding, BindingError> {
    match (policy, found) {
        // The resource does not use bound tokens: nothing to check.
        (BindingPolicy::Off, _) => Ok(Binding::Skipped),
        // A bearer token is acceptable to this resource.
        (BindingPolicy::IfBound, Found::NoCnf) => Ok(Binding::NotBound),
        // This resource accepts only bound tokens.
        (BindingPolicy::Required, Found::NoCnf) => Err(BindingError::NoConfirmation),
        // Bound to something else (e.g. `jkt`): accepting it would turn a proof-of-possession
        // token into a bearer token.
        (_, Found::NoX5t) => Err(BindingError::UnsupportedConfirmation),
        (_, Found::Malformed(e)) => Err(BindingError::MalformedThumbprint(e)),
        (_, Found::Thumbprint(t)) => match presented {
            // RFC 8705 section 3: requests "MUST be made over a mutually authenticated TLS
            // connection using the same certificate that was used for mutual TLS at the token
            // endpoint."
            None => Err(BindingError::NoCertificate),
            Some(p) => verify_thumbprint(t, p).map(Binding::Bound),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    const APPENDIX_A: &str = "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0";

    fn cnf(json: &str) -> Confirmation {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn keeps_unknown_members_and_order_of_values() {
        let json = r#"{"jkt":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I","x5t#S256":"A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"}"#;
        let c = cnf(json);
        assert_eq!(serde_json::to_string(&c).unwrap(), json);
        assert_eq!(c.thumbprint().unwrap().unwrap().to_string(), APPENDIX_A);
    }

    #[test]
    fn malformed_thumbprint_reads_and_round_trips() {
        let json = r#"{"x5t#S256":"bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"}"#;
        let c = cnf(json);
        assert_eq!(serde_json::to_string(&c).unwrap(), json);
        assert_eq!(
            c.thumbprint(),
            Err(X5tS256Error::Invalid(ThumbprintError::NonCanonical))
        );
    }

    #[test]
    fn rejects_non_objects_and_duplicates() {
        assert!(serde_json::from_str::<Confirmation>("\"x\"").is_err());
        assert!(serde_json::from_str::<Confirmation>("[]").is_err());
        let dup = r#"{"x5t#S256":"a","x5t#S256":"b"}"#;
        assert!(serde_json::from_str::<Confirmation>(dup).is_err());
    }

    #[test]
    fn descriptions_are_in_the_rfc6750_charset() {
        let all = [
            BindingError::NoConfirmation,
            BindingError::UnsupportedConfirmation,
            BindingError::MalformedThumbprint(X5tS256Error::NotAString),
            BindingError::Mismatch,
            BindingError::NoCertificate,
            BindingError::MalformedClaims(ClaimsError::CnfNotAnObject),
        ];
        for e in all {
            let d = e.error_description();
            assert!(
                d.bytes()
                    .all(|b| matches!(b, 0x20..=0x21 | 0x23..=0x5b | 0x5d..=0x7e)),
                "{d}"
            );
            assert!(!e.to_string().is_empty());
            assert_eq!(e.challenge().status(), 401);
        }
    }
}
