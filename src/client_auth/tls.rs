//! `tls_client_auth`: the PKI method (RFC 8705 section 2.1).
//!
//! RFC 8705 section 2.1.2: "A client using the tls_client_auth authentication method MUST use
//! exactly one of the below metadata parameters to indicate the certificate subject value
//! that the authorization server is to expect when authenticating the respective client."
//!
//! [`ExpectedSubject`] is that one value, validated and prepared once at registration;
//! [`ExpectedSubject::authenticate`] checks a presented leaf certificate (already validated
//! by the TLS layer) against it. A mismatch carries an explanation for logs; the client only
//! ever sees `invalid_client`.
//!
//! ```
//! use rfc8705::ClientCertificate;
//! use rfc8705::client_auth::tls::ExpectedSubject;
//! # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
//!
//! let expected = ExpectedSubject::from_member("tls_client_auth_subject_dn", "CN=mtls")?;    // at registration
//!
//! let cert = ClientCertificate::from_der(&der)?;              // at the token endpoint
//! let matched = expected.authenticate(&cert)?;
//! assert_eq!(matched.to_string(), "subject CN=mtls");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use core::net::IpAddr;

use crate::ClientCertificate;
use crate::dn::{DistinguishedName, DnMismatch, DnParseError, NameError, NameRef};
use crate::error::{OAuthError, OAuthErrorCode};
use crate::san::{
    self, DnsName, EmailAddress, PresentedSan, PresentedSans, SanError, SanKind, SanValueError,
    UriName,
};

/// Why client metadata does not give a usable `tls_client_auth` subject:
/// `invalid_client_metadata`.
///
/// ```
/// use rfc8705::client_auth::tls::{ExpectedSubject, TlsClientAuthMetadataError};
/// let err = ExpectedSubject::from_member("tls_client_auth_subject_dn", "").unwrap_err();
/// assert!(matches!(err, TlsClientAuthMetadataError::SubjectDn(_)));
/// assert_eq!(rfc8705::OAuthError::oauth_error_code(&err).as_str(), "invalid_client_metadata");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TlsClientAuthMetadataError {
    /// None of the five subject members is set.
    #[error(
        "tls_client_auth requires exactly one of tls_client_auth_subject_dn, tls_client_auth_san_dns, tls_client_auth_san_uri, tls_client_auth_san_ip, tls_client_auth_san_email; none is set"
    )]
    NoSubject,
    /// More than one of the five subject members is set.
    #[error("tls_client_auth requires exactly one subject member; {} are set", members.join(", "))]
    SeveralSubjects {
        /// The members that are set.
        members: Vec<&'static str>,
    },
    /// `tls_client_auth_subject_dn` is not a usable RFC 4514 DN.
    #[error("tls_client_auth_subject_dn: {0}")]
    SubjectDn(DnParseError),
    /// `tls_client_auth_san_dns` is invalid.
    #[error("tls_client_auth_san_dns: {0}")]
    SanDns(SanValueError),
    /// `tls_client_auth_san_uri` is invalid.
    #[error("tls_client_auth_san_uri: {0}")]
    SanUri(SanValueError),
    /// `tls_client_auth_san_ip` is invalid.
    #[error("tls_client_auth_san_ip: {0}")]
    SanIp(SanValueError),
    /// `tls_client_auth_san_email` is invalid.
    #[error("tls_client_auth_san_email: {0}")]
    SanEmail(SanValueError),
}

impl OAuthError for TlsClientAuthMetadataError {
    fn oauth_error_code(&self) -> OAuthErrorCode {
        OAuthErrorCode::InvalidClientMetadata
    }
}

