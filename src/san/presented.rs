//! The SANs of a presented certificate, read from its DER.

use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::SanKind;
use crate::cert::{CertificateError, CertificateField, ClientCertificate, Parts};
use crate::der::{Elements, Tlv};

/// One SAN of a presented certificate.
///
/// `Display` gives `dns:…`, `uri:…`, `ip:…` (RFC 5952 text for IPv6), `email:…`, or
/// `other:<kind>`; control characters are escaped as `\xHH`.
///
/// ```
/// use rfc8705::san::PresentedSan;
/// use core::net::IpAddr;
/// let ip = PresentedSan::Ip("2001:db8::1".parse::<IpAddr>()?);
/// assert_eq!(ip.to_string(), "ip:2001:db8::1");
/// assert_eq!(PresentedSan::Dns("a.example").to_string(), "dns:a.example");
/// # Ok::<(), core::net::AddrParseError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PresentedSan<'a> {
    /// A dNSName.
    Dns(&'a str),
    /// A uniformResourceIdentifier.
    Uri(&'a str),
    /// An iPAddress of 4 or 16 octets.
    Ip(IpAddr),
    /// An rfc822Name.
    Email(&'a str),
    /// Another kind, not matched by RFC 8705 metadata.
    Other(SanKind),
    /// A value of a matched kind that is invalid (not ASCII, or an iPAddress that is not 4 or
    /// 16 octets): it never matches.
    Invalid(SanKind),
}

fn write_ia5(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    for c in s.chars() {
        if c.is_ascii_graphic() || c == ' ' {
            fmt::Write::write_char(f, c)?;
        } else {
            write!(f, "\\x{:02x}", u32::from(c))?;
        }
    }
    Ok(())
}

impl fmt::Display for PresentedSan<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Dns(s) => {
                f.write_str("dns:")?;
                write_ia5(f, s)
            }
            Self::Uri(s) => {
                f.write_str("uri:")?;
                write_ia5(f, s)
            }
            Self::Email(s) => {
                f.write_str("email:")?;
                write_ia5(f, s)
            }
            // core::net's Display of Ipv6Addr follows RFC 5952 section 4.
            Self::Ip(ip) => write!(f, "ip:{ip}"),
            Self::Other(kind) => write!(f, "other:{kind}"),
            Self::Invalid(kind) => write!(f, "other:invalid-{kind}"),
        }
    }
}

/// Why a certificate's SANs could not be read: `invalid_client`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SanError {
    /// The bytes are not a DER certificate whose extensions can be located.
    #[error("not a DER certificate: its extensions cannot be located")]
    NotACertificate,
    /// The extensions or the subjectAltName extension are malformed, or the extension
    /// appears twice (RFC 5280 section 4.2).
    #[error("the certificate's subjectAltName extension is malformed or appears twice")]
    Malformed,
}

/// The SANs of a presented certificate, in certificate order, borrowed from its DER: an
/// iterator of [`PresentedSan`].
///
/// ```
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
/// let cert = rfc8705::ClientCertificate::from_der(&der)?;
/// assert_eq!(cert.sans().count(), 0);
/// for san in cert.sans() {
///     println!("{san}");
/// }
/// # Ok::<(), rfc8705::CertificateError>(())
/// ```
#[derive(Debug, Clone)]
pub struct PresentedSans<'a> {
    /// The elements of the GeneralNames SEQUENCE (none when there is no extension).
    names: Elements<'a>,
}

impl<'a> PresentedSans<'a> {
    fn new(names: &'a [u8]) -> Self {
        Self {
            names: Elements::new(names),
        }
    }

    /// Reads the subjectAltName extension of a DER certificate. No extension: no SANs.
    pub(crate) fn of_der(cert_der: &'a [u8]) -> Result<Self, SanError> {
        match Parts::read(cert_der) {
            Ok(parts) => Ok(Self::new(parts.sans)),
            Err(CertificateError::Malformed(
                CertificateField::SubjectAltName | CertificateField::Extensions,
            )) => Err(SanError::Malformed),
            Err(_) => Err(SanError::NotACertificate),
        }
    }

    /// The SANs from the start.
    pub(crate) fn iter(&self) -> Self {
        self.clone()
    }
}

impl<'a> Iterator for PresentedSans<'a> {
    type Item = PresentedSan<'a>;

    fn next(&mut self) -> Option<PresentedSan<'a>> {
        let name = self.names.next()?;
        Some(read_san(name))
    }
}

/// One GeneralName, read as a SAN.
fn read_san(name: Tlv<'_>) -> PresentedSan<'_> {
    let Some(kind) = SanKind::from_tag_number(name.tag & 0x1f) else {
        return PresentedSan::Invalid(SanKind::OtherName);
    };
    let ia5 = || {
        core::str::from_utf8(name.content)
            .ok()
            .filter(|s| s.is_ascii())
    };
    // The IA5String kinds are primitive ([1], [2], [6] IMPLICIT IA5String).
    let primitive = name.tag & 0x20 == 0;
    match kind {
        SanKind::Dns | SanKind::Uri | SanKind::Email if primitive => match ia5() {
            Some(s) if kind == SanKind::Dns => PresentedSan::Dns(s),
            Some(s) if kind == SanKind::Uri => PresentedSan::Uri(s),
            Some(s) => PresentedSan::Email(s),
            None => PresentedSan::Invalid(kind),
        },
        SanKind::Ip if primitive => match name.content {
            [a, b, c, d] => PresentedSan::Ip(IpAddr::V4(Ipv4Addr::new(*a, *b, *c, *d))),
            octets => match <[u8; 16]>::try_from(octets) {
                Ok(o) => PresentedSan::Ip(IpAddr::V6(Ipv6Addr::from(o))),
                // RFC 5280 section 4.2.1.6: "the octet string MUST contain exactly
                // four octets" (IPv4) or "exactly sixteen octets" (IPv6).
                Err(_) => PresentedSan::Invalid(kind),
            },
        },
        SanKind::Dns | SanKind::Uri | SanKind::Email | SanKind::Ip => PresentedSan::Invalid(kind),
        other => PresentedSan::Other(other),
    }
}

impl ClientCertificate<'_> {
    /// The certificate's subject alternative names.
    ///
    /// ```
    /// # use rfc8705::ClientCertificate;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// assert_eq!(ClientCertificate::from_der(&der)?.sans().count(), 0);
    /// # Ok::<(), rfc8705::CertificateError>(())
    /// ```
    pub fn sans(&self) -> PresentedSans<'_> {
        PresentedSans::new(self.parts().sans)
    }
}
