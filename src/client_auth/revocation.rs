//! Certificate revocation lists for `tls_client_auth` chains (RFC 5280 sections 5 and 6.3),
//! without I/O: the caller fetches the CRLs, the crate checks the chain against them.
//!
//! `rustls-webpki` reads the CRLs ([`webpki::OwnedCertRevocationList`]) and checks them while
//! it builds the path: a CRL counts for a certificate when it has the certificate's issuer as
//! its issuer and its signature verifies with that issuer's key (RFC 5280 section 6.3.3 (f):
//! "Obtain and validate the certification path for the issuer of the complete CRL"), and the
//! issuer's keyUsage, when present, allows cRLSign. With `std`, each CRL's signature is
//! verified once per issuer key and remembered (`webpki` would verify it at every
//! validation).

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Write as _;

use rustls_pki_types::CertificateDer;
use webpki::{CertRevocationList, OwnedCertRevocationList, RevocationOptions};

pub use webpki::{ExpirationPolicy, RevocationCheckDepth, RevocationReason, UnknownStatusPolicy};

use super::chain_error::ChainError;
use crate::cert::{Parts, PemLabel, next_block};
use crate::dn::NameRef;

/// What revocation checking requires of a chain: the caller's security decisions.
///
/// The default is the strict one: every certificate below the anchor needs a status
/// ([`RevocationCheckDepth::Chain`]), a certificate without one is refused
/// ([`UnknownStatusPolicy::Deny`]), and a CRL whose nextUpdate is not after the validation
/// time gives no status ([`ExpirationPolicy::Enforce`]).
///
/// ```
/// use rfc8705::client_auth::{RevocationCheckDepth, RevocationPolicy};
/// let mut leaf_only = RevocationPolicy::default();
/// leaf_only.depth = RevocationCheckDepth::EndEntity;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RevocationPolicy {
    /// Which certificates need a status: the leaf only, or every certificate below the
    /// anchor (the anchor itself is trusted as configured).
    pub depth: RevocationCheckDepth,
    /// What a certificate without a CRL from its issuer means.
    pub unknown_status: UnknownStatusPolicy,
    /// Whether a CRL past its nextUpdate still gives a status.
    pub expired_crl: ExpirationPolicy,
}

impl Default for RevocationPolicy {
    fn default() -> Self {
        Self {
            depth: RevocationCheckDepth::Chain,
            unknown_status: UnknownStatusPolicy::Deny,
            expired_crl: ExpirationPolicy::Enforce,
        }
    }
}

/// The certificate revocation lists a server has fetched, read once, with the policy they
/// are applied with. Pass them to
/// [`MtlsClientAuth::validate_chain_with_revocation`](super::MtlsClientAuth::validate_chain_with_revocation).
///
/// # Keeping them fresh
///
/// A [`RevocationLists`] is immutable: a server holds the current one behind a lock and swaps
/// in a new one when it has fetched newer CRLs; validations in flight keep the one they
/// started with.
///
/// ```
/// use std::sync::{Arc, RwLock};
/// use rfc8705::client_auth::{RevocationLists, RevocationPolicy};
/// # let ca = rcgen::CertifiedIssuer::self_signed(
/// #     { let mut p = rcgen::CertificateParams::new(vec![])?; p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained); p },
/// #     rcgen::KeyPair::generate()?)?;
/// # let crl = || -> Result<Vec<u8>, rcgen::Error> { Ok(rcgen::CertificateRevocationListParams {
/// #     this_update: rcgen::date_time_ymd(2024, 1, 1), next_update: rcgen::date_time_ymd(2100, 1, 1),
/// #     crl_number: rcgen::SerialNumber::from(1u64), issuing_distribution_point: None,
/// #     revoked_certs: vec![], key_identifier_method: rcgen::KeyIdMethod::Sha256,
/// # }.signed_by(&ca)?.der().to_vec()) };
///
/// /// The CRLs in force, swapped whole.
/// struct CurrentCrls(RwLock<Arc<RevocationLists>>);
///
/// impl CurrentCrls {
///     /// At each validation: the set in force now (a clone of the `Arc`, not of the lists).
///     fn get(&self) -> Arc<RevocationLists> {
///         Arc::clone(&self.0.read().unwrap_or_else(|e| e.into_inner()))
///     }
///     /// From the fetching task: a new set replaces the old one only once it is read.
///     fn replace(&self, fetched: &[Vec<u8>]) -> Result<(), rfc8705::client_auth::ChainError> {
///         let lists = RevocationLists::read(fetched.iter().map(Vec::as_slice), RevocationPolicy::default())?;
///         *self.0.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(lists);
///         Ok(())
///     }
/// }
///
/// let current = CurrentCrls(RwLock::new(Arc::new(RevocationLists::read([crl()?.as_slice()], RevocationPolicy::default())?)));
/// // Later, when the fetcher has newer CRLs (DER, or PEM `X509 CRL`):
/// current.replace(&[crl()?])?;
/// let in_force = current.get();
/// // auth.validate_chain_with_revocation(Some(&peer), Some(&anchors), &in_force, now, algorithms)
/// # let _ = in_force;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct RevocationLists {
    crls: Vec<CertRevocationList<'static>>,
    /// The signed part of each CRL, with its verification memo (see `crl_memo`).
    #[cfg(feature = "std")]
    signed: Vec<super::crl_memo::SignedPart>,
    policy: RevocationPolicy,
}

