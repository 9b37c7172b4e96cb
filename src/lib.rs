//! # rfc8705
//!
//! The primitives of RFC 8705, *OAuth 2.0 Mutual-TLS Client Authentication and
//! Certificate-Bound Access Tokens*, as a small, exact core that does no I/O.
//!
//! An authorization server uses this crate to authenticate a client by the certificate it
//! presented over mutual TLS and to bind the tokens it issues to that certificate
//! (`"cnf": {"x5t#S256": …}`); a resource server uses it to check that a presented token is
//! bound to the certificate on the connection, and to answer `401 invalid_token` when it is
//! not.
//!
//! ```
//! use rfc8705::{ClientCertificate, Thumbprint};
//! # let pem = rfc8705::__doc_support::rfc8705_appendix_a_pem();
//!
//! // The certificate the TLS stack handed over (DER), or a PEM file.
//! let cert = ClientCertificate::from_pem(pem.as_bytes())?;
//! let x5t: Thumbprint = cert.thumbprint();
//! assert_eq!(x5t.to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
//! # Ok::<(), rfc8705::CertificateError>(())
//! ```
//!
//! Cargo features: `std` (default) adds `std::error::Error` integration; without it the
//! crate is `#![no_std]` and needs only `alloc`.
//!
//! ## Limits
//!
//! Every input is bounded; over a limit, the error says which one applies.
//!
//! | input | limit |
//! |---|---|
//! | certificate DER | 64 KiB |
//! | certificate PEM text (around the block included) | 256 KiB |
//! | `x5t#S256` text examined | 256 bytes |
//! | registered DN string | 4096 bytes |
//! | RDNs in a name (registered or in a certificate) | 64 |
//! | AVAs in one RDN | 16 |
//! | registered SAN value | 2048 bytes |
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

// --- foundation: certificate input, thumbprints, errors ---
pub mod cert;
mod der;
pub mod error;
mod thumbprint;

pub use cert::{CertificateError, ClientCertificate};
pub use error::{OAuthError, OAuthErrorCode};
pub use thumbprint::{Thumbprint, ThumbprintError};

// --- cnf, challenges, metadata (issue 2) ---
pub mod challenge;
pub mod cnf;
pub mod metadata;

pub use challenge::{BearerChallenge, BearerErrorCode};
pub use cnf::{
    Binding, BindingError, BindingPolicy, Confirmation, check_binding, check_binding_in_claims,
};
pub use metadata::{
    AuthorizationServerMetadata, ClientMetadata, ClientMetadataError, ProtectedResourceMetadata,
};

// --- end cnf, challenges, metadata ---

// --- tls_client_auth: DN and SAN matching (issue 3) ---
pub mod dn;
pub mod san;

pub use dn::{DistinguishedName, NameRef};

// --- end tls_client_auth ---

// --- client authentication (issues 3 and 4) ---
pub mod client_auth;

// --- end client authentication ---

// --- self_signed_tls_client_auth: JWK sets (issue 4) ---
pub mod jwk;

pub use jwk::{JwkRegistrationError, JwkSet, JwkSetError};

// --- end self_signed_tls_client_auth ---

// --- proxy-forwarded certificates (issue 5) ---
pub mod proxy;

pub use proxy::{ForwardedCertificate, ForwardedCertificateError, TrustedProxy};

// --- end proxy-forwarded certificates ---

// --- optional integrations (issue 6) ---
#[cfg(feature = "rustls")]
pub mod rustls;

// --- end optional integrations ---

/// The README's examples, compiled as doc tests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// Test fixtures for the documentation examples. Not part of the public API.
#[doc(hidden)]
pub mod __doc_support {
    use alloc::vec::Vec;

    /// The RFC 8705 Appendix A certificate, PEM.
    pub fn rfc8705_appendix_a_pem() -> &'static str {
        include_str!("../tests/data/rfc8705-appendix-a.pem")
    }

    /// The RFC 8705 Appendix A certificate, DER.
    pub fn rfc8705_appendix_a_der() -> Vec<u8> {
        crate::cert::pem_to_der(rfc8705_appendix_a_pem().as_bytes()).unwrap_or_default()
    }
}
