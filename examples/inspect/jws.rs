//! `verify --claims FILE` with a compact JWS (a signed JWT): its payload is the claims set.
//!
//! RFC 7515 section 7.1: the compact serialization is `BASE64URL(header) '.' BASE64URL(payload)
//! '.' BASE64URL(signature)`. RFC 7516 section 7.1: a JWE has five parts; its payload is
//! encrypted, so there are no claims to read without the key.

use base64ct::{Base64UrlUnpadded, Encoding};

use crate::BadInput;

/// The claims JSON of `bytes`: the bytes themselves when they are JSON, or the payload of a
/// compact JWS (with a note on stderr that its signature was not checked). A JWE is bad
/// input.
pub fn claims_json(path: &str, bytes: Vec<u8>) -> Result<Vec<u8>, BadInput> {
    let text = bytes.trim_ascii();
    // JSON starts with `{` (or is malformed, which the claims reader reports); a compact
    // serialization is base64url parts and dots only.
    let compact = !text.is_empty()
        && text
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if !compact {
        return Ok(bytes);
    }
    let parts: Vec<&[u8]> = text.split(|b| *b == b'.').collect();
    match parts.as_slice() {
        [header, payload, _signature] => {
            let header = decode(path, "header", header)?;
            let header: serde_json::Value = serde_json::from_slice(&header)
                .map_err(|_| BadInput(format!("{path}: the JWS header is not JSON")))?;
            let alg = header
                .get("alg")
                .and_then(|a| a.as_str())
                .ok_or_else(|| BadInput(format!("{path}: the JWS header has no \"alg\" string")))?;
            let payload = decode(path, "payload", payload)?;
            eprintln!(
                "note: {path} is a compact JWS (alg {alg:?}); only its payload was read, its signature was NOT checked"
            );
            Ok(payload)
        }
        [_, _, _, _, _] => Err(BadInput(format!(
            "{path} is a compact JWE (5 parts): its claims are encrypted; decrypt it and pass the claims set (or the inner JWS)"
        ))),
        _ => Err(BadInput(format!(
            "{path} is neither JSON nor a compact JWS (3 base64url parts separated by '.'): it has {} parts",
            parts.len()
        ))),
    }
}

fn decode(path: &str, what: &str, part: &[u8]) -> Result<Vec<u8>, BadInput> {
    std::str::from_utf8(part)
        .ok()
        .and_then(|p| Base64UrlUnpadded::decode_vec(p).ok())
        .ok_or_else(|| BadInput(format!("{path}: the JWS {what} is not base64url")))
}
