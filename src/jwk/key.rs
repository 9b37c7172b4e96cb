//! One key of a set: its members, its `x5c`, and the check that they agree.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64, Encoding};
use serde_json::{Map, Value};

use super::name::{JwkName, escaped};
use super::spki::check_certificate_holds_key;
use super::{JwkProblem, MAX_KID_LEN, MAX_X5C_CERTIFICATES};
use crate::{ClientCertificate, Thumbprint};

/// What became of one key of a set.
pub(super) enum KeyRead {
    /// `x5c[0]` holds the key; the thumbprints of the rest of `x5c`.
    Certified(JwkName, Box<ClientCertificate<'static>>, Vec<Thumbprint>),
    /// A good public key without `x5c`.
    WithoutCertificate,
    /// Left out: why, whether it has `x5c`, and the thumbprint of `x5c[0]` when it decoded.
    Skipped(JwkName, JwkProblem, bool, Option<Thumbprint>),
}

/// Reads the key at `index` of a set.
pub(super) fn read_key(index: usize, value: &Value) -> KeyRead {
    let mut name = JwkName { index, kid: None };
    let Some(object) = value.as_object() else {
        return KeyRead::Skipped(name, JwkProblem::NotAnObject, false, None);
    };
    let has_x5c = object.contains_key("x5c");
    if let Some(Value::String(kid)) = object.get("kid")
        && kid.len() <= MAX_KID_LEN
    {
        name.kid = Some(kid.clone());
    }
    match read_checked(object) {
        Ok(None) => KeyRead::WithoutCertificate,
        Ok(Some((certificate, chain))) => KeyRead::Certified(name, Box::new(certificate), chain),
        Err((problem, x5c0)) => KeyRead::Skipped(name, problem, has_x5c, x5c0),
    }
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
pub(super) fn read_key_members(object: &Map<String, Value>) -> Result<jose_jwk::Key, JwkProblem> {
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
