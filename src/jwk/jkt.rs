//! RFC 7638 JWK Thumbprints: the `jkt` of RFC 9449 (DPoP) section 6.1.
//!
//! RFC 7638 section 3: "1. Construct a JSON object [RFC7159] containing only the required
//! members of a JWK representing the key and with no whitespace or line breaks before or after
//! any syntactic elements and with the required members ordered lexicographically by the
//! Unicode [UNICODE] code points of the member names. [...] 2. Hash the octets of the UTF-8
//! representation of this JSON object with a cryptographic hash function H."

use alloc::string::String;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::JwkProblem;
use super::key::read_key_members;
use crate::Thumbprint;

/// The required members of each key type, in lexicographic order (RFC 7638 section 3.2 for
/// `EC` and `RSA`, RFC 8037 section 2 for `OKP`: "The parameter "kty" MUST be "OKP"", with
/// `crv` and `x`).
fn required_members(kty: &str) -> Option<&'static [&'static str]> {
    match kty {
        "EC" => Some(&["crv", "kty", "x", "y"]),
        "RSA" => Some(&["e", "kty", "n"]),
        "OKP" => Some(&["crv", "kty", "x"]),
        _ => None,
    }
}

/// The RFC 7638 SHA-256 thumbprint of a public JWK (`EC`, `RSA` or `OKP`): the value of
/// `cnf.jkt` in a DPoP-bound token (RFC 9449 section 6.1), as strict base64url text through
/// [`Thumbprint`]'s `Display`.
///
/// Only the required members enter the hash (`crv`, `kty`, `x`, `y`; `e`, `kty`, `n`;
/// `crv`, `kty`, `x`); optional members (`kid`, `alg`, `use`, `x5c`, ...) and private members
/// (`d`, `p`, ...) are ignored, so a private JWK has the thumbprint of its public key (RFC 7638
/// section 3.2.1). The key members are checked as a JWK Set's are: unpadded base64url, a known
/// `crv`. A `kty` of `oct` is refused ([`JwkProblem::SymmetricKey`]): a DPoP key is asymmetric.
///
/// A thumbprint is a SHA-256 value with the same text and the same strict parsing as an
/// `x5t#S256`, so it is a [`Thumbprint`]; what it identifies (a key, not a certificate) is the
/// member it sits in.
///
/// ```
/// use serde_json::json;
/// // RFC 7638 section 3.1.
/// let jwk = json!({
///     "kty": "RSA",
///     "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
///     "e": "AQAB",
///     "alg": "RS256",
///     "kid": "2011-04-29"
/// });
/// let jkt = rfc8705::jwk::thumbprint(&jwk)?;
/// assert_eq!(jkt.to_string(), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
/// # Ok::<(), rfc8705::jwk::JwkProblem>(())
/// ```
pub fn thumbprint(jwk: &Value) -> Result<Thumbprint, JwkProblem> {
    let object = jwk.as_object().ok_or(JwkProblem::NotAnObject)?;
    let kty = match object.get("kty") {
        None => return Err(JwkProblem::MissingMember { member: "kty" }),
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err(JwkProblem::MemberNotString { member: "kty" }),
    };
    let Some(members) = required_members(kty) else {
        // The set reader's answer: `oct` refused, anything else unsupported.
        return Err(match read_key_members(object) {
            Err(problem) => problem,
            Ok(_) => JwkProblem::UnsupportedKeyType { kty: kty.into() },
        });
    };
    // Only the required members: private and optional ones can neither fail the key nor enter
    // the hash.
    let mut only = Map::new();
    for m in members {
        if let Some(v) = object.get(*m) {
            only.insert((*m).into(), v.clone());
        }
    }
    read_key_members(&only)?;
    // The checked members are strings of base64url or a `crv` name: none needs escaping, so
    // the canonical form is their text between quotes (RFC 7638 section 3.3: "the characters
    // in member names and member values MUST be represented without being escaped").
    let mut canonical = String::with_capacity(256);
    canonical.push('{');
    for (i, m) in members.iter().enumerate() {
        let value = only.get(*m).and_then(Value::as_str).unwrap_or_default();
        if i > 0 {
            canonical.push(',');
        }
        canonical.push('"');
        canonical.push_str(m);
        canonical.push_str("\":\"");
        canonical.push_str(value);
        canonical.push('"');
    }
    canonical.push('}');
    Ok(Thumbprint::from_bytes(
        Sha256::digest(canonical.as_bytes()).into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use serde_json::json;

    #[test]
    fn rfc9449_figure_14_key_has_the_jkt_of_figure_9() {
        // RFC 9449 section 7.1, Figure 14 (the DPoP proof's jwk) and section 6.1, Figure 9.
        let jwk = json!({"kty":"EC","x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs",
            "y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA","crv":"P-256"});
        assert_eq!(
            thumbprint(&jwk).unwrap().to_string(),
            "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"
        );
    }

    #[test]
    fn private_and_optional_members_do_not_count() {
        let public =
            json!({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"});
        let mut private = public.clone();
        private["d"] = json!("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A");
        private["kid"] = json!("k");
        private["use"] = json!("sig");
        assert_eq!(thumbprint(&public), thumbprint(&private));
    }

    #[test]
    fn not_a_public_jwk() {
        assert_eq!(thumbprint(&json!([])), Err(JwkProblem::NotAnObject));
        assert_eq!(
            thumbprint(&json!({"crv":"P-256"})),
            Err(JwkProblem::MissingMember { member: "kty" })
        );
        assert_eq!(
            thumbprint(&json!({"kty":1})),
            Err(JwkProblem::MemberNotString { member: "kty" })
        );
        assert_eq!(
            thumbprint(&json!({"kty":"oct","k":"AAAA"})),
            Err(JwkProblem::SymmetricKey)
        );
        assert!(matches!(
            thumbprint(&json!({"kty":"AKP"})),
            Err(JwkProblem::UnsupportedKeyType { .. })
        ));
        for bad in [
            json!({"kty":"RSA","e":"AQAB"}),
            json!({"kty":"RSA","e":"AQAB=","n":"AQAB"}),
            json!({"kty":"EC","crv":"P-256","x":"AQAB"}),
            json!({"kty":"EC","crv":"P-257","x":"AQAB","y":"AQAB"}),
            json!({"kty":"OKP","crv":"Ed25519","x":"a+b/"}),
            json!({"kty":"OKP","crv":"Ed25519","x":7}),
        ] {
            assert!(
                matches!(thumbprint(&bad), Err(JwkProblem::InvalidKeyMembers { .. })),
                "{bad}"
            );
        }
    }
}
