//! The validated certificate chain that `tls_client_auth` requires (RFC 8705 section 2.1).
//!
//! RFC 8705 section 2.1: the PKI method "relies on a validated certificate chain \[RFC5280\]
//! and a single subject distinguished name (DN) or a single subject alternative name (SAN) to
//! authenticate the client". A subject match says nothing about a certificate nobody
//! validated: anyone can make a self-signed certificate with any subject. So the subject rule
//! only runs on a [`ValidatedChain`], which exactly two things produce:
//!
//! * [`MtlsClientAuth::validate_chain`](super::MtlsClientAuth::validate_chain): the crate
//!   validates the presented chain (leaf and intermediates) with `rustls-webpki` for client
//!   authentication (RFC 5280 section 6: signatures, validity at the time the caller gives,
//!   basic constraints and path length, name constraints; RFC 5280 section 4.2.1.12:
//!   `id-kp-clientAuth` when the leaf has an extended key usage) against the client's
//!   registered trust anchors, or the server's;
//! * [`ValidatedChain::tls_stack_validated_this_chain`]: the caller's statement that its TLS
//!   stack already did so, against the right anchors for this client.
//!
//! Signature algorithms are the caller's: the crate links no cryptography. With rustls, pass
//! `provider.signature_verification_algorithms.all` of the provider the server runs.

use alloc::string::String;
use alloc::vec::Vec;
use core::cell::Cell;

use rustls_pki_types::{CertificateDer, SignatureVerificationAlgorithm, TrustAnchor, UnixTime};
use webpki::{EndEntityCert, KeyUsage};

use crate::Thumbprint;

/// At most this many intermediates are read from a presented chain (the rest is refused).
const MAX_INTERMEDIATES: usize = 16;

/// A set of trust anchors (CA certificates) that `tls_client_auth` chains may lead to: the
/// server's, or those a client registered.
///
/// ```
/// use rfc8705::client_auth::TrustAnchors;
/// let ca = rcgen::CertifiedIssuer::self_signed(
///     { let mut p = rcgen::CertificateParams::new(vec![])?; p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained); p },
///     rcgen::KeyPair::generate()?,
/// )?;
/// let anchors = TrustAnchors::from_der([ca.der().as_ref()])?;
/// assert!(TrustAnchors::from_der([&b"not a certificate"[..]]).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct TrustAnchors {
    anchors: Vec<TrustAnchor<'static>>,
    /// SHA-256 of each anchor's SubjectPublicKeyInfo, in the same order.
    spki_sha256: Vec<Thumbprint>,
}

impl TrustAnchors {
    /// Reads CA certificates (DER), any of which may anchor a chain. Refuses an empty set
    /// and bytes that are not a certificate.
    pub fn from_der<'a>(certs: impl IntoIterator<Item = &'a [u8]>) -> Result<Self, ChainError> {
        let mut anchors = Vec::new();
        let mut spki_sha256 = Vec::new();
        for (index, der) in certs.into_iter().enumerate() {
            let der = CertificateDer::from(der);
            let anchor = webpki::anchor_from_trusted_cert(&der)
                .map_err(|e| ChainError::Anchor {
                    index,
                    reason: alloc::format!("{e:?}"),
                })?
                .to_owned();
            spki_sha256.push(Thumbprint::digest_of(&webpki::spki_for_anchor(&anchor)));
            anchors.push(anchor);
        }
        if anchors.is_empty() {
            return Err(ChainError::NoAnchors);
        }
        Ok(Self {
            anchors,
            spki_sha256,
        })
    }

    /// Whether an anchor with this SubjectPublicKeyInfo hash is in the set.
    pub(super) fn contains_spki(&self, spki_sha256: &Thumbprint) -> bool {
        self.spki_sha256.iter().any(|h| h == spki_sha256)
    }
}

/// What is known of how a presented chain was validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Validation {
    /// By this crate: the SHA-256 of the path's anchor's and of the leaf's issuer's SPKI.
    Crate {
        anchor_spki: Thumbprint,
        issuer_spki: Thumbprint,
    },
    /// By the caller's TLS stack, on the caller's word.
    TlsStack,
    /// Not at all: the client's method (`self_signed_tls_client_auth`) does not validate.
    NotRequired,
}

