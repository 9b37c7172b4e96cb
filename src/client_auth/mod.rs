//! Mutual-TLS client authentication at the authorization server (RFC 8705 section 2).
//!
//! RFC 8705 section 2: "The authorization server MUST enforce the binding between client and
//! certificate, as described in either Section 2.1 or 2.2 below." [`MtlsClientAuth`] reads
//! either method from a client's registration ([`MtlsClientAuth::from_metadata`], the one place
//! a registration is checked) and authenticates the chain the client presented, in two steps:
//!
//! 1. [`MtlsClientAuth::validate_chain`] checks the presented chain as the client's method
//!    requires. `tls_client_auth` (section 2.1, the PKI method) "relies on a validated
//!    certificate chain \[RFC5280\]": the crate validates the chain (leaf and intermediates)
//!    for client authentication at the time you give, against the client's registered trust
//!    anchors or else yours, and checks its registered issuer pins. `self_signed_tls_client_auth`
//!    (section 2.2) does not validate: "the client's certificate chain is not validated by the
//!    server in this case".
//! 2. [`MtlsClientAuth::authenticate`] matches the [`ValidatedChain`]'s leaf with the
//!    registration: the one subject DN or SAN, or a registered certificate.
//!
//! A `tls_client_auth` client cannot be authenticated from a certificate alone: the subject
//! rule runs only on a [`ValidatedChain`], and the only other way to get one is the explicit
//! [`ValidatedChain::tls_stack_validated_this_chain`] (for a server whose TLS layer validated
//! the chain against the one CA of its PKI clients).
//!
//! The TLS layer still proves possession of the leaf's private key (CertificateVerify; RFC
//! 8705 section 7.4): with rustls, `rfc8705::rustls::PossessionOnlyVerifier` (feature `rustls`)
//! does that for both methods on one port, and `peer_certificates()` is the chain to validate.
//!
//! # Per-client trust anchors (registration extension)
//!
//! When several CAs are trusted, a subject DN alone lets any of them, or a CA with the same
//! name and another key, issue a certificate for a client's identity. A registration may
//! narrow that with two extension members (RFC 7591 section 2: "Extensions … MAY" define
//! additional metadata), valid only with `tls_client_auth`:
//!
//! | member | JSON | meaning |
//! |---|---|---|
//! | `tls_client_auth_trust_anchors` | array (1 to 10) of strings: base64 (RFC 4648 section 4, padded, as in a JWK's `x5c`) DER of a CA certificate | the client's chains must lead to one of these, and only these (the server's anchors are not used for it) |
//! | `tls_client_auth_issuer_spki_s256` | array (1 to 10) of strings: base64url without padding of the SHA-256 of the issuing CA's DER SubjectPublicKeyInfo (43 characters, as `x5t#S256`) | the CA that signed the client's certificate must hold one of these keys |
//!
//! ```json
//! {
//!   "client_id": "client-a",
//!   "token_endpoint_auth_method": "tls_client_auth",
//!   "tls_client_auth_subject_dn": "CN=client-a,O=Example",
//!   "tls_client_auth_issuer_spki_s256": ["a3D2J4bMNRmyFfoG9ctHA3XcDbKKfOLD5A3Oe0OJaGE"],
//!   "tls_client_certificate_bound_access_tokens": true
//! }
//! ```
//!
//! ```
//! use std::sync::Arc;
//! use rfc8705::client_auth::{MtlsClientAuth, TrustAnchors};
//! use rfc8705::metadata::ClientMetadata;
//! use rustls::pki_types::{CertificateDer, UnixTime};
//! # let ca = rcgen::CertifiedIssuer::self_signed(
//! #     { let mut p = rcgen::CertificateParams::new(vec![])?; p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained); p },
//! #     rcgen::KeyPair::generate()?)?;
//! # let leaf = { let mut p = rcgen::CertificateParams::new(vec![])?;
//! #     p.distinguished_name.push(rcgen::DnType::CommonName, "client-a");
//! #     p.signed_by(&rcgen::KeyPair::generate()?, &ca)? };
//! # let peer_certificates: Vec<CertificateDer<'static>> = vec![leaf.der().clone()];
//!
//! // At start-up: the CA of the PKI clients, and the algorithms of the server's crypto provider.
//! let anchors = TrustAnchors::from_der([ca.der().as_ref()])?;
//! let provider = rustls::crypto::aws_lc_rs::default_provider();
//! let algorithms = provider.signature_verification_algorithms.all;
//!
//! let client = ClientMetadata::from_json(br#"{
//!     "client_id": "client-a",
//!     "token_endpoint_auth_method": "tls_client_auth",
//!     "tls_client_auth_subject_dn": "CN=client-a",
//!     "tls_client_certificate_bound_access_tokens": true
//! }"#)?;
//! let auth = MtlsClientAuth::from_metadata(&client)?.expect("a mutual-TLS client");
//!
//! // At the token endpoint: the connection's certificates, leaf first.
//! let chain = auth.validate_chain(Some(&peer_certificates), Some(&anchors), UnixTime::now(), algorithms)?;
//! let ok = auth.authenticate(&chain, Default::default())?;
//! assert_eq!(ok.to_string(), "subject CN=client-a");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use rustls_pki_types::{CertificateDer, SignatureVerificationAlgorithm, UnixTime};

