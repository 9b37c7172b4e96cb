//! What a trusted proxy forwarded, and the certificate of one request.

use alloc::vec::Vec;
use core::fmt;

use super::ProxyFormat;
use super::error::Reason;
use crate::cert::{CertificateError, ClientCertificate, check_der_framing};
use crate::thumbprint::Thumbprint;

/// A client certificate a trusted proxy forwarded: its exact DER (checked only to be one
/// complete DER `SEQUENCE`), the chain that came with it, and the format it arrived in.
///
/// Only [`TrustedProxy`](super::TrustedProxy) makes one. [`thumbprint`](Self::thumbprint)
/// does not parse X.509; [`to_client_certificate`](Self::to_client_certificate) does, on
/// demand.
///
/// ```
/// use rfc8705::proxy::{ProxyFormat, TrustedProxy};
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
/// # let value = format!(":{}:", <base64ct::Base64 as base64ct::Encoding>::encode_string(&der));
/// let fwd = TrustedProxy::the_peer_is_my_proxy().decode(ProxyFormat::ClientCert, &value)?;
/// assert_eq!((fwd.der(), fwd.chain().len(), fwd.format()), (&der[..], 0, ProxyFormat::ClientCert));
/// assert_eq!(fwd.thumbprint().to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
/// let cert = fwd.to_client_certificate()?; // parses, for DN/SAN matching
/// assert_eq!(cert.thumbprint(), fwd.thumbprint());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ForwardedCertificate {
    der: Vec<u8>,
    chain: Vec<Vec<u8>>,
    format: ProxyFormat,
}

impl fmt::Debug for ForwardedCertificate {
    /// Redacted to the thumbprint: certificates in logs are personal data (RFC 8705
    /// section 8).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ForwardedCertificate")
            .field("x5t#S256", &self.thumbprint())
            .field("der_len", &self.der.len())
            .field("chain_len", &self.chain.len())
            .field("format", &self.format)
            .finish()
    }
}

impl ForwardedCertificate {
    /// Checks that the leaf and every chain member are each one complete DER `SEQUENCE`.
    pub(crate) fn new(
        der: Vec<u8>,
        chain: Vec<Vec<u8>>,
        format: ProxyFormat,
    ) -> Result<Self, Reason> {
        check_der_framing(&der).map_err(Reason::NotDer)?;
        for (index, member) in chain.iter().enumerate() {
            check_der_framing(member).map_err(|source| Reason::ChainNotDer { index, source })?;
        }
        Ok(Self { der, chain, format })
    }

    /// The leaf certificate's DER, exactly as decoded from the header.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The `x5t#S256` thumbprint: one SHA-256 over [`der`](Self::der), no X.509 parsing.
    pub fn thumbprint(&self) -> Thumbprint {
        Thumbprint::digest_of(&self.der)
    }

    /// The DER of each certificate of the forwarded chain after the leaf, in TLS order
    /// (issuer of the leaf first). Empty when the proxy sent none.
    pub fn chain(&self) -> impl ExactSizeIterator<Item = &[u8]> {
        self.chain.iter().map(Vec::as_slice)
    }

    /// The header format the certificate arrived in.
    pub fn format(&self) -> ProxyFormat {
        self.format
    }

    /// Parses the leaf as X.509 (borrowing the DER), for subject DN and SAN matching.
    pub fn to_client_certificate(&self) -> Result<ClientCertificate<'_>, CertificateError> {
        ClientCertificate::from_der(&self.der)
    }
}

/// The client certificate of one request: either the TLS connection's own peer certificate
/// or one a trusted proxy forwarded — never both, and the variant says which.
///
/// With the `http` feature, `proxy::http::CertificateSource` builds it from a per-listener
/// policy, so the choice is made once, not per request.
///
/// ```
/// use rfc8705::proxy::RequestCertificate;
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
/// let cert = RequestCertificate::Connection(&der);
/// assert_eq!(cert.thumbprint().to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
/// assert!(matches!(cert, RequestCertificate::Connection(_)));
/// assert_eq!(cert.to_client_certificate()?.der(), &der[..]);
/// # Ok::<(), rfc8705::CertificateError>(())
/// ```
#[derive(Debug, Clone)]
pub enum RequestCertificate<'a> {
    /// The certificate the client presented on this TLS connection (DER).
    Connection(&'a [u8]),
    /// The certificate a trusted proxy forwarded in a header.
    Forwarded(ForwardedCertificate),
}

impl RequestCertificate<'_> {
    /// The leaf certificate's DER.
    pub fn der(&self) -> &[u8] {
        match self {
            Self::Connection(der) => der,
            Self::Forwarded(f) => f.der(),
        }
    }

    /// The `x5t#S256` thumbprint: SHA-256 over [`der`](Self::der), no parsing.
    pub fn thumbprint(&self) -> Thumbprint {
        Thumbprint::digest_of(self.der())
    }

    /// Parses the leaf as X.509, for subject DN and SAN matching.
    pub fn to_client_certificate(&self) -> Result<ClientCertificate<'_>, CertificateError> {
        ClientCertificate::from_der(self.der())
    }
}
