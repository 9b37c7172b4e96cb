//! `self_signed_tls_client_auth`: the self-signed certificate method (RFC 8705 section 2.2).
//!
//! RFC 8705 section 2.2: "the client registers its X.509 certificates (using `jwks` defined in
//! \[RFC7591\]) or a reference to a trusted source for its X.509 certificates (using `jwks_uri`
//! from \[RFC7591\]) with the authorization server. … the client's certificate chain is not
//! validated by the server in this case. The client is successfully authenticated if the
//! certificate that it presented during the handshake matches one of the certificates
//! configured or registered for that particular client."
//!
//! "Matches" is defined here as: the presented DER equals `x5c[0]` of a
//! [certified](crate::jwk::JwkSet::certified) key of the client's set. Everything else is a
//! [`SelfSignedMismatch`] (`invalid_client`), with one opt-in exception: a certificate that
//! holds the same public key as a registered `x5c[0]` but is a different certificate (the
//! client re-issued its self-signed certificate with the same key) is accepted only under
//! [`RenewedCertificatePolicy::AcceptSameKey`].
//!
//! # Constant time
//!
//! The comparison against each key's `x5c[0]` goes through [`Thumbprint`]'s constant-time
//! equality, but nothing here depends on it: certificates are public. The client sends its
//! certificate in the handshake (in the clear before TLS 1.3) and the registered set is public
//! by design (`jwks_uri` is usually an unauthenticated URL). The DER and public-key comparisons
//! that follow a hit, and the early exit that reveals which key matched, leak nothing secret.
//! What authenticates the client is the TLS stack's proof that the peer holds the private key
//! of the presented certificate; this module only decides whether that certificate is
//! registered.
//!
//! # `jwks_uri` and certificate rotation
//!
//! The crate does no I/O. With `jwks_uri`,
//! [`MtlsClientAuth::from_metadata`](super::MtlsClientAuth::from_metadata) returns
//! [`MtlsClientAuth::SelfSignedJwksUri`](super::MtlsClientAuth::SelfSignedJwksUri); the
//! authorization server fetches the set, parses it with
//! [`JwkSet::from_json`] and caches the parsed set (thumbprints are computed once, at parse
//! time). A client rotates its certificate by publishing the new one (RFC 8705 section 2.2:
//! `jwks_uri` lets it "rotate its certificates without the need to update its registration"),
//! so a miss against the cached set may only mean the cache is stale:
//!
//! 1. match against the cached set; on success, done;
//! 2. on [`SelfSignedMismatch`], if the cache for this client was not refreshed in the last
//!    few seconds (rate limit per client, so a stranger with a self-signed certificate cannot
//!    make the server hammer the client's `jwks_uri`), fetch the set once, replace the cache
//!    and match again;
//! 3. otherwise answer `invalid_client`.
//!
//! A failed fetch keeps the previous cache. A fetched set is not a registration: keys with
//! problems are [skipped](crate::jwk::JwkSet::skipped) (log them; the client can fix its set)
//! rather than failing the whole set, and only [certified](crate::jwk::JwkSet::certified) keys
//! match.
//!
//! ```
//! use rfc8705::client_auth::{MtlsClientAuth, RenewedCertificatePolicy, ValidatedChain};
//! use rfc8705::jwk::JwkSet;
//! # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
//! # let jwks_json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jwk/rfc8705-appendix-a.jwks.json"));
//! # let fetch_jwks_uri = || jwks_json.as_bytes().to_vec();
//! # let refreshed_recently = false;
//! # let peer_certificates = vec![rustls::pki_types::CertificateDer::from(der)];
//! # let now = rustls::pki_types::UnixTime::now();
//!
//! let registered = MtlsClientAuth::SelfSignedJwksUri("https://client.example/jwks".into());
//! // The self-signed method validates no chain: this only takes the leaf.
//! let chain = registered.validate_chain(Some(&peer_certificates), None, now, &[])?;
//! let mut cached = MtlsClientAuth::SelfSigned(JwkSet::from_json(br#"{"keys":[]}"#)?); // stale
//! let policy = RenewedCertificatePolicy::Reject;
//! let outcome = match cached.authenticate(&chain, policy) {
//!     Ok(hit) => Ok(hit),
//!     Err(_) if !refreshed_recently => {
//!         cached = MtlsClientAuth::SelfSigned(JwkSet::from_json(&fetch_jwks_uri())?);
//!         cached.authenticate(&chain, policy)
//!     }
//!     Err(miss) => Err(miss),
//! };
//! assert_eq!(outcome?.to_string(), "matched x5c[0] of key 0 (no kid): the registered certificate");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::jwk::{CertifiedJwk, JwkName, JwkProblem, JwkSet};
use crate::{ClientCertificate, Thumbprint};

