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
//!   registered trust anchors, or the server's; then the RFC 5280 checks `webpki` leaves out
//!   (an issuer's keyUsage, rfc822Name constraints on the subject's emailAddress: see
//!   `pkix.rs`) and, with CRLs, revocation; the chain is tied to the registration that
//!   validated it;
//! * [`ValidatedChain::tls_stack_validated_this_chain`]: the caller's statement that its TLS
//!   stack already did so, against the right anchors for this client.
//!
//! Signature algorithms are the caller's: the crate links no cryptography. With rustls, pass
//! `provider.signature_verification_algorithms.all` of the provider the server runs.

use alloc::vec::Vec;
use core::any::Any;
use core::cell::RefCell;

use rustls_pki_types::{CertificateDer, SignatureVerificationAlgorithm, TrustAnchor, UnixTime};
use webpki::{EndEntityCert, KeyUsage};

use super::chain_error::ChainError;

use super::revocation::RevocationLists;
use crate::Thumbprint;
use crate::cert::{EmailSubtrees, Parts};

/// At most this many intermediates are read from a presented chain (the rest is refused).
const MAX_INTERMEDIATES: usize = 16;

/// A set of trust anchors (CA certificates) that `tls_client_auth` chains may lead to: the
/// server's, or those a client registered.
///
/// Each must be a CA certificate: version 3 with basicConstraints `cA` TRUE (a version 1
/// root, or an end-entity certificate, would make any certificate it names an anchor of
/// itself), and a keyUsage, when present, that allows keyCertSign. Its rfc822Name name
/// constraints, if any, are applied to the subject's emailAddress of the chains it anchors.
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
    /// Each anchor's rfc822Name name constraints, in the same order.
    email_subtrees: Vec<EmailSubtrees>,
}

impl TrustAnchors {
    /// Reads CA certificates (DER), any of which may anchor a chain. Refuses an empty set,
    /// bytes that are not a certificate, and a certificate that is not a CA's (see above).
    pub fn from_der<'a>(certs: impl IntoIterator<Item = &'a [u8]>) -> Result<Self, ChainError> {
        let mut anchors = Vec::new();
        let mut spki_sha256 = Vec::new();
        let mut email_subtrees = Vec::new();
        for (index, der) in certs.into_iter().enumerate() {
            email_subtrees.push(check_ca(der).map_err(|reason| ChainError::Anchor {
                index,
                reason: reason.into(),
            })?);
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
            email_subtrees,
        })
    }

    /// Whether an anchor with this SubjectPublicKeyInfo hash is in the set.
    pub(super) fn contains_spki(&self, spki_sha256: &Thumbprint) -> bool {
        self.spki_sha256.iter().any(|h| h == spki_sha256)
    }

    /// The rfc822Name subtrees of anchor `index`, when it has any.
    pub(super) fn email_subtrees(&self, index: usize) -> Option<&EmailSubtrees> {
        self.email_subtrees.get(index).filter(|s| !s.is_empty())
    }

    /// The position of `anchor` (one of this set's, as `webpki` hands it back).
    fn index_of(&self, anchor: &TrustAnchor<'_>) -> Option<usize> {
        self.anchors.iter().position(|a| core::ptr::eq(a, anchor))
    }
}

