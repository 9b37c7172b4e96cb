//! # rfc8705
//!
//! The primitives of RFC 8705, *OAuth 2.0 Mutual-TLS Client Authentication and
//! Certificate-Bound Access Tokens*, as a small, exact core that does no I/O.
//!
//! An authorization server uses this crate to authenticate a client by the certificate it
//! presented over mutual TLS and to bind the tokens it issues to that certificate
//! (`"cnf": {"x5t#S256": …}`); a resource server uses it to check that a presented token is
//! bound to the certificate on the connection (and to the DPoP proof's key when its `cnf` holds
//! `jkt`, RFC 9449), and to answer `401 invalid_token` when it is not.
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
//! # OAuth errors
//!
//! A parse error does not know where it happened: an unusable forwarded certificate means
//! `invalid_token` at a resource and `invalid_client` at the token endpoint. So the crate's
//! parse and match errors stay what they are, and the two endpoints that answer a client have
//! one error type each that maps every failure to its OAuth error:
//!
//! | type | endpoint | OAuth errors |
//! |---|---|---|
//! | [`TokenEndpointError`] | the token endpoint (RFC 6749 section 5.2) | `invalid_client`, `invalid_request`, `invalid_grant` |
//! | [`ResourceError`] | a protected resource (RFC 6750 section 3.1, RFC 9449 section 7.1) | `invalid_token`, with its [`Challenge`] (`Bearer` or `DPoP`) |
//!
//! Both convert from the errors of the steps that lead to them, so `?` builds them. Their
//! `Display` text explains the failure for the server's log; nothing a client sees repeats it
//! (the OAuth error code and the challenge are fixed text).
//!
//! The registration endpoint (RFC 7591 section 3.2.2) answers `invalid_client_metadata` for
//! every [`metadata::MetadataError`] and [`RegistrationError`] of the submitted document.
//! Anywhere else a parse or match error is for the server's log: [`CertificateError`],
//! [`ThumbprintError`], [`dn::DnParseError`], [`san::SanValueError`] and the rest carry no
//! OAuth error code, because the right one depends on the endpoint.
//!
//! # Limits
//!
//! Every input has a size limit, checked before any other work; larger input is refused with
//! a typed error that names the limit.
//!
//! | input | limit |
//! |---|---|
//! | a certificate's DER | 64 KiB |
//! | a PEM document holding a certificate | 256 KiB |
//! | an `x5t#S256` string | 256 bytes |
//! | a claims document (`cnf::check_binding`) | 64 KiB of JSON |
//! | a metadata document (client, AS, protected resource) | 256 KiB of JSON |
//! | a JWK Set | 256 KiB of JSON, 100 keys, 10 certificates per `x5c`, `kid` of 256 bytes |
//! | a DN string | 4096 bytes, 64 RDNs, 16 attributes per RDN |
//! | a presented chain to validate (`tls_client_auth`) | 16 intermediates (path building: `rustls-webpki`'s limits) |
//! | a client's registered trust anchors and issuer pins | 10 of each |
//! | a registered SAN value | 2048 bytes |
//! | a forwarded-certificate header value | 128 KiB, 16 chain certificates; XFCC: 32 elements of 64 pairs |
//! | a value put into a `WWW-Authenticate` challenge | 1024 characters (longer values are cut and marked with `...`) |
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

// Layers, each using only those above it: certificates and thumbprints; names, SANs and JWKs;
// registration documents; client authentication, binding and challenges; forwarded
// certificates and integrations.
mod cert;
mod der;
mod error;
mod thumbprint;

pub mod dn;
pub mod jwk;
pub mod san;

pub mod metadata;

mod challenge;
pub mod client_auth;
pub mod cnf;

pub mod proxy;

mod endpoint;

pub use cert::{CertificateError, CertificateField, ClientCertificate};
pub use error::OAuthErrorCode;
pub use thumbprint::{Thumbprint, ThumbprintError};

pub use dn::{DistinguishedName, NameRef};
pub use jwk::{JwkRegistrationError, JwkSet, JwkSetError};

pub use metadata::{AuthorizationServerMetadata, ClientMetadata, ProtectedResourceMetadata};

// The resource server's path.
pub use challenge::Challenge;
pub use cnf::{Binding, BindingPolicy, Claims, Confirmation, check_binding};
// The authorization server's path.
pub use client_auth::{
    Authenticated, ClientAuthError, MtlsClientAuth, RegistrationError, RenewedCertificatePolicy,
};
pub use cnf::{IssuanceDecision, IssuancePolicy, RequestedBinding, decide_binding};

pub use cnf::ResourceError;
pub use endpoint::TokenEndpointError;
pub use proxy::{ForwardedCertificate, ForwardedCertificateError, TrustedProxy};

#[cfg(feature = "rustls")]
#[cfg_attr(docsrs, doc(cfg(feature = "rustls")))]
pub mod rustls;

#[cfg(feature = "http")]
mod challenge_http;

#[cfg(feature = "tower")]
#[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
pub mod tower;

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
