//! The presented leaf certificate: read from DER or PEM, checked once, its exact DER kept.
//!
//! RFC 8705 section 3.1 defines the thumbprint over "the DER encoding \[X690\] of the X.509
//! certificate", so this module never re-encodes: the bytes hashed are the bytes received.
//! Every API in the crate matches the end-entity (leaf) certificate; nothing here accepts a
//! chain (only [`MtlsClientAuth::validate_chain`](crate::client_auth::MtlsClientAuth::validate_chain)
//! reads one, to validate it for `tls_client_auth`).
//!
//! One reader decides what a certificate is: [`ClientCertificate::from_der`], the thumbprint,
//! the forwarded-certificate decoders and the authentication functions all accept exactly
//! the same certificates: DER (X.690 section 10) with the structure of RFC 5280 section 4.1.
//! Names may use every DirectoryString encoding, UniversalString included.

use alloc::borrow::Cow;
use alloc::vec::Vec;
use core::fmt;

use der::Decode;

mod extension;
mod parse;
mod pem;

pub(crate) use extension::EmailSubtrees;
pub(crate) use parse::Parts;
pub(crate) use pem::{
    BEGIN as PEM_BEGIN, Label as PemLabel, next_block, next_certificate, other_label, pem_to_der,
};

use crate::der::{DerError, Header, tag};
use parse::Layout;

/// The largest DER certificate accepted, in bytes.
pub(crate) const MAX_DER_LEN: usize = 64 * 1024;

/// The largest PEM input accepted, in bytes (text around the block included).
pub(crate) const MAX_PEM_LEN: usize = 256 * 1024;

/// The part of a certificate that is malformed (RFC 5280 section 4.1 names).
///
/// ```
/// use rfc8705::CertificateField;
/// assert_eq!(CertificateField::SubjectAltName.to_string(), "subjectAltName extension");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CertificateField {
    /// `tbsCertificate`, or a field after `subjectPublicKeyInfo` out of place.
    TbsCertificate,
    /// `version`.
    Version,
    /// `serialNumber`.
    SerialNumber,
    /// `signature` (the algorithm inside `tbsCertificate`).
    Signature,
    /// `issuer`.
    Issuer,
    /// `validity`.
    Validity,
    /// `subject`.
    Subject,
    /// `subjectPublicKeyInfo`.
    SubjectPublicKeyInfo,
    /// `extensions`.
    Extensions,
    /// The subjectAltName extension (present twice, or not a `GeneralNames`).
    SubjectAltName,
    /// `signatureAlgorithm`.
    SignatureAlgorithm,
    /// `signatureValue`, or bytes after it inside the certificate.
    SignatureValue,
}

impl fmt::Display for CertificateField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::TbsCertificate => "tbsCertificate",
            Self::Version => "version",
            Self::SerialNumber => "serialNumber",
            Self::Signature => "signature algorithm",
            Self::Issuer => "issuer",
            Self::Validity => "validity",
            Self::Subject => "subject",
            Self::SubjectPublicKeyInfo => "subjectPublicKeyInfo",
            Self::Extensions => "extensions",
            Self::SubjectAltName => "subjectAltName extension",
            Self::SignatureAlgorithm => "signatureAlgorithm",
            Self::SignatureValue => "signatureValue",
        })
    }
}

