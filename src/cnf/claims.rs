//! The binding check straight from the raw claims JSON, without allocating.
//!
//! A resource server usually holds the JWT payload or the introspection response as bytes
//! before it deserializes them into its own types. [`check_binding_in_claims`] reads only the
//! `cnf` member from those bytes (every other member is skipped without being stored)
//! and applies the policy, so the binding can be checked first and cheaply.
//!
//! serde_json is the one JSON reader: a visitor walks the document, borrows `cnf.x5t#S256`
//! when it holds no escapes, and skips every other member without storing it.

use core::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::{
    Binding, BindingError, BindingPolicy, Found, Presented, X5T_S256, X5tS256Error, apply_policy,
};
use crate::thumbprint::Thumbprint;

/// The largest claims document [`check_binding_in_claims`] reads: 64 KiB. JWT payloads and
/// introspection responses are a few hundred bytes to a few KiB.
pub(crate) const MAX_CLAIMS_LEN: usize = 64 * 1024;

/// Why the raw claims could not be read. No variant carries input bytes.
///
/// ```
/// use rfc8705::cnf::{BindingError, BindingPolicy, ClaimsError, check_binding_in_claims};
/// let err = check_binding_in_claims(BindingPolicy::Required, br#"{"cnf":"x"}"#, None).unwrap_err();
/// assert_eq!(err, BindingError::MalformedClaims(ClaimsError::CnfNotAnObject));
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
    /// A member that decides the binding appears twice (`cnf`, or `x5t#S256` within it):
    /// different readers could pick different values.
    #[error("the claims name {0} twice")]
    DuplicateMember(&'static str),
    /// `cnf` is present but is not a JSON object.
    #[error("the cnf member is not a JSON object")]
    CnfNotAnObject,
}

/// The resource server's binding check on the raw claims JSON: a JWT claims set (the decoded
/// payload, after the signature was verified) or a token introspection response (RFC 7662;
/// RFC 8705 section 3.2 puts `cnf` at its top level). Same outcomes as
/// [`check_binding`](super::check_binding), plus [`BindingError::MalformedClaims`].
///
/// Does not allocate (a key or value using JSON escapes costs serde_json one scratch buffer).
/// Costs less than the SHA-256 it ends with for a typical JWT claims set.
/// With [`BindingPolicy::Off`] the claims are not read at all. `"cnf": null` counts as no
/// `cnf`, as it does for `Option<Confirmation>`. Input limit: 64 KiB of JSON.
///
/// ```
/// use rfc8705::cnf::{Binding, BindingError, BindingPolicy, check_binding_in_claims};
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
///
/// let introspection = br#"{
///   "active": true,
///   "sub": "ty.webb@example.com",
///   "cnf": {"x5t#S256": "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"}
/// }"#;
/// let outcome = check_binding_in_claims(BindingPolicy::Required, introspection, Some(&der));
/// assert!(matches!(outcome, Ok(Binding::Bound(_))));
///
/// let dpop = br#"{"cnf": {"jkt": "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}}"#;
/// assert_eq!(
///     check_binding_in_claims(BindingPolicy::IfBound, dpop, Some(&der)),
///     Err(BindingError::UnsupportedConfirmation)
/// );
/// ```
pub fn check_binding_in_claims(
    policy: BindingPolicy,
    claims_json: &[u8],
    presented_der: Option<&[u8]>,
) -> Result<Binding, BindingError> {
    check_claims(policy, claims_json, presented_der.map(Presented::Der))
}

/// [`check_binding_in_claims`] against a thumbprint computed earlier (once per connection):
/// reading the claims and a 32-byte comparison, no SHA-256.
#[cfg(feature = "tower")]
pub(crate) fn check_thumbprint_in_claims(
    policy: BindingPolicy,
    claims_json: &[u8],
    presented: Option<&Thumbprint>,
) -> Result<Binding, BindingError> {
    check_claims(policy, claims_json, presented.map(Presented::Thumbprint))
}

