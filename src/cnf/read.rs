//! Reading `cnf` from the raw claims JSON, without allocating.
//!
//! serde_json is the one JSON reader: a visitor walks the document, copies the text of
//! `cnf.x5t#S256` and `cnf.jkt` (43 characters when canonical) onto the stack, and skips every
//! other member without storing it.

use core::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::{Confirmation, JKT, X5T_S256};
use crate::thumbprint::{ENCODED_LEN, Thumbprint, ThumbprintError};

/// The largest claims document [`check_binding`] reads: 64 KiB. JWT payloads and
/// introspection responses are a few hundred bytes to a few KiB.
pub(crate) const MAX_CLAIMS_LEN: usize = 64 * 1024;

/// Why the raw claims could not be read. No variant carries input bytes.
///
/// ```
/// use rfc8705::cnf::{BindingPolicy, Claims, ClaimsError, check_binding};
/// use rfc8705::ResourceError;
/// let err = check_binding(BindingPolicy::Required, Claims::Json(br#"{"cnf":"x"}"#), None, None).unwrap_err();
/// assert_eq!(err, ResourceError::MalformedClaims(ClaimsError::CnfNotAnObject));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClaimsError {
    /// The document is larger than 64 KiB.
    #[error("the claims are {len} bytes long; the limit is {MAX_CLAIMS_LEN}")]
    TooLarge {
        /// The input length in bytes.
        len: usize,
    },
    /// The document is not a JSON object (syntax error, another JSON type, trailing data).
    #[error("the claims are not a JSON object (line {line}, column {column})")]
    Malformed {
        /// Line of the error, 1-based (as serde_json reports it).
        line: usize,
        /// Column of the error (as serde_json reports it).
        column: usize,
    },
    /// A member that decides the binding appears twice (`cnf`, `active`, or `x5t#S256` or
    /// `jkt` within `cnf`): different readers could pick different values.
    #[error("the claims name {0} twice")]
    DuplicateMember(&'static str),
    /// `cnf` is present but is not a JSON object.
    #[error("the cnf member is not a JSON object")]
    CnfNotAnObject,
}

/// Why a confirmation member (`x5t#S256` or `jkt`) is malformed.
///
/// ```
/// use rfc8705::cnf::{BindingPolicy, Claims, MemberError, check_binding};
/// use rfc8705::{ResourceError, ThumbprintError};
/// let claims = br#"{"cnf":{"jkt":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I="}}"#;
/// assert_eq!(
///     check_binding(BindingPolicy::IfBound, Claims::Json(claims), None, None),
///     Err(ResourceError::MalformedJkt(MemberError::Invalid(ThumbprintError::Padded)))
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MemberError {
    /// The member is not a JSON string.
    #[error("it is not a JSON string")]
    NotAString,
    /// The member is a string but not the canonical base64url text of a SHA-256 value.
    #[error(transparent)]
    Invalid(ThumbprintError),
}

/// What the claims say about `cnf`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Found {
    NoCnf,
    Cnf {
        x5t: Member,
        jkt: Member,
    },
    /// An introspection response whose `active` is present and not `true`: whatever its
    /// `cnf` says, the token is not one to accept.
    Inactive,
}

/// One confirmation member as read: its text when it has the canonical length.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Member {
    Absent,
    Text([u8; ENCODED_LEN]),
    Malformed(MemberError),
}

impl Found {
    /// What a `cnf` the caller deserialized says: the same verdicts as [`read_cnf`] on
    /// `{"cnf": cnf}` (a `Confirmation` holds no member twice).
    #[inline]
    pub(crate) fn from_confirmation(cnf: Option<&Confirmation>) -> Self {
        let Some(cnf) = cnf else { return Self::NoCnf };
        let (mut x5t, mut jkt) = (Member::Absent, Member::Absent);
        // One pass over the members (usually one or two) rather than one lookup per name.
        for (name, value) in &cnf.members {
            let slot = match name.as_str() {
                X5T_S256 => &mut x5t,
                JKT => &mut jkt,
                _ => continue,
            };
            *slot = match value {
                serde_json::Value::String(text) => Member::from_text(text),
                _ => Member::Malformed(MemberError::NotAString),
            };
        }
        Self::Cnf { x5t, jkt }
    }
}

