//! `CERTIFICATE` and `X509 CRL` blocks of PEM text (RFC 7468), decoded by `pem-rfc7468`.
//!
//! Input preparation, before that crate's strict reader sees a block:
//! * text around the blocks is skipped (RFC 7468 section 5.2 allows explanatory text), and so
//!   are blocks with other labels before a certificate;
//! * the body's base64 is re-wrapped at 64 characters a line, whatever whitespace separated
//!   it: CRLF, the spaces Apache's `mod_headers` writes for line breaks, or none (RFC 7468
//!   section 3: whitespace is not data).

use alloc::string::String;
use alloc::vec::Vec;

use super::{CertificateError, MAX_PEM_LEN};

const PEM_BEGIN: &[u8] = b"-----BEGIN ";
const DASHES: &[u8] = b"-----";
/// The line that opens a certificate block (RFC 7468 section 2).
pub(crate) const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
/// The line that closes it.
const END: &[u8] = b"-----END CERTIFICATE-----";

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
    match next_certificate(pem)? {
        Some((der, _)) => Ok(der),
        None => Err(other_label(pem)),
    }
}

/// Why text without a `CERTIFICATE` block has none: the label of whatever block is there
/// ("this is a key"), or no PEM at all.
pub(crate) fn other_label(text: &[u8]) -> CertificateError {
    let Some(at) = find(text, PEM_BEGIN) else {
        return CertificateError::NoPemBlock;
    };
    let after = text.get(at + PEM_BEGIN.len()..).unwrap_or_default();
    let label = after
        .get(..find(after, DASHES).unwrap_or(0))
        .unwrap_or_default();
    CertificateError::NotACertificatePem {
        label: sanitize_label(label),
    }
}

/// A decoded block's DER, and the text after its `END` line.
pub(crate) type Block<'a> = (Vec<u8>, &'a [u8]);

/// The first `CERTIFICATE` block of `text`; `None` when there is none.
pub(crate) fn next_certificate(text: &[u8]) -> Result<Option<Block<'_>>, CertificateError> {
    next_block(text, Label::Certificate)
}

/// The labels of the blocks the crate reads (RFC 7468 sections 5 and 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Label {
    /// `CERTIFICATE`.
    Certificate,
    /// `X509 CRL`.
    Crl,
}

impl Label {
    fn begin(self) -> &'static [u8] {
        match self {
            Self::Certificate => BEGIN,
            Self::Crl => b"-----BEGIN X509 CRL-----",
        }
    }

    fn end(self) -> &'static [u8] {
        match self {
            Self::Certificate => END,
            Self::Crl => b"-----END X509 CRL-----",
        }
    }
}

/// The first block labelled `label` of `text`; `None` when there is none.
pub(crate) fn next_block(text: &[u8], label: Label) -> Result<Option<Block<'_>>, CertificateError> {
    let Some(start) = find(text, label.begin()) else {
        return Ok(None);
    };
    let body_and_rest = text.get(start + label.begin().len()..).unwrap_or_default();
    let end = find(body_and_rest, label.end()).ok_or(CertificateError::UnterminatedPem)?;
    let body = body_and_rest.get(..end).unwrap_or_default();
    // Another boundary inside: this block was cut short.
    if find(body, DASHES).is_some() {
        return Err(CertificateError::UnterminatedPem);
    }
    let rest = body_and_rest
        .get(end + label.end().len()..)
        .unwrap_or_default();
    Ok(Some((decode_body(body, label)?, rest)))
}

/// The body of one block, its base64 re-wrapped as RFC 7468 writes it (64 characters a line),
/// through `pem-rfc7468`.
fn decode_body(body: &[u8], label: Label) -> Result<Vec<u8>, CertificateError> {
    let b64: Vec<u8> = body
        .split(u8::is_ascii_whitespace)
        .flatten()
        .copied()
        .collect();
    if b64.is_empty() {
        return Err(CertificateError::Empty);
    }
    let (begin, end) = (label.begin(), label.end());
    let mut pem = Vec::with_capacity(b64.len() + b64.len() / 64 + begin.len() + end.len() + 3);
    pem.extend_from_slice(begin);
    pem.push(b'\n');
    for line in b64.chunks(64) {
        pem.extend_from_slice(line);
        pem.push(b'\n');
    }
    pem.extend_from_slice(end);
    pem.push(b'\n');
    let mut decoder = pem_rfc7468::Decoder::new(&pem).map_err(|_| CertificateError::PemBase64)?;
    let mut der = Vec::new();
    decoder
        .decode_to_end(&mut der)
        .map_err(|_| CertificateError::PemBase64)?;
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
        // Apache `mod_headers`: every line break a space.
        let spaced = pem.replace('\n', " ");
        assert_eq!(pem_to_der(spaced.as_bytes()).unwrap(), der);
        // Lines of another width, or one line.
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let one_line = format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n");
        assert_eq!(pem_to_der(one_line.as_bytes()).unwrap(), der);
        let b = body.as_bytes();
        let narrow: Vec<&str> = b
            .chunks(40)
            .map(|c| core::str::from_utf8(c).unwrap())
            .collect();
        let narrow = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            narrow.join("\n")
        );
        assert_eq!(pem_to_der(narrow.as_bytes()).unwrap(), der);
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
        // pem-rfc7468 is strict about the base64: padding is required.
        let unpadded = pem.replace('=', "");
        assert_eq!(
            pem_to_der(unpadded.as_bytes()),
            Err(CertificateError::PemBase64)
        );
        assert_eq!(pem_to_der(b""), Err(CertificateError::Empty));
        assert_eq!(
            pem_to_der(b"-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----"),
            Err(CertificateError::Empty)
        );
    }

    #[test]
    fn blocks_in_turn() {
        let pem = rfc8705_appendix_a_pem();
        let two = format!("{pem}{pem}");
        let (first, rest) = next_certificate(two.as_bytes()).unwrap().unwrap();
        let (second, rest) = next_certificate(rest).unwrap().unwrap();
        assert_eq!(
            (first, second),
            (rfc8705_appendix_a_der(), rfc8705_appendix_a_der())
        );
        assert_eq!(next_certificate(rest).unwrap(), None);
        // A block cut short and followed by another.
        let cut = format!("{}\n{pem}", &pem[..100]);
        assert_eq!(
            next_certificate(cut.as_bytes()),
            Err(CertificateError::UnterminatedPem)
        );
    }
}
