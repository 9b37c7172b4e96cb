//! Apache httpd: PEM whose line breaks `mod_headers` turned into spaces, or `(null)`.
//!
//! Apache forwards the client certificate with `mod_headers`:
//! `RequestHeader set X-SSL-Client-Cert "%{SSL_CLIENT_CERT}s"`, where `SSL_CLIENT_CERT` is
//! `mod_ssl`'s "PEM-encoded client certificate". A header value cannot hold a line break, so
//! `mod_headers` rewrites it (`modules/metadata/mod_headers.c`, `unwrap_header`: "returns HDR
//! with any newlines converted into whitespace"): every CR and every LF becomes one space.
//! When the variable is empty — the client presented no certificate — `header_request_ssl_var`
//! substitutes the literal string `(null)` (it does the same when `mod_ssl` is not loaded, and
//! `%{SSL_CLIENT_CERT}e` without `SSLOptions +ExportCertData` yields it too).
//!
//! So a value is either `(null)` — **no certificate**, which [`decode`] returns as `Ok(None)`,
//! never as an error a caller might mistake for a malformed certificate, and never as a
//! certificate — or one or more `CERTIFICATE` blocks separated by whitespace, the leaf first
//! (a deployment may append `%{SSL_CLIENT_CERT_CHAIN_0}s` and so on to the same header).
//!
//! nginx's deprecated `$ssl_client_cert` ("the client certificate in the PEM format … with
//! each line except the first prepended with the tab character") is the same PEM with
//! `\n\t` line breaks, or spaces once an HTTP/1.1 parser has unfolded them: it decodes here
//! too.
//!
//! ```
//! use rfc8705::proxy::apache;
//! # let pem = rfc8705::__doc_support::rfc8705_appendix_a_pem();
//! # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
//! let value = apache::encode(pem.as_bytes());
//! assert!(value.starts_with("-----BEGIN CERTIFICATE----- MIIBBjCB"));
//! assert_eq!(apache::decode(value.as_bytes())?, Some((der, vec![])));
//! assert_eq!(apache::decode(b"(null)")?, None); // no client certificate
//! # Ok::<(), rfc8705::proxy::ApachePemError>(())
//! ```

use alloc::string::String;
use alloc::vec::Vec;

use super::pem_block::{BEGIN, END, block_der, end_line};
use super::{MAX_CHAIN_LEN, MAX_FIELD_VALUE_LEN, escape_for_display};
use crate::cert::{CertificateError, pem_to_der};
use crate::error::{OAuthError, OAuthErrorCode};

/// What `mod_headers` sends when the SSL variable is empty: the client presented no
/// certificate.
///
/// ```
/// use rfc8705::proxy::apache;
/// assert_eq!(apache::decode(apache::NO_CERTIFICATE.as_bytes())?, None);
/// # Ok::<(), rfc8705::proxy::ApachePemError>(())
/// ```
pub const NO_CERTIFICATE: &str = "(null)";

/// Why an Apache (`mod_headers` + `SSL_CLIENT_CERT`) value could not be decoded.
///
/// ```
/// use rfc8705::proxy::{apache, ApachePemError};
/// assert_eq!(apache::decode(b"MIIB"), Err(ApachePemError::NotPem { found: "MIIB".into() }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApachePemError {
    /// The value is empty (Apache sends `(null)`, never an empty value).
    #[error("the value is empty")]
    Empty,
    /// The value is longer than [`MAX_FIELD_VALUE_LEN`].
    #[error("the value is {len} bytes; the limit is {MAX_FIELD_VALUE_LEN}")]
    TooLarge {
        /// The value's length in bytes.
        len: usize,
    },
    /// The value is `(null)`: the client presented no certificate. Only the dispatching
    /// [`TrustedProxy::decode`](super::TrustedProxy::decode), which must return a certificate,
    /// reports this as an error; [`decode`] returns `Ok(None)`.
    #[error("Apache sent (null): the client presented no certificate")]
    NoCertificate,
    /// The value holds URL-encoded PEM: it is another format.
    #[error("the value is URL-encoded PEM: read it as escaped-pem")]
    UrlEncoded,
    /// The value does not start with `-----BEGIN CERTIFICATE-----` (or text follows the
    /// last block).
    #[error("expected '-----BEGIN CERTIFICATE-----' at byte {position}, found '{found}'")]
    UnexpectedText {
        /// Byte offset in the value, after surrounding whitespace is trimmed.
        position: usize,
        /// Up to 16 bytes found there, escaped if not printable.
        found: String,
    },
    /// The value is not PEM at all.
    #[error("the value is not PEM: it starts with '{found}', not '-----BEGIN CERTIFICATE-----'")]
    NotPem {
        /// Up to 16 bytes of the start of the value, escaped if not printable.
        found: String,
    },
    /// A `CERTIFICATE` block is malformed (no END line, a key, bad base64).
    #[error("certificate {index}: {source}")]
    Pem {
        /// Position of the block (0 = the leaf).
        index: usize,
        /// What is wrong with it.
        source: CertificateError,
    },
    /// More chain certificates than [`MAX_CHAIN_LEN`].
    #[error("the value holds more than {} certificates", MAX_CHAIN_LEN + 1)]
    TooManyCertificates,
}