/// Whether a certificate that holds a registered key but is not the registered certificate
/// authenticates the client.
///
/// A client with a self-signed certificate "renews" it by signing a new one with the same key.
/// RFC 8705 section 2.2 asks for the presented certificate to match a registered one, so the
/// default is [`RenewedCertificatePolicy::Reject`]. An authorization server that treats the
/// key, not the certificate, as the registered credential can opt in: the TLS handshake has
/// still proved possession of that key.
///
/// ```
/// use rfc8705::client_auth::RenewedCertificatePolicy;
/// assert_eq!(RenewedCertificatePolicy::default(), RenewedCertificatePolicy::Reject);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RenewedCertificatePolicy {
    /// Only the registered certificate itself authenticates.
    #[default]
    Reject,
    /// A different certificate for the same public key as a registered `x5c[0]` also
    /// authenticates; the outcome says so, for audit.
    AcceptSameKey,
}

/// How the presented certificate matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MatchKind {
    /// The presented DER equals the key's `x5c[0]`.
    SameCertificate,
    /// A different certificate holding the key's public key, accepted under
    /// [`RenewedCertificatePolicy::AcceptSameKey`].
    SameKeyDifferentCertificate,
}

impl core::fmt::Display for MatchKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::SameCertificate => "the registered certificate",
            Self::SameKeyDifferentCertificate => {
                "a different certificate for the registered key (accepted by policy)"
            }
        })
    }
}

/// A successful `self_signed_tls_client_auth` authentication: which key matched, and how.
///
/// `Display` gives an audit line: `matched x5c[0] of key 0 (kid "…"): the registered
/// certificate`.
#[derive(Debug, Clone, Copy)]
pub(super) struct SelfSignedMatch<'s> {
    key: &'s CertifiedJwk,
    kind: MatchKind,
}

impl core::fmt::Display for SelfSignedMatch<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "matched x5c[0] of {}: {}", self.key.name(), self.kind)
    }
}

/// Why a presented certificate does not authenticate a `self_signed_tls_client_auth` client
/// (`invalid_client`, RFC 8705 section 2).
///
/// ```
/// use rfc8705::{OAuthErrorCode, TokenEndpointError};
/// use rfc8705::client_auth::{ClientAuthError, MtlsClientAuth, SelfSignedMismatch, ValidatedChain};
/// use rfc8705::jwk::JwkSet;
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
/// let auth = MtlsClientAuth::SelfSigned(JwkSet::from_json(br#"{"keys":[]}"#)?);
/// # let chain = ValidatedChain::tls_stack_validated_this_chain(&der);
/// let miss = auth.authenticate(&chain, Default::default()).unwrap_err();
/// assert!(matches!(miss, ClientAuthError::SelfSigned(SelfSignedMismatch::NotRegistered { certified: 0, .. })));
/// assert_eq!(TokenEndpointError::from(miss).oauth_error_code(), OAuthErrorCode::InvalidClient);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SelfSignedMismatch {
    /// No key of the set has this certificate, or its key, as `x5c[0]`.
    #[error(
        "the certificate ({thumbprint}) is not x5c[0] of any key of the client's JWK Set ({certified} keys with a usable x5c, {without_x5c} without x5c, {skipped} skipped)"
    )]
    NotRegistered {
        /// The presented certificate's thumbprint.
        thumbprint: Thumbprint,
        /// Keys with a usable certificate.
        certified: usize,
        /// Keys without `x5c`.
        without_x5c: usize,
        /// Keys skipped for a problem.
        skipped: usize,
    },
    /// The certificate holds the public key of a registered `x5c[0]` but is a different
    /// certificate, and the policy is [`RenewedCertificatePolicy::Reject`].
    #[error(
        "the certificate holds the public key of {key} but is not its x5c[0]: a re-issued certificate; register it, or opt in with RenewedCertificatePolicy::AcceptSameKey"
    )]
    SameKeyDifferentCertificate {
        /// The key whose public key the certificate holds.
        key: JwkName,
    },
    /// The certificate equals a later certificate of an `x5c` chain. RFC 7517 section 4.7:
    /// "The PKIX certificate containing the key value MUST be the first certificate"; the
    /// others certify it and never authenticate a client.
    #[error(
        "the certificate is x5c[{position}] of {key}; only x5c[0], the certificate holding the key, authenticates"
    )]
    OnlyInChain {
        /// The key whose chain holds the certificate.
        key: JwkName,
        /// The position in `x5c` (at least 1).
        position: usize,
    },
    /// The certificate is `x5c[0]` of a key that was skipped.
    #[error("the certificate is x5c[0] of {key}, which is not usable: it {problem}")]
    SkippedKey {
        /// The skipped key.
        key: JwkName,
        /// Why it was skipped.
        problem: JwkProblem,
    },
}