use crate::jwk::JwkSet;
use crate::metadata::{ClientMetadata, TokenEndpointAuthMethod};
use crate::{CertificateError, ClientCertificate, Thumbprint};

mod chain;
mod chain_error;
#[cfg(feature = "std")]
mod crl_memo;
mod pkix;
mod registration;
mod revocation;
mod self_signed;
mod tls;

pub use chain::{TrustAnchors, ValidatedChain};
pub use chain_error::ChainError;
pub use registration::RegistrationError;
pub use revocation::{
    ExpirationPolicy, RevocationCheckDepth, RevocationLists, RevocationPolicy, RevocationReason,
    UnknownStatusPolicy,
};
pub use self_signed::{RenewedCertificatePolicy, SelfSignedMismatch};
pub use tls::{ExpectedSubject, TlsClientAuthError};

use chain::Validation;
use registration::Jwks;

/// A client's registered mutual-TLS credential, read and validated once from its metadata.
///
/// ```
/// use rfc8705::client_auth::{ClientAuthError, MtlsClientAuth, ValidatedChain};
/// use rfc8705::metadata::ClientMetadata;
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
///
/// let client = ClientMetadata::from_json(br#"{
///     "client_id": "s6BhdRkqt3",
///     "token_endpoint_auth_method": "tls_client_auth",
///     "tls_client_auth_subject_dn": "cn=MTLS",
///     "tls_client_certificate_bound_access_tokens": true
/// }"#)?;
/// let auth = MtlsClientAuth::from_metadata(&client)?.expect("a mutual-TLS client");
///
/// // RFC 8705 section 2: no certificate is `invalid_client`.
/// let err = auth.validate_chain(None, None, rustls::pki_types::UnixTime::now(), &[]).unwrap_err();
/// assert_eq!(err, ClientAuthError::NoCertificate);
/// let answer = rfc8705::TokenEndpointError::from(err);
/// assert_eq!(answer.oauth_error_code(), rfc8705::OAuthErrorCode::InvalidClient);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum MtlsClientAuth {
    /// `tls_client_auth`: the registered subject and, if registered, the CAs that may issue
    /// the client's certificates.
    TlsClientAuth {
        /// The one registered subject DN or SAN.
        subject: ExpectedSubject,
        /// `tls_client_auth_trust_anchors`: the only anchors the client's chains may lead to.
        trust_anchors: Option<TrustAnchors>,
        /// `tls_client_auth_issuer_spki_s256`: SHA-256 of the SubjectPublicKeyInfo of the CAs
        /// that may sign the client's certificate (empty: any).
        issuer_pins: Vec<Thumbprint>,
    },
    /// `self_signed_tls_client_auth` with `jwks`: the registered set.
    SelfSigned(JwkSet),
    /// `self_signed_tls_client_auth` with `jwks_uri`: the caller fetches the set (this crate
    /// does no I/O), parses it with [`JwkSet::from_json`] and authenticates with
    /// `MtlsClientAuth::SelfSigned(set)`; on a miss, refetch at most every few seconds per
    /// client (a client rotates its certificate by publishing the new one) and try once more.
    SelfSignedJwksUri(String),
}