/// A client's certificate chain, validated for client authentication (or taken as validated
/// on the caller's explicit word): what `tls_client_auth` authentication requires.
///
/// It borrows the leaf certificate's DER. Two things produce one:
/// [`MtlsClientAuth::validate_chain`](super::MtlsClientAuth::validate_chain) (the crate
/// validates) and [`ValidatedChain::tls_stack_validated_this_chain`] (your statement).
#[derive(Debug, Clone, Copy)]
pub struct ValidatedChain<'c> {
    leaf: &'c [u8],
    validation: Validation,
}

impl<'c> ValidatedChain<'c> {
    /// The caller's statement that its TLS stack validated the chain whose leaf is `leaf_der`
    /// for client authentication, against the trust anchors that may issue this client's
    /// certificates (RFC 8705 section 2.1; RFC 5280).
    ///
    /// Make it only when that is true: with `rustls::server::WebPkiClientVerifier` (or an
    /// equivalent) at the TLS layer and one CA for every `tls_client_auth` client. A TLS stack
    /// validates before the `client_id` is known, so it cannot apply a client's registered
    /// anchors or issuer pins: a client that registered them is refused with a chain taken
    /// on this statement ([`ChainError::IssuerNotShown`]).
    ///
    /// ```
    /// use rfc8705::client_auth::{MtlsClientAuth, ValidatedChain};
    /// use rfc8705::metadata::ClientMetadata;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// let client = ClientMetadata::from_json(br#"{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_subject_dn":"CN=mtls"}"#)?;
    /// let auth = MtlsClientAuth::from_metadata(&client)?.expect("mutual TLS");
    /// // The server's WebPkiClientVerifier validated the handshake's chain to the client CA.
    /// let chain = ValidatedChain::tls_stack_validated_this_chain(&der);
    /// assert_eq!(auth.authenticate(&chain, Default::default())?.to_string(), "subject CN=mtls");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn tls_stack_validated_this_chain(leaf_der: &'c [u8]) -> Self {
        Self {
            leaf: leaf_der,
            validation: Validation::TlsStack,
        }
    }

    /// A chain whose method does not validate it (`self_signed_tls_client_auth`).
    pub(super) fn not_required(leaf: &'c [u8]) -> Self {
        Self {
            leaf,
            validation: Validation::NotRequired,
        }
    }

    /// The leaf certificate's DER.
    pub(super) fn leaf(&self) -> &'c [u8] {
        self.leaf
    }

    /// How it was validated.
    pub(super) fn validation(&self) -> Validation {
        self.validation
    }
}

/// Validates `chain` (leaf first, then intermediates, as TLS sends them) for client
/// authentication at `at` to one of `anchors`; with `issuer_pins`, the leaf's issuer must
/// have one of those SubjectPublicKeyInfo hashes (path building tries other paths if not).
pub(super) fn validate<'c>(
    chain: &'c [CertificateDer<'c>],
    anchors: &TrustAnchors,
    issuer_pins: &[Thumbprint],
    at: UnixTime,
    algorithms: &[&dyn SignatureVerificationAlgorithm],
) -> Result<ValidatedChain<'c>, ChainError> {
    let (leaf, intermediates) = chain.split_first().ok_or(ChainError::Empty)?;
    if intermediates.len() > MAX_INTERMEDIATES {
        return Err(ChainError::TooManyIntermediates {
            count: intermediates.len(),
        });
    }
    let end_entity = EndEntityCert::try_from(leaf).map_err(ChainError::from_webpki)?;
    let unpinned = Cell::new(false);
    let pinned = |path: &webpki::VerifiedPath<'_>| {
        let issuer = Thumbprint::digest_of(&path.issuer_spki());
        if issuer_pins.is_empty() || issuer_pins.contains(&issuer) {
            Ok(())
        } else {
            unpinned.set(true);
            Err(webpki::Error::UnknownIssuer)
        }
    };
    let path = end_entity
        .verify_for_usage(
            algorithms,
            &anchors.anchors,
            intermediates,
            at,
            // RFC 5280 section 4.2.1.12: with an EKU, id-kp-clientAuth must be in it.
            KeyUsage::client_auth(),
            None,
            Some(&pinned),
        )
        .map_err(|e| match e {
            webpki::Error::UnknownIssuer if unpinned.get() => ChainError::IssuerNotRegistered,
            other => ChainError::from_webpki(other),
        })?;
    Ok(ValidatedChain {
        leaf: leaf.as_ref(),
        validation: Validation::Crate {
            anchor_spki: Thumbprint::digest_of(&webpki::spki_for_anchor(path.anchor())),
            issuer_spki: Thumbprint::digest_of(&path.issuer_spki()),
        },
    })
}