impl OAuthError for ApachePemError {
    /// `invalid_token`: no usable certificate (an authorization server answers
    /// `invalid_client`; see [the module docs](super#errors-and-oauth)).
    fn oauth_error_code(&self) -> OAuthErrorCode {
        OAuthErrorCode::InvalidToken
    }
}

/// Rewrites PEM as `mod_headers` does: every CR and every LF becomes a space.
///
/// ```
/// # use rfc8705::proxy::apache;
/// assert_eq!(apache::encode(b"a\r\nb\n"), "a  b ");
/// ```
pub fn encode(pem: &[u8]) -> String {
    pem.iter()
        .map(|&b| match b {
            b'\r' | b'\n' => ' ',
            b => char::from(b),
        })
        .collect()
}

/// Decodes an Apache value: `Ok(None)` for `(null)` (no client certificate), else the leaf's
/// DER and the DER of the certificates after it.
///
/// Accepts: `CERTIFICATE` blocks whose lines are separated by any mix of spaces, tabs, CR
/// and LF (RFC 7468 section 3: whitespace is not data), `=` padding or none, whitespace
/// between and around them. The base64 goes through the same fast path as `Client-Cert`.
/// Rejects: values over [`MAX_FIELD_VALUE_LEN`], empty values, any other text, other PEM
/// labels, more than [`MAX_CHAIN_LEN`] chain certificates.
///
/// ```
/// use rfc8705::proxy::{apache, ApachePemError};
/// # let pem = rfc8705::__doc_support::rfc8705_appendix_a_pem();
/// // nginx's legacy $ssl_client_cert: tab-continued lines.
/// let nginx = pem.trim_end().replace('\n', "\n\t");
/// assert!(apache::decode(nginx.as_bytes())?.is_some());
/// assert_eq!(apache::decode(b"-----BEGIN%20CERTIFICATE-----"), Err(ApachePemError::UrlEncoded));
/// # Ok::<(), ApachePemError>(())
/// ```
#[allow(clippy::type_complexity)] // (leaf, chain), as every decoder of this module returns.
pub fn decode(value: &[u8]) -> Result<Option<(Vec<u8>, Vec<Vec<u8>>)>, ApachePemError> {
    if value.len() > MAX_FIELD_VALUE_LEN {
        return Err(ApachePemError::TooLarge { len: value.len() });
    }
    let value = value.trim_ascii();
    if value.is_empty() {
        return Err(ApachePemError::Empty);
    }
    // mod_headers: `return "(null)";` when the SSL variable is empty.
    if value == NO_CERTIFICATE.as_bytes() {
        return Ok(None);
    }
    if !value.starts_with(BEGIN) {
        if value.starts_with(b"-----BEGIN%20") || value.starts_with(b"-----BEGIN+") {
            return Err(ApachePemError::UrlEncoded);
        }
        if !value.starts_with(b"-----BEGIN ") {
            return Err(ApachePemError::NotPem {
                found: escape_for_display(value, 16),
            });
        }
    }
    let mut certs = Vec::new();
    let mut pos = 0;
    while pos < value.len() {
        let rest = value.get(pos..).unwrap_or_default();
        let index = certs.len();
        if !rest.starts_with(BEGIN) {
            if index == 0 {
                // Another label: let the PEM reader name it ("this is a key").
                let source = pem_to_der(rest)
                    .err()
                    .unwrap_or(CertificateError::NoPemBlock);
                return Err(ApachePemError::Pem { index, source });
            }
            // Between and after blocks only whitespace is allowed: anything else is not
            // what mod_headers produces.
            return Err(ApachePemError::UnexpectedText {
                position: pos,
                found: escape_for_display(rest, 16),
            });
        }
        if index > MAX_CHAIN_LEN {
            return Err(ApachePemError::TooManyCertificates);
        }
        let Some(end) = end_line(rest) else {
            return Err(ApachePemError::Pem {
                index,
                source: CertificateError::UnterminatedPem,
            });
        };
        let block_len = end + END.len();
        let block = rest.get(..block_len).unwrap_or_default();
        let der = match block_der(block) {
            Some(der) => der,
            // The strict reader decides, and names, everything the fast one refused.
            None => pem_to_der(block).map_err(|source| ApachePemError::Pem { index, source })?,
        };
        certs.push(der);
        pos += block_len;
        let after = value.get(pos..).unwrap_or_default();
        pos += after.len() - after.trim_ascii_start().len();
    }
    let mut certs = certs.into_iter();
    // The loop ran at least once (the value is not empty) and pushed or returned.
    let leaf = certs.next().ok_or(ApachePemError::Empty)?;
    Ok(Some((leaf, certs.collect())))
}

