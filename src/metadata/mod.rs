//! Metadata documents: RFC 8414 authorization server metadata, RFC 7591 client metadata and
//! RFC 9728 protected resource metadata, with the RFC 8705 members.
//!
//! Every document type keeps the members it does not know in an `other` map, so a document
//! read and written again loses nothing. The rules checked here are those of the documents
//! themselves (URLs, `jwks` versus `jwks_uri`); whether a client registration is usable for
//! mutual TLS is decided once, by
//! [`MtlsClientAuth::from_metadata`](crate::client_auth::MtlsClientAuth::from_metadata).
//!
//! # Limits
//!
//! The `from_json` constructors read documents of at most 256 KiB
//! ([`MetadataError::TooLarge`]); a URL member longer than that is [`UrlProblem::TooLong`].

mod client;
mod resource;
mod server;
mod url;

pub use client::{ClientMetadata, TokenEndpointAuthMethod};
pub use resource::{ProtectedResourceMetadata, protected_resource_metadata_url};
pub use server::AuthorizationServerMetadata;
pub use url::UrlProblem;

use alloc::string::String;

/// The largest metadata document the `from_json` constructors read: 256 KiB.
const MAX_METADATA_LEN: usize = 256 * 1024;

/// Why a metadata document could not be read, or breaks a rule of its specification. No
/// variant carries input bytes.
///
/// The `validate` methods of the server-side documents
/// ([`AuthorizationServerMetadata::validate`], [`ProtectedResourceMetadata::validate`]) report
/// [`Url`](Self::Url) and [`EmptyAliases`](Self::EmptyAliases); a client registration's RFC 7591
/// rules ([`JwksAndJwksUri`](Self::JwksAndJwksUri), [`JwksNotAKeySet`](Self::JwksNotAKeySet))
/// are checked by [`MtlsClientAuth::from_metadata`](crate::client_auth::MtlsClientAuth::from_metadata).
///
/// ```
/// use rfc8705::metadata::{AuthorizationServerMetadata, MetadataError};
/// assert!(matches!(
///     AuthorizationServerMetadata::from_json(b"{}"),
///     Err(MetadataError::Malformed { .. })
/// ));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MetadataError {
    /// The document is larger than 256 KiB.
    #[error("the metadata document is {len} bytes long; the limit is {MAX_METADATA_LEN}")]
    TooLarge {
        /// The input length in bytes.
        len: usize,
    },
    /// The document is not JSON, not an object, or a member has the wrong type (or a required
    /// member is missing).
    #[error(
        "the metadata document is malformed at line {line}, column {column} (not JSON, a member of the wrong type, or a required member missing)"
    )]
    Malformed {
        /// Line of the error, 1-based (as serde_json reports it).
        line: usize,
        /// Column of the error (as serde_json reports it).
        column: usize,
    },
    /// A URL member is not what its specification requires.
    #[error("`{member}` is not a valid URL: {problem}")]
    Url {
        /// The member: `issuer`, `token_endpoint`, `mtls_endpoint_aliases.token_endpoint`,
        /// `authorization_servers[0]`, ... (characters outside printable ASCII escaped).
        member: String,
        /// What is wrong with it.
        problem: UrlProblem,
    },
    /// `mtls_endpoint_aliases` is an empty object.
    #[error(
        "mtls_endpoint_aliases is empty: it must hold one or more endpoints (RFC 8705 section 5), or be left out"
    )]
    EmptyAliases,
    /// Both `jwks` and `jwks_uri` are present in client metadata.
    #[error(
        "jwks and jwks_uri are both present; RFC 7591 section 2 allows only one: register the keys by value or by reference"
    )]
    JwksAndJwksUri,
    /// The client's `jwks` is not a JSON object with a `keys` array (RFC 7517 section 5).
    #[error(
        "jwks is not a JWK Set: it must be a JSON object with a \"keys\" array (RFC 7517 section 5)"
    )]
    JwksNotAKeySet,
}

/// Refuses a document in which an object names a member twice, at any depth: the derived
/// reader refuses a repeated known member, and a map would silently keep the last of a
/// repeated extension member, so every repeat is refused the same way
/// ([`MetadataError::Malformed`] at the repeat). RFC 8259 section 4: "The names within an
/// object SHOULD be unique."
fn no_repeated_member(json: &[u8]) -> Result<(), MetadataError> {
    use serde::de::Deserializer as _;
    let mut de = serde_json::Deserializer::from_slice(json);
    de.deserialize_any(UniqueMembers)
        .and_then(|()| de.end())
        .map_err(|e| MetadataError::Malformed {
            line: e.line(),
            column: e.column(),
        })
}

/// Walks a JSON value and fails at the first member an object repeats.
struct UniqueMembers;

impl<'de> serde::de::DeserializeSeed<'de> for UniqueMembers {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for UniqueMembers {
    type Value = ();
    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(UniqueMembers)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = alloc::collections::BTreeSet::new();
        while let Some(name) = map.next_key::<alloc::borrow::Cow<'de, str>>()? {
            if !seen.insert(name) {
                return Err(serde::de::Error::custom("a member is repeated"));
            }
            map.next_value_seed(UniqueMembers)?;
        }
        Ok(())
    }
}

/// Parses a metadata document with the size limit.
fn from_json_limited<T: serde::de::DeserializeOwned>(json: &[u8]) -> Result<T, MetadataError> {
    if json.len() > MAX_METADATA_LEN {
        return Err(MetadataError::TooLarge { len: json.len() });
    }
    serde_json::from_slice(json).map_err(|e| MetadataError::Malformed {
        line: e.line(),
        column: e.column(),
    })
}