impl MtlsClientAuth {
    /// Reads the credential of a mutual-TLS client from its registration: the one place a
    /// registration is checked for mutual TLS. Returns `Ok(None)` for a client that uses
    /// another `token_endpoint_auth_method`.
    ///
    /// Checked, in this order: the document rules of RFC 7591 (`jwks` and `jwks_uri` not both present, `jwks` a JWK Set: [`MetadataError`](crate::metadata::MetadataError)); no
    /// `tls_client_auth_*` member unless the method is `tls_client_auth`; for
    /// `tls_client_auth`, exactly one well-formed subject member (RFC 8705 section 2.1.2) and
    /// well-formed trust anchors and issuer pins (see the [module](self)); for
    /// `self_signed_tls_client_auth`, `jwks` or `jwks_uri`, and a `jwks` whose keys with `x5c`
    /// are consistent and of which at least one has a certificate (RFC 8705 section 2.2.2, RFC
    /// 7517 section 4.7). A `jwks_uri` is not fetched.
    ///
    /// ```
    /// use rfc8705::client_auth::{MtlsClientAuth, RegistrationError};
    /// use rfc8705::metadata::ClientMetadata;
    ///
    /// let secret_client = ClientMetadata::from_json(br#"{"token_endpoint_auth_method":"client_secret_basic"}"#)?;
    /// assert!(MtlsClientAuth::from_metadata(&secret_client)?.is_none());
    ///
    /// let two = ClientMetadata::from_json(br#"{
    ///     "token_endpoint_auth_method": "tls_client_auth",
    ///     "tls_client_auth_san_dns": "a.example",
    ///     "tls_client_auth_san_email": "a@example.com"
    /// }"#)?;
    /// assert_eq!(
    ///     MtlsClientAuth::from_metadata(&two).unwrap_err(),
    ///     RegistrationError::SeveralSubjects {
    ///         members: vec!["tls_client_auth_san_dns", "tls_client_auth_san_email"]
    ///     }
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_metadata(metadata: &ClientMetadata) -> Result<Option<Self>, RegistrationError> {
        metadata.validate()?;
        Ok(match metadata.auth_method() {
            TokenEndpointAuthMethod::TlsClientAuth => Some(Self::TlsClientAuth {
                subject: registration::expected_subject(metadata)?,
                trust_anchors: registration::trust_anchors(metadata)?,
                issuer_pins: registration::issuer_pins(metadata)?,
            }),
            TokenEndpointAuthMethod::SelfSignedTlsClientAuth => {
                registration::no_stray_member(metadata)?;
                match registration::registered_keys(metadata)? {
                    Jwks::Inline(set) => Some(Self::SelfSigned(set)),
                    Jwks::Uri(uri) => Some(Self::SelfSignedJwksUri(uri.to_string())),
                }
            }
            _ => {
                registration::no_stray_member(metadata)?;
                None
            }
        })
    }

