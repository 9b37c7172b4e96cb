//! URL-encoded PEM: nginx `$ssl_client_escaped_cert` (and the URL-encoded PEM of ALB,
//! CloudFront and Envoy's XFCC `Cert`).
//!
//! nginx documents the variable as "the client certificate in the PEM format (urlencoded)";
//! its code escapes every byte but `ALPHA DIGIT - . _ ~` as `%XX`. Versions and proxies differ
//! in which punctuation they escape, so this decoder accepts any `%XX` and any raw byte, and
//! — unlike HTML form decoding — keeps `+` as `+`: base64 uses it, and AWS ALB sends it raw
//! (see [`alb`](super::alb)).
//!
//! Bare base64 DER (HAProxy, Caddy, Traefik) is not PEM: it is read as `bare-der` or
//! `traefik`, and refused here ([`Reason::NoCertificateBlock`] says so).
//!
//! The first certificate is the leaf; any others are its chain, in the order sent.

use alloc::vec::Vec;

use super::MAX_CHAIN_LEN;
use super::error::Reason;
use super::percent::percent_decode_unfolded;
use crate::cert::{next_certificate, other_label};

/// Decodes a URL-encoded PEM value to the leaf's DER and the DER of the certificates after
/// it.
///
/// Accepts any `%XX` (either case), raw bytes left unescaped (`+` stays `+`) and text around
/// the PEM blocks. Rejects more than [`MAX_CHAIN_LEN`] chain certificates.
pub(crate) fn decode(value: &[u8]) -> Result<(Vec<u8>, Vec<Vec<u8>>), Reason> {
    let text = percent_decode_unfolded(value)?;
    let (leaf, rest) = next_certificate(&text)
        .map_err(|source| Reason::Pem { index: 0, source })?
        .ok_or_else(|| no_certificate_block(&text))?;
    Ok((leaf, pem_certificates(rest, 1)?))
}

/// Why text holds no `CERTIFICATE` block: the label of whatever block is there ("this is a
/// key"), or no PEM at all.
fn no_certificate_block(text: &[u8]) -> Reason {
    if memchr::memmem::find(text, b"-----BEGIN ").is_some() {
        Reason::Pem {
            index: 0,
            source: other_label(text),
        }
    } else {
        Reason::NoCertificateBlock
    }
}

/// Every `CERTIFICATE` block of PEM text, in order (RFC 7468 section 5), text around them
/// ignored; `first` is the position of the first one in the value (for errors and the limit).
fn pem_certificates(text: &[u8], first: usize) -> Result<Vec<Vec<u8>>, Reason> {
    let mut certs = Vec::new();
    let mut rest = text;
    loop {
        let index = first + certs.len();
        let Some((der, after)) =
            next_certificate(rest).map_err(|source| Reason::Pem { index, source })?
        else {
            break;
        };
        if index > MAX_CHAIN_LEN {
            return Err(Reason::TooManyCertificates);
        }
        certs.push(der);
        rest = after;
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::super::testing::escaped_pem as encode;
    use super::*;
    use crate::__doc_support::{rfc8705_appendix_a_der, rfc8705_appendix_a_pem};
    use crate::cert::CertificateError;
    use alloc::format;

    /// OpenSSL's PEM of the RFC 8705 Appendix A certificate, escaped by
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
        // Form-decoding would turn the raw `+` of base64 into a space and break the PEM.
        let raw_plus = D1.replace("%2B", "+");
        assert_eq!(
            decode(raw_plus.as_bytes()).unwrap().0,
            rfc8705_appendix_a_der()
        );
    }

    #[test]
    fn rejections() {
        use Reason::*;
        assert_eq!(decode(b""), Err(Empty));
        assert_eq!(decode(b"  "), Err(Empty));
        assert_eq!(decode(b"abc%zz"), Err(BadPercentEscape { position: 3 }));
        assert_eq!(decode(b"abc%4"), Err(BadPercentEscape { position: 3 }));
        assert_eq!(decode(b"hello%20world"), Err(NoCertificateBlock));
        // Bare base64 DER, Traefik's list included, is another format.
        assert_eq!(decode(b"AQID"), Err(NoCertificateBlock));
        assert_eq!(decode(b"AQID,AQID"), Err(NoCertificateBlock));
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
    }

    #[test]
    fn chains_keep_their_order() {
        let many = D1.repeat(MAX_CHAIN_LEN + 1);
        let (leaf, chain) = decode(many.as_bytes()).unwrap();
        assert_eq!(leaf, rfc8705_appendix_a_der());
        assert_eq!(chain.len(), MAX_CHAIN_LEN);
    }
}