impl Member {
    /// A member's string value: its text when it has the canonical length (the comparison
    /// decides), classified at once otherwise.
    #[inline]
    fn from_text(text: &str) -> Self {
        match <[u8; ENCODED_LEN]>::try_from(text.as_bytes()) {
            Ok(text) => Self::Text(text),
            Err(_) => match text.parse::<Thumbprint>() {
                Err(e) => Self::Malformed(MemberError::Invalid(e)),
                // Unreachable: a thumbprint has exactly ENCODED_LEN characters.
                Ok(_) => Self::Malformed(MemberError::NotAString),
            },
        }
    }
}

/// Reads what the claims say about `cnf`.
pub(crate) fn read_cnf(claims_json: &[u8]) -> Result<Found, ClaimsError> {
    if claims_json.len() > MAX_CLAIMS_LEN {
        return Err(ClaimsError::TooLarge {
            len: claims_json.len(),
        });
    }
    // One UTF-8 check over the whole document, instead of one per string that serde_json
    // borrows from a byte slice.
    let text = core::str::from_utf8(claims_json).map_err(|e| {
        let valid = claims_json.get(..e.valid_up_to()).unwrap_or_default();
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        ClaimsError::Malformed {
            line: 1 + valid.iter().filter(|&&b| b == b'\n').count(),
            column: 1 + valid.len() - line_start,
        }
    })?;
    let mut de = serde_json::Deserializer::from_str(text);
    let verdict = de::Deserializer::deserialize_map(&mut de, ClaimsVisitor);
    // Trailing data after the object is a malformed document, not a shorter one.
    let end = de.end();
    match (verdict, end) {
        (Ok(v), Ok(())) => v,
        (Err(e), _) | (Ok(_), Err(e)) => Err(ClaimsError::Malformed {
            line: e.line(),
            column: e.column(),
        }),
    }
}

/// The top-level members the verdict reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TopMember {
    Cnf,
    Active,
    Other,
}

/// Seeds a top-level key comparison without allocating.
struct TopKey;

impl<'de> DeserializeSeed<'de> for TopKey {
    type Value = TopMember;
    #[inline]
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<TopMember, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for TopKey {
    type Value = TopMember;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    #[inline]
    fn visit_str<E: de::Error>(self, v: &str) -> Result<TopMember, E> {
        Ok(match v {
            "cnf" => TopMember::Cnf,
            "active" => TopMember::Active,
            _ => TopMember::Other,
        })
    }
}

/// The `active` value: whether it is the JSON literal `true`.
struct IsTrue;

impl<'de> DeserializeSeed<'de> for IsTrue {
    type Value = bool;
    #[inline]
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for IsTrue {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<bool, A::Error> {
        drain_seq(seq).map(|()| false)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<bool, A::Error> {
        drain_map(map).map(|()| false)
    }
}

/// The top-level object: finds `cnf` and `active`, skips everything else.
///
/// RFC 7662 section 2.2: `active` is "REQUIRED. Boolean indicator of whether or not the
/// presented token is currently active." A JWT claims set has no `active`; an introspection
/// response whose `active` is anything but `true` describes a token that must not be
/// accepted, whatever its `cnf` says.
struct ClaimsVisitor;

impl<'de> Visitor<'de> for ClaimsVisitor {
    type Value = Result<Found, ClaimsError>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object of claims")
    }
    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut cnf: Option<Result<Found, ClaimsError>> = None;
        let mut active: Option<bool> = None;
        let mut duplicate = None;
        while let Some(member) = map.next_key_seed(TopKey)? {
            match member {
                TopMember::Cnf => {
                    let seen = map.next_value_seed(CnfVisitor)?;
                    if cnf.replace(seen).is_some() {
                        duplicate = Some("cnf");
                    }
                }
                TopMember::Active => {
                    let seen = map.next_value_seed(IsTrue)?;
                    if active.replace(seen).is_some() {
                        duplicate = Some("active");
                    }
                }
                TopMember::Other => {
                    map.next_value::<Skip>()?;
                }
            }
        }
        if let Some(name) = duplicate {
            return Ok(Err(ClaimsError::DuplicateMember(name)));
        }
        if active == Some(false) {
            return Ok(Ok(Found::Inactive));
        }
        Ok(cnf.unwrap_or(Ok(Found::NoCnf)))
    }
}

/// Skips any JSON value without allocating.
///
/// `serde::de::IgnoredAny` would make serde_json skip with its own routine, which records the
/// nesting of containers in a heap buffer; visiting the value instead costs nothing on the
/// heap (strings without escapes are borrowed from the input), and serde_json's recursion
/// limit still bounds the depth.
struct Skip;

impl<'de> serde::Deserialize<'de> for Skip {
    #[inline]
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SkipVisitor)
    }
}

struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = Skip;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Skip, A::Error> {
        drain_seq(seq).map(|()| Skip)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Skip, A::Error> {
        drain_map(map).map(|()| Skip)
    }
}

/// Drains a sequence the verdict does not need.
fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<Skip>()?.is_some() {}
    Ok(())
}

/// Drains a map the verdict does not need.
fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<Skip, Skip>()?.is_some() {}
    Ok(())
}

/// Which confirmation member a `cnf` key names, without allocating.
struct CnfKey;

#[derive(Clone, Copy, PartialEq, Eq)]
enum CnfMember {
    X5t,
    Jkt,
    Other,
}

impl<'de> DeserializeSeed<'de> for CnfKey {
    type Value = CnfMember;
    #[inline]
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<CnfMember, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for CnfKey {
    type Value = CnfMember;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    #[inline]
    fn visit_str<E: de::Error>(self, v: &str) -> Result<CnfMember, E> {
        Ok(match v {
            X5T_S256 => CnfMember::X5t,
            JKT => CnfMember::Jkt,
            _ => CnfMember::Other,
        })
    }
}

/// The `cnf` value.
struct CnfVisitor;

impl<'de> DeserializeSeed<'de> for CnfVisitor {
    type Value = Result<Found, ClaimsError>;
    #[inline]
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CnfVisitor {
    type Value = Result<Found, ClaimsError>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a cnf JSON object")
    }
    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut x5t, mut jkt) = (None, None);
        let mut duplicate = None;
        while let Some(member) = map.next_key_seed(CnfKey)? {
            let (slot, name) = match member {
                CnfMember::X5t => (&mut x5t, X5T_S256),
                CnfMember::Jkt => (&mut jkt, JKT),
                CnfMember::Other => {
                    // Other confirmation members (`jwk`, ...) are not methods this crate
                    // verifies.
                    map.next_value::<Skip>()?;
                    continue;
                }
            };
            let seen = map.next_value_seed(MemberVisitor)?;
            if slot.replace(seen).is_some() {
                duplicate = Some(name);
            }
        }
        Ok(match duplicate {
            Some(name) => Err(ClaimsError::DuplicateMember(name)),
            None => Ok(Found::Cnf {
                x5t: x5t.unwrap_or(Member::Absent),
                jkt: jkt.unwrap_or(Member::Absent),
            }),
        })
    }
    // `"cnf": null` is no cnf, as for `Option<Confirmation>`.
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Ok(Found::NoCnf))
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Ok(Found::NoCnf))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Err(ClaimsError::CnfNotAnObject))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Err(ClaimsError::CnfNotAnObject))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Err(ClaimsError::CnfNotAnObject))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Err(ClaimsError::CnfNotAnObject))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Err(ClaimsError::CnfNotAnObject))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        drain_seq(seq)?;
        Ok(Err(ClaimsError::CnfNotAnObject))
    }
}

/// An `x5t#S256` or `jkt` value: its text copied when it has the canonical length (escaped or
/// not), classified at once otherwise.
struct MemberVisitor;

impl<'de> DeserializeSeed<'de> for MemberVisitor {
    type Value = Member;
    #[inline]
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Member, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for MemberVisitor {
    type Value = Member;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a confirmation member")
    }
    #[inline]
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Member, E> {
        Ok(Member::from_text(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Member, E> {
        Ok(Member::Malformed(MemberError::NotAString))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Member, E> {
        Ok(Member::Malformed(MemberError::NotAString))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Member, E> {
        Ok(Member::Malformed(MemberError::NotAString))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Member, E> {
        Ok(Member::Malformed(MemberError::NotAString))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Member, E> {
        Ok(Member::Malformed(MemberError::NotAString))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Member, A::Error> {
        drain_seq(seq)?;
        Ok(Member::Malformed(MemberError::NotAString))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Member, A::Error> {
        drain_map(map)?;
        Ok(Member::Malformed(MemberError::NotAString))
    }
}

#[cfg(test)]
mod tests;