    /// Checks the chain the client presented (leaf first, then intermediates, as TLS sends
    /// them and rustls' `peer_certificates()` returns them; `None` or empty when it presented
    /// none) as this client's method requires.
    ///
    /// `tls_client_auth`: validates the chain with `rustls-webpki` for client authentication
    /// at `at` (RFC 5280 section 6; the leaf's extended key usage, when present, must hold
    /// `id-kp-clientAuth`) to one of the client's registered trust anchors, or else of
    /// `anchors` (the server's; with `None`, a client that registered none is refused); with
    /// registered issuer pins, the leaf's issuer must hold a pinned key.
    /// Signatures are checked with `algorithms` only (with rustls:
    /// `provider.signature_verification_algorithms.all`).
    ///
    /// `self_signed_tls_client_auth`: nothing to validate (RFC 8705 section 2.2); the leaf is
    /// passed on, and [`authenticate`](Self::authenticate) compares it with the registered
    /// certificates. `anchors`, `at` and `algorithms` are not used.
    ///
    /// At most 16 intermediates are read. The chain is this registration's:
    /// [`authenticate`](Self::authenticate) of another [`MtlsClientAuth`] value refuses it.
    ///
    /// No revocation is checked: see
    /// [`validate_chain_with_revocation`](Self::validate_chain_with_revocation).
    pub fn validate_chain<'c>(
        &'c self,
        presented: Option<&'c [CertificateDer<'c>]>,
        anchors: Option<&TrustAnchors>,
        at: UnixTime,
        algorithms: &[&dyn SignatureVerificationAlgorithm],
    ) -> Result<ValidatedChain<'c>, ClientAuthError> {
        self.validate(presented, anchors, None, at, algorithms)
    }

    /// [`validate_chain`](Self::validate_chain), and no certificate of the path may be
    /// revoked by `crls` (RFC 5280 section 6.3), under their [`RevocationPolicy`]: by
    /// default every certificate below the anchor needs a status from a CRL of its issuer
    /// that verifies with that issuer's key and is not past its nextUpdate at `at`.
    ///
    /// Pass the lists that hold the CRLs of this client's CAs: the server's, or a client's
    /// own when it registered its anchors (CRLs are matched to certificates by issuer, so
    /// one set may hold the CRLs of every CA). A revoked certificate is
    /// [`ChainError::Revoked`], naming it and the reason code. `self_signed_tls_client_auth`
    /// validates nothing, so the lists are not used for it (RFC 8705 section 2.2).
    ///
    /// ```
    /// use rfc8705::client_auth::{ChainError, ClientAuthError, MtlsClientAuth, RevocationLists, RevocationPolicy, TrustAnchors};
    /// use rfc8705::metadata::ClientMetadata;
    /// use rustls::pki_types::{CertificateDer, UnixTime};
    /// let ca = rcgen::CertifiedIssuer::self_signed(
    ///     { let mut p = rcgen::CertificateParams::new(vec![])?; p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained); p },
    ///     rcgen::KeyPair::generate()?)?;
    /// let mut params = rcgen::CertificateParams::new(vec![])?;
    /// params.distinguished_name.push(rcgen::DnType::CommonName, "client-a");
    /// params.serial_number = Some(rcgen::SerialNumber::from(7u64));
    /// let leaf = params.signed_by(&rcgen::KeyPair::generate()?, &ca)?;
    /// let crl = rcgen::CertificateRevocationListParams {
    ///     this_update: rcgen::date_time_ymd(2024, 1, 1),
    ///     next_update: rcgen::date_time_ymd(2100, 1, 1),
    ///     crl_number: rcgen::SerialNumber::from(1u64),
    ///     issuing_distribution_point: None,
    ///     revoked_certs: vec![rcgen::RevokedCertParams {
    ///         serial_number: rcgen::SerialNumber::from(7u64),
    ///         revocation_time: rcgen::date_time_ymd(2024, 6, 1),
    ///         reason_code: Some(rcgen::RevocationReason::KeyCompromise),
    ///         invalidity_date: None,
    ///     }],
    ///     key_identifier_method: rcgen::KeyIdMethod::Sha256,
    /// }.signed_by(&ca)?;
    ///
    /// let anchors = TrustAnchors::from_der([ca.der().as_ref()])?;
    /// let crls = RevocationLists::read([crl.pem()?.as_bytes()], RevocationPolicy::default())?;
    /// let client = ClientMetadata::from_json(br#"{"token_endpoint_auth_method":"tls_client_auth","tls_client_certificate_bound_access_tokens":true,"tls_client_auth_subject_dn":"CN=client-a"}"#)?;
    /// let auth = MtlsClientAuth::from_metadata(&client)?.expect("mutual TLS");
    /// let presented = [leaf.der().clone()];
    /// let algorithms = rustls::crypto::aws_lc_rs::default_provider().signature_verification_algorithms.all;
    /// let err = auth
    ///     .validate_chain_with_revocation(Some(&presented), Some(&anchors), &crls, UnixTime::now(), algorithms)
    ///     .unwrap_err();
    /// assert_eq!(err.to_string(), "certificate chain: certificate 0 of the chain (CN=client-a, serial 07) is revoked: keyCompromise (1)");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate_chain_with_revocation<'c>(
        &'c self,
        presented: Option<&'c [CertificateDer<'c>]>,
        anchors: Option<&TrustAnchors>,
        crls: &RevocationLists,
        at: UnixTime,
        algorithms: &[&dyn SignatureVerificationAlgorithm],
    ) -> Result<ValidatedChain<'c>, ClientAuthError> {
        self.validate(presented, anchors, Some(crls), at, algorithms)
    }

    fn validate<'c>(
        &'c self,
        presented: Option<&'c [CertificateDer<'c>]>,
        anchors: Option<&TrustAnchors>,
        crls: Option<&RevocationLists>,
        at: UnixTime,
        algorithms: &[&dyn SignatureVerificationAlgorithm],
    ) -> Result<ValidatedChain<'c>, ClientAuthError> {
        // Rejected: mutual TLS was not used, so there is nothing to authenticate.
        let chain = presented
            .filter(|c| !c.is_empty())
            .ok_or(ClientAuthError::NoCertificate)?;
        match self {
            Self::TlsClientAuth {
                trust_anchors,
                issuer_pins,
                ..
            } => {
                let anchors = trust_anchors
                    .as_ref()
                    .or(anchors)
                    .ok_or(ChainError::NoAnchors)?;
                let validated = chain::validate(chain, anchors, issuer_pins, crls, at, algorithms)?;
                Ok(validated.owned_by(self))
            }
            Self::SelfSigned(_) | Self::SelfSignedJwksUri(_) => {
                let leaf = chain.first().ok_or(ClientAuthError::NoCertificate)?;
                Ok(ValidatedChain::not_required(leaf.as_ref()))
            }
        }
    }

    /// Authenticates the client by the leaf of `presented`. `renewed` applies to
    /// `self_signed_tls_client_auth` only.
    ///
    /// RFC 8705 section 2: "If no certificate is presented, or that which is presented
    /// doesn't match that which is expected for the given `client_id`, the authorization
    /// server returns a normal OAuth 2.0 error response per Section 5.2 of \[RFC6749\] with
    /// the `invalid_client` error code".
    ///
    /// `tls_client_auth` requires a chain validated for this client: one that
    /// [`validate_chain`](Self::validate_chain) of this same value validated
    /// ([`ChainError::OtherClient`] otherwise, even from a client with the same anchors), or
    /// one taken as validated by the TLS stack. Any SAN of the registered kind may match
    /// (section 2.1.2).
    ///
    /// ```
    /// use rfc8705::client_auth::{ClientAuthError, MtlsClientAuth, ValidatedChain};
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    ///
    /// let auth = MtlsClientAuth::SelfSignedJwksUri("https://client.example/jwks".into());
    /// let chain = ValidatedChain::tls_stack_validated_this_chain(&der);
    /// assert!(matches!(
    ///     auth.authenticate(&chain, Default::default()),
    ///     Err(ClientAuthError::KeysNotFetched { .. })
    /// ));
    /// ```
    pub fn authenticate(
        &self,
        presented: &ValidatedChain<'_>,
        renewed: RenewedCertificatePolicy,
    ) -> Result<Authenticated, ClientAuthError> {
        let leaf = presented.leaf();
        let by = match self {
            Self::TlsClientAuth {
                subject,
                trust_anchors,
                issuer_pins,
            } => {
                // Rejected: validated by (and against the anchors of) another registration.
                if matches!(presented.validation(), Validation::Crate { .. })
                    && !presented.is_owned_by(self)
                {
                    return Err(ChainError::OtherClient.into());
                }
                check_issuers(presented.validation(), trust_anchors.as_ref(), issuer_pins)?;
                subject.authenticate_der(leaf)?.to_string()
            }
            Self::SelfSigned(set) => {
                let cert = ClientCertificate::from_der(leaf)?;
                self_signed::authenticate(&cert, set, renewed)?.to_string()
            }
            // Rejected: the registered keys live at a URL this crate does not fetch.
            Self::SelfSignedJwksUri(uri) => {
                return Err(ClientAuthError::KeysNotFetched {
                    jwks_uri: uri.clone(),
                });
            }
        };
        Ok(Authenticated {
            thumbprint: Thumbprint::from_der(leaf)?,
            by,
        })
    }
}

