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

pub use client::{ClientMetadata, ClientMetadataError, TokenEndpointAuthMethod};
pub use resource::{
    ProtectedResourceMetadata, ResourceIdentifierError, protected_resource_metadata_url,
};
pub use server::AuthorizationServerMetadata;
pub use url::{ServerMetadataError, UrlProblem};

use crate::error::{OAuthError, OAuthErrorCode};

/// The largest metadata document the `from_json` constructors read: 256 KiB.
const MAX_METADATA_LEN: usize = 256 * 1024;

/// Why a metadata document could not be read. No variant carries input bytes.
///
/// ```
/// use rfc8705::metadata::{AuthorizationServerMetadata, MetadataError};
/// assert!(matches!(
///     AuthorizationServerMetadata::from_json(b"{}"),
///     Err(MetadataError::Malformed { .. })
/// ));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
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
}

impl OAuthError for MetadataError {
    /// Read at the registration endpoint, a bad document is `invalid_client_metadata`.
    fn oauth_error_code(&self) -> OAuthErrorCode {
        OAuthErrorCode::InvalidClientMetadata
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
