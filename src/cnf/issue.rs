//! The authorization server's side: whether to bind an issued token, and checking a bound
//! refresh token (RFC 8705 sections 3.4, 4 and 7.1).

use crate::error::{OAuthError, OAuthErrorCode};
use crate::metadata::ClientMetadata;
use crate::thumbprint::Thumbprint;

/// When the authorization server binds the tokens it issues.
///
/// ```
/// use rfc8705::cnf::BindWhen;
/// assert_eq!(BindWhen::default(), BindWhen::Requested);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum BindWhen {
    /// Only for clients registered with `tls_client_certificate_bound_access_tokens: true`.
    /// A certificate that nobody asked to bind to is ignored: a proxy that always forwards a
    /// certificate must not make every token bound to it.
    #[default]
    Requested,
    /// Whenever a certificate was presented (every client of this server uses mutual TLS and
    /// every resource server checks the binding).
    Always,
}

/// What to do when a client that asked for bound tokens calls without a certificate.
///
/// RFC 8705 section 3.4: "Note that if a client that has indicated the intention to use
/// mutual-TLS client certificate-bound tokens makes a request to the token endpoint over a
/// non-mutual-TLS connection, it is at the authorization server's discretion as to whether to
/// return an error or issue an unbound token."
///
/// ```
/// use rfc8705::cnf::MissingCertificate;
/// assert_eq!(MissingCertificate::default(), MissingCertificate::Refuse);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum MissingCertificate {
    /// Return an error ([`IssuanceError::CertificateRequired`]). The safe default: the client
    /// expects a bound token, and an unbound one is a bearer token it did not ask for.
    #[default]
    Refuse,
    /// Issue an unbound token.
    IssueUnbound,
}

/// The authorization server's binding policy.
///
/// ```
/// use rfc8705::cnf::{BindWhen, IssuancePolicy, MissingCertificate};
/// let p = IssuancePolicy::default();
/// assert_eq!((p.bind_when, p.missing_certificate), (BindWhen::Requested, MissingCertificate::Refuse));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct IssuancePolicy {
    /// When to bind.
    pub bind_when: BindWhen,
    /// What to do when binding was requested and no certificate was presented.
    pub missing_certificate: MissingCertificate,
}

/// What a client's registration asks of the tokens issued to it: RFC 8705 section 3.4,
/// `tls_client_certificate_bound_access_tokens`: "Boolean value used to indicate the client's
/// intention to use mutual-TLS client certificate-bound access tokens. If omitted, the default
/// value is false."
///
/// ```
/// use rfc8705::cnf::RequestedBinding;
/// use rfc8705::metadata::ClientMetadata;
/// let client: ClientMetadata =
///     serde_json::from_str(r#"{"tls_client_certificate_bound_access_tokens": true}"#).unwrap();
/// assert_eq!(RequestedBinding::from(&client), RequestedBinding::Certificate);
/// assert_eq!(RequestedBinding::from(&ClientMetadata::default()), RequestedBinding::None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RequestedBinding {
    /// Bearer tokens: the member is absent or false.
    None,
    /// Certificate-bound tokens.
    Certificate,
}

impl From<&ClientMetadata> for RequestedBinding {
    fn from(client: &ClientMetadata) -> Self {
        if client.wants_bound_tokens() {
            Self::Certificate
        } else {
            Self::None
        }
    }
}

/// The decision for one token request.
///
/// ```
/// use rfc8705::cnf::{IssuanceDecision, IssuancePolicy, RequestedBinding, decide_binding};
/// let d = decide_binding(RequestedBinding::None, IssuancePolicy::default(), None);
/// assert_eq!(d, Ok(IssuanceDecision::Unbound));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IssuanceDecision {
    /// Bind the token to this thumbprint: put
    /// [`Confirmation::from_thumbprint`](super::Confirmation::from_thumbprint) in it.
    Bind(Thumbprint),
    /// Issue an unbound (bearer) token.
    Unbound,
}

impl IssuanceDecision {
    /// The thumbprint to bind to, if any.
    ///
    /// ```
    /// # use rfc8705::cnf::IssuanceDecision;
    /// assert_eq!(IssuanceDecision::Unbound.thumbprint(), None);
    /// ```
    pub const fn thumbprint(&self) -> Option<&Thumbprint> {
        match self {
            Self::Bind(t) => Some(t),
            Self::Unbound => None,
        }
    }
}

/// Why the authorization server refuses to issue a token.
///
/// ```
/// use rfc8705::cnf::IssuanceError;
/// use rfc8705::{OAuthError, OAuthErrorCode};
/// assert_eq!(IssuanceError::CertificateRequired.oauth_error_code(), OAuthErrorCode::InvalidRequest);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IssuanceError {
    /// The client registered for certificate-bound tokens but presented no certificate, and the
    /// policy is [`MissingCertificate::Refuse`].
    #[error(
        "the client registered for certificate-bound access tokens but presented no client certificate; retry over mutual TLS (the mtls_endpoint_aliases token endpoint, if any)"
    )]
    CertificateRequired,
}

impl OAuthError for IssuanceError {
    /// `invalid_request` (RFC 6749 section 5.2): the request lacks what this client's
    /// registration requires. The client itself may well be authenticated.
    fn oauth_error_code(&self) -> OAuthErrorCode {
        OAuthErrorCode::InvalidRequest
    }
}

