//! Reading a client registration for mutual TLS: the rules of RFC 8705 sections 2.1.2 and
//! 2.2.2, applied once, by [`MtlsClientAuth::from_metadata`](super::MtlsClientAuth::from_metadata).

use alloc::vec::Vec;

use crate::error::{OAuthError, OAuthErrorCode};
use crate::jwk::{JwkRegistrationError, JwkSet};
use crate::metadata::{ClientMetadata, MetadataError};

use super::tls::{ExpectedSubject, TlsClientAuthMetadataError};

/// Why a client registration cannot be used for mutual-TLS client authentication
/// (`invalid_client_metadata`, RFC 7591 section 3.2.2).
///
/// ```
/// use rfc8705::client_auth::{MtlsClientAuth, RegistrationError};
/// use rfc8705::metadata::ClientMetadata;
/// use rfc8705::{OAuthError, OAuthErrorCode};
/// let m = ClientMetadata::from_json(br#"{"token_endpoint_auth_method":"self_signed_tls_client_auth"}"#)?;
/// let err = MtlsClientAuth::from_metadata(&m).unwrap_err();
/// assert_eq!(err, RegistrationError::SelfSignedWithoutKeys);
/// assert_eq!(err.oauth_error_code(), OAuthErrorCode::InvalidClientMetadata);
/// # Ok::<(), rfc8705::metadata::MetadataError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegistrationError {
    /// The document breaks an RFC 7591 rule ([`MetadataError::JwksAndJwksUri`],
    /// [`MetadataError::JwksNotAKeySet`]).
    #[error(transparent)]
    Document(#[from] MetadataError),
    /// A `tls_client_auth_*` member on a client whose method is not `tls_client_auth`.
    #[error(
        "{member} is registered but token_endpoint_auth_method is not tls_client_auth: the subject would be silently ignored, so the registration is probably a mistake (or a confused client believing it authenticates by certificate)"
    )]
    SubjectWithoutTlsClientAuth {
        /// The member found, e.g. `tls_client_auth_subject_dn`.
        member: &'static str,
    },
    /// The `tls_client_auth` subject is missing, ambiguous or malformed (RFC 8705 section
    /// 2.1.2: exactly one subject member, each value well-formed).
    #[error(transparent)]
    Subject(#[from] TlsClientAuthMetadataError),
    /// `self_signed_tls_client_auth` without `jwks` or `jwks_uri`: no certificate could ever
    /// authenticate the client.
    #[error(
        "self_signed_tls_client_auth needs the client's certificates in jwks or jwks_uri (RFC 8705 section 2.2.2)"
    )]
    SelfSignedWithoutKeys,
    /// The `self_signed_tls_client_auth` JWK Set has an inconsistent key (RFC 7517 section
    /// 4.7) or registers no usable certificate.
    #[error(transparent)]
    Keys(#[from] JwkRegistrationError),
}

impl OAuthError for RegistrationError {
    fn oauth_error_code(&self) -> OAuthErrorCode {
        OAuthErrorCode::InvalidClientMetadata
    }
}

/// The `tls_client_auth_*` members that name the expected subject (RFC 8705 section 2.1.2),
/// with their values when present, in the order of [`ExpectedSubject::member`].
fn subject_members(m: &ClientMetadata) -> impl Iterator<Item = (&'static str, &str)> + '_ {
    [
        ("tls_client_auth_subject_dn", &m.tls_client_auth_subject_dn),
        ("tls_client_auth_san_dns", &m.tls_client_auth_san_dns),
        ("tls_client_auth_san_uri", &m.tls_client_auth_san_uri),
        ("tls_client_auth_san_ip", &m.tls_client_auth_san_ip),
        ("tls_client_auth_san_email", &m.tls_client_auth_san_email),
    ]
    .into_iter()
    .filter_map(|(name, v)| Some((name, v.as_deref()?)))
}

/// RFC 8705 section 2.1.2 defines the `tls_client_auth_*` members for the PKI method only.
/// With another method the subject is never checked; a client that registers one most likely
/// believes it authenticates by certificate when it does not.
pub(super) fn no_stray_subject(m: &ClientMetadata) -> Result<(), RegistrationError> {
    match subject_members(m).next() {
        Some((member, _)) => Err(RegistrationError::SubjectWithoutTlsClientAuth { member }),
        None => Ok(()),
    }
}

/// RFC 8705 section 2.1.2: "A client using the tls_client_auth authentication method MUST use
/// exactly one of the below metadata parameters".
pub(super) fn expected_subject(m: &ClientMetadata) -> Result<ExpectedSubject, RegistrationError> {
    let set: Vec<(&'static str, &str)> = subject_members(m).collect();
    match set.as_slice() {
        [] => Err(TlsClientAuthMetadataError::NoSubject.into()),
        [(member, value)] => Ok(ExpectedSubject::from_member(member, value)?),
        several => Err(TlsClientAuthMetadataError::SeveralSubjects {
            members: several.iter().map(|(m, _)| *m).collect(),
        }
        .into()),
    }
}

/// Where a `self_signed_tls_client_auth` client's certificates are.
pub(super) enum Jwks<'a> {
    /// The `jwks` member, parsed and valid as a registration.
    Inline(JwkSet),
    /// The `jwks_uri` member.
    Uri(&'a str),
}

/// RFC 8705 section 2.2.2: the certificates are conveyed by `jwks` or `jwks_uri`. A `jwks`
/// value must be usable as a registration: every key with `x5c` consistent, no private or
/// symmetric keys, at least one certificate. The document rule that not both are present has
/// been checked by [`ClientMetadata::validate`].
pub(super) fn registered_keys(m: &ClientMetadata) -> Result<Jwks<'_>, RegistrationError> {
    match (&m.jwks, &m.jwks_uri) {
        (Some(jwks), _) => {
            let set = JwkSet::from_value(jwks).map_err(JwkRegistrationError::Set)?;
            set.validate_registration()?;
            Ok(Jwks::Inline(set))
        }
        (None, Some(uri)) => Ok(Jwks::Uri(uri)),
        (None, None) => Err(RegistrationError::SelfSignedWithoutKeys),
    }
}