/// RFC 8705 section 2.1: "relies on a validated certificate chain"; a registration's anchors
/// and pins name the CAs that may issue the client's certificates.
fn check_issuers(
    validation: Validation,
    anchors: Option<&TrustAnchors>,
    pins: &[Thumbprint],
) -> Result<(), ChainError> {
    match validation {
        // Rejected: validate_chain of a self-signed client validates nothing.
        Validation::NotRequired => Err(ChainError::NotValidated),
        Validation::TlsStack if anchors.is_none() && pins.is_empty() => Ok(()),
        // Rejected: the TLS stack cannot have applied this client's anchors or pins.
        Validation::TlsStack => Err(ChainError::IssuerNotShown),
        Validation::Crate {
            anchor_spki,
            issuer_spki,
        } => {
            // Rejected: validated against anchors the client did not register.
            if anchors.is_some_and(|a| !a.contains_spki(&anchor_spki))
                || !(pins.is_empty() || pins.contains(&issuer_spki))
            {
                return Err(ChainError::IssuerNotRegistered);
            }
            Ok(())
        }
    }
}

/// A successful mutual-TLS client authentication: the certificate's thumbprint (to bind
/// tokens to) and, through `Display`, what matched (for the audit log).
///
/// ```
/// # use rfc8705::client_auth::{MtlsClientAuth, ValidatedChain};
/// # use rfc8705::metadata::ClientMetadata;
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
/// # let client = ClientMetadata::from_json(br#"{"token_endpoint_auth_method":"tls_client_auth","tls_client_certificate_bound_access_tokens":true,"tls_client_auth_subject_dn":"CN=mtls"}"#)?;
/// # let auth = MtlsClientAuth::from_metadata(&client)?.unwrap();
/// # let chain = ValidatedChain::tls_stack_validated_this_chain(&der);
/// let ok = auth.authenticate(&chain, Default::default())?;
/// println!("client authenticated by {ok} ({})", ok.thumbprint());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authenticated {
    thumbprint: Thumbprint,
    by: String,
}

