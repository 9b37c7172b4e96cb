//! A SHA-256 fingerprint header: the hash-only `fingerprint` format.
//!
//! Some proxies forward the certificate's SHA-256 instead of the certificate: Cloudflare's
//! `cf.tls_client_auth.cert_fingerprint_sha256` (64 lower-case hex digits, empty when the
//! client presented none), Caddy's `{http.request.tls.client.fingerprint}`, or a header
//! written with OpenSSL's rendering (`openssl x509 -fingerprint -sha256`: upper-case pairs
//! separated by `:`). The SHA-256 of the DER is the `x5t#S256` thumbprint (RFC 8705 section
//! 3.1), so it is all a resource server's check needs; it is nothing else.

use super::error::Reason;
use super::percent::hex_pair;
use crate::thumbprint::Thumbprint;

/// Hex digits of a SHA-256 digest.
const DIGITS: usize = 64;
/// The same, as 32 pairs separated by 31 colons.
const WITH_COLONS: usize = DIGITS + 31;

/// Reads 64 hex digits (either case), or 32 `:`-separated pairs; nothing else (a SHA-1
/// fingerprint has 40 digits, and `SHA256 Fingerprint=` prefixes are not values).
pub(crate) fn decode(value: &[u8]) -> Result<Thumbprint, Reason> {
    let value = value.trim_ascii();
    digest(value)
        .map(Thumbprint::from_bytes)
        .ok_or(Reason::MalformedFingerprint { len: value.len() })
}

/// The 32 bytes `value` spells, if it is a fingerprint.
fn digest(value: &[u8]) -> Option<[u8; 32]> {
    match value.len() {
        DIGITS => hex_sha256(value),
        WITH_COLONS => {
            let mut digest = [0u8; 32];
            // Pairs at 0, 3, 6, …; a `:` after every pair but the last.
            for (i, (byte, group)) in digest.iter_mut().zip(value.chunks(3)).enumerate() {
                *byte = match *group {
                    [hi, lo, b':'] if i < 31 => hex_pair(hi, lo)?,
                    [hi, lo] if i == 31 => hex_pair(hi, lo)?,
                    _ => return None,
                };
            }
            Some(digest)
        }
        _ => None,
    }
}

/// Exactly 64 hex digits (either case) as the SHA-256 digest they spell: the crate's one
/// reader of hex digests (this format, Envoy's XFCC `Hash`, CloudFront's
/// `CloudFront-Viewer-Cert-Sha256`).
pub(crate) fn hex_sha256(value: &[u8]) -> Option<[u8; 32]> {
    let pairs = value.as_chunks::<2>();
    let (pairs, []) = pairs else {
        return None;
    };
    if pairs.len() != 32 {
        return None;
    }
    let mut digest = [0u8; 32];
    for (byte, &[hi, lo]) in digest.iter_mut().zip(pairs) {
        *byte = hex_pair(hi, lo)?;
    }
    Some(digest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::__doc_support::rfc8705_appendix_a_der;
    use alloc::string::String;
    use core::fmt::Write;

    fn hex(bytes: &[u8], upper: bool, sep: &str) -> String {
        let mut out = String::new();
        for (i, b) in bytes.iter().enumerate() {
            if i > 0 {
                out.push_str(sep);
            }
            if upper {
                write!(out, "{b:02X}").unwrap();
            } else {
                write!(out, "{b:02x}").unwrap();
            }
        }
        out
    }

    #[test]
    fn every_spelling() {
        let thumbprint = Thumbprint::from_der(&rfc8705_appendix_a_der()).unwrap();
        let digest = thumbprint.as_bytes();
        // Cloudflare: lower-case; OpenSSL: upper-case pairs with colons; either case mixed.
        for value in [
            hex(digest, false, ""),
            hex(digest, true, ""),
            hex(digest, true, ":"),
            String::from(" ") + &hex(digest, false, ":") + "\t",
        ] {
            assert_eq!(decode(value.as_bytes()), Ok(thumbprint), "{value}");
        }
        // The openssl vector of tests/data: `openssl x509 -noout -fingerprint -sha256`.
        let openssl = "03:80:ED:2F:62:66:50:C8:40:B2:F2:63:E6:D2:B2:9F:AE:12:AB:39:AE:5D:B3:2B:25:AD:27:EF:AD:72:E6:FD";
        assert_eq!(decode(openssl.as_bytes()), Ok(thumbprint));
    }

    #[test]
    fn refusals() {
        let digest = [0xabu8; 32];
        let sha1 = hex(&digest[..20], false, "");
        let short = hex(&digest[..31], false, "");
        let long = hex(&[0xab; 33], false, "");
        let prefixed = String::from("SHA256 Fingerprint=") + &hex(&digest, true, ":");
        let half_colons = hex(&digest[..16], false, ":") + &hex(&digest[16..], false, "");
        let mut bad_digit = hex(&digest, false, "");
        bad_digit.replace_range(10..11, "g");
        let mut moved_colon = hex(&digest, false, ":");
        moved_colon.replace_range(2..4, "a:");
        for value in [
            sha1,
            short,
            long,
            prefixed,
            half_colons,
            bad_digit,
            moved_colon,
            String::new(),
        ] {
            let len = value.trim().len();
            assert_eq!(
                decode(value.as_bytes()),
                Err(Reason::MalformedFingerprint { len }),
                "{value}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn round_trips(digest in proptest::array::uniform32(proptest::prelude::any::<u8>()), upper: bool, colons: bool) {
            let value = hex(&digest, upper, if colons { ":" } else { "" });
            proptest::prop_assert_eq!(decode(value.as_bytes()), Ok(Thumbprint::from_bytes(digest)));
        }

        #[test]
        fn total(value in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..120)) {
            let _ = decode(&value);
        }
    }
}
