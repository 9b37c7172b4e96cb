//! What a trusted proxy forwarded.

use alloc::vec::Vec;
use core::fmt;

use super::error::Reason;
use crate::cert::check_der_framing;
use crate::thumbprint::Thumbprint;

/// A client certificate a trusted proxy forwarded: its exact DER (checked only to be one
/// complete DER `SEQUENCE`) and the chain that came with it.
///
/// Only [`TrustedProxy`](super::TrustedProxy) makes one, and hashes it once then:
/// [`thumbprint`](Self::thumbprint) does not parse X.509 or hash again; [`ClientCertificate::from_der`](crate::ClientCertificate::from_der)
/// on [`der`](Self::der) does, on demand (subject DN and SAN matching).
///
/// ```
/// use rfc8705::proxy::{ProxyFormat, TrustedProxy};
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
/// # let value = format!(":{}:", <base64ct::Base64 as base64ct::Encoding>::encode_string(&der));
/// let fwd = TrustedProxy::the_peer_is_my_proxy().decode(ProxyFormat::ClientCert, &value, &[])?;
/// assert_eq!((fwd.der(), fwd.chain().len()), (&der[..], 0));
/// assert_eq!(fwd.thumbprint().to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
/// let cert = rfc8705::ClientCertificate::from_der(fwd.der())?; // parses, for DN/SAN matching
/// assert_eq!(cert.thumbprint(), fwd.thumbprint());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ForwardedCertificate {
    der: Vec<u8>,
    chain: Vec<Vec<u8>>,
    /// The SHA-256 of `der`.
    thumbprint: Thumbprint,
}

impl fmt::Debug for ForwardedCertificate {
    /// Redacted to the thumbprint: certificates in logs are personal data (RFC 8705
    /// section 8).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ForwardedCertificate")
            .field("x5t#S256", &self.thumbprint())
            .field("der_len", &self.der.len())
            .field("chain_len", &self.chain.len())
            .finish()
    }
}

impl ForwardedCertificate {
    /// Checks that the leaf and every chain member are each one complete DER `SEQUENCE`, and
    /// hashes the leaf, unless the decoder already did (`digest`: the SHA-256 of `der`, as
    /// Envoy's `Hash` check computes it).
    pub(crate) fn new(
        der: Vec<u8>,
        chain: Vec<Vec<u8>>,
        digest: Option<Thumbprint>,
    ) -> Result<Self, Reason> {
        check_der_framing(&der).map_err(Reason::NotDer)?;
        for (index, member) in chain.iter().enumerate() {
            check_der_framing(member).map_err(|source| Reason::ChainNotDer { index, source })?;
        }
        let thumbprint = digest.unwrap_or_else(|| Thumbprint::digest_of(&der));
        Ok(Self {
            der,
            chain,
            thumbprint,
        })
    }

    /// The leaf certificate's DER, exactly as decoded from the header.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The `x5t#S256` thumbprint: the SHA-256 over [`der`](Self::der), computed once when the
    /// header was decoded, no X.509 parsing.
    pub fn thumbprint(&self) -> Thumbprint {
        self.thumbprint
    }

    /// The DER of each certificate of the forwarded chain after the leaf, in TLS order
    /// (issuer of the leaf first). Empty when the proxy sent none.
    pub fn chain(&self) -> impl ExactSizeIterator<Item = &[u8]> {
        self.chain.iter().map(Vec::as_slice)
    }
}