/// Why a presented chain is not valid for `tls_client_auth` (`invalid_client`). The message
/// is for logs.
///
/// Times are seconds since the Unix epoch.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChainError {
    /// The chain is empty: no certificate was presented.
    #[error("no certificate was presented")]
    Empty,
    /// More intermediates than the crate reads.
    #[error("the chain has {count} intermediates; at most 16 are read")]
    TooManyIntermediates {
        /// How many were presented.
        count: usize,
    },
    /// No path from the leaf to a trust anchor (unknown issuer, or a missing intermediate).
    #[error("no path to a trust anchor (unknown issuer or missing intermediate)")]
    NoPathToAnchor,
    /// A certificate of the path is expired at the validation time.
    #[error("expired at {not_after} (validation time {at})")]
    Expired {
        /// The validation time.
        at: u64,
        /// The certificate's notAfter.
        not_after: u64,
    },
    /// A certificate of the path is not yet valid at the validation time.
    #[error("not yet valid: valid from {not_before} (validation time {at})")]
    NotYetValid {
        /// The validation time.
        at: u64,
        /// The certificate's notBefore.
        not_before: u64,
    },
    /// The leaf's extended key usage does not allow client authentication.
    #[error("not a client certificate: its extended key usage lacks id-kp-clientAuth")]
    NotForClientAuth,
    /// A certificate that issued another is not a CA (basic constraints).
    #[error("an issuer in the chain is not a CA (end-entity certificate used as an issuer)")]
    IssuerNotCa,
    /// The leaf is a CA certificate.
    #[error("the presented certificate is a CA certificate, not an end-entity certificate")]
    LeafIsCa,
    /// A signature does not verify, or uses an algorithm the caller did not allow.
    #[error("a signature in the chain does not verify or uses an unsupported algorithm")]
    BadSignature,
    /// The path is valid but its issuer is not one the client registered (issuer pin).
    #[error("the certificate's issuer is not one the client registered")]
    IssuerNotRegistered,
    /// The client registered trust anchors or issuer pins, and the chain was taken as
    /// validated on the caller's word: nothing shows which CA issued it.
    #[error(
        "the client registered its issuers; a chain validated by the TLS stack cannot show them: validate it with MtlsClientAuth::validate_chain"
    )]
    IssuerNotShown,
    /// The client uses `tls_client_auth` and the chain was not validated (it came from
    /// another client's `validate_chain`, whose method does not validate).
    #[error("the chain was not validated for tls_client_auth")]
    NotValidated,
    /// Any other failure of path validation, as `rustls-webpki` reports it.
    #[error("invalid chain: {reason}")]
    Invalid {
        /// The validator's error.
        reason: String,
    },
    /// A trust anchor is not a usable CA certificate.
    #[error("trust anchor {index} is not a usable certificate: {reason}")]
    Anchor {
        /// Its position.
        index: usize,
        /// The validator's error.
        reason: String,
    },
    /// No trust anchor was given.
    #[error("no trust anchor")]
    NoAnchors,
}

impl ChainError {
    fn from_webpki(e: webpki::Error) -> Self {
        use webpki::Error as E;
        match e {
            E::UnknownIssuer => Self::NoPathToAnchor,
            E::CertExpired { time, not_after } => Self::Expired {
                at: time.as_secs(),
                not_after: not_after.as_secs(),
            },
            E::CertNotValidYet { time, not_before } => Self::NotYetValid {
                at: time.as_secs(),
                not_before: not_before.as_secs(),
            },
            E::RequiredEkuNotFoundContext(_) => Self::NotForClientAuth,
            E::EndEntityUsedAsCa => Self::IssuerNotCa,
            E::CaUsedAsEndEntity => Self::LeafIsCa,
            E::InvalidSignatureForPublicKey
            | E::UnsupportedSignatureAlgorithmContext(_)
            | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_)
            | E::SignatureAlgorithmMismatch => Self::BadSignature,
            other => Self::Invalid {
                reason: alloc::format!("{other:?}"),
            },
        }
    }
}
