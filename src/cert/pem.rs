//! The first `CERTIFICATE` block of PEM text (RFC 7468), with the text around it ignored.

use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64, Encoding};

use super::{CertificateError, MAX_PEM_LEN};

const PEM_BEGIN: &[u8] = b"-----BEGIN ";
const PEM_END: &[u8] = b"-----END ";
const DASHES: &[u8] = b"-----";

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Keeps only printable ASCII of a PEM label, truncated, so an error never echoes control
/// characters from the input.
fn sanitize_label(label: &[u8]) -> String {
    label
        .iter()
        .take(40)
        .filter(|b| b.is_ascii_graphic() || **b == b' ')
        .map(|b| char::from(*b))
        .collect()
}

/// Extracts and decodes the first `CERTIFICATE` block of PEM text (RFC 7468 section 5).
pub(crate) fn pem_to_der(pem: &[u8]) -> Result<Vec<u8>, CertificateError> {
    if pem.is_empty() {
        return Err(CertificateError::Empty);
    }
    if pem.len() > MAX_PEM_LEN {
        return Err(CertificateError::TooLarge {
            len: pem.len(),
            max: MAX_PEM_LEN,
        });
    }
    let begin_cert = b"-----BEGIN CERTIFICATE-----";
    let Some(start) = find(pem, begin_cert) else {
        // Name the label of whatever block is there, so "this is a key" is obvious.
        if let Some(at) = find(pem, PEM_BEGIN) {
            let after = pem.get(at + PEM_BEGIN.len()..).unwrap_or_default();
            let label = after
                .get(..find(after, DASHES).unwrap_or(0))
                .unwrap_or_default();
            return Err(CertificateError::NotACertificatePem {
                label: sanitize_label(label),
            });
        }
        return Err(CertificateError::NoPemBlock);
    };
    let body_and_rest = pem.get(start + begin_cert.len()..).unwrap_or_default();
    let end = find(body_and_rest, b"-----END CERTIFICATE-----")
        .ok_or(CertificateError::UnterminatedPem)?;
    let body = body_and_rest.get(..end).unwrap_or_default();
    if find(body, PEM_END).is_some() || find(body, PEM_BEGIN).is_some() {
        return Err(CertificateError::UnterminatedPem);
    }
    // RFC 7468 section 3: lines are separated by CRLF, CR or LF; whitespace is not data.
    let b64: String = body
        .iter()
        .filter(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        .map(|b| char::from(*b))
        .collect();
    let der = Base64::decode_vec(&b64).map_err(|_| CertificateError::PemBase64)?;
    if der.is_empty() {
        return Err(CertificateError::Empty);
    }
    Ok(der)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::__doc_support::{rfc8705_appendix_a_der, rfc8705_appendix_a_pem};
    use alloc::format;

    #[test]
    fn pem_variants() {
        let pem = rfc8705_appendix_a_pem();
        let der = rfc8705_appendix_a_der();
        assert_eq!(pem_to_der(pem.as_bytes()).unwrap(), der);
        let crlf = pem.replace('\n', "\r\n");
        assert_eq!(pem_to_der(crlf.as_bytes()).unwrap(), der);
        let around = format!("Bag Attributes\n    friendlyName: x\n{pem}\ntrailer text\n");
        assert_eq!(pem_to_der(around.as_bytes()).unwrap(), der);
        let key_first =
            format!("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n{pem}");
        assert_eq!(pem_to_der(key_first.as_bytes()).unwrap(), der);
        assert_eq!(
            pem_to_der(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
            Err(CertificateError::NotACertificatePem {
                label: "PRIVATE KEY".into()
            })
        );
        let unterminated = pem.replace("-----END CERTIFICATE-----", "");
        assert_eq!(
            pem_to_der(unterminated.as_bytes()),
            Err(CertificateError::UnterminatedPem)
        );
        let bad = pem.replacen("MII", "M*I", 1);
        assert_eq!(pem_to_der(bad.as_bytes()), Err(CertificateError::PemBase64));
        assert_eq!(pem_to_der(b""), Err(CertificateError::Empty));
        assert_eq!(
            pem_to_der(b"-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----"),
            Err(CertificateError::Empty)
        );
    }
}
