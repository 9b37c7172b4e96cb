//! The OAuth 2.0 error codes the endpoints answer with (which failure gets which code is in the
//! crate docs, "OAuth errors").

use core::fmt;

/// An OAuth 2.0 error code, as registered in the IANA "OAuth Extensions Error Registry" or
/// defined by the RFC that introduced it.
///
/// ```
/// use rfc8705::OAuthErrorCode;
///
/// assert_eq!(OAuthErrorCode::InvalidToken.to_string(), "invalid_token");
/// assert_eq!(OAuthErrorCode::InvalidToken.http_status(), 401);
/// assert_eq!(OAuthErrorCode::InvalidClient.to_string(), "invalid_client");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OAuthErrorCode {
    /// `invalid_request` (RFC 6749 section 5.2; RFC 6750 section 3.1).
    InvalidRequest,
    /// `invalid_client` (RFC 6749 section 5.2): client authentication failed. RFC 8705
    /// section 2: "If no certificate is presented, or that which is presented doesn't match
    /// that which is expected for the given `client_id`, the authorization server returns a
    /// normal OAuth 2.0 error response per Section 5.2 of \[RFC6749\] with the `invalid_client`
    /// error code".
    InvalidClient,
    /// `invalid_grant` (RFC 6749 section 5.2): for example a certificate-bound refresh token
    /// presented over a different certificate.
    InvalidGrant,
    /// `invalid_token` (RFC 6750 section 3.1). RFC 8705 section 3: "If they do not match, the
    /// resource access attempt MUST be rejected with an error, per \[RFC6750\], using an HTTP 401
    /// status code and the `invalid_token` error code."
    InvalidToken,
    /// `invalid_client_metadata` (RFC 7591 section 3.2.2): a registration value is invalid.
    InvalidClientMetadata,
    /// `insufficient_scope` (RFC 6750 section 3.1): "The request requires higher privileges
    /// than provided by the access token. The resource server SHOULD respond with the HTTP 403
    /// (Forbidden) status code".
    InsufficientScope,
}

impl OAuthErrorCode {
    /// The error code as it appears on the wire (what `Display` prints).
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::InvalidToken => "invalid_token",
            Self::InvalidClientMetadata => "invalid_client_metadata",
            Self::InsufficientScope => "insufficient_scope",
        }
    }

    /// The HTTP status code that normally carries this error.
    ///
    /// `invalid_client` is 401 (RFC 6749 section 5.2 permits 400 when the client did not use
    /// the `Authorization` header; mutual TLS never does, but 401 is what clients expect);
    /// `invalid_token` is 401 and `insufficient_scope` 403 (RFC 6750 section 3.1); the others
    /// are 400.
    pub const fn http_status(self) -> u16 {
        match self {
            Self::InvalidClient | Self::InvalidToken => 401,
            Self::InsufficientScope => 403,
            Self::InvalidRequest | Self::InvalidGrant | Self::InvalidClientMetadata => 400,
        }
    }
}

impl fmt::Display for OAuthErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