/// Why a presented certificate does not authenticate a `tls_client_auth` client:
/// `invalid_client`. The message is for logs, never for the client.
///
/// ```
/// use rfc8705::ClientCertificate;
/// use rfc8705::client_auth::tls::{ExpectedSubject, TlsClientAuthError};
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
/// let cert = ClientCertificate::from_der(&der)?;
/// let err = ExpectedSubject::from_member("tls_client_auth_san_uri", "spiffe://example.org/a")?.authenticate(&cert).unwrap_err();
/// assert_eq!(err.to_string(), "no uri SAN; the certificate has no SAN");
/// assert_eq!(rfc8705::OAuthError::oauth_error_code(&err).as_str(), "invalid_client");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TlsClientAuthError {
    /// The subject DN does not match; the explanation says how.
    #[error("subject DN mismatch: {0}")]
    SubjectDn(DnMismatch),
    /// The certificate has no SAN of the registered kind.
    #[error("no {kind} SAN; the certificate has {presented}")]
    NoSanOfKind {
        /// The registered kind.
        kind: SanKind,
        /// The certificate's SANs (`dns:a.example, ip:192.0.2.1`), or `no SAN`.
        presented: String,
    },
    /// The certificate has SANs of the kind, none equal to the registered value.
    #[error("no {kind} SAN equals the registered {registered:?}; the certificate has {presented}")]
    SanMismatch {
        /// The registered kind.
        kind: SanKind,
        /// The registered value.
        registered: String,
        /// The certificate's SANs.
        presented: String,
    },
    /// The certificate's subject or issuer cannot be read.
    #[error(transparent)]
    Name(#[from] NameError),
    /// The certificate's subjectAltName extension cannot be read.
    #[error(transparent)]
    San(#[from] SanError),
}

impl OAuthError for TlsClientAuthError {
    fn oauth_error_code(&self) -> OAuthErrorCode {
        OAuthErrorCode::InvalidClient
    }
}

/// What authenticated the client: its subject, or one SAN.
///
/// ```
/// use rfc8705::client_auth::tls::Match;
/// use rfc8705::san::PresentedSan;
/// assert_eq!(Match::San(PresentedSan::Dns("a.example")).to_string(), "dns:a.example");
/// ```
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Match<'a> {
    /// The certificate's subject matched the registered DN.
    SubjectDn(NameRef<'a>),
    /// This SAN matched.
    San(PresentedSan<'a>),
}

impl fmt::Display for Match<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SubjectDn(name) => write!(f, "subject {name}"),
            Self::San(san) => write!(f, "{san}"),
        }
    }
}

/// The certificate subject a `tls_client_auth` client registered: exactly one of a subject
/// DN, a dNSName, a URI, an IP address or an email address.
///
/// ```
/// use rfc8705::client_auth::tls::ExpectedSubject;
/// let e = ExpectedSubject::from_member("tls_client_auth_san_ip", "2001:DB8::1")?;
/// assert_eq!(e.to_string(), "tls_client_auth_san_ip=2001:db8::1");
/// # Ok::<(), rfc8705::client_auth::tls::TlsClientAuthMetadataError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExpectedSubject {
    /// `tls_client_auth_subject_dn`.
    SubjectDn(DistinguishedName),
    /// `tls_client_auth_san_dns`.
    SanDns(DnsName),
    /// `tls_client_auth_san_uri`.
    SanUri(UriName),
    /// `tls_client_auth_san_ip`.
    SanIp(IpAddr),
    /// `tls_client_auth_san_email`.
    SanEmail(EmailAddress),
}

impl ExpectedSubject {
    /// Builds the expected subject from one member name and its value.
    ///
    /// ```
    /// use rfc8705::client_auth::tls::ExpectedSubject;
    /// let e = ExpectedSubject::from_member("tls_client_auth_san_dns", "a.example")?;
    /// assert_eq!(e, ExpectedSubject::from_member("tls_client_auth_san_dns", "a.example")?);
    /// # Ok::<(), rfc8705::client_auth::tls::TlsClientAuthMetadataError>(())
    /// ```
    pub fn from_member(member: &str, value: &str) -> Result<Self, TlsClientAuthMetadataError> {
        match member {
            "tls_client_auth_subject_dn" => Self::subject_dn(value),
            "tls_client_auth_san_dns" => Self::san_dns(value),
            "tls_client_auth_san_uri" => Self::san_uri(value),
            "tls_client_auth_san_ip" => Self::san_ip(value),
            "tls_client_auth_san_email" => Self::san_email(value),
            _ => Err(TlsClientAuthMetadataError::NoSubject),
        }
    }