/// Decides whether the token about to be issued is bound, from the client's registration, the
/// policy and the thumbprint of the certificate presented at the token endpoint (if any).
///
/// RFC 8705 section 3.4 (`tls_client_certificate_bound_access_tokens`): "Boolean value used to
/// indicate the client's intention to use mutual-TLS client certificate-bound access tokens. If
/// omitted, the default value is false." Section 4 (public clients): the authorization server
/// "would bind the issued access token to the certificate for which the client has proven
/// possession of the corresponding private key." The caller vouches for that proof: the
/// certificate comes from a TLS handshake (or a trusted proxy), never from the request body.
///
/// | registered for binding | certificate | policy | decision |
/// |---|---|---|---|
/// | yes | yes | any | `Bind` |
/// | yes | no | `Refuse` | `Err(CertificateRequired)` |
/// | yes | no | `IssueUnbound` | `Unbound` |
/// | no | yes | `Requested` | `Unbound` |
/// | no | yes | `Always` | `Bind` |
/// | no | no | any | `Unbound` |
///
/// ```
/// use rfc8705::cnf::{IssuanceDecision, IssuanceError, IssuancePolicy, RequestedBinding, decide_binding};
/// use rfc8705::metadata::ClientMetadata;
/// use rfc8705::ClientCertificate;
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
///
/// let client: ClientMetadata =
///     serde_json::from_str(r#"{"tls_client_certificate_bound_access_tokens": true}"#).unwrap();
/// let cert = ClientCertificate::from_der(&der)?;
/// let policy = IssuancePolicy::default();
/// let requested = RequestedBinding::from(&client);
///
/// assert_eq!(
///     decide_binding(requested, policy, Some(&cert.thumbprint())),
///     Ok(IssuanceDecision::Bind(cert.thumbprint()))
/// );
/// assert_eq!(decide_binding(requested, policy, None), Err(IssuanceError::CertificateRequired));
/// # Ok::<(), rfc8705::CertificateError>(())
/// ```
pub fn decide_binding(
    requested: RequestedBinding,
    policy: IssuancePolicy,
    presented: Option<&Thumbprint>,
) -> Result<IssuanceDecision, IssuanceError> {
    match (requested, presented) {
        // The client asked for binding and proved possession of a certificate's key.
        (RequestedBinding::Certificate, Some(t)) => Ok(IssuanceDecision::Bind(*t)),
        // RFC 8705 section 3.4: the server's discretion, made explicit by the policy.
        (RequestedBinding::Certificate, None) => match policy.missing_certificate {
            MissingCertificate::Refuse => Err(IssuanceError::CertificateRequired),
            MissingCertificate::IssueUnbound => Ok(IssuanceDecision::Unbound),
        },
        // Nobody asked: binding anyway would tie the client to a certificate it may not use at
        // the resource (or that a proxy attached), unless this server binds everything.
        (RequestedBinding::None, Some(t)) => match policy.bind_when {
            BindWhen::Always => Ok(IssuanceDecision::Bind(*t)),
            BindWhen::Requested => Ok(IssuanceDecision::Unbound),
        },
        (RequestedBinding::None, None) => Ok(IssuanceDecision::Unbound),
    }
}

/// Why a bound refresh token is not honoured.
///
/// ```
/// use rfc8705::cnf::RefreshTokenError;
/// use rfc8705::{OAuthError, OAuthErrorCode};
/// assert_eq!(RefreshTokenError::Mismatch.oauth_error_code(), OAuthErrorCode::InvalidGrant);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RefreshTokenError {
    /// The refresh token is bound to a certificate and none was presented.
    #[error("the refresh token is certificate-bound and no client certificate was presented")]
    NoCertificate,
    /// The refresh token is bound to a different certificate than the one presented.
    #[error("the refresh token is bound to a different certificate than the one presented")]
    Mismatch,
}

impl OAuthError for RefreshTokenError {
    /// `invalid_grant` (RFC 6749 section 5.2): "The provided authorization grant [...] or
    /// refresh token is invalid, expired, revoked, does not match the redirection URI used in
    /// the authorization request, or was issued to another client."
    fn oauth_error_code(&self) -> OAuthErrorCode {
        OAuthErrorCode::InvalidGrant
    }
}

/// Whether a refresh token may be used over this connection: a bound refresh token is honoured
/// only over the certificate it is bound to (constant-time comparison).
///
/// RFC 8705 section 4: "When the authorization server issues a refresh token to such a client,
/// it SHOULD also bind the refresh token to the respective certificate and check the binding
/// when the refresh token is presented to get new access tokens." Section 7.1: refresh tokens
/// of confidential clients are "indirectly certificate-bound by way of the client ID and the
/// associated requirement for (certificate-based) authentication to the AS"; an explicitly bound
/// refresh token is checked here either way.
///
/// ```
/// use rfc8705::cnf::{RefreshTokenError, check_refresh_token_binding};
/// use rfc8705::Thumbprint;
/// let bound = Thumbprint::from_bytes([1; 32]);
/// assert_eq!(check_refresh_token_binding(None, None), Ok(()));
/// assert_eq!(check_refresh_token_binding(Some(&bound), Some(&bound)), Ok(()));
/// assert_eq!(
///     check_refresh_token_binding(Some(&bound), Some(&Thumbprint::from_bytes([2; 32]))),
///     Err(RefreshTokenError::Mismatch)
/// );
/// assert_eq!(check_refresh_token_binding(Some(&bound), None), Err(RefreshTokenError::NoCertificate));
/// ```
pub fn check_refresh_token_binding(
    bound_to: Option<&Thumbprint>,
    presented: Option<&Thumbprint>,
) -> Result<(), RefreshTokenError> {
    match (bound_to, presented) {
        // Not bound: nothing to check here (client authentication still applies).
        (None, _) => Ok(()),
        (Some(_), None) => Err(RefreshTokenError::NoCertificate),
        (Some(b), Some(p)) if b.ct_eq(p) => Ok(()),
        (Some(_), Some(_)) => Err(RefreshTokenError::Mismatch),
    }
}
