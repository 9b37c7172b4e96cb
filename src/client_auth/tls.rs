//! `tls_client_auth`: the PKI method (RFC 8705 section 2.1).
//!
//! RFC 8705 section 2.1.2: "A client using the tls_client_auth authentication method MUST use
//! exactly one of the below metadata parameters to indicate the certificate subject value
//! that the authorization server is to expect when authenticating the respective client."
//!
//! [`ExpectedSubject`] is that one value, validated and prepared once at registration; it is
//! matched against the leaf of a [`ValidatedChain`](super::ValidatedChain) only. A mismatch
//! carries an explanation for logs; the client only ever sees `invalid_client`.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use core::net::IpAddr;

use super::RegistrationError;
use crate::dn::{DistinguishedName, DnMismatch, NameError, NameRef};
use crate::san::{
    self, DnsName, EmailAddress, PresentedSan, PresentedSans, SanError, SanKind, UriName,
};

/// Why a presented certificate does not authenticate a `tls_client_auth` client:
/// `invalid_client`. The message is for logs, never for the client.
///
/// ```
/// use rfc8705::client_auth::{ClientAuthError, MtlsClientAuth, TlsClientAuthError, ValidatedChain};
/// use rfc8705::metadata::ClientMetadata;
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
/// let client = ClientMetadata::from_json(br#"{"token_endpoint_auth_method":"tls_client_auth","tls_client_certificate_bound_access_tokens":true,"tls_client_auth_san_uri":"spiffe://example.org/a"}"#)?;
/// let auth = MtlsClientAuth::from_metadata(&client)?.unwrap();
/// let chain = ValidatedChain::tls_stack_validated_this_chain(&der);
/// let err = auth.authenticate(&chain, Default::default()).unwrap_err();
/// assert_eq!(err.to_string(), "no uri SAN; the certificate has no SAN");
/// assert!(matches!(err, ClientAuthError::TlsClientAuth(TlsClientAuthError::NoSanOfKind { .. })));
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

/// What authenticated the client: its subject, or one SAN.
#[derive(Debug, Clone, Copy)]
pub(super) enum Match<'a> {
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
/// Read from a registration by [`MtlsClientAuth::from_metadata`](super::MtlsClientAuth::from_metadata);
/// `Display` gives `member=value`, the value in its canonical form.
///
/// ```
/// use rfc8705::client_auth::MtlsClientAuth;
/// use rfc8705::metadata::ClientMetadata;
/// let client = ClientMetadata::from_json(br#"{"token_endpoint_auth_method":"tls_client_auth","tls_client_certificate_bound_access_tokens":true,"tls_client_auth_san_ip":"2001:DB8::1"}"#)?;
/// let Some(MtlsClientAuth::TlsClientAuth { subject, .. }) = MtlsClientAuth::from_metadata(&client)? else { unreachable!() };
/// assert_eq!(subject.to_string(), "tls_client_auth_san_ip=2001:db8::1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
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
    /// Builds the expected subject from one member name and its value: an RFC 4514 DN
    /// (empty and slash-form DNs are rejected), a dNSName, an absolute URI, an IPv4 or IPv6
    /// address, or an rfc822Name.
    pub(super) fn from_member(
        member: &'static str,
        value: &str,
    ) -> Result<Self, RegistrationError> {
        let san = |error| RegistrationError::San { member, error };
        match member {
            "tls_client_auth_subject_dn" => value
                .parse()
                .map(Self::SubjectDn)
                .map_err(RegistrationError::SubjectDn),
            "tls_client_auth_san_dns" => value.parse().map(Self::SanDns).map_err(san),
            "tls_client_auth_san_uri" => value.parse().map(Self::SanUri).map_err(san),
            "tls_client_auth_san_ip" => san::parse_ip(value).map(Self::SanIp).map_err(san),
            "tls_client_auth_san_email" => value.parse().map(Self::SanEmail).map_err(san),
            _ => Err(RegistrationError::NoSubject),
        }
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

    /// Matches the leaf of a validated chain, given as DER: only the subject, issuer and
    /// subjectAltName are read (so a name holding a UniversalString, which `x509-cert`
    /// cannot decode, still matches).
    ///
    /// RFC 8705 section 2.1: the AS "authenticates the client by checking that the
    /// certificate's subject matches the expected value". Any SAN of the registered kind may
    /// match.
    pub(super) fn authenticate_der<'c>(
        &self,
        der: &'c [u8],
    ) -> Result<Match<'c>, TlsClientAuthError> {
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
            // RFC 8705 section 2.1.2: "the IP address comparison of the value in this parameter
            // and the SAN entry in the certificate is to be done in binary format"; `IpAddr`'s
            // `==` is that (a V4 address never equals a V6 one, mapped or not).
            (Self::SanIp(reg), PresentedSan::Ip(p)) => reg == p,
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