impl Authenticated {
    /// The `x5t#S256` of the certificate that authenticated the client.
    pub fn thumbprint(&self) -> Thumbprint {
        self.thumbprint
    }
}

impl fmt::Display for Authenticated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.by)
    }
}

/// Why mutual-TLS client authentication failed. Every variant is `invalid_client`; the
/// message explains the failure for the server's logs and is not meant for the client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientAuthError {
    /// The client presented no certificate.
    #[error("the client presented no TLS client certificate")]
    NoCertificate,
    /// The presented certificate cannot be read.
    #[error("unreadable client certificate: {0}")]
    Certificate(#[from] CertificateError),
    /// `tls_client_auth`: the chain is not valid for this client.
    #[error("certificate chain: {0}")]
    Chain(#[from] ChainError),
    /// `tls_client_auth`: the certificate does not carry the registered subject.
    #[error(transparent)]
    TlsClientAuth(#[from] TlsClientAuthError),
    /// `self_signed_tls_client_auth`: the certificate is not a registered one.
    #[error(transparent)]
    SelfSigned(#[from] SelfSignedMismatch),
    /// `self_signed_tls_client_auth` by `jwks_uri`: fetch the set, then authenticate with
    /// [`MtlsClientAuth::SelfSigned`].
    #[error(
        "the client's JWK Set is registered by reference ({jwks_uri}); fetch it and authenticate with MtlsClientAuth::SelfSigned"
    )]
    KeysNotFetched {
        /// The registered `jwks_uri`.
        jwks_uri: String,
    },
}
