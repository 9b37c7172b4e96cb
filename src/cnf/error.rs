//! The resource server's one error type: every reason a request with a token is refused, with
//! the challenge that answers it.

use crate::cert::CertificateError;
use crate::challenge::Challenge;
use crate::error::OAuthErrorCode;
use crate::proxy::ForwardedCertificateError;

use super::read::{ClaimsError, MemberError};

/// Why a protected resource refuses a request: the one error of the resource server's path,
/// from reading the certificate to [`check_binding`](super::check_binding). Every reason is
/// `invalid_token` with HTTP status 401 (RFC 8705 section 3: "If they do not match, the
/// resource access attempt MUST be rejected with an error, per \[RFC6750\], using an HTTP 401
/// status code and the `invalid_token` error code"; RFC 9449 section 7.1, Figure 16, for DPoP).
///
/// [`ResourceError::challenge`] answers each with the scheme of the proof that failed: `DPoP`
/// (RFC 9449 section 7.1) for the `jkt` variants, `Bearer` (RFC 6750 section 3) for the rest.
/// The `Display` text explains the failure for the server's log; the challenge is fixed text
/// and never holds a thumbprint or any input byte.
///
/// ```
/// use rfc8705::ResourceError;
///
/// let err = ResourceError::CertificateMismatch;
/// assert_eq!(err.challenge().status(), 401);
/// assert_eq!(
///     err.challenge().realm("api").to_string(),
///     r#"Bearer realm="api", error="invalid_token", error_description="The access token is bound to a different certificate""#
/// );
/// assert_eq!(
///     ResourceError::DpopKeyMismatch.challenge().algs("ES256").to_string(),
///     r#"DPoP error="invalid_token", error_description="Invalid DPoP key binding", algs="ES256""#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResourceError {
    /// The certificate on the connection could not be read.
    #[error("the client certificate cannot be read: {0}")]
    Certificate(#[from] CertificateError),
    /// The certificate forwarded by the trusted proxy could not be read.
    #[error("the forwarded client certificate cannot be read: {0}")]
    Forwarded(#[from] ForwardedCertificateError),
    /// The claims could not be read.
    #[error("the token claims cannot be read: {0}")]
    MalformedClaims(#[from] ClaimsError),
    /// The policy requires a sender-constrained token and the token has no `cnf`.
    #[error("the token has no cnf claim and the binding policy requires sender-constrained tokens")]
    NoConfirmation,
    /// The token's `cnf` holds no confirmation method this crate knows (`x5t#S256`, `jkt`): it
    /// is bound to something this check cannot verify, so it is refused unless the policy is
    /// [`BindingPolicy::Off`](super::BindingPolicy::Off).
    #[error(
        "the token's cnf has neither x5t#S256 nor jkt: it is bound by a confirmation method this check cannot verify"
    )]
    UnsupportedConfirmation,
    /// The token's `cnf.x5t#S256` is malformed.
    #[error("the token's cnf x5t#S256 is malformed: {0}")]
    MalformedThumbprint(MemberError),
    /// The token is certificate-bound and the request came without a client certificate.
    #[error(
        "the token is certificate-bound but no client certificate was presented on the connection"
    )]
    NoCertificate,
    /// The token is bound to a different certificate than the one presented.
    #[error("the token is bound to a different certificate than the one presented")]
    CertificateMismatch,
    /// The token's `cnf.jkt` is malformed.
    #[error("the token's cnf jkt is malformed: {0}")]
    MalformedJkt(MemberError),
    /// The token is DPoP-bound and the request came without a checked DPoP proof (RFC 9449
    /// section 7.1: "a resource server MUST check that a DPoP proof was also received").
    #[error("the token is DPoP-bound (cnf jkt) but no DPoP proof key was presented")]
    NoDpopProof,
    /// The token is bound to a different key than the DPoP proof's.
    #[error("the token is bound to a different key than the DPoP proof's")]
    DpopKeyMismatch,
    /// The claims are an introspection response whose `active` is present and not `true`
    /// (RFC 7662 section 2.2): the token is not active, whatever its `cnf` says.
    #[error("the introspection response says the token is not active")]
    Inactive,
}