fn check_claims(
    policy: BindingPolicy,
    claims_json: &[u8],
    presented: Option<Presented<'_>>,
) -> Result<Binding, BindingError> {
    if policy == BindingPolicy::Off {
        return Ok(Binding::Skipped);
    }
    let found = read_cnf(claims_json).map_err(BindingError::MalformedClaims)?;
    apply_policy(policy, found, presented)
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

/// Seeds a key comparison without allocating: `true` when the key equals `name`.
struct KeyIs(&'static str);

impl<'de> DeserializeSeed<'de> for KeyIs {
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeyIs {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        Ok(v == self.0)
    }
}

/// The top-level object: finds `cnf`, skips everything else.
struct ClaimsVisitor;

impl<'de> Visitor<'de> for ClaimsVisitor {
    type Value = Result<Found, ClaimsError>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object of claims")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut cnf: Option<Result<Found, ClaimsError>> = None;
        let mut duplicate = false;
        while let Some(is_cnf) = map.next_key_seed(KeyIs("cnf"))? {
            if is_cnf {
                let seen = map.next_value_seed(CnfVisitor)?;
                duplicate |= cnf.is_some();
                cnf = Some(seen);
            } else {
                map.next_value::<Skip>()?;
            }
        }
        if duplicate {
            return Ok(Err(ClaimsError::DuplicateMember("cnf")));
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

/// The `cnf` value.
struct CnfVisitor;

impl<'de> DeserializeSeed<'de> for CnfVisitor {
    type Value = Result<Found, ClaimsError>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CnfVisitor {
    type Value = Result<Found, ClaimsError>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a cnf JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut x5t: Option<Result<Thumbprint, X5tS256Error>> = None;
        let mut duplicate = false;
        while let Some(is_x5t) = map.next_key_seed(KeyIs(X5T_S256))? {
            if is_x5t {
                let seen = map.next_value_seed(X5tVisitor)?;
                duplicate |= x5t.is_some();
                x5t = Some(seen);
            } else {
                // Other confirmation members (`jkt`, `jwk`, ...) do not bind to a certificate.
                map.next_value::<Skip>()?;
            }
        }
        Ok(match (duplicate, x5t) {
            (true, _) => Err(ClaimsError::DuplicateMember(X5T_S256)),
            (false, None) => Ok(Found::NoX5t),
            (false, Some(Ok(t))) => Ok(Found::Thumbprint(t)),
            (false, Some(Err(e))) => Ok(Found::Malformed(e)),
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

/// The `x5t#S256` value, parsed in place (no copy, escaped or not).
struct X5tVisitor;

impl<'de> DeserializeSeed<'de> for X5tVisitor {
    type Value = Result<Thumbprint, X5tS256Error>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for X5tVisitor {
    type Value = Result<Thumbprint, X5tS256Error>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an x5t#S256 value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(super::parse_x5t(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Err(X5tS256Error::NotAString))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Err(X5tS256Error::NotAString))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Err(X5tS256Error::NotAString))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Err(X5tS256Error::NotAString))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Err(X5tS256Error::NotAString))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        drain_seq(seq)?;
        Ok(Err(X5tS256Error::NotAString))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        drain_map(map)?;
        Ok(Err(X5tS256Error::NotAString))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::thumbprint::ThumbprintError;
    use alloc::string::ToString;

    const A: &str = "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0";

    fn read(s: &str) -> Result<Found, ClaimsError> {
        read_cnf(s.as_bytes())
    }

    #[test]
    fn finds_cnf_among_other_claims() {
        let json = alloc::format!(
            r#"{{"iss":"x","aud":["a","b"],"n":{{"deep":[1,2,{{"cnf":1}}]}},"cnf":{{"jkt":"q","x5t#S256":"{A}"}},"exp":1}}"#
        );
        assert!(matches!(read(&json), Ok(Found::Thumbprint(t)) if t.to_string() == A));
    }

    #[test]
    fn escaped_thumbprint_is_the_same_string() {
        let json = r#"{"cnf":{"x5t#S256":"\u00414DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"}}"#;
        assert!(matches!(read(json), Ok(Found::Thumbprint(_))));
    }

    #[test]
    fn each_shape_has_its_verdict() {
        assert!(matches!(read("{}"), Ok(Found::NoCnf)));
        assert!(matches!(read(r#"{"cnf":null}"#), Ok(Found::NoCnf)));
        assert!(matches!(read(r#"{"cnf":{}}"#), Ok(Found::NoX5t)));
        assert!(matches!(
            read(r#"{"cnf":{"x5t#S256":null}}"#),
            Ok(Found::Malformed(X5tS256Error::NotAString))
        ));
        assert!(matches!(
            read(r#"{"cnf":{"x5t#S256":{"a":[1]}}}"#),
            Ok(Found::Malformed(X5tS256Error::NotAString))
        ));
        assert!(matches!(
            read(r#"{"cnf":{"x5t#S256":"abc="}}"#),
            Ok(Found::Malformed(X5tS256Error::Invalid(
                ThumbprintError::Padded
            )))
        ));
        assert_eq!(
            read(r#"{"cnf":[1,{"x":2}]}"#).err(),
            Some(ClaimsError::CnfNotAnObject)
        );
        assert_eq!(
            read(r#"{"cnf":{},"cnf":{}}"#).err(),
            Some(ClaimsError::DuplicateMember("cnf"))
        );
        assert_eq!(
            read(r#"{"cnf":{"x5t#S256":"a","x5t#S256":"b"}}"#).err(),
            Some(ClaimsError::DuplicateMember("x5t#S256"))
        );
    }

    #[test]
    fn malformed_documents() {
        for bad in ["", "[]", "\"cnf\"", "{", "{} {}", "{\"cnf\":}", "nul"] {
            assert!(
                matches!(read(bad), Err(ClaimsError::Malformed { .. })),
                "{bad:?}"
            );
        }
        let big = alloc::vec![b' '; MAX_CLAIMS_LEN + 1];
        assert_eq!(
            read_cnf(&big).err(),
            Some(ClaimsError::TooLarge {
                len: MAX_CLAIMS_LEN + 1
            })
        );
    }

    fn nested(open: &str, close: &str, depth: usize) -> alloc::string::String {
        alloc::format!(r#"{{"a":{}1{}}}"#, open.repeat(depth), close.repeat(depth))
    }

    #[test]
    fn reads_what_authorization_servers_issue() {
        let jwt = alloc::format!(
            r#"{{"iss":"https://as.example.com","sub":"merchant-4711","aud":["https://rs.example.com"],"exp":1798761600,"iat":1798758000,"nbf":-0,"ratio":0.25,"jti":"4c0b8f7e","scope":"read write","client_id":"s6BhdRkqt3","active":true,"ext":{{"a":[1,{{}},[],null,false]}},"cnf":{{"x5t#S256":"{A}"}}}}"#
        );
        let pretty = "{\r\n\t\"sub\" : \"Jos\u{e9}\" ,\n  \"cnf\" : { \"jkt\" : \"q\" , \"x5t#S256\" : \"A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0\" }\n}\n";
        let escaped =
            "{\"cnf\":{\"x5t#S256\":\"\\u00414DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0\"}}";
        for doc in [jwt.as_str(), pretty, escaped] {
            assert!(
                matches!(read(doc), Ok(Found::Thumbprint(t)) if t.to_string() == A),
                "{doc}"
            );
        }
    }

    #[test]
    fn every_malformed_document_is_malformed() {
        let malformed: [&[u8]; 29] = [
            b"",
            b" ",
            b"[]",
            b"\"cnf\"",
            b"{",
            b"{} {}",
            b"{}x",
            b"\xef\xbb\xbf{}",
            b"{\"cnf\":}",
            b"{\"a\":1,}",
            b"{\"a\":[1,]}",
            b"{\"a\":[1 2]}",
            b"{\"a\" 1}",
            b"{\"a\":1 \"b\":2}",
            b"{1:2}",
            b"{\"a\":01}",
            b"{\"a\":-}",
            b"{\"a\":1.}",
            b"{\"a\":.5}",
            b"{\"a\":1e400}",
            b"{\"a\":nul}",
            b"{\"a\":truex}",
            b"{\"a\":\"\x01\"}",
            b"{\"a\":\"\xff\"}",
            b"{\"a\":\"\xc3\"}",
            b"{\"a\":{]}",
            b"{\"a\":[}",
            b"{\"cnf\":{\"x5t#S256\":\"\\u00\"}}",
            b"{\"cnf\":{\"x5t#S256\":\"a\",}}",
        ];
        for doc in malformed {
            assert!(
                matches!(read_cnf(doc), Err(ClaimsError::Malformed { .. })),
                "{:?}",
                alloc::string::String::from_utf8_lossy(doc)
            );
        }
        // serde_json's recursion limit: 127 levels inside the claims object are refused.
        assert!(matches!(read(&nested("[", "]", 126)), Ok(Found::NoCnf)));
        assert!(matches!(
            read(&nested("[", "]", 127)),
            Err(ClaimsError::Malformed { .. })
        ));
    }

    proptest::proptest! {
        /// Token soup: mostly malformed, sometimes valid; never a panic, and a verdict only
        /// for a document serde_json reads as an object.
        #[test]
        fn token_soup_never_panics(
            tokens in proptest::collection::vec(proptest::sample::select(&[
                "{", "}", "[", "]", ":", ",", " ", "\n", "\"cnf\"", "\"x5t#S256\"",
                "\"A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0\"", "\"jkt\"", "\"a\"",
                "1", "-0", "0.5", "01", "1e3", "-", "true", "null", "nul", "\"\\u0041\"",
                "\"\u{e9}\"", "\"", "{\"cnf\":", "{\"x5t#S256\":",
            ][..]), 0..24)
        ) {
            let mut doc = alloc::string::String::from("{");
            for t in tokens {
                doc.push_str(t);
            }
            if read_cnf(doc.as_bytes()).is_ok() {
                let object = serde_json::from_str::<serde_json::Value>(&doc);
                proptest::prop_assert!(matches!(object, Ok(serde_json::Value::Object(_))), "{}", doc);
            }
        }

        /// Valid documents: the verdict is the one `serde_json::Value` gives.
        #[test]
        fn reads_every_document_as_value_does(value in plain_json(), pretty in proptest::bool::ANY) {
            let doc = if pretty {
                serde_json::to_string_pretty(&value).unwrap()
            } else {
                serde_json::to_string(&value).unwrap()
            };
            let want = match value.get("cnf") {
                None | Some(serde_json::Value::Null) => "NoCnf",
                Some(serde_json::Value::Object(cnf)) => match cnf.get("x5t#S256") {
                    None => "NoX5t",
                    Some(serde_json::Value::String(s)) if s == A => "Thumbprint",
                    Some(_) => "Malformed",
                },
                Some(_) => "CnfNotAnObject",
            };
            let got = match read_cnf(doc.as_bytes()) {
                Ok(Found::NoCnf) => "NoCnf",
                Ok(Found::NoX5t) => "NoX5t",
                Ok(Found::Thumbprint(_)) => "Thumbprint",
                Ok(Found::Malformed(_)) => "Malformed",
                Err(ClaimsError::CnfNotAnObject) => "CnfNotAnObject",
                Err(e) => return Err(proptest::test_runner::TestCaseError::fail(alloc::format!("{e:?}"))),
            };
            proptest::prop_assert_eq!(got, want, "{}", doc);
        }
    }

    /// Claims objects holding strings without escapes, small numbers, and `cnf` or
    /// `x5t#S256` members of every type, nested a few levels.
    fn plain_json() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i32>().prop_map(Value::from),
            (-1000i32..1000).prop_map(|n| Value::from(f64::from(n) / 8.0)),
            "[a-zA-Z0-9 #./:-]{0,12}".prop_map(Value::from),
            Just(Value::from(A)),
        ];
        let key = || {
            proptest::sample::select(&["cnf", "x5t#S256", "jkt", "sub", "aud"][..])
                .prop_map(alloc::string::String::from)
        };
        let value = leaf.prop_recursive(4, 24, 4, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::btree_map(key(), inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        });
        proptest::collection::btree_map(key(), value, 0..5)
            .prop_map(|m| Value::Object(m.into_iter().collect()))
    }

    #[test]
    fn off_does_not_read() {
        assert_eq!(
            check_binding_in_claims(BindingPolicy::Off, b"not json", None),
            Ok(Binding::Skipped)
        );
    }
}
