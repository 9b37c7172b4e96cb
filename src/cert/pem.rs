//! `CERTIFICATE` and `X509 CRL` blocks of PEM text (RFC 7468): the crate's one PEM reader.
//!
//! * Text around the blocks is skipped (RFC 7468 section 5.2 allows explanatory text), and so
//!   are blocks with other labels before a certificate.
//! * The body's base64 may be separated by any whitespace: CRLF, the spaces Apache's
//!   `mod_headers` writes for line breaks, lines of any width, or none (RFC 7468 section 3:
//!   whitespace is not data). Without it, the base64 must be RFC 4648's, strictly: `=`
//!   padding required, zero pad bits, nothing outside the alphabet (section 3: "the
//!   encapsulated text … MUST be … the standard base64 alphabet").
//!
//! The base64 is `base64-simd`'s strict decoder, the one forwarded certificates use: PEM is
//! the resource server's hot path behind nginx, Apache, ALB, CloudFront and Envoy, and
//! certificates are public, so it need not be constant-time.

use alloc::string::String;
use alloc::vec::Vec;

use super::{CertificateError, MAX_PEM_LEN};

const PEM_BEGIN: &[u8] = b"-----BEGIN ";
const DASHES: &[u8] = b"-----";
/// The line that opens a certificate block (RFC 7468 section 2).
pub(crate) const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
/// The line that closes it.
const END: &[u8] = b"-----END CERTIFICATE-----";

/// The first position of `needle` in `haystack`: a SIMD search for its first byte, then a
/// compare. PEM's boundaries start with `-`, which base64 never holds, so the first candidate
/// is nearly always the match (a `memmem` searcher costs more to build than this search).
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut from = 0;
    loop {
        let at = from + memchr::memchr(first, haystack.get(from..)?)?;
        if haystack.get(at + 1..)?.starts_with(rest) {
            return Some(at);
        }
        from = at + 1;
    }
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
    let end = match memchr::memchr(b'-', body_and_rest) {
        // The body's first `-` opens its END line: no other boundary is inside (base64 has
        // no `-`), found in one search.
        Some(at)
            if body_and_rest
                .get(at..)
                .is_some_and(|r| r.starts_with(label.end())) =>
        {
            at
        }
        _ => {
            let end = find(body_and_rest, label.end()).ok_or(CertificateError::UnterminatedPem)?;
            // Another boundary inside: this block was cut short.
            if find(body_and_rest.get(..end).unwrap_or_default(), DASHES).is_some() {
                return Err(CertificateError::UnterminatedPem);
            }
            end
        }
    };
    let body = body_and_rest.get(..end).unwrap_or_default();
    let rest = body_and_rest
        .get(end + label.end().len()..)
        .unwrap_or_default();
    Ok(Some((decode_body(body)?, rest)))
}

/// The width of RFC 7468's lines (section 2: "each line consists of exactly 64 characters
/// except for the final line").
const LINE: usize = 64;

/// The body of one block: its base64 with the whitespace removed, decoded strictly.
fn decode_body(body: &[u8]) -> Result<Vec<u8>, CertificateError> {
    let decode = |b64: &[u8]| {
        if b64.is_empty() {
            return Err(CertificateError::Empty);
        }
        base64_simd::STANDARD
            .decode_to_vec(b64)
            .map_err(|_| CertificateError::PemBase64)
    };
    // A body on one line (URL-encoded PEM without its line breaks) decodes as it is, RFC
    // 7468's layout without its line breaks: which one it is shows within a line's length.
    // Whitespace anywhere else makes that base64 fail, and then every ASCII whitespace byte
    // is dropped and the rest decoded again.
    let first_line = body.get(..LINE + 2).unwrap_or(body);
    let decoded = match memchr::memchr3(b'\n', b'\r', b' ', first_line) {
        None => decode(body),
        Some(_) => decode(&strip_lines(body)),
    };
    decoded.or_else(|_| {
        let b64: Vec<u8> = body
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        decode(&b64)
    })
}

/// The body without its line breaks, one copy: RFC 7468's lines of 64 characters (`\n` or
/// `\r\n` after each) are copied without a search; other layouts (Apache's spaces, other
/// widths) by SIMD search for `\n`, `\r` and space.
fn strip_lines(body: &[u8]) -> Vec<u8> {
    let mut b64 = Vec::with_capacity(body.len());
    let mut rest = body
        .strip_prefix(b"\r\n")
        .or_else(|| body.strip_prefix(b"\n"))
        .unwrap_or(body);
    // Whole 64-character lines.
    while let Some((line, after)) = rest.split_at_checked(LINE) {
        let after = match after {
            [b'\n', after @ ..] | [b'\r', b'\n', after @ ..] => after,
            _ => break,
        };
        b64.extend_from_slice(line);
        rest = after;
    }
    // The last, shorter line, or any other layout.
    while let Some(at) = memchr::memchr3(b'\n', b'\r', b' ', rest) {
        let (line, after) = rest.split_at_checked(at).unwrap_or((rest, &[]));
        b64.extend_from_slice(line);
        rest = after.get(1..).unwrap_or_default();
    }
    b64.extend_from_slice(rest);
    b64
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
        let tabs = pem.replace('\n', "\t\x0c\r\n");
        assert_eq!(pem_to_der(tabs.as_bytes()).unwrap(), der);
        // Whitespace inside a 64-character line, and a line of 64 with a space for its break.
        let inside = pem.replacen("MIIB", "MI IB", 1);
        assert_eq!(pem_to_der(inside.as_bytes()).unwrap(), der);
        let spaced_lines = pem.replace('\n', " \n");
        assert_eq!(pem_to_der(spaced_lines.as_bytes()).unwrap(), der);
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
        // The base64 is strict: padding is required, pad bits are zero.
        let unpadded = pem.replace('=', "");
        assert_eq!(
            pem_to_der(unpadded.as_bytes()),
            Err(CertificateError::PemBase64)
        );
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let (last, rest) = body.trim_end_matches('=').as_bytes().split_last().unwrap();
        let padding = "=".repeat(body.len() - rest.len() - 1);
        // The appendix A body ends in one `=`: its last character carries two pad bits.
        let odd_bits = char::from(last + 1);
        let non_canonical = format!(
            "-----BEGIN CERTIFICATE-----\n{}{odd_bits}{padding}\n-----END CERTIFICATE-----\n",
            core::str::from_utf8(rest).unwrap()
        );
        assert_eq!(
            pem_to_der(non_canonical.as_bytes()),
            Err(CertificateError::PemBase64)
        );
        assert_eq!(
            pem_to_der(pem.replace("MII", "MI-----I").as_bytes()),
            Err(CertificateError::UnterminatedPem)
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
