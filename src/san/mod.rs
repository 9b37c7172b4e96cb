//! Subject alternative names (RFC 5280 section 4.2.1.6) and the equality rules RFC 8705
//! section 2.1.2 needs.
//!
//! The presented side is read from the certificate's DER: the subjectAltName extension's
//! `GeneralNames` is walked element by element, so a kind `x509-cert` cannot decode (an
//! `x400Address`) is reported as `other:x400Address` and never hides the kinds we match.
//! The registered side is validated once, at registration.
//!
//! | kind | rule |
//! |---|---|
//! | `dNSName` | ASCII case-insensitive, whole name, no wildcard expansion (RFC 5280 section 7.2) |
//! | `uniformResourceIdentifier` | scheme and host case-insensitive, the rest exact (RFC 5280 section 4.2.1.6) |
//! | `iPAddress` | the octets: 4 for IPv4, 16 for IPv6; an IPv4-mapped IPv6 address is not the IPv4 address |
//! | `rfc822Name` | local part exact, domain case-insensitive (RFC 5280 section 7.5) |
//!
//! ```
//! use rfc8705::san::DnsName;
//! # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
//! let cert = rfc8705::ClientCertificate::from_der(&der)?;
//! assert_eq!(cert.sans().count(), 0);
//! let dns: DnsName = "client.example.com".parse()?;
//! assert!(dns.matches("CLIENT.example.COM"));
//! assert!(!dns.matches("*.example.com"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt;

mod presented;
mod registered;

pub use presented::{PresentedSan, PresentedSans, SanError};
pub(crate) use registered::parse_ip;
pub use registered::{DnsName, EmailAddress, SanValueError, UriName};

/// The kinds of `GeneralName` (RFC 5280 section 4.2.1.6).
///
/// ```
/// use rfc8705::san::SanKind;
/// assert_eq!(SanKind::Uri.to_string(), "uri");
/// assert_eq!(SanKind::X400Address.to_string(), "x400Address");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SanKind {
    /// `otherName [0]`.
    OtherName,
    /// `rfc822Name [1]`.
    Email,
    /// `dNSName [2]`.
    Dns,
    /// `x400Address [3]`.
    X400Address,
    /// `directoryName [4]`.
    DirectoryName,
    /// `ediPartyName [5]`.
    EdiPartyName,
    /// `uniformResourceIdentifier [6]`.
    Uri,
    /// `iPAddress [7]`.
    Ip,
    /// `registeredID [8]`.
    RegisteredId,
}

impl SanKind {
    pub(crate) fn from_tag_number(n: u8) -> Option<Self> {
        Some(match n {
            0 => Self::OtherName,
            1 => Self::Email,
            2 => Self::Dns,
            3 => Self::X400Address,
            4 => Self::DirectoryName,
            5 => Self::EdiPartyName,
            6 => Self::Uri,
            7 => Self::Ip,
            8 => Self::RegisteredId,
            _ => return None,
        })
    }

    /// The name used in `inspect sans` output.
    fn as_str(&self) -> &'static str {
        match self {
            Self::OtherName => "otherName",
            Self::Email => "email",
            Self::Dns => "dns",
            Self::X400Address => "x400Address",
            Self::DirectoryName => "directoryName",
            Self::EdiPartyName => "ediPartyName",
            Self::Uri => "uri",
            Self::Ip => "ip",
            Self::RegisteredId => "registeredID",
        }
    }
}

impl fmt::Display for SanKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
