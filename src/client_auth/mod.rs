//! Mutual-TLS client authentication at the authorization server (RFC 8705 section 2).
//!
//! RFC 8705 section 2: "The authorization server MUST enforce the binding between client and
//! certificate, as described in either Section 2.1 or 2.2 below." The two methods live in
//! [`tls`] (`tls_client_auth`, the PKI method: one registered subject DN or SAN) and
//! [`self_signed`] (`self_signed_tls_client_auth`: the certificate is `x5c[0]` of a registered
//! JWK). [`MtlsClientAuth`] reads either from a client's registration and authenticates a
//! presented certificate against it.
//!
//! The TLS layer does what this module does not: it proves possession of the certificate's
//! private key (CertificateVerify) and, for `tls_client_auth`, validates the chain to a
//! trust anchor the deployment chose (RFC 8705 section 7.4).

use alloc::string::{String, ToString};
use core::fmt;

use crate::error::{OAuthError, OAuthErrorCode};
use crate::jwk::JwkSet;
use crate::metadata::{ClientMetadata, TokenEndpointAuthMethod};
use crate::{ClientCertificate, Thumbprint};

mod registration;
pub mod self_signed;
pub mod tls;

pub use registration::RegistrationError;

use registration::Jwks;
use self_signed::{RenewedCertificatePolicy, SelfSignedMismatch};
use tls::{ExpectedSubject, TlsClientAuthError};

/// A client's registered mutual-TLS credential, read and validated once from its metadata.
///
/// ```
/// use rfc8705::ClientCertificate;
/// use rfc8705::client_auth::MtlsClientAuth;
/// use rfc8705::client_auth::self_signed::RenewedCertificatePolicy;
/// use rfc8705::metadata::ClientMetadata;
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
///
/// let client = ClientMetadata::from_json(br#"{
///     "client_id": "s6BhdRkqt3",
///     "token_endpoint_auth_method": "tls_client_auth",
///     "tls_client_auth_subject_dn": "cn=MTLS"
/// }"#)?;
/// let auth = MtlsClientAuth::from_metadata(&client)?.expect("a mutual-TLS client");
///
/// let cert = ClientCertificate::from_der(&der)?;
/// let ok = auth.authenticate(Some(&cert), RenewedCertificatePolicy::Reject)?;
/// assert_eq!(ok.thumbprint(), cert.thumbprint());
/// assert_eq!(ok.to_string(), "subject CN=mtls");
///
/// // RFC 8705 section 2: no certificate is `invalid_client`.
/// let err = auth.authenticate(None, RenewedCertificatePolicy::Reject).unwrap_err();
/// assert_eq!(rfc8705::OAuthError::oauth_error_code(&err).as_str(), "invalid_client");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum MtlsClientAuth {
    /// `tls_client_auth`: the registered subject.
    TlsClientAuth(ExpectedSubject),
    /// `self_signed_tls_client_auth` with `jwks`: the registered set.
    SelfSigned(JwkSet),
    /// `self_signed_tls_client_auth` with `jwks_uri`: the caller fetches the set (this crate
    /// does no I/O) and authenticates with [`self_signed::authenticate`]; see the refetch
    /// pattern in [`self_signed`].
    SelfSignedJwksUri(String),
}

impl MtlsClientAuth {
    /// Reads the credential of a mutual-TLS client from its registration: the one place a
    /// registration is checked for mutual TLS. Returns `Ok(None)` for a client that uses
    /// another `token_endpoint_auth_method`.
    ///
    /// Checked, in this order: the document rules of RFC 7591 (`jwks` and `jwks_uri` not both present, `jwks` a JWK Set: [`MetadataError`](crate::metadata::MetadataError)); no
    /// `tls_client_auth_*` member unless the method is `tls_client_auth`; for
    /// `tls_client_auth`, exactly one well-formed subject member (RFC 8705 section 2.1.2); for
    /// `self_signed_tls_client_auth`, `jwks` or `jwks_uri`, and a `jwks` whose keys with `x5c`
    /// are consistent and of which at least one has a certificate (RFC 8705 section 2.2.2, RFC
    /// 7517 section 4.7). A `jwks_uri` is not fetched.
    ///
    /// ```
    /// use rfc8705::client_auth::{MtlsClientAuth, RegistrationError};
    /// use rfc8705::client_auth::tls::TlsClientAuthMetadataError;
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
    ///     RegistrationError::Subject(TlsClientAuthMetadataError::SeveralSubjects {
    ///         members: vec!["tls_client_auth_san_dns", "tls_client_auth_san_email"]
    ///     })
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_metadata(metadata: &ClientMetadata) -> Result<Option<Self>, RegistrationError> {
        metadata.validate()?;
        Ok(match metadata.auth_method() {
            TokenEndpointAuthMethod::TlsClientAuth => Some(Self::TlsClientAuth(
                registration::expected_subject(metadata)?,
            )),
            TokenEndpointAuthMethod::SelfSignedTlsClientAuth => {
                registration::no_stray_subject(metadata)?;
                match registration::registered_keys(metadata)? {
                    Jwks::Inline(set) => Some(Self::SelfSigned(set)),
                    Jwks::Uri(uri) => Some(Self::SelfSignedJwksUri(uri.to_string())),
                }
            }
            _ => {
                registration::no_stray_subject(metadata)?;
                None
            }
        })
    }

