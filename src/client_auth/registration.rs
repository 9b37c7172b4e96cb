//! Reading a client registration for mutual TLS: the rules of RFC 8705 sections 2.1.2 and
//! 2.2.2, applied once, by [`MtlsClientAuth::from_metadata`](super::MtlsClientAuth::from_metadata).

use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64, Encoding};
use serde_json::Value;

use crate::dn::DnParseError;
use crate::jwk::{JwkRegistrationError, JwkSet};
use crate::metadata::{ClientMetadata, MetadataError};
use crate::san::SanValueError;
use crate::{Thumbprint, ThumbprintError};

use super::chain::TrustAnchors;
use super::tls::ExpectedSubject;

/// The extension member holding a client's trust anchors (base64 DER certificates).
pub(super) const TRUST_ANCHORS: &str = "tls_client_auth_trust_anchors";
/// The extension member holding the SHA-256 of its issuing CAs' SubjectPublicKeyInfo.
pub(super) const ISSUER_PINS: &str = "tls_client_auth_issuer_spki_s256";
/// At most this many anchors, and this many pins, per registration.
const MAX_ISSUERS: usize = 10;

/// Why a client registration cannot be used for mutual-TLS client authentication
/// (`invalid_client_metadata`, RFC 7591 section 3.2.2).
///
/// ```
/// use rfc8705::client_auth::{MtlsClientAuth, RegistrationError};
/// use rfc8705::metadata::ClientMetadata;
/// let m = ClientMetadata::from_json(br#"{"token_endpoint_auth_method":"self_signed_tls_client_auth","tls_client_certificate_bound_access_tokens":true}"#)?;
/// let err = MtlsClientAuth::from_metadata(&m).unwrap_err();
/// assert_eq!(err, RegistrationError::SelfSignedWithoutKeys);
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
        "{member} is registered but token_endpoint_auth_method is not tls_client_auth: it would be silently ignored, so the registration is probably a mistake (or a confused client believing it authenticates by certificate)"
    )]
    SubjectWithoutTlsClientAuth {
        /// The member found, e.g. `tls_client_auth_subject_dn`.
        member: &'static str,
    },
    /// `tls_client_auth` without any of the five subject members (RFC 8705 section 2.1.2).
    #[error(
        "tls_client_auth requires exactly one of tls_client_auth_subject_dn, tls_client_auth_san_dns, tls_client_auth_san_uri, tls_client_auth_san_ip, tls_client_auth_san_email; none is set"
    )]
    NoSubject,
    /// `tls_client_auth` with more than one subject member (RFC 8705 section 2.1.2).
    #[error("tls_client_auth requires exactly one subject member; {} are set", members.join(", "))]
    SeveralSubjects {
        /// The members that are set.
        members: Vec<&'static str>,
    },
    /// `tls_client_auth_subject_dn` is not a usable RFC 4514 DN.
    #[error("tls_client_auth_subject_dn: {0}")]
    SubjectDn(DnParseError),
    /// A `tls_client_auth_san_*` value is invalid.
    #[error("{member}: {error}")]
    San {
        /// The member, e.g. `tls_client_auth_san_ip`.
        member: &'static str,
        /// What is wrong with its value.
        error: SanValueError,
    },
    /// `tls_client_auth_trust_anchors` or `tls_client_auth_issuer_spki_s256` is not an array
    /// of 1 to 10 strings.
    #[error("{member} must be an array of 1 to 10 strings")]
    IssuerMember {
        /// The member.
        member: &'static str,
    },
    /// An entry of `tls_client_auth_trust_anchors` is not the base64 DER of a CA certificate.
    #[error("tls_client_auth_trust_anchors[{index}]: {reason}")]
    TrustAnchor {
        /// Its position.
        index: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// An entry of `tls_client_auth_issuer_spki_s256` is not a base64url SHA-256.
    #[error("tls_client_auth_issuer_spki_s256[{index}]: {error}")]
    IssuerPin {
        /// Its position.
        index: usize,
        /// What is wrong with it.
        error: ThumbprintError,
    },
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

/// RFC 8705 section 2.1.2 defines the `tls_client_auth_*` members for the PKI method only
/// (and so does this crate's issuer extension). With another method they are never checked; a
/// client that registers one most likely believes it authenticates by certificate when it
/// does not.
pub(super) fn no_stray_member(m: &ClientMetadata) -> Result<(), RegistrationError> {
    let stray = subject_members(m).map(|(name, _)| name).next().or_else(|| {
        [TRUST_ANCHORS, ISSUER_PINS]
            .into_iter()
            .find(|name| m.other.contains_key(*name))
    });
    match stray {
        Some(member) => Err(RegistrationError::SubjectWithoutTlsClientAuth { member }),
        None => Ok(()),
    }
}

/// The strings of an issuer extension member: `None` when absent, an error unless it is an
/// array of 1 to [`MAX_ISSUERS`] strings.
fn issuer_strings<'m>(
    m: &'m ClientMetadata,
    member: &'static str,
) -> Result<Option<Vec<&'m str>>, RegistrationError> {
    let Some(value) = m.other.get(member) else {
        return Ok(None);
    };
    let bad = || RegistrationError::IssuerMember { member };
    let Value::Array(items) = value else {
        return Err(bad());
    };
    if items.is_empty() || items.len() > MAX_ISSUERS {
        return Err(bad());
    }
    let strings: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
    strings.map(Some).ok_or_else(bad)
}