impl ResourceError {
    /// Whether the failed proof is the DPoP one: answered with the `DPoP` scheme.
    const fn is_dpop(&self) -> bool {
        matches!(
            self,
            Self::MalformedJkt(_) | Self::NoDpopProof | Self::DpopKeyMismatch
        )
    }

    /// Fixed text within the RFC 6750 `error_description` character set.
    pub(crate) const fn description(&self) -> &'static str {
        match self {
            Self::Certificate(_) | Self::Forwarded(_) => "No usable client certificate",
            Self::MalformedClaims(_) => "The access token claims are malformed",
            Self::NoConfirmation => "The access token is not sender-constrained",
            Self::UnsupportedConfirmation => {
                "The access token is bound by a confirmation method this resource cannot verify"
            }
            Self::MalformedThumbprint(_) => "The access token has a malformed x5t#S256",
            Self::NoCertificate => {
                "The access token is certificate-bound but no certificate was presented"
            }
            Self::CertificateMismatch => "The access token is bound to a different certificate",
            Self::MalformedJkt(_) => "The access token has a malformed jkt",
            Self::NoDpopProof => "The access token is DPoP-bound but no DPoP proof was presented",
            // RFC 9449 section 7.1, Figure 16.
            Self::DpopKeyMismatch => "Invalid DPoP key binding",
            Self::Inactive => "The access token is not active",
        }
    }

    /// The `WWW-Authenticate` challenge for this failure: `DPoP error="invalid_token", …`
    /// where a DPoP proof was expected (add the acceptable algorithms with
    /// [`Challenge::algs`]), `Bearer error="invalid_token", …` otherwise. Add `realm`, `scope`
    /// or `resource_metadata` with the builder methods.
    ///
    /// ```
    /// use rfc8705::ResourceError;
    /// let c = ResourceError::NoDpopProof.challenge().realm("api").algs("ES256 EdDSA");
    /// assert_eq!(
    ///     c.to_string(),
    ///     r#"DPoP realm="api", error="invalid_token", error_description="The access token is DPoP-bound but no DPoP proof was presented", algs="ES256 EdDSA""#
    /// );
    /// ```
    pub fn challenge(&self) -> Challenge<'static> {
        let scheme = if self.is_dpop() {
            Challenge::dpop()
        } else {
            Challenge::bearer()
        };
        scheme
            .error(OAuthErrorCode::InvalidToken)
            .error_description(self.description())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn descriptions_are_in_the_rfc6750_charset_and_schemes_follow_the_proof() {
        let all = [
            ResourceError::Certificate(CertificateError::Empty),
            ResourceError::MalformedClaims(ClaimsError::CnfNotAnObject),
            ResourceError::NoConfirmation,
            ResourceError::UnsupportedConfirmation,
            ResourceError::MalformedThumbprint(MemberError::NotAString),
            ResourceError::NoCertificate,
            ResourceError::CertificateMismatch,
            ResourceError::MalformedJkt(MemberError::NotAString),
            ResourceError::NoDpopProof,
            ResourceError::DpopKeyMismatch,
            ResourceError::Inactive,
        ];
        for e in all {
            let d = e.description();
            assert!(
                d.bytes()
                    .all(|b| matches!(b, 0x20..=0x21 | 0x23..=0x5b | 0x5d..=0x7e)),
                "{d}"
            );
            assert!(!e.to_string().is_empty());
            let c = e.challenge();
            assert_eq!(c.status(), 401);
            let scheme = if e.is_dpop() { "DPoP " } else { "Bearer " };
            assert!(
                c.to_string()
                    .starts_with(&alloc::format!("{scheme}error=\"invalid_token\"")),
                "{c}"
            );
        }
    }
}