#[cfg(test)]
mod tests {
    use super::super::pem_block::pem_of;
    use super::*;
    use crate::__doc_support::{rfc8705_appendix_a_der, rfc8705_appendix_a_pem};
    use alloc::format;
    use alloc::string::ToString;
    use alloc::vec;
    use proptest::prelude::*;

    #[test]
    fn mod_headers_vector() {
        let pem = rfc8705_appendix_a_pem();
        let der = rfc8705_appendix_a_der();
        let value = encode(pem.as_bytes());
        assert!(!value.contains('\n'));
        // Every line break became a space, including the last one.
        assert!(value.ends_with("-----END CERTIFICATE----- "));
        assert!(value.contains("AwEHA0IABNcnyxwqV6hY8QnhxxzFQ03C7HKW9OylMbnQZjjJ /Au08"));
        assert_eq!(
            decode(value.as_bytes()).unwrap(),
            Some((der.clone(), vec![]))
        );
        // CRLF line breaks become two spaces.
        let crlf = encode(pem.replace('\n', "\r\n").as_bytes());
        assert!(crlf.contains("-----  MIIB"));
        assert_eq!(decode(crlf.as_bytes()).unwrap().unwrap().0, der);
        // Unmangled PEM and nginx's tab-continued legacy form decode the same.
        assert_eq!(decode(pem.as_bytes()).unwrap().unwrap().0, der);
        // Padding is optional, as in every other format here.
        let unpadded = value.replace('=', "");
        assert_eq!(decode(unpadded.as_bytes()).unwrap().unwrap().0, der);
        let nginx = pem.trim_end().replace('\n', "\n\t");
        assert_eq!(decode(nginx.as_bytes()).unwrap().unwrap().0, der);
        let unfolded = pem.trim_end().replace('\n', " \t");
        assert_eq!(decode(unfolded.as_bytes()).unwrap().unwrap().0, der);
    }

    #[test]
    fn null_means_no_certificate() {
        assert_eq!(decode(b"(null)"), Ok(None));
        assert_eq!(decode(b" (null) "), Ok(None));
        // Only the exact literal: anything else is not Apache's marker.
        assert!(matches!(
            decode(b"(NULL)"),
            Err(ApachePemError::NotPem { .. })
        ));
        assert!(matches!(
            decode(b"(null)x"),
            Err(ApachePemError::NotPem { .. })
        ));
    }

