//! A certificate's name, borrowed from its DER: checked, never decoded.

use core::fmt;

use super::error::NameError;
use super::format;
use crate::cert::{ClientCertificate, Parts};
use crate::der::{self, Elements, MAX_AVAS_PER_RDN, MAX_RDNS, NameShape, Tlv};

/// One AVA of a certificate name: the OID's content octets and the value element.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CertAva<'a> {
    pub(crate) oid: &'a [u8],
    pub(crate) value: Tlv<'a>,
}

/// One RDN of a certificate name (validated by [`NameRef::from_der`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RdnRef<'a> {
    content: &'a [u8],
}

impl<'a> RdnRef<'a> {
    pub(crate) fn avas(&self) -> impl Iterator<Item = CertAva<'a>> + 'a {
        Elements::new(self.content).filter_map(|seq| {
            let (oid, rest) = Tlv::read(seq.content).ok()?;
            let value = Tlv::read_only(rest).ok()?;
            Some(CertAva {
                oid: oid.content,
                value,
            })
        })
    }

    pub(crate) fn len(&self) -> usize {
        Elements::new(self.content).count()
    }
}

/// A certificate's `Name` (subject or issuer), borrowed from the certificate's DER and
/// validated, but not decoded: values of every string type, UniversalString included, are
/// read where they lie.
///
/// `Display` writes the RFC 4514 string: short names for registered types, a dotted OID
/// with a `#hex` value otherwise, minimal escaping, and every DirectoryString encoding
/// (PrintableString, UTF8String, BMPString, UniversalString, TeletexString read as Latin-1)
/// shown as text.
///
/// ```
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
/// let cert = rfc8705::ClientCertificate::from_der(&der)?;
/// assert_eq!(cert.subject().to_string(), "CN=mtls");
/// # Ok::<(), rfc8705::CertificateError>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct NameRef<'a> {
    /// Content of the Name SEQUENCE.
    content: &'a [u8],
    len: usize,
}

impl<'a> NameRef<'a> {
    /// Reads a DER `Name` (`SEQUENCE OF SET OF SEQUENCE { OID, ANY }`).
    ///
    /// ```
    /// use rfc8705::dn::{NameError, NameRef};
    /// // SEQUENCE { SET { SEQUENCE { 2.5.4.3, UTF8String "a" } } }
    /// let der = [0x30, 0x0c, 0x31, 0x0a, 0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, b'a'];
    /// assert_eq!(NameRef::from_der(&der)?.to_string(), "CN=a");
    /// assert_eq!(NameRef::from_der(&der[..5]).unwrap_err(), NameError::Malformed);
    /// # Ok::<(), NameError>(())
    /// ```
    pub fn from_der(der: &'a [u8]) -> Result<Self, NameError> {
        let tlv = Tlv::read_only(der).map_err(|_| NameError::Malformed)?;
        let len = der::check_name(tlv).map_err(|shape| match shape {
            NameShape::Malformed => NameError::Malformed,
            NameShape::TooManyRdns => NameError::TooManyRdns { max: MAX_RDNS },
            NameShape::TooManyAvas => NameError::TooManyAvas {
                max: MAX_AVAS_PER_RDN,
            },
        })?;
        Ok(Self::checked(tlv.content, len))
    }

    /// A name whose content `der::check_name` accepted with `len` RDNs.
    fn checked(content: &'a [u8], len: usize) -> Self {
        Self { content, len }
    }

    /// The subject of a DER certificate, read as `ClientCertificate::from_der` reads it.
    pub(crate) fn subject_of_der(cert_der: &'a [u8]) -> Result<Self, NameError> {
        let parts = Parts::read(cert_der).map_err(|_| NameError::NotACertificate)?;
        Ok(Self::checked(parts.subject, parts.subject_rdns))
    }

    /// The issuer of a DER certificate.
    pub(crate) fn issuer_of_der(cert_der: &'a [u8]) -> Result<Self, NameError> {
        let parts = Parts::read(cert_der).map_err(|_| NameError::NotACertificate)?;
        Ok(Self::checked(parts.issuer, parts.issuer_rdns))
    }

    /// The number of RDNs.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Whether the name has no RDN (a SAN-only certificate, RFC 5280 section 4.1.2.6).
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub(crate) fn rdns(&self) -> impl Iterator<Item = RdnRef<'a>> + 'a {
        Elements::new(self.content).map(|set| RdnRef {
            content: set.content,
        })
    }

    /// The RDN at DER position `i`.
    pub(crate) fn rdn(&self, i: usize) -> Option<RdnRef<'a>> {
        self.rdns().nth(i)
    }
}

impl ClientCertificate<'_> {
    /// The certificate's subject.
    ///
    /// ```
    /// # use rfc8705::ClientCertificate;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// let cert = ClientCertificate::from_der(&der)?;
    /// assert_eq!(cert.subject().to_string(), "CN=mtls");
    /// # Ok::<(), rfc8705::CertificateError>(())
    /// ```
    pub fn subject(&self) -> NameRef<'_> {
        let parts = self.parts();
        NameRef::checked(parts.subject, parts.subject_rdns)
    }

    /// The certificate's issuer.
    pub fn issuer(&self) -> NameRef<'_> {
        let parts = self.parts();
        NameRef::checked(parts.issuer, parts.issuer_rdns)
    }
}

impl fmt::Display for NameRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // RFC 4514 section 2.1: "starting with the last element of the sequence and moving
        // backwards toward the first".
        for (i, pos) in (0..self.len).rev().enumerate() {
            let Some(rdn) = self.rdn(pos) else { break };
            if i > 0 {
                f.write_str(",")?;
            }
            for (j, ava) in rdn.avas().enumerate() {
                if j > 0 {
                    f.write_str("+")?;
                }
                format::write_cert_ava(f, ava.oid, ava.value)?;
            }
        }
        Ok(())
    }
}
