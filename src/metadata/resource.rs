//! RFC 9728 protected resource metadata and its well-known URL.

use alloc::string::String;

use serde_json::{Map, Value};

use super::url::{
    UrlProblem, check_endpoint_url, check_endpoint_value, check_issuer_identifier, parse_https_url,
};
use super::{MetadataError, from_json_limited};

/// The well-known path suffix of RFC 9728 section 3.
const PROTECTED_RESOURCE_WELL_KNOWN: &str = "/.well-known/oauth-protected-resource";

/// RFC 9728 protected resource metadata with the RFC 8705 member.
///
/// ```
/// use rfc8705::metadata::ProtectedResourceMetadata;
/// let m = ProtectedResourceMetadata::from_json(br#"{
///   "resource": "https://resource.example.com",
///   "authorization_servers": ["https://as.example.com"],
///   "tls_client_certificate_bound_access_tokens": true,
///   "resource_name": "Example"
/// }"#)?;
/// assert_eq!(m.tls_client_certificate_bound_access_tokens, Some(true));
/// assert_eq!(m.other["resource_name"], "Example");
/// # Ok::<(), rfc8705::metadata::MetadataError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ProtectedResourceMetadata {
    /// `resource` (RFC 9728 section 2, REQUIRED): the resource identifier.
    pub resource: String,
    /// `authorization_servers` (RFC 9728 section 2): issuer identifiers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_servers: Option<alloc::vec::Vec<String>>,
    /// `tls_client_certificate_bound_access_tokens` (RFC 9728 section 2): "Boolean value
    /// indicating protected resource support for mutual-TLS client certificate-bound access
    /// tokens \[RFC8705\]. If omitted, the default value is false."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_client_certificate_bound_access_tokens: Option<bool>,
    /// Every other member, preserved.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl ProtectedResourceMetadata {
    /// Metadata with only `resource` set.
    pub fn new(resource: impl Into<String>) -> Self {
        Self {
            resource: resource.into(),
            ..Self::default()
        }
    }

    /// Reads a document of at most 256 KiB.
    pub fn from_json(json: &[u8]) -> Result<Self, MetadataError> {
        from_json_limited(json)
    }

    /// Checks the URLs in the document.
    ///
    /// * `resource`: RFC 9728 section 1.2, "a URL that uses the https scheme and has no
    ///   fragment component".
    /// * each of `authorization_servers`: an issuer identifier (RFC 8414 section 2: "a URL that
    ///   uses the "https" scheme and has no query or fragment components").
    /// * `jwks_uri`, when present: a string holding an absolute `https` URL without a fragment.
    ///
    /// ```
    /// use rfc8705::metadata::{MetadataError, ProtectedResourceMetadata, UrlProblem};
    ///
    /// let m = ProtectedResourceMetadata::from_json(br#"{
    ///   "resource": "https://rs.example/api",
    ///   "authorization_servers": ["https://as.example", "https://as.example/?tenant=1"]
    /// }"#)?;
    /// assert_eq!(
    ///     m.validate(),
    ///     Err(MetadataError::Url {
    ///         member: "authorization_servers[1]".into(),
    ///         problem: UrlProblem::Query,
    ///     })
    /// );
    /// # Ok::<(), rfc8705::metadata::MetadataError>(())
    /// ```
    pub fn validate(&self) -> Result<(), MetadataError> {
        check_endpoint_url("resource", &self.resource)?;
        for (i, issuer) in self.authorization_servers.iter().flatten().enumerate() {
            check_issuer_identifier(&alloc::format!("authorization_servers[{i}]"), issuer)?;
        }
        if let Some(jwks_uri) = self.other.get("jwks_uri") {
            check_endpoint_value("jwks_uri", jwks_uri)?;
        }
        Ok(())
    }
}

/// The URL of a resource's metadata: RFC 9728 section 3.1, "formed by inserting a well-known URI
/// string into the protected resource's resource identifier between the host component and the
/// path and/or query components, if any", with "any terminating slash (/) following the host
/// component" removed first. Also the `resource_metadata` value of a challenge
/// ([`Challenge::resource_metadata`](crate::challenge::Challenge::resource_metadata)).
///
/// ```
/// use rfc8705::metadata::{protected_resource_metadata_url, UrlProblem};
/// assert_eq!(
///     protected_resource_metadata_url("https://resource.example.com/resource1")?,
///     "https://resource.example.com/.well-known/oauth-protected-resource/resource1"
/// );
/// assert_eq!(
///     protected_resource_metadata_url("https://resource.example.com/")?,
///     "https://resource.example.com/.well-known/oauth-protected-resource"
/// );
/// assert_eq!(protected_resource_metadata_url("http://rs.example"), Err(UrlProblem::NotHttps));
/// # Ok::<(), rfc8705::metadata::UrlProblem>(())
/// ```
pub fn protected_resource_metadata_url(resource: &str) -> Result<String, UrlProblem> {
    // RFC 9728 section 1.2: "a URL that uses the https scheme and has no fragment component".
    let url = parse_https_url(resource)?;
    if url.rest.contains('#') {
        return Err(UrlProblem::Fragment);
    }
    let (authority, path_and_query) = (url.authority, url.rest);
    // "any terminating slash (/) following the host component MUST be removed".
    let path_and_query = path_and_query
        .strip_prefix('/')
        .map_or(path_and_query, |p| {
            if p.is_empty() || p.starts_with('?') {
                p
            } else {
                path_and_query
            }
        });
    let mut url = String::with_capacity(resource.len() + PROTECTED_RESOURCE_WELL_KNOWN.len());
    url.push_str("https://");
    url.push_str(authority);
    url.push_str(PROTECTED_RESOURCE_WELL_KNOWN);
    url.push_str(path_and_query);
    Ok(url)
}