impl RevocationLists {
    /// Reads CRLs: each input is one DER CRL, or PEM text with one or more `X509 CRL` blocks
    /// (RFC 7468 section 6). Refuses no input at all, an input holding no CRL, and a CRL
    /// `rustls-webpki` does not read (a version 1 or delta CRL, one without nextUpdate, an
    /// indirect CRL: see [`webpki::BorrowedCertRevocationList::from_der`]).
    ///
    /// ```
    /// use rfc8705::client_auth::{ChainError, RevocationLists, RevocationPolicy};
    /// let err = RevocationLists::read([&b"-----BEGIN CERTIFICATE-----"[..]], RevocationPolicy::default()).unwrap_err();
    /// assert!(matches!(err, ChainError::Crl { index: 0, .. }));
    /// ```
    pub fn read<'a>(
        inputs: impl IntoIterator<Item = &'a [u8]>,
        policy: RevocationPolicy,
    ) -> Result<Self, ChainError> {
        let mut crls = Vec::new();
        #[cfg(feature = "std")]
        let mut signed = Vec::new();
        for (index, input) in inputs.into_iter().enumerate() {
            let bad = |reason: String| ChainError::Crl { index, reason };
            let mut add = |der: &[u8]| {
                let crl = OwnedCertRevocationList::from_der(der)
                    .map_err(|e| bad(alloc::format!("{e:?}")))?;
                crls.push(CertRevocationList::Owned(crl));
                #[cfg(feature = "std")]
                signed.push(super::crl_memo::SignedPart::of(der));
                Ok(())
            };
            if input.windows(11).any(|w| w == b"-----BEGIN ") {
                let mut rest = input;
                let mut found = false;
                while let Some((der, after)) =
                    next_block(rest, PemLabel::Crl).map_err(|e| bad(e.to_string()))?
                {
                    add(&der)?;
                    found = true;
                    rest = after;
                }
                if !found {
                    return Err(bad("no X509 CRL block".into()));
                }
            } else {
                add(input)?;
            }
        }
        if crls.is_empty() {
            return Err(ChainError::Crl {
                index: 0,
                reason: "no CRL given".into(),
            });
        }
        Ok(Self {
            crls,
            #[cfg(feature = "std")]
            signed,
            policy,
        })
    }

    /// The signed parts of the CRLs, for the verification memo.
    #[cfg(feature = "std")]
    pub(super) fn signed(&self) -> &[super::crl_memo::SignedPart] {
        &self.signed
    }

    /// The lists as `rustls-webpki` takes them, but for those `excluded` (their signature did
    /// not verify with the issuer's key: they give no status).
    pub(super) fn refs(&self, excluded: &[usize]) -> Vec<&CertRevocationList<'static>> {
        self.crls
            .iter()
            .enumerate()
            .filter(|(i, _)| !excluded.contains(i))
            .map(|(_, crl)| crl)
            .collect()
    }

    /// Whether a certificate without a status is accepted.
    pub(super) fn allows_unknown(&self) -> bool {
        self.policy.unknown_status == UnknownStatusPolicy::Allow
    }

    /// The options for `rustls-webpki`'s path building.
    pub(super) fn options<'a>(
        &self,
        refs: &'a [&'a CertRevocationList<'a>],
    ) -> Result<RevocationOptions<'a>, ChainError> {
        let builder = webpki::RevocationOptionsBuilder::new(refs).map_err(|_| ChainError::Crl {
            index: 0,
            reason: "no CRL given".into(),
        })?;
        Ok(builder
            .with_depth(self.policy.depth)
            .with_status_policy(self.policy.unknown_status)
            .with_expiration_policy(self.policy.expired_crl)
            .build())
    }

    /// Names the certificate a refusal is about, for the error: `webpki` says that a
    /// certificate of the path is revoked, or has no status, but not which one. The
    /// presented certificates are searched leaf first (only the leaf at depth `EndEntity`),
    /// in the CRLs but those `excluded`.
    pub(super) fn explain(
        &self,
        chain: &[CertificateDer<'_>],
        excluded: &[usize],
        error: &webpki::Error,
    ) -> ChainError {
        let depth = match self.policy.depth {
            RevocationCheckDepth::EndEntity => 1,
            RevocationCheckDepth::Chain => chain.len(),
        };
        for (position, cert) in chain.iter().take(depth).enumerate() {
            let Ok(parts) = Parts::read(cert.as_ref()) else {
                continue;
            };
            let mut from_issuer = self
                .crls
                .iter()
                .enumerate()
                .filter(|(i, crl)| !excluded.contains(i) && crl.issuer() == parts.issuer)
                .map(|(_, crl)| crl)
                .peekable();
            let subject = || subject_text(cert.as_ref());
            match error {
                webpki::Error::CertRevoked => {
                    if let Some(entry) = from_issuer.find_map(|crl| {
                        crl.find_serial(parts.serial)
                            .ok()
                            .flatten()
                            .map(|e| e.reason_code)
                    }) {
                        return ChainError::Revoked {
                            position,
                            subject: subject(),
                            serial: hex(parts.serial),
                            reason: entry,
                        };
                    }
                }
                webpki::Error::UnknownRevocationStatus if from_issuer.peek().is_none() => {
                    return ChainError::RevocationUnknown {
                        position,
                        subject: subject(),
                    };
                }
                _ => {}
            }
        }
        ChainError::Invalid {
            reason: alloc::format!("{error:?}"),
        }
    }
}

/// The subject of a certificate as RFC 4514 text, or a placeholder.
fn subject_text(der: &[u8]) -> String {
    NameRef::subject_of_der(der)
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "an unreadable subject".into())
}

/// Lowercase hexadecimal of a serial number's content octets.
pub(super) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}