    #[test]
    fn chains_keep_their_order() {
        let leaf = rfc8705_appendix_a_der();
        let other = vec![0x30, 0x03, 0x02, 0x01, 0x07];
        let value = encode(format!("{}{}", pem_of(&leaf), pem_of(&other)).as_bytes());
        assert_eq!(
            decode(value.as_bytes()).unwrap(),
            Some((leaf.clone(), vec![other]))
        );
        let many = encode(pem_of(&leaf).repeat(MAX_CHAIN_LEN + 1).as_bytes());
        assert_eq!(
            decode(many.as_bytes()).unwrap().unwrap().1.len(),
            MAX_CHAIN_LEN
        );
        let too_many = encode(pem_of(&leaf).repeat(MAX_CHAIN_LEN + 2).as_bytes());
        assert_eq!(
            decode(too_many.as_bytes()),
            Err(ApachePemError::TooManyCertificates)
        );
    }

    #[test]
    fn rejections() {
        use ApachePemError::*;
        let pem = rfc8705_appendix_a_pem();
        let value = encode(pem.as_bytes());
        assert_eq!(decode(b""), Err(Empty));
        assert_eq!(decode(b"  "), Err(Empty));
        assert_eq!(
            decode(b"MIIBBjCB"),
            Err(NotPem {
                found: "MIIBBjCB".to_string()
            })
        );
        let escaped = super::super::escaped_pem::encode(pem.as_bytes());
        assert_eq!(decode(escaped.as_bytes()), Err(UrlEncoded));
        assert_eq!(decode(b"-----BEGIN+CERTIFICATE-----"), Err(UrlEncoded));
        let key = "-----BEGIN PRIVATE KEY----- AAAA -----END PRIVATE KEY-----";
        assert_eq!(
            decode(key.as_bytes()),
            Err(Pem {
                index: 0,
                source: CertificateError::NotACertificatePem {
                    label: "PRIVATE KEY".into()
                }
            })
        );
        let cut = &value[..value.len() - 30];
        assert_eq!(
            decode(cut.as_bytes()),
            Err(Pem {
                index: 0,
                source: CertificateError::UnterminatedPem
            })
        );
        let bad = value.replacen("MIIB", "M*IB", 1);
        assert_eq!(
            decode(bad.as_bytes()),
            Err(Pem {
                index: 0,
                source: CertificateError::PemBase64
            })
        );
        let trailing = format!("{value} garbage");
        assert_eq!(
            decode(trailing.as_bytes()),
            Err(UnexpectedText {
                // `value` ends with the space that was the PEM's last line feed.
                position: value.len() + 1,
                found: "garbage".to_string()
            })
        );
        let second_null = format!("{value} (null)");
        assert!(matches!(
            decode(second_null.as_bytes()),
            Err(UnexpectedText { .. })
        ));
        let big = "A".repeat(MAX_FIELD_VALUE_LEN + 1);
        assert_eq!(
            decode(big.as_bytes()),
            Err(TooLarge {
                len: MAX_FIELD_VALUE_LEN + 1
            })
        );
    }

    proptest! {
        #[test]
        fn round_trips(
            ders in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 1..300), 1..4),
            crlf in any::<bool>(),
        ) {
            let mut text: String = ders.iter().map(|d| pem_of(d)).collect();
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            let (leaf, chain) = decode(encode(text.as_bytes()).as_bytes()).unwrap().unwrap();
            prop_assert_eq!(&leaf, &ders[0]);
            prop_assert_eq!(&chain[..], &ders[1..]);
        }

        #[test]
        fn total(value in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode(&value);
        }

        /// The fast path never disagrees with the strict reader on what both accept, and
        /// only adds unpadded base64 (and non-zero pad bits) to it.
        #[test]
        fn fast_path_agrees_with_pem_to_der(
            der in proptest::collection::vec(any::<u8>(), 1..200),
            spaces in any::<bool>(),
        ) {
            let pem = pem_of(&der);
            let text = if spaces { encode(pem.as_bytes()) } else { pem.clone() };
            let block = text.trim_end().as_bytes();
            prop_assert_eq!(block_der(block), pem_to_der(block).ok());
            let unpadded = text.replace('=', "");
            prop_assert_eq!(block_der(unpadded.trim_end().as_bytes()), Some(der));
        }
    }
}