    /// A subject DN (RFC 4514 string); empty and slash-form DNs are rejected.
    ///
    /// ```
    /// # use rfc8705::client_auth::tls::ExpectedSubject;
    /// assert!(ExpectedSubject::from_member("tls_client_auth_subject_dn", "CN=client, O=Example").is_ok());
    /// assert!(ExpectedSubject::from_member("tls_client_auth_subject_dn", "/CN=client").is_err());
    /// ```
    fn subject_dn(value: &str) -> Result<Self, TlsClientAuthMetadataError> {
        value
            .parse()
            .map(Self::SubjectDn)
            .map_err(TlsClientAuthMetadataError::SubjectDn)
    }

    /// A dNSName SAN.
    ///
    /// ```
    /// # use rfc8705::client_auth::tls::ExpectedSubject;
    /// assert!(ExpectedSubject::from_member("tls_client_auth_san_dns", "client.example.com").is_ok());
    /// assert!(ExpectedSubject::from_member("tls_client_auth_san_dns", "client..example").is_err());
    /// ```
    fn san_dns(value: &str) -> Result<Self, TlsClientAuthMetadataError> {
        value
            .parse()
            .map(Self::SanDns)
            .map_err(TlsClientAuthMetadataError::SanDns)
    }

    /// A uniformResourceIdentifier SAN (absolute URI).
    ///
    /// ```
    /// # use rfc8705::client_auth::tls::ExpectedSubject;
    /// assert!(ExpectedSubject::from_member("tls_client_auth_san_uri", "spiffe://example.org/client").is_ok());
    /// assert!(ExpectedSubject::from_member("tls_client_auth_san_uri", "/relative").is_err());
    /// ```
    fn san_uri(value: &str) -> Result<Self, TlsClientAuthMetadataError> {
        value
            .parse()
            .map(Self::SanUri)
            .map_err(TlsClientAuthMetadataError::SanUri)
    }

    /// An iPAddress SAN (IPv4 or IPv6 text).
    ///
    /// ```
    /// # use rfc8705::client_auth::tls::ExpectedSubject;
    /// assert!(ExpectedSubject::from_member("tls_client_auth_san_ip", "192.0.2.7").is_ok());
    /// assert!(ExpectedSubject::from_member("tls_client_auth_san_ip", "192.0.2.0/24").is_err());
    /// ```
    fn san_ip(value: &str) -> Result<Self, TlsClientAuthMetadataError> {
        san::parse_ip(value)
            .map(Self::SanIp)
            .map_err(TlsClientAuthMetadataError::SanIp)
    }

    /// An rfc822Name SAN.
    ///
    /// ```
    /// # use rfc8705::client_auth::tls::ExpectedSubject;
    /// assert!(ExpectedSubject::from_member("tls_client_auth_san_email", "client@example.com").is_ok());
    /// assert!(ExpectedSubject::from_member("tls_client_auth_san_email", "Client <client@example.com>").is_err());
    /// ```
    fn san_email(value: &str) -> Result<Self, TlsClientAuthMetadataError> {
        value
            .parse()
            .map(Self::SanEmail)
            .map_err(TlsClientAuthMetadataError::SanEmail)
    }

