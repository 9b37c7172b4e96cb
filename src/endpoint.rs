//! The OAuth answer at each endpoint (documented on the crate root, "OAuth errors").

use crate::cert::CertificateError;
use crate::client_auth::ClientAuthError;
use crate::cnf::{IssuanceError, RefreshTokenError};
use crate::error::OAuthErrorCode;
use crate::proxy::ForwardedCertificateError;

/// Why the token endpoint refuses a request.
///
/// RFC 8705 section 2: "If no certificate is presented, or that which is presented doesn't
/// match that which is expected for the given `client_id`, the authorization server returns a
/// normal OAuth 2.0 error response per Section 5.2 of \[RFC6749\] with the `invalid_client`
/// error code".
///
/// ```
/// use rfc8705::TokenEndpointError;
/// use rfc8705::client_auth::ClientAuthError;
/// use rfc8705::cnf::IssuanceError;
/// use rfc8705::OAuthErrorCode;
///
/// let err = TokenEndpointError::from(ClientAuthError::NoCertificate);
/// assert_eq!(err.oauth_error_code(), OAuthErrorCode::InvalidClient);
/// assert_eq!(err.oauth_error_code().http_status(), 401);
/// let err = TokenEndpointError::from(IssuanceError::CertificateRequired);
/// assert_eq!(err.oauth_error_code(), OAuthErrorCode::InvalidRequest);
/// assert_eq!(err.oauth_error_code().http_status(), 400);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenEndpointError {
    /// The certificate on the connection could not be read: `invalid_client`.
    #[error("the client certificate cannot be read: {0}")]
    Certificate(#[from] CertificateError),
    /// The certificate forwarded by the trusted proxy could not be read: `invalid_client`
    /// (the request carries no usable certificate; the proxy's operator should look).
    #[error("the forwarded client certificate cannot be read: {0}")]
    Forwarded(#[from] ForwardedCertificateError),
    /// Mutual-TLS client authentication failed: `invalid_client`.
    #[error(transparent)]
    ClientAuth(#[from] ClientAuthError),
    /// The binding decision refused to issue a token: `invalid_request`.
    #[error(transparent)]
    Issuance(#[from] IssuanceError),
    /// A certificate-bound refresh token was presented over another certificate:
    /// `invalid_grant`.
    #[error(transparent)]
    RefreshToken(#[from] RefreshTokenError),
}

impl TokenEndpointError {
    /// The `error` value of the RFC 6749 section 5.2 response; its
    /// [`http_status`](OAuthErrorCode::http_status) is the response's status (401 for
    /// `invalid_client`, 400 otherwise).
    pub fn oauth_error_code(&self) -> OAuthErrorCode {
        match self {
            Self::Certificate(_) | Self::Forwarded(_) | Self::ClientAuth(_) => {
                OAuthErrorCode::InvalidClient
            }
            Self::Issuance(_) => OAuthErrorCode::InvalidRequest,
            Self::RefreshToken(_) => OAuthErrorCode::InvalidGrant,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_endpoint_codes() {
        let client = TokenEndpointError::from(CertificateError::Empty);
        assert_eq!(client.oauth_error_code(), OAuthErrorCode::InvalidClient);
        assert_eq!(client.oauth_error_code().http_status(), 401);
        let grant = TokenEndpointError::from(RefreshTokenError::Mismatch);
        assert_eq!(grant.oauth_error_code(), OAuthErrorCode::InvalidGrant);
        assert_eq!(grant.oauth_error_code().http_status(), 400);
    }
}
