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
//! So a value is either `(null)` — **no certificate** ([`Reason::NoCertificate`], which
//! reading headers turns into "no certificate", never a certificate) — or one or more
//! `CERTIFICATE` blocks separated by whitespace, the leaf first (a deployment may append
//! `%{SSL_CLIENT_CERT_CHAIN_0}s` and so on to the same header).
//!
//! nginx's deprecated `$ssl_client_cert` ("the client certificate in the PEM format … with
//! each line except the first prepended with the tab character") is the same PEM with
//! `\n\t` line breaks: a value holding those decodes here, but it is an obsolete HTTP/1.1
//! line folding (RFC 9112 section 5.2) that most servers refuse before the application sees
//! it (hyper's parser, `httparse`, rejects the request). Use `$ssl_client_escaped_cert`
//! (`escaped-pem`) with nginx.

use alloc::vec::Vec;

use super::MAX_CHAIN_LEN;
use super::error::{Reason, escape_for_display};
use crate::cert::{PEM_BEGIN, next_certificate, other_label};

/// What `mod_headers` sends when the SSL variable is empty: the client presented no
/// certificate.
pub(crate) const NO_CERTIFICATE: &str = "(null)";

/// Decodes an Apache value: the leaf's DER and the DER of the certificates after it;
/// [`Reason::NoCertificate`] for `(null)`.
///
/// Accepts: `CERTIFICATE` blocks whose lines are separated by any mix of spaces, tabs, CR
/// and LF (RFC 7468 section 3: whitespace is not data), whitespace between and around them.
/// Rejects: empty values, any other text, other PEM labels, more than [`MAX_CHAIN_LEN`] chain
/// certificates.
pub(crate) fn decode(value: &[u8]) -> Result<(Vec<u8>, Vec<Vec<u8>>), Reason> {
    let value = value.trim_ascii();
    if value.is_empty() {
        return Err(Reason::Empty);
    }
    // mod_headers: `return "(null)";` when the SSL variable is empty.
    if value == NO_CERTIFICATE.as_bytes() {
        return Err(Reason::NoCertificate);
    }
    if !value.starts_with(PEM_BEGIN) {
        if value.starts_with(b"-----BEGIN%20") || value.starts_with(b"-----BEGIN+") {
            return Err(Reason::UrlEncoded);
        }
        if !value.starts_with(b"-----BEGIN ") {
            return Err(Reason::NotPem {
                found: escape_for_display(value, 16),
            });
        }
    }
    let mut certs = Vec::new();
    let mut rest = value;
    while !rest.is_empty() {
        let index = certs.len();
        if !rest.starts_with(PEM_BEGIN) {
            if index == 0 {
                // Another label: name it ("this is a key").
                return Err(Reason::Pem {
                    index,
                    source: other_label(rest),
                });
            }
            // Between and after blocks only whitespace is allowed: anything else is not
            // what mod_headers produces.
            return Err(Reason::UnexpectedText {
                position: value.len() - rest.len(),
                found: escape_for_display(rest, 16),
            });
        }
        if index > MAX_CHAIN_LEN {
            return Err(Reason::TooManyCertificates);
        }
        // `rest` starts with a BEGIN line, so there is a block (or an error).
        let (der, after) = next_certificate(rest)
            .map_err(|source| Reason::Pem { index, source })?
            .ok_or(Reason::NoCertificateBlock)?;
        certs.push(der);
        rest = after.trim_ascii_start();
    }
    let mut certs = certs.into_iter();
    // The loop ran at least once (the value is not empty) and pushed or returned.
    let leaf = certs.next().ok_or(Reason::Empty)?;
    Ok((leaf, certs.collect()))
}

#[cfg(test)]
mod tests {
    use super::super::testing::pem_of;
    use super::super::testing::{apache as encode, escaped_pem};
    use super::*;
    use crate::__doc_support::{rfc8705_appendix_a_der, rfc8705_appendix_a_pem};
    use crate::cert::{CertificateError, pem_to_der};
    use alloc::format;
    use alloc::string::{String, ToString};
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
        assert_eq!(decode(value.as_bytes()).unwrap(), (der.clone(), vec![]));
        // CRLF line breaks become two spaces.
        let crlf = encode(pem.replace('\n', "\r\n").as_bytes());
        assert!(crlf.contains("-----  MIIB"));
        assert_eq!(decode(crlf.as_bytes()).unwrap().0, der);
        // Unmangled PEM and nginx's tab-continued legacy form decode the same.
        assert_eq!(decode(pem.as_bytes()).unwrap().0, der);
        // PEM's base64 requires the padding OpenSSL writes.
        let unpadded = value.replace('=', "");
        assert!(matches!(
            decode(unpadded.as_bytes()),
            Err(Reason::Pem {
                index: 0,
                source: CertificateError::PemBase64
            })
        ));
        let nginx = pem.trim_end().replace('\n', "\n\t");
        assert_eq!(decode(nginx.as_bytes()).unwrap().0, der);
        let unfolded = pem.trim_end().replace('\n', " \t");
        assert_eq!(decode(unfolded.as_bytes()).unwrap().0, der);
    }

    #[test]
    fn null_means_no_certificate() {
        assert_eq!(decode(b"(null)"), Err(Reason::NoCertificate));
        assert_eq!(decode(b" (null) "), Err(Reason::NoCertificate));
        // Only the exact literal: anything else is not Apache's marker.
        assert!(matches!(decode(b"(NULL)"), Err(Reason::NotPem { .. })));
        assert!(matches!(decode(b"(null)x"), Err(Reason::NotPem { .. })));
    }

    #[test]
    fn chains_keep_their_order() {
        let leaf = rfc8705_appendix_a_der();
        let other = vec![0x30, 0x03, 0x02, 0x01, 0x07];
        let value = encode(format!("{}{}", pem_of(&leaf), pem_of(&other)).as_bytes());
        assert_eq!(
            decode(value.as_bytes()).unwrap(),
            (leaf.clone(), vec![other])
        );
        let many = encode(pem_of(&leaf).repeat(MAX_CHAIN_LEN + 1).as_bytes());
        assert_eq!(decode(many.as_bytes()).unwrap().1.len(), MAX_CHAIN_LEN);
        let too_many = encode(pem_of(&leaf).repeat(MAX_CHAIN_LEN + 2).as_bytes());
        assert_eq!(
            decode(too_many.as_bytes()),
            Err(Reason::TooManyCertificates)
        );
    }

    #[test]
    fn rejections() {
        use Reason::*;
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
        let escaped = escaped_pem(pem.as_bytes());
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
            let (leaf, chain) = decode(encode(text.as_bytes()).as_bytes()).unwrap();
            prop_assert_eq!(&leaf, &ders[0]);
            prop_assert_eq!(&chain[..], &ders[1..]);
        }

        #[test]
        fn total(value in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode(&value);
        }

        /// Apache's value decodes as the PEM it came from does.
        #[test]
        fn agrees_with_pem_to_der(
            der in proptest::collection::vec(any::<u8>(), 1..200),
            crlf in any::<bool>(),
        ) {
            let mut pem = pem_of(&der);
            if crlf {
                pem = pem.replace('\n', "\r\n");
            }
            let value = encode(pem.as_bytes());
            prop_assert_eq!(pem_to_der(pem.as_bytes()).ok(), Some(der.clone()));
            prop_assert_eq!(decode(value.as_bytes()).unwrap().0, der);
        }
    }
}