/// Decides whether `presented` authenticates the client whose JWK Set is `set`: its DER
/// equals `x5c[0]` of a certified key (RFC 8705 section 2.2: "the certificate that it
/// presented during the handshake matches one of the certificates configured or registered
/// for that particular client").
///
/// Costs one SHA-256 of the presented DER and one 32-byte compare per certified key; the
/// explanations of a miss (same key, chain position, skipped key) are computed only on a
/// miss.
pub(super) fn authenticate<'s>(
    presented: &ClientCertificate<'_>,
    set: &'s JwkSet,
    policy: RenewedCertificatePolicy,
) -> Result<SelfSignedMatch<'s>, SelfSignedMismatch> {
    let thumbprint = presented.thumbprint();
    // The thumbprint is compared first (constant time, 32 bytes); the DER comparison that
    // follows makes the rule "the DER equals x5c[0]" exact rather than "the hashes agree".
    if let Some(key) = set
        .certified_keys()
        .iter()
        .find(|k| *k.thumbprint() == thumbprint && k.certificate().der() == presented.der())
    {
        return Ok(SelfSignedMatch {
            key,
            kind: MatchKind::SameCertificate,
        });
    }
    let presented_key = presented.x509().tbs_certificate().subject_public_key_info();
    if let Some(key) = set.certified_keys().iter().find(|k| {
        k.certificate()
            .x509()
            .tbs_certificate()
            .subject_public_key_info()
            == presented_key
    }) {
        return match policy {
            RenewedCertificatePolicy::AcceptSameKey => Ok(SelfSignedMatch {
                key,
                kind: MatchKind::SameKeyDifferentCertificate,
            }),
            // RFC 8705 section 2.2 registers certificates, not keys: off unless opted in.
            RenewedCertificatePolicy::Reject => {
                Err(SelfSignedMismatch::SameKeyDifferentCertificate {
                    key: key.name().clone(),
                })
            }
        };
    }
    // RFC 7517 section 4.7: x5c[1..] certify x5c[0]; they are not the client's certificate.
    for key in set.certified_keys() {
        if let Some(i) = key
            .chain_thumbprints()
            .iter()
            .position(|t| *t == thumbprint)
        {
            return Err(SelfSignedMismatch::OnlyInChain {
                key: key.name().clone(),
                position: i + 1,
            });
        }
    }
    if let Some(skipped) = set
        .skipped_keys()
        .iter()
        .find(|s| s.x5c0_thumbprint() == Some(&thumbprint))
    {
        return Err(SelfSignedMismatch::SkippedKey {
            key: skipped.name().clone(),
            problem: skipped.problem().clone(),
        });
    }
    Err(SelfSignedMismatch::NotRegistered {
        thumbprint,
        certified: set.certified().len(),
        without_x5c: set.without_certificate(),
        skipped: set.skipped().len(),
    })
}
