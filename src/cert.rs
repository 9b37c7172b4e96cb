//! The presented leaf certificate: read from DER or PEM, parsed once, its exact DER kept.
//!
//! RFC 8705 section 3.1 defines the thumbprint over "the DER encoding \[X690\] of the X.509
//! certificate", so this module never re-encodes: the bytes hashed are the bytes received.
//! Every API in the crate takes the end-entity (leaf) certificate; nothing here accepts a
//! chain.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64, Encoding};
use der::Decode;

use crate::Thumbprint;

/// The largest DER certificate accepted, in bytes. Real client certificates are 0.5 to
/// 4 KiB; RFC 8941 asks header parsers to handle at least 16 KiB.
pub const MAX_DER_LEN: usize = 64 * 1024;

/// The largest PEM input accepted, in bytes (text around the block included).
pub const MAX_PEM_LEN: usize = 256 * 1024;

const PEM_BEGIN: &[u8] = b"-----BEGIN ";
const PEM_END: &[u8] = b"-----END ";
const DASHES: &[u8] = b"-----";

/// Why bytes could not be read as a certificate.
///
/// ```
/// use rfc8705::{ClientCertificate, CertificateError};
///
/// assert_eq!(ClientCertificate::from_der(&[]).unwrap_err(), CertificateError::Empty);
/// assert_eq!(
///     ClientCertificate::from_pem(b"no pem here").unwrap_err(),
///     CertificateError::NoPemBlock
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CertificateError {
    /// The input is empty.
    #[error("the certificate input is empty")]
    Empty,
    /// The input exceeds the documented size limit.
    #[error("the certificate input is {len} bytes; the limit is {max}")]
    TooLarge {
        /// Input length in bytes.
        len: usize,
        /// The limit that applies ([`MAX_DER_LEN`] or [`MAX_PEM_LEN`]).
        max: usize,
    },
    /// The input is neither DER nor text holding a PEM block.
    #[error("no PEM block (-----BEGIN CERTIFICATE-----) found")]
    NoPemBlock,
    /// The input holds PEM blocks, but none labelled `CERTIFICATE`.
    #[error("the PEM block is labelled {label:?}, not CERTIFICATE")]
    NotACertificatePem {
        /// The label of the first block found (printable ASCII only, truncated).
        label: String,
    },
    /// A `-----BEGIN CERTIFICATE-----` line without its `-----END CERTIFICATE-----` line.
    #[error("the PEM CERTIFICATE block has no END line")]
    UnterminatedPem,
    /// The PEM body is not valid base64.
    #[error("the PEM CERTIFICATE block is not valid base64")]
    PemBase64,
    /// The DER does not start with a SEQUENCE, as every certificate does.
    #[error("not a DER certificate: it does not start with a SEQUENCE (0x30) tag")]
    NotASequence,
    /// The DER ends before the length its outer SEQUENCE declares.
    #[error(
        "the DER is truncated: the certificate declares {declared} bytes, {available} are present"
    )]
    Truncated {
        /// Length the outer SEQUENCE (header included) declares.
        declared: usize,
        /// Bytes available.
        available: usize,
    },
    /// Bytes follow the certificate.
    #[error("{extra} bytes follow the DER certificate")]
    TrailingData {
        /// Number of bytes after the certificate.
        extra: usize,
    },
    /// The outer framing is fine but the content is not an X.509 certificate that the
    /// parser accepts.
    #[error("not a valid X.509 certificate: {0}")]
    Malformed(der::Error),
}

