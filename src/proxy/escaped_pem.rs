//! URL-encoded PEM: nginx `$ssl_client_escaped_cert`, Caddy (and, for compatibility, Traefik's
//! bare base64 DER).
//!
//! nginx documents the variable as "the client certificate in the PEM format (urlencoded)";
//! its code escapes every byte but `ALPHA DIGIT - . _ ~` as `%XX`. Versions and proxies differ
//! in which punctuation they escape, so this decoder accepts any `%XX` and any raw byte, and
//! — unlike HTML form decoding — keeps `+` as `+`: base64 uses it, and AWS ALB sends it raw
//! (see [`alb`](super::alb)).
//!
//! Traefik is not a URL-encoded-PEM proxy, whatever its documentation calls the value:
//! `passTLSClientCert` with `pem: true` strips the `BEGIN`/`END` lines and line breaks and joins
//! the certificates with `,` (up to v2.9 it also URL-escaped each one; see
//! [`bare_der`], that format's own decoder). That form (base64 DER, escaped
//! or not, comma-separated) is accepted here too, so configurations that read Traefik's header
//! as `escaped-pem` keep working.
//!
//! The first certificate is the leaf; any others are its chain, in the order sent.
//!
//! ```
//! use rfc8705::proxy::escaped_pem;
//! # let pem = rfc8705::__doc_support::rfc8705_appendix_a_pem();
//! # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
//! let value = escaped_pem::encode(pem.as_bytes());
//! assert!(value.starts_with("-----BEGIN%20CERTIFICATE-----%0AMIIBBjCB"));
//! let (leaf, chain) = escaped_pem::decode(value.as_bytes())?;
//! assert_eq!((leaf, chain.len()), (der, 0));
//! # Ok::<(), rfc8705::proxy::EscapedPemError>(())
//! ```

use alloc::string::String;
use alloc::vec::Vec;

use super::bare_der::{self, BareDerError};
use super::pem_block::{BEGIN, END, block_der, end_line, find};
use super::{MAX_CHAIN_LEN, MAX_FIELD_VALUE_LEN};
use crate::cert::{CertificateError, pem_to_der};
use crate::error::{OAuthError, OAuthErrorCode};

/// Why a URL-encoded PEM value (nginx, Caddy, AWS ALB, CloudFront, Envoy XFCC `Cert`) could not
/// be decoded.
///
/// ```
/// use rfc8705::proxy::{escaped_pem, EscapedPemError};
/// assert_eq!(escaped_pem::decode(b"%2"), Err(EscapedPemError::BadPercentEscape { position: 0 }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EscapedPemError {
    /// The value is empty (nginx sends an empty value when there is no client certificate).
    #[error("the value is empty: no client certificate")]
    Empty,
    /// The value is longer than [`MAX_FIELD_VALUE_LEN`].
    #[error("the value is {len} bytes; the limit is {MAX_FIELD_VALUE_LEN}")]
    TooLarge {
        /// The value's length in bytes.
        len: usize,
    },
    /// A `%` not followed by two hex digits.
    #[error("'%' at byte {position} is not followed by two hex digits")]
    BadPercentEscape {
        /// Byte offset of the `%`.
        position: usize,
    },
    /// After URL-decoding there is no `-----BEGIN CERTIFICATE-----` block (nor, where
    /// accepted, Traefik's bare base64).
    #[error("no PEM CERTIFICATE block after URL-decoding")]
    NoCertificate,
    /// A PEM block is malformed.
    #[error("certificate {index} after URL-decoding: {source}")]
    Pem {
        /// Position of the certificate (0 = the leaf).
        index: usize,
        /// What is wrong with the block.
        source: CertificateError,
    },
    /// A member of Traefik's comma-separated base64 list is not base64.
    #[error("certificate {index} of the comma-separated list is not base64")]
    Base64 {
        /// Position of the certificate (0 = the leaf).
        index: usize,
    },
    /// More chain certificates than [`MAX_CHAIN_LEN`].
    #[error("the value holds more than {} certificates", MAX_CHAIN_LEN + 1)]
    TooManyCertificates,
    /// A format that carries the leaf alone (CloudFront `CloudFront-Viewer-Cert-Pem`) holds
    /// several certificates.
    #[error("the value holds {count} certificates; this header carries the leaf alone")]
    NotOneCertificate {
        /// How many certificates it holds.
        count: usize,
    },
}