/// Why bytes could not be read as a certificate.
///
/// ```
/// use rfc8705::{ClientCertificate, CertificateError};
///
/// assert_eq!(ClientCertificate::from_der(&[]).unwrap_err(), CertificateError::Empty);
/// // A BER length (long form for 3) is not DER.
/// assert_eq!(
///     ClientCertificate::from_der(&[0x30, 0x81, 0x03, 0x02, 0x01, 0x00]).unwrap_err(),
///     CertificateError::NotDer
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CertificateError {
    /// The input is empty.
    #[error("the certificate input is empty")]
    Empty,
    /// The input exceeds the size limit (64 KiB of DER, 256 KiB of PEM text).
    #[error("the certificate input is {len} bytes; the limit is {max}")]
    TooLarge {
        /// Input length in bytes.
        len: usize,
        /// The limit that applies.
        max: usize,
    },
    /// The input is neither DER nor text holding a PEM block.
    #[error("no PEM block (-----BEGIN CERTIFICATE-----) found")]
    NoPemBlock,
    /// The input holds PEM blocks, but none labelled `CERTIFICATE`.
    #[error("the PEM block is labelled {label:?}, not CERTIFICATE")]
    NotACertificatePem {
        /// The label of the first block found (printable ASCII only, truncated).
        label: alloc::string::String,
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
    /// The certificate's length is not in DER form: indefinite, or long form where the short
    /// form or fewer octets would do (X.690 section 10.1).
    #[error("not a DER certificate: its length is not DER-encoded (definite, minimal)")]
    NotDer,
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
    /// The outer framing is fine but a field is not what RFC 5280 section 4.1 defines, or is
    /// not DER.
    #[error("not a valid X.509 certificate: the {0} is malformed")]
    Malformed(CertificateField),
}

/// Checks that `der` is exactly one DER `SEQUENCE`: constant work, no parsing of the
/// contents. This is all [`Thumbprint::from_der`](crate::Thumbprint::from_der) checks.
pub(crate) fn check_der_framing(der: &[u8]) -> Result<(), CertificateError> {
    if der.is_empty() {
        return Err(CertificateError::Empty);
    }
    if der.len() > MAX_DER_LEN {
        return Err(CertificateError::TooLarge {
            len: der.len(),
            max: MAX_DER_LEN,
        });
    }
    let header = match Header::read(der) {
        Ok(h) => h,
        Err(DerError::Truncated) if der.first() == Some(&tag::SEQUENCE) => {
            return Err(CertificateError::Truncated {
                declared: usize::MAX,
                available: der.len(),
            });
        }
        Err(_) if der.first() != Some(&tag::SEQUENCE) => {
            return Err(CertificateError::NotASequence);
        }
        Err(_) => return Err(CertificateError::NotDer),
    };
    // X.690 section 8.9: a SEQUENCE is constructed, tag number 16: 0x30.
    if header.tag != tag::SEQUENCE {
        return Err(CertificateError::NotASequence);
    }
    let declared = header.total_len();
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

/// A presented leaf certificate: checked once, with its exact DER kept for hashing.
///
/// RFC 8705 section 3.1 defines the thumbprint over "the DER encoding \[X690\] of the X.509
/// certificate", so the crate never re-encodes: the bytes hashed are the bytes received. One
/// reader decides what a certificate is: this type, the thumbprint, the forwarded-certificate
/// decoders and the authentication functions all accept exactly the same certificates: DER
/// (X.690 section 10) with the structure of RFC 5280 section 4.1. Names may use every
/// DirectoryString encoding, UniversalString included.
///
/// The views ([`subject`](Self::subject), [`issuer`](Self::issuer), [`sans`](Self::sans),
/// [`spki`](Self::spki)) borrow from that DER and cost nothing to take.
///
/// ```
/// use rfc8705::ClientCertificate;
/// # let pem = rfc8705::__doc_support::rfc8705_appendix_a_pem();
/// let cert = ClientCertificate::from_pem(pem.as_bytes())?;
/// assert_eq!(cert.thumbprint().to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
/// assert_eq!(cert.subject().to_string(), "CN=mtls");
/// assert_eq!(cert.der().len(), 266);
/// # Ok::<(), rfc8705::CertificateError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ClientCertificate<'a> {
    der: Cow<'a, [u8]>,
    layout: Layout,
    compat: X509Compat,
}

/// The `x509-cert` pieces other modules of the crate read through
/// [`ClientCertificate::x509`]. Not public: x509-cert types are not part of the crate's API.
#[derive(Debug, Clone)]
pub(crate) struct X509Compat {
    spki: spki::SubjectPublicKeyInfoOwned,
}

impl X509Compat {
    pub(crate) fn tbs_certificate(&self) -> &Self {
        self
    }

    pub(crate) fn subject_public_key_info(&self) -> &spki::SubjectPublicKeyInfoOwned {
        &self.spki
    }
}

impl<'a> ClientCertificate<'a> {
    /// Parses a DER certificate, borrowing the bytes.
    ///
    /// The whole input must be one certificate of at most 64 KiB, in DER: trailing bytes,
    /// BER lengths and malformed fields are errors.
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
        let (layout, compat) = read(der)?;
        Ok(Self {
            der: Cow::Borrowed(der),
            layout,
            compat,
        })
    }

    /// Parses a DER certificate, taking ownership of the bytes.
    pub(crate) fn from_der_vec(
        der: Vec<u8>,
    ) -> Result<ClientCertificate<'static>, CertificateError> {
        let (layout, compat) = read(&der)?;
        Ok(ClientCertificate {
            der: Cow::Owned(der),
            layout,
            compat,
        })
    }

    /// Reads the first `CERTIFICATE` block of PEM text; text before and after it and CRLF line
    /// ends are accepted. Inputs over 256 KiB are rejected.
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

    /// The exact DER bytes as received.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The DER of the subject's `SubjectPublicKeyInfo` (the algorithm and the key), borrowed
    /// from the certificate.
    ///
    /// ```
    /// # use rfc8705::ClientCertificate;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// let cert = ClientCertificate::from_der(&der)?;
    /// // A SEQUENCE holding the algorithm and the key.
    /// assert_eq!(cert.spki()[0], 0x30);
    /// # Ok::<(), rfc8705::CertificateError>(())
    /// ```
    pub fn spki(&self) -> &[u8] {
        self.parts().spki
    }

    /// The located parts, for the views other modules add.
    pub(crate) fn parts(&self) -> Parts<'_> {
        self.layout.parts(&self.der)
    }

    /// The `x509-cert` view other modules still read the key through.
    pub(crate) fn x509(&self) -> &X509Compat {
        &self.compat
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
            layout: self.layout,
            compat: self.compat,
        }
    }
}

fn read(der: &[u8]) -> Result<(Layout, X509Compat), CertificateError> {
    let parts = Parts::read(der)?;
    let spki = spki::SubjectPublicKeyInfoOwned::from_der(parts.spki)
        .map_err(|_| CertificateError::Malformed(CertificateField::SubjectPublicKeyInfo))?;
    Ok((Layout::of(der, &parts), X509Compat { spki }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::__doc_support::rfc8705_appendix_a_der;

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
            check_der_framing(&[0x30, 0x80, 0x00, 0x00]),
            Err(CertificateError::NotDer)
        );
        assert_eq!(
            check_der_framing(&[0x30, 0x81, 0x01, 0x00]),
            Err(CertificateError::NotDer)
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
        assert_eq!(
            ClientCertificate::from_der(&[0x30, 0x00]).unwrap_err(),
            CertificateError::Malformed(CertificateField::TbsCertificate)
        );
    }

    #[test]
    fn the_spki_view_and_the_x509_cert_view_agree() {
        let der = rfc8705_appendix_a_der();
        let cert = ClientCertificate::from_der(&der).unwrap();
        let owned = cert.x509().tbs_certificate().subject_public_key_info();
        assert_eq!(::der::Encode::to_der(owned).unwrap(), cert.spki());
    }
}