/// `tls_client_auth_trust_anchors`: base64 (padded, as a JWK's `x5c`, RFC 7517 section 4.7)
/// DER CA certificates.
pub(super) fn trust_anchors(m: &ClientMetadata) -> Result<Option<TrustAnchors>, RegistrationError> {
    let Some(strings) = issuer_strings(m, TRUST_ANCHORS)? else {
        return Ok(None);
    };
    let mut ders = Vec::with_capacity(strings.len());
    for (index, b64) in strings.into_iter().enumerate() {
        let der = Base64::decode_vec(b64).map_err(|_| RegistrationError::TrustAnchor {
            index,
            reason: "not base64 (RFC 4648 section 4, padded)".into(),
        })?;
        ders.push(der);
    }
    TrustAnchors::from_der(ders.iter().map(Vec::as_slice))
        .map(Some)
        .map_err(|e| match e {
            super::ChainError::Anchor { index, reason } => {
                RegistrationError::TrustAnchor { index, reason }
            }
            other => RegistrationError::TrustAnchor {
                index: 0,
                reason: alloc::string::ToString::to_string(&other),
            },
        })
}

/// `tls_client_auth_issuer_spki_s256`: base64url SHA-256 digests, read as strictly as an
/// `x5t#S256`.
pub(super) fn issuer_pins(m: &ClientMetadata) -> Result<Vec<Thumbprint>, RegistrationError> {
    let Some(strings) = issuer_strings(m, ISSUER_PINS)? else {
        return Ok(Vec::new());
    };
    strings
        .into_iter()
        .enumerate()
        .map(|(index, s)| {
            s.parse()
                .map_err(|error| RegistrationError::IssuerPin { index, error })
        })
        .collect()
}

/// RFC 8705 section 2.1.2: "A client using the tls_client_auth authentication method MUST use
/// exactly one of the below metadata parameters".
pub(super) fn expected_subject(m: &ClientMetadata) -> Result<ExpectedSubject, RegistrationError> {
    let set: Vec<(&'static str, &str)> = subject_members(m).collect();
    match set.as_slice() {
        [] => Err(RegistrationError::NoSubject),
        [(member, value)] => ExpectedSubject::from_member(member, value),
        several => Err(RegistrationError::SeveralSubjects {
            members: several.iter().map(|(m, _)| *m).collect(),
        }),
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