/// Checks that `der` is exactly one DER `SEQUENCE` with a definite length: constant work,
/// no parsing of the contents.
pub(crate) fn check_der_framing(der: &[u8]) -> Result<(), CertificateError> {
    let (&tag, rest) = der.split_first().ok_or(CertificateError::Empty)?;
    if der.len() > MAX_DER_LEN {
        return Err(CertificateError::TooLarge {
            len: der.len(),
            max: MAX_DER_LEN,
        });
    }
    // X.690 section 8.9: a SEQUENCE is constructed, tag number 16: 0x30.
    if tag != 0x30 {
        return Err(CertificateError::NotASequence);
    }
    let truncated = CertificateError::Truncated {
        declared: usize::MAX,
        available: der.len(),
    };
    let (&first, rest) = rest.split_first().ok_or(truncated.clone())?;
    let (content_len, header_len) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        // X.690 section 8.1.3.5 long form; 0x80 (indefinite) is not DER and 0xff is reserved.
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return Err(CertificateError::NotASequence);
        }
        let len_bytes = rest.get(..n).ok_or(truncated)?;
        let len = len_bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, 2 + n)
    };
    let declared = content_len.saturating_add(header_len);
    match declared.cmp(&der.len()) {
        core::cmp::Ordering::Greater => Err(CertificateError::Truncated {
            declared,
            available: der.len(),
        }),
        core::cmp::Ordering::Less => Err(CertificateError::TrailingData {
            extra: der.len() - declared,
        }),
        core::cmp::Ordering::Equal => Ok(()),
    }
}

/// A presented leaf certificate: parsed once with `x509-cert`, with its exact DER kept for
/// hashing.
///
/// ```
/// use rfc8705::ClientCertificate;
/// # let pem = rfc8705::__doc_support::rfc8705_appendix_a_pem();
/// let cert = ClientCertificate::from_pem(pem.as_bytes())?;
/// assert_eq!(cert.thumbprint().to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
/// assert_eq!(cert.der().len(), 266);
/// # Ok::<(), rfc8705::CertificateError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ClientCertificate<'a> {
    der: Cow<'a, [u8]>,
    parsed: x509_cert::Certificate,
}

impl<'a> ClientCertificate<'a> {
    /// Parses a DER certificate, borrowing the bytes.
    ///
    /// Inputs over [`MAX_DER_LEN`] bytes are rejected. The whole input must be one
    /// certificate: trailing bytes are an error.
    ///
    /// ```
    /// use rfc8705::{ClientCertificate, CertificateError};
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// let cert = ClientCertificate::from_der(&der)?;
    /// assert_eq!(cert.der(), &der[..]);
    ///
    /// let mut longer = der.clone();
    /// longer.push(0);
    /// assert_eq!(
    ///     ClientCertificate::from_der(&longer).unwrap_err(),
    ///     CertificateError::TrailingData { extra: 1 }
    /// );
    /// # Ok::<(), CertificateError>(())
    /// ```
    pub fn from_der(der: &'a [u8]) -> Result<Self, CertificateError> {
        let parsed = parse_der(der)?;
        Ok(Self {
            der: Cow::Borrowed(der),
            parsed,
        })
    }