    /// The metadata member this value belongs in.
    fn member(&self) -> &'static str {
        match self {
            Self::SubjectDn(_) => "tls_client_auth_subject_dn",
            Self::SanDns(_) => "tls_client_auth_san_dns",
            Self::SanUri(_) => "tls_client_auth_san_uri",
            Self::SanIp(_) => "tls_client_auth_san_ip",
            Self::SanEmail(_) => "tls_client_auth_san_email",
        }
    }

    /// Authenticates a presented leaf certificate (already validated by the TLS layer).
    ///
    /// RFC 8705 section 2.1: the AS "authenticates the client by checking that the
    /// certificate's subject matches the expected value". Any SAN of the registered kind may
    /// match.
    ///
    /// ```
    /// use rfc8705::ClientCertificate;
    /// use rfc8705::client_auth::tls::{ExpectedSubject, TlsClientAuthError};
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// let cert = ClientCertificate::from_der(&der)?;
    /// assert!(ExpectedSubject::from_member("tls_client_auth_subject_dn", "cn=MTLS")?.authenticate(&cert).is_ok());
    /// let err = ExpectedSubject::from_member("tls_client_auth_subject_dn", "CN=other")?.authenticate(&cert).unwrap_err();
    /// assert!(matches!(err, TlsClientAuthError::SubjectDn(_)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn authenticate<'c>(
        &self,
        cert: &'c ClientCertificate<'_>,
    ) -> Result<Match<'c>, TlsClientAuthError> {
        self.authenticate_der(cert.der())
    }

    /// Authenticates a leaf certificate given as DER, without decoding it with `x509-cert`:
    /// only the subject, issuer and subjectAltName are read. This also works for a
    /// certificate whose names hold a UniversalString, which `x509-cert` (and so
    /// [`ClientCertificate`]) cannot decode. The TLS layer must have validated the
    /// certificate.
    ///
    /// ```
    /// use rfc8705::client_auth::tls::ExpectedSubject;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// let m = ExpectedSubject::from_member("tls_client_auth_subject_dn", "CN=mtls")?.authenticate_der(&der)?;
    /// assert_eq!(m.to_string(), "subject CN=mtls");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn authenticate_der<'c>(&self, der: &'c [u8]) -> Result<Match<'c>, TlsClientAuthError> {
        match self {
            Self::SubjectDn(dn) => {
                let subject = NameRef::subject_of_der(der)?;
                if dn.matches(&subject) {
                    return Ok(Match::SubjectDn(subject));
                }
                // Slow path: explain for the logs.
                let issuer = NameRef::issuer_of_der(der).ok();
                let why = dn.explain_mismatch(&subject, issuer.as_ref()).unwrap_or(
                    DnMismatch::Undefined {
                        subject: subject.to_string(),
                    },
                );
                Err(TlsClientAuthError::SubjectDn(why))
            }
            Self::SanDns(_) | Self::SanUri(_) | Self::SanIp(_) | Self::SanEmail(_) => {
                let sans = PresentedSans::of_der(der)?;
                if let Some(hit) = sans.iter().find(|san| self.san_matches(san)) {
                    return Ok(Match::San(hit));
                }
                Err(self.san_mismatch(&sans))
            }
        }
    }

    fn san_kind(&self) -> Option<SanKind> {
        match self {
            Self::SubjectDn(_) => None,
            Self::SanDns(_) => Some(SanKind::Dns),
            Self::SanUri(_) => Some(SanKind::Uri),
            Self::SanIp(_) => Some(SanKind::Ip),
            Self::SanEmail(_) => Some(SanKind::Email),
        }
    }

    fn san_matches(&self, san: &PresentedSan<'_>) -> bool {
        match (self, san) {
            (Self::SanDns(reg), PresentedSan::Dns(p)) => reg.matches(p),
            (Self::SanUri(reg), PresentedSan::Uri(p)) => reg.matches(p),
            (Self::SanIp(reg), PresentedSan::Ip(p)) => san::ip_matches(*reg, *p),
            (Self::SanEmail(reg), PresentedSan::Email(p)) => reg.matches(p),
            _ => false,
        }
    }

    fn san_mismatch(&self, sans: &PresentedSans<'_>) -> TlsClientAuthError {
        let kind = self.san_kind().unwrap_or(SanKind::Dns);
        let listed: Vec<String> = sans.iter().map(|s| s.to_string()).collect();
        let presented = if listed.is_empty() {
            "no SAN".into()
        } else {
            listed.join(", ")
        };
        let same_kind = sans.iter().any(|s| {
            matches!(
                (kind, s),
                (SanKind::Dns, PresentedSan::Dns(_))
                    | (SanKind::Uri, PresentedSan::Uri(_))
                    | (SanKind::Ip, PresentedSan::Ip(_))
                    | (SanKind::Email, PresentedSan::Email(_))
            )
        });
        if same_kind {
            TlsClientAuthError::SanMismatch {
                kind,
                registered: self.value_string(),
                presented,
            }
        } else {
            TlsClientAuthError::NoSanOfKind { kind, presented }
        }
    }

    fn value_string(&self) -> String {
        match self {
            Self::SubjectDn(v) => v.to_string(),
            Self::SanDns(v) => v.to_string(),
            Self::SanUri(v) => v.to_string(),
            Self::SanIp(v) => v.to_string(),
            Self::SanEmail(v) => v.to_string(),
        }
    }
}

impl fmt::Display for ExpectedSubject {
    /// `member=value`, the value in its canonical text form (RFC 4514, RFC 5952).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.member(), self.value_string())
    }
}