/// Checks that a certificate may be a trust anchor, and returns its rfc822Name constraints.
fn check_ca(der: &[u8]) -> Result<EmailSubtrees, &'static str> {
    let parts = Parts::read(der).map_err(|_| "not a well-formed certificate")?;
    // RFC 5280 section 4.2.1.9: "The cA boolean indicates whether the certified public key
    // may be used to verify certificate signatures."
    if !parts.is_ca().map_err(|_| "malformed extensions")? {
        return Err(
            "not a CA certificate (a version 3 certificate with basicConstraints cA TRUE is required)",
        );
    }
    // RFC 5280 section 4.2.1.3: "The keyCertSign bit is asserted when the subject public key
    // is used for verifying signatures on public key certificates."
    if parts.key_cert_sign().map_err(|_| "malformed keyUsage")? == Some(false) {
        return Err("its keyUsage does not allow keyCertSign");
    }
    parts
        .email_subtrees()
        .map_err(|_| "malformed nameConstraints")
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
    /// The registration that validated it (`MtlsClientAuth::validate_chain`), compared by
    /// address in `authenticate`.
    owner: Option<&'c (dyn Any + Send + Sync)>,
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
    /// let client = ClientMetadata::from_json(br#"{"token_endpoint_auth_method":"tls_client_auth","tls_client_certificate_bound_access_tokens":true,"tls_client_auth_subject_dn":"CN=mtls"}"#)?;
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
            owner: None,
        }
    }

    /// A chain whose method does not validate it (`self_signed_tls_client_auth`).
    pub(super) fn not_required(leaf: &'c [u8]) -> Self {
        Self {
            leaf,
            validation: Validation::NotRequired,
            owner: None,
        }
    }

    /// Records the registration that validated the chain.
    pub(super) fn owned_by(mut self, owner: &'c (dyn Any + Send + Sync)) -> Self {
        self.owner = Some(owner);
        self
    }

    /// Whether `registration` is the one that validated the chain.
    pub(super) fn is_owned_by(&self, registration: &(dyn Any + Send + Sync)) -> bool {
        self.owner.is_some_and(|o| {
            core::ptr::addr_eq(o as *const dyn Any, registration as *const dyn Any)
        })
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
/// authentication at `at` to one of `anchors`, with `rustls-webpki`, then the checks it leaves
/// out ([`super::pkix`]); with `issuer_pins`, the leaf's issuer must have one of those
/// SubjectPublicKeyInfo hashes; with `revocation`, no certificate of the path may be revoked
/// (path building tries other paths when one fails).
pub(super) fn validate<'c>(
    chain: &'c [CertificateDer<'c>],
    anchors: &TrustAnchors,
    issuer_pins: &[Thumbprint],
    revocation: Option<&RevocationLists>,
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
    let refused: RefCell<Option<ChainError>> = RefCell::new(None);
    let checked = |path: &webpki::VerifiedPath<'_>| {
        let anchor_subtrees = anchors
            .index_of(path.anchor())
            .and_then(|i| anchors.email_subtrees(i));
        super::pkix::check_path(path, anchor_subtrees, issuer_pins).map_err(|e| {
            *refused.borrow_mut() = Some(e);
            webpki::Error::UnknownIssuer
        })
    };
    // CRLs whose signature did not verify with their issuer's key: they give no status, and
    // the validation runs again without them (with `std`; without, it is refused).
    #[cfg_attr(not(feature = "std"), allow(unused_mut))]
    let mut excluded: Vec<usize> = Vec::new();
    // Without `std` a failed CRL signature is not retried: the loop runs once.
    #[cfg_attr(not(feature = "std"), allow(clippy::never_loop))]
    let path = loop {
        *refused.borrow_mut() = None;
        // The caller's algorithms, each behind the memo of the CRLs' signatures (`crl_memo`).
        #[cfg(feature = "std")]
        let failed = std::sync::Mutex::new(Vec::new());
        #[cfg(feature = "std")]
        let memos: Vec<super::crl_memo::Memo<'_>> = revocation
            .map(|r| {
                algorithms
                    .iter()
                    .map(|a| super::crl_memo::Memo::new(*a, r.signed(), &failed))
                    .collect()
            })
            .unwrap_or_default();
        #[cfg(feature = "std")]
        let memo_refs: Vec<&dyn SignatureVerificationAlgorithm> = memos
            .iter()
            .map(|m| m as &dyn SignatureVerificationAlgorithm)
            .collect();
        #[cfg(feature = "std")]
        let algs = if revocation.is_some() {
            memo_refs.as_slice()
        } else {
            algorithms
        };
        #[cfg(not(feature = "std"))]
        let algs = algorithms;
        let crls = revocation.map(|r| r.refs(&excluded)).unwrap_or_default();
        let options = match revocation {
            Some(r) if !crls.is_empty() => Some(r.options(&crls)?),
            // Every CRL was set aside: no certificate has a status.
            Some(r) if !r.allows_unknown() => {
                return Err(r.explain(chain, &excluded, &webpki::Error::UnknownRevocationStatus));
            }
            _ => None,
        };
        let outcome = end_entity.verify_for_usage(
            algs,
            &anchors.anchors,
            intermediates,
            at,
            // RFC 5280 section 4.2.1.12: with an EKU, id-kp-clientAuth must be in it.
            KeyUsage::client_auth(),
            options,
            Some(&checked),
        );
        use webpki::Error as E;
        let error = match outcome {
            Ok(path) => break path,
            Err(e) => e,
        };
        #[cfg(feature = "std")]
        if error == E::InvalidCrlSignatureForPublicKey {
            let newly: Vec<usize> = failed
                .lock()
                .map(|f| {
                    f.iter()
                        .copied()
                        .filter(|i| !excluded.contains(i))
                        .collect()
                })
                .unwrap_or_default();
            if !newly.is_empty() {
                excluded.extend(newly);
                continue;
            }
        }
        return Err(match (error, revocation) {
            (e @ (E::CertRevoked | E::UnknownRevocationStatus), Some(r)) => {
                r.explain(chain, &excluded, &e)
            }
            (other, _) => refused
                .borrow_mut()
                .take()
                .unwrap_or_else(|| ChainError::from_webpki(other)),
        });
    };
    Ok(ValidatedChain {
        leaf: leaf.as_ref(),
        validation: Validation::Crate {
            anchor_spki: Thumbprint::digest_of(&webpki::spki_for_anchor(path.anchor())),
            issuer_spki: Thumbprint::digest_of(&path.issuer_spki()),
        },
        owner: None,
    })
}