impl OAuthError for EscapedPemError {
    /// `invalid_token`: no usable certificate (an authorization server answers
    /// `invalid_client`; see [the module docs](super#errors-and-oauth)).
    fn oauth_error_code(&self) -> OAuthErrorCode {
        OAuthErrorCode::InvalidToken
    }
}

/// URL-encodes PEM as nginx `$ssl_client_escaped_cert` does: every byte but
/// `A-Z a-z 0-9 - . _ ~` becomes `%XX` (uppercase hex).
///
/// ```
/// # use rfc8705::proxy::escaped_pem;
/// assert_eq!(escaped_pem::encode(b"a+b/c=\n"), "a%2Bb%2Fc%3D%0A");
/// ```
pub fn encode(pem: &[u8]) -> String {
    encode_keeping(pem, b"")
}

/// Escapes every byte but the unreserved set (RFC 3986 section 2.3) and `keep`.
pub(crate) fn encode_keeping(pem: &[u8], keep: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(pem.len() + pem.len() / 8);
    for &b in pem {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
            out.push(char::from(b));
        } else {
            let hex = |n: u8| char::from(HEX.get(usize::from(n & 0xf)).copied().unwrap_or(b'0'));
            out.push('%');
            out.push(hex(b >> 4));
            out.push(hex(b));
        }
    }
    out
}

/// Decodes a URL-encoded PEM value to the leaf's DER and the DER of the certificates after
/// it.
///
/// Accepts any `%XX` (either case), raw bytes left unescaped (`+` stays `+`), text around
/// the PEM blocks, base64 with or without `=` padding (decoded by the same fast path as
/// `Client-Cert`), and Traefik's comma-separated (escaped or raw) base64. Rejects values over
/// [`MAX_FIELD_VALUE_LEN`] and more than [`MAX_CHAIN_LEN`] chain certificates.
///
/// ```
/// # use rfc8705::proxy::escaped_pem;
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
/// // Traefik up to v2.9: URL-escaped base64 DER, comma-separated.
/// let b64 = <base64ct::Base64 as base64ct::Encoding>::encode_string(&der);
/// let traefik = escaped_pem::encode(format!("{b64},{b64}").as_bytes());
/// let (leaf, chain) = escaped_pem::decode(traefik.as_bytes())?;
/// assert_eq!((leaf, chain.len()), (der, 1));
/// # Ok::<(), rfc8705::proxy::EscapedPemError>(())
/// ```
pub fn decode(value: &[u8]) -> Result<(Vec<u8>, Vec<Vec<u8>>), EscapedPemError> {
    decode_with(value, true)
}

/// [`decode`], optionally without the Traefik base64-list form.
pub(crate) fn decode_with(
    value: &[u8],
    bare_base64: bool,
) -> Result<(Vec<u8>, Vec<Vec<u8>>), EscapedPemError> {
    let text = percent_decode(value)?;
    if bare_base64 && find(&text, b"-----BEGIN ").is_none() {
        return base64_list(&text);
    }
    let mut certs = pem_certificates(&text)?;
    if certs.is_empty() {
        return Err(EscapedPemError::NoCertificate);
    }
    let leaf = certs.remove(0);
    Ok((leaf, certs))
}

/// Decodes `%XX` escapes (RFC 3986 section 2.1); every other byte is itself. `+` is not a
/// space: that rule belongs to HTML forms, and base64 uses `+`.
pub(crate) fn percent_decode(value: &[u8]) -> Result<Vec<u8>, EscapedPemError> {
    if value.len() > MAX_FIELD_VALUE_LEN {
        return Err(EscapedPemError::TooLarge { len: value.len() });
    }
    let value = value.trim_ascii();
    if value.is_empty() {
        return Err(EscapedPemError::Empty);
    }
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    // Copy each run of plain bytes at once, then decode the escape that ends it.
    while let Some(rest) = value.get(i..).filter(|r| !r.is_empty()) {
        let run = rest.iter().position(|&b| b == b'%').unwrap_or(rest.len());
        out.extend_from_slice(rest.get(..run).unwrap_or_default());
        i += run;
        if i == value.len() {
            break;
        }
        let hex = |at: usize| value.get(at).and_then(|d| char::from(*d).to_digit(16));
        match (hex(i + 1), hex(i + 2)) {
            (Some(hi), Some(lo)) => {
                // Both digits are below 16, so the byte fits.
                out.push(u8::try_from(hi * 16 + lo).unwrap_or(0));
                i += 3;
            }
            // A literal `%` must itself be escaped: a bare one means the value was not
            // URL-encoded, or was cut.
            _ => return Err(EscapedPemError::BadPercentEscape { position: i }),
        }
    }
    Ok(out)
}