    /// Authenticates the certificate presented on the connection (`None` when the client
    /// sent none). `renewed` applies to `self_signed_tls_client_auth` only.
    ///
    /// RFC 8705 section 2: "If no certificate is presented, or that which is presented
    /// doesn't match that which is expected for the given `client_id`, the authorization
    /// server returns a normal OAuth 2.0 error response per Section 5.2 of \[RFC6749\] with
    /// the `invalid_client` error code".
    ///
    /// ```
    /// use rfc8705::ClientCertificate;
    /// use rfc8705::client_auth::{ClientAuthError, MtlsClientAuth};
    /// use rfc8705::client_auth::self_signed::RenewedCertificatePolicy;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    ///
    /// let auth = MtlsClientAuth::SelfSignedJwksUri("https://client.example/jwks".into());
    /// let cert = ClientCertificate::from_der(&der)?;
    /// assert!(matches!(
    ///     auth.authenticate(Some(&cert), RenewedCertificatePolicy::Reject),
    ///     Err(ClientAuthError::KeysNotFetched { .. })
    /// ));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn authenticate(
        &self,
        presented: Option<&ClientCertificate<'_>>,
        renewed: RenewedCertificatePolicy,
    ) -> Result<Authenticated, ClientAuthError> {
        // Rejected: mutual TLS was not used, so there is nothing to authenticate.
        let cert = presented.ok_or(ClientAuthError::NoCertificate)?;
        let by = match self {
            Self::TlsClientAuth(expected) => expected.authenticate(cert)?.to_string(),
            Self::SelfSigned(set) => self_signed::authenticate(cert, set, renewed)?.to_string(),
            // Rejected: the registered keys live at a URL this crate does not fetch.
            Self::SelfSignedJwksUri(uri) => {
                return Err(ClientAuthError::KeysNotFetched {
                    jwks_uri: uri.clone(),
                });
            }
        };
        Ok(Authenticated {
            thumbprint: cert.thumbprint(),
            by,
        })
    }
}

/// A successful mutual-TLS client authentication: the certificate's thumbprint (to bind
/// tokens to) and, through `Display`, what matched (for the audit log).
///
/// ```
/// # use rfc8705::ClientCertificate;
/// # use rfc8705::client_auth::{tls::ExpectedSubject, MtlsClientAuth};
/// # use rfc8705::client_auth::self_signed::RenewedCertificatePolicy;
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
/// # let cert = ClientCertificate::from_der(&der)?;
/// let auth = MtlsClientAuth::TlsClientAuth(ExpectedSubject::from_member("tls_client_auth_subject_dn", "CN=mtls")?);
/// let ok = auth.authenticate(Some(&cert), RenewedCertificatePolicy::Reject)?;
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
    /// `tls_client_auth`: the certificate does not carry the registered subject.
    #[error(transparent)]
    TlsClientAuth(#[from] TlsClientAuthError),
    /// `self_signed_tls_client_auth`: the certificate is not a registered one.
    #[error(transparent)]
    SelfSigned(#[from] SelfSignedMismatch),
    /// `self_signed_tls_client_auth` by `jwks_uri`: fetch the set, then call
    /// [`self_signed::authenticate`].
    #[error(
        "the client's JWK Set is registered by reference ({jwks_uri}); fetch it and call self_signed::authenticate"
    )]
    KeysNotFetched {
        /// The registered `jwks_uri`.
        jwks_uri: String,
    },
}

impl OAuthError for ClientAuthError {
    fn oauth_error_code(&self) -> OAuthErrorCode {
        OAuthErrorCode::InvalidClient
    }
}