    /// Parses a DER certificate, taking ownership of the bytes.
    ///
    /// ```
    /// # use rfc8705::ClientCertificate;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// let cert = ClientCertificate::from_der_vec(der)?;
    /// # Ok::<(), rfc8705::CertificateError>(())
    /// ```
    pub fn from_der_vec(der: Vec<u8>) -> Result<ClientCertificate<'static>, CertificateError> {
        let parsed = parse_der(&der)?;
        Ok(ClientCertificate {
            der: Cow::Owned(der),
            parsed,
        })
    }

    /// Reads the first `CERTIFICATE` block of PEM text; text before and after it and CRLF line
    /// ends are accepted. Inputs over [`MAX_PEM_LEN`] bytes are rejected.
    ///
    /// ```
    /// use rfc8705::ClientCertificate;
    /// # let pem = rfc8705::__doc_support::rfc8705_appendix_a_pem();
    /// let text = format!("subject=CN = mtls\r\n{}\r\n", pem.replace('\n', "\r\n"));
    /// let cert = ClientCertificate::from_pem(text.as_bytes())?;
    /// assert_eq!(cert.der().len(), 266);
    /// # Ok::<(), rfc8705::CertificateError>(())
    /// ```
    pub fn from_pem(pem: &[u8]) -> Result<ClientCertificate<'static>, CertificateError> {
        ClientCertificate::from_der_vec(pem_to_der(pem)?)
    }

    /// Reads DER (input starting with a SEQUENCE tag) or else PEM.
    ///
    /// ```
    /// use rfc8705::ClientCertificate;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// # let pem = rfc8705::__doc_support::rfc8705_appendix_a_pem();
    /// let a = ClientCertificate::from_pem_or_der(&der)?;
    /// let b = ClientCertificate::from_pem_or_der(pem.as_bytes())?;
    /// assert_eq!(a.thumbprint(), b.thumbprint());
    /// # Ok::<(), rfc8705::CertificateError>(())
    /// ```
    pub fn from_pem_or_der(input: &[u8]) -> Result<ClientCertificate<'static>, CertificateError> {
        match input.first() {
            None => Err(CertificateError::Empty),
            Some(0x30) => ClientCertificate::from_der_vec(input.to_vec()),
            Some(_) => Self::from_pem(input),
        }
    }

    /// The exact DER bytes as received.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The parsed certificate, for accessors this crate does not wrap.
    ///
    /// ```
    /// # use rfc8705::ClientCertificate;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// let cert = ClientCertificate::from_der(&der)?;
    /// let serial = cert.x509().tbs_certificate().serial_number();
    /// assert_eq!(serial.as_bytes(), &[2]);
    /// # Ok::<(), rfc8705::CertificateError>(())
    /// ```
    pub fn x509(&self) -> &x509_cert::Certificate {
        &self.parsed
    }

    /// The certificate's `x5t#S256` thumbprint: SHA-256 over the DER as received.
    pub fn thumbprint(&self) -> Thumbprint {
        Thumbprint::digest_of(&self.der)
    }

    /// Detaches the certificate from the borrowed input.
    ///
    /// ```
    /// # use rfc8705::ClientCertificate;
    /// let owned: ClientCertificate<'static> = {
    ///     let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    ///     ClientCertificate::from_der(&der)?.into_owned()
    /// };
    /// # Ok::<(), rfc8705::CertificateError>(())
    /// ```
    pub fn into_owned(self) -> ClientCertificate<'static> {
        ClientCertificate {
            der: Cow::Owned(self.der.into_owned()),
            parsed: self.parsed,
        }
    }
}

fn parse_der(der: &[u8]) -> Result<x509_cert::Certificate, CertificateError> {
    check_der_framing(der)?;
    x509_cert::Certificate::from_der(der).map_err(CertificateError::Malformed)
}

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
    fn framing_errors_are_precise() {
        let der = rfc8705_appendix_a_der();
        assert_eq!(check_der_framing(&der), Ok(()));
        let trunc = &der[..der.len() - 1];
        assert_eq!(
            check_der_framing(trunc),
            Err(CertificateError::Truncated {
                declared: 266,
                available: 265
            })
        );
        assert_eq!(
            check_der_framing(&[0x30]),
            Err(CertificateError::Truncated {
                declared: usize::MAX,
                available: 1
            })
        );
        assert_eq!(
            check_der_framing(&[0x31, 0]),
            Err(CertificateError::NotASequence)
        );
        assert_eq!(
            check_der_framing(&[0x30, 0x80]),
            Err(CertificateError::NotASequence)
        );
        assert_eq!(
            check_der_framing(&[0x30, 0x00, 0x00]),
            Err(CertificateError::TrailingData { extra: 1 })
        );
        let big = alloc::vec![0x30; MAX_DER_LEN + 1];
        assert!(matches!(
            check_der_framing(&big),
            Err(CertificateError::TooLarge { .. })
        ));
    }

    #[test]
    fn a_sequence_that_is_not_a_certificate_is_malformed() {
        assert!(matches!(
            ClientCertificate::from_der(&[0x30, 0x00]),
            Err(CertificateError::Malformed(_))
        ));
    }

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