/// Every `CERTIFICATE` block of PEM text, in order (RFC 7468 section 5), each through the
/// base64 fast path; [`pem_to_der`] decides, and names, whatever that refuses.
pub(crate) fn pem_certificates(text: &[u8]) -> Result<Vec<Vec<u8>>, EscapedPemError> {
    let mut certs = Vec::new();
    let mut rest = text;
    while let Some(at) = find(rest, BEGIN) {
        let index = certs.len();
        if index > MAX_CHAIN_LEN {
            return Err(EscapedPemError::TooManyCertificates);
        }
        let from_begin = rest.get(at..).unwrap_or_default();
        let Some(end) = end_line(from_begin).map(|e| e + END.len()) else {
            return Err(EscapedPemError::Pem {
                index,
                source: CertificateError::UnterminatedPem,
            });
        };
        let block = from_begin.get(..end).unwrap_or_default();
        let der = match block_der(block) {
            Some(der) => der,
            None => pem_to_der(block).map_err(|source| EscapedPemError::Pem { index, source })?,
        };
        certs.push(der);
        rest = from_begin.get(end..).unwrap_or_default();
    }
    if certs.is_empty() && find(text, b"-----BEGIN ").is_some() {
        // Name the label of whatever block is there ("this is a key").
        let source = pem_to_der(text)
            .err()
            .unwrap_or(CertificateError::NoPemBlock);
        return Err(EscapedPemError::Pem { index: 0, source });
    }
    Ok(certs)
}

