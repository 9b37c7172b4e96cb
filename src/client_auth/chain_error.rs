//! Why a presented chain is not valid for `tls_client_auth`.

use alloc::string::String;

use webpki::RevocationReason;

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
    /// The chain was validated by another client's registration
    /// ([`MtlsClientAuth::validate_chain`](super::MtlsClientAuth::validate_chain) of another
    /// [`MtlsClientAuth`](super::MtlsClientAuth) value).
    #[error("the chain was validated for another client's registration")]
    OtherClient,
    /// An issuer's keyUsage does not allow keyCertSign (RFC 5280 section 6.1.4 (n)).
    #[error(
        "certificate {position} of the path ({subject}) issued a certificate, but its keyUsage does not allow keyCertSign"
    )]
    IssuerNotCertSigner {
        /// Its position in the path: 1 is the leaf's issuer.
        position: usize,
        /// Its subject, RFC 4514.
        subject: String,
    },
    /// A subject emailAddress is outside a CA's rfc822Name name constraints (RFC 5280
    /// section 4.2.1.10).
    #[error(
        "certificate {position} of the path ({subject}) has a subject emailAddress outside an issuer's rfc822Name name constraints"
    )]
    EmailOutsideConstraints {
        /// Its position in the path: 0 is the leaf.
        position: usize,
        /// Its subject, RFC 4514.
        subject: String,
    },
    /// A certificate of the chain is revoked.
    #[error(
        "certificate {position} of the chain ({subject}, serial {serial}) is revoked: {}", reason_text(*reason)
    )]
    Revoked {
        /// Its position as presented: 0 is the leaf.
        position: usize,
        /// Its subject, RFC 4514.
        subject: String,
        /// Its serial number, lowercase hexadecimal.
        serial: String,
        /// The CRL entry's reasonCode (RFC 5280 section 5.3.1), when it has one.
        reason: Option<RevocationReason>,
    },
    /// A certificate of the chain has no status: no CRL from its issuer was given.
    #[error(
        "certificate {position} of the chain ({subject}) has no revocation status: no CRL from its issuer"
    )]
    RevocationUnknown {
        /// Its position as presented: 0 is the leaf.
        position: usize,
        /// Its subject, RFC 4514.
        subject: String,
    },
    /// The CRL of an issuer is past its nextUpdate at the validation time.
    #[error("a CRL expired at {next_update} (validation time {at})")]
    CrlExpired {
        /// The validation time.
        at: u64,
        /// The CRL's nextUpdate.
        next_update: u64,
    },
    /// A CRL with an issuer's name is not signed by that issuer's key, or with an algorithm
    /// the caller does not allow. With `std` such a CRL gives no status (the chain is
    /// validated again without it, and this is not reported); without `std`, the chain is
    /// refused with this error.
    #[error("a CRL naming an issuer of the chain is not signed by that issuer's key")]
    CrlSignature,
    /// A CRL cannot be read (or an input holds none).
    #[error("CRL input {index}: {reason}")]
    Crl {
        /// The position of the input.
        index: usize,
        /// What is wrong with it.
        reason: String,
    },
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
    pub(super) fn from_webpki(e: webpki::Error) -> Self {
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
            E::CrlExpired { time, next_update } => Self::CrlExpired {
                at: time.as_secs(),
                next_update: next_update.as_secs(),
            },
            E::InvalidCrlSignatureForPublicKey
            | E::UnsupportedCrlSignatureAlgorithmContext(_)
            | E::UnsupportedCrlSignatureAlgorithmForPublicKeyContext(_) => Self::CrlSignature,
            other => Self::Invalid {
                reason: alloc::format!("{other:?}"),
            },
        }
    }
}

/// The RFC 5280 section 5.3.1 name and code of a reason, for messages.
fn reason_text(reason: Option<RevocationReason>) -> &'static str {
    use RevocationReason as R;
    match reason {
        None => "no reason code",
        Some(R::Unspecified) => "unspecified (0)",
        Some(R::KeyCompromise) => "keyCompromise (1)",
        Some(R::CaCompromise) => "cACompromise (2)",
        Some(R::AffiliationChanged) => "affiliationChanged (3)",
        Some(R::Superseded) => "superseded (4)",
        Some(R::CessationOfOperation) => "cessationOfOperation (5)",
        Some(R::CertificateHold) => "certificateHold (6)",
        Some(R::RemoveFromCrl) => "removeFromCRL (8)",
        Some(R::PrivilegeWithdrawn) => "privilegeWithdrawn (9)",
        Some(R::AaCompromise) => "aACompromise (10)",
    }
}