/// Traefik's form (bare base64 DER, `,`-separated, leaf first), read by [`bare_der`]'s list
/// decoder and reported with this module's errors.
fn base64_list(text: &[u8]) -> Result<(Vec<u8>, Vec<Vec<u8>>), EscapedPemError> {
    bare_der::decode_list(text).map_err(|e| match e {
        BareDerError::TooManyCertificates => EscapedPemError::TooManyCertificates,
        BareDerError::EmptyMember { index } => EscapedPemError::Base64 { index },
        BareDerError::InvalidCharacter { index, .. }
        | BareDerError::Padding { index }
        | BareDerError::Length { index }
            if index > 0 =>
        {
            EscapedPemError::Base64 { index }
        }
        // Neither PEM nor base64: say what was expected.
        _ => EscapedPemError::NoCertificate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::__doc_support::{rfc8705_appendix_a_der, rfc8705_appendix_a_pem};
    use alloc::format;

    /// D-1 in specs.md: OpenSSL's PEM of the RFC 8705 Appendix A certificate, escaped by
    /// nginx's rule.
    const D1: &str = "-----BEGIN%20CERTIFICATE-----%0AMIIBBjCBrAIBAjAKBggqhkjOPQQDAjAPMQ0wCwYDVQQDDARtdGxzMB4XDTE4MTAx%0AODEyMzcwOVoXDTIyMDUwMjEyMzcwOVowDzENMAsGA1UEAwwEbXRsczBZMBMGByqG%0ASM49AgEGCCqGSM49AwEHA0IABNcnyxwqV6hY8QnhxxzFQ03C7HKW9OylMbnQZjjJ%0A%2FAu08%2FcoZwxS7LfA4vOLS9WuneIXhbGGWvsDSb0tH6IxLm8wCgYIKoZIzj0EAwID%0ASQAwRgIhAP0RC1E%2BvwJD%2FD1AGHGzuri%2BhlV%2FPpQEKTWUVeORWz83AiEA5x2eXZOV%0AbUlJSGQgjwD5vaUaKlLR50Q2DmFfQj1L%2BSY%3D%0A-----END%20CERTIFICATE-----%0A";

    #[test]
    fn nginx_vector() {
        assert_eq!(decode(D1.as_bytes()).unwrap().0, rfc8705_appendix_a_der());
        assert_eq!(encode(rfc8705_appendix_a_pem().as_bytes()), D1);
        // Lowercase hex escapes decode the same.
        let lower = D1.replace("%2F", "%2f").replace("%0A", "%0a");
        assert_eq!(
            decode(lower.as_bytes()).unwrap().0,
            rfc8705_appendix_a_der()
        );
    }

    #[test]
    fn plus_is_not_a_space() {
        assert_eq!(percent_decode(b"a+b%20c").unwrap(), b"a+b c");
        // Form-decoding would turn the raw `+` of base64 into a space and break the PEM.
        let raw_plus = D1.replace("%2B", "+");
        assert_eq!(
            decode(raw_plus.as_bytes()).unwrap().0,
            rfc8705_appendix_a_der()
        );
    }

    #[test]
    fn rejections() {
        use EscapedPemError::*;
        assert_eq!(decode(b""), Err(Empty));
        assert_eq!(decode(b"  "), Err(Empty));
        assert_eq!(decode(b"abc%zz"), Err(BadPercentEscape { position: 3 }));
        assert_eq!(decode(b"abc%4"), Err(BadPercentEscape { position: 3 }));
        assert_eq!(decode(b"hello%20world"), Err(NoCertificate));
        assert_eq!(decode_with(b"AQID", false), Err(NoCertificate));
        assert_eq!(decode(b"AQID,%25"), Err(Base64 { index: 1 }));
        assert_eq!(decode(b"AQID,"), Err(Base64 { index: 1 }));
        let key = "-----BEGIN%20PRIVATE%20KEY-----%0AAAAA%0A-----END%20PRIVATE%20KEY-----";
        assert_eq!(
            decode(key.as_bytes()),
            Err(Pem {
                index: 0,
                source: CertificateError::NotACertificatePem {
                    label: "PRIVATE KEY".into()
                }
            })
        );
        let cut = &D1[..D1.len() - 30];
        assert_eq!(
            decode(cut.as_bytes()),
            Err(Pem {
                index: 0,
                source: CertificateError::UnterminatedPem
            })
        );
        let two = format!("{D1}{}", D1.replacen("MIIB", "M*IB", 1));
        assert!(matches!(decode(two.as_bytes()), Err(Pem { index: 1, .. })));
        let many = D1.repeat(MAX_CHAIN_LEN + 2);
        assert_eq!(decode(many.as_bytes()), Err(TooManyCertificates));
        let big = "A".repeat(MAX_FIELD_VALUE_LEN + 1);
        assert_eq!(
            decode(big.as_bytes()),
            Err(TooLarge {
                len: MAX_FIELD_VALUE_LEN + 1
            })
        );
    }

    /// The byte-at-a-time rule the run-copying decoder implements.
    fn percent_decode_reference(value: &[u8]) -> Result<Vec<u8>, EscapedPemError> {
        let value = value.trim_ascii();
        let mut out = Vec::new();
        let mut i = 0;
        while let Some(&b) = value.get(i) {
            if b == b'%' {
                let hex = |at: usize| value.get(at).and_then(|d| char::from(*d).to_digit(16));
                let (Some(hi), Some(lo)) = (hex(i + 1), hex(i + 2)) else {
                    return Err(EscapedPemError::BadPercentEscape { position: i });
                };
                out.push(u8::try_from(hi * 16 + lo).unwrap());
                i += 3;
            } else {
                out.push(b);
                i += 1;
            }
        }
        Ok(out)
    }

    proptest::proptest! {
        #[test]
        fn percent_decode_matches_the_rule(
            value in proptest::collection::vec(
                proptest::sample::select(b"%%2Ab0 +zZ\n".to_vec()), 1..60)
        ) {
            if !value.trim_ascii().is_empty() {
                proptest::prop_assert_eq!(percent_decode(&value), percent_decode_reference(&value));
            }
        }
    }

    #[test]
    fn chains_keep_their_order() {
        let many = D1.repeat(MAX_CHAIN_LEN + 1);
        let (leaf, chain) = decode(many.as_bytes()).unwrap();
        assert_eq!(leaf, rfc8705_appendix_a_der());
        assert_eq!(chain.len(), MAX_CHAIN_LEN);
    }
}
