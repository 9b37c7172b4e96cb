//! RFC 8414 authorization server metadata and the RFC 8705 endpoint aliases.

use alloc::string::String;

use serde_json::{Map, Value};

use super::client::TokenEndpointAuthMethod;
use super::url::{check_endpoint_url, check_endpoint_value, check_issuer_identifier};
use super::{MetadataError, from_json_limited};

/// Endpoints that a browser, not the client, talks to: an alias for them has no meaning
/// (RFC 8705 section 5) and is ignored.
const FRONT_CHANNEL_ENDPOINTS: [&str; 2] = ["authorization_endpoint", "end_session_endpoint"];

/// Whether an AS metadata member names an endpoint to which a client makes a direct request,
/// so that an `mtls_endpoint_aliases` entry for it counts: any `*_endpoint` member except the
/// front-channel ones (`authorization_endpoint`, `end_session_endpoint`).
///
/// RFC 8705 section 5: "Metadata parameters within `mtls_endpoint_aliases` that do not define
/// endpoints to which an OAuth client makes a direct request have no meaning and SHOULD be
/// ignored."
fn is_direct_endpoint(name: &str) -> bool {
    name.ends_with("_endpoint") && !FRONT_CHANNEL_ENDPOINTS.contains(&name)
}

/// RFC 8414 authorization server metadata with the RFC 8705 members.
///
/// ```
/// use rfc8705::metadata::AuthorizationServerMetadata;
///
/// let json = r#"{
///   "issuer": "https://server.example.com",
///   "token_endpoint": "https://server.example.com/token",
///   "tls_client_certificate_bound_access_tokens": true,
///   "mtls_endpoint_aliases": {"token_endpoint": "https://mtls.example.com/token"},
///   "grant_types_supported": ["authorization_code"]
/// }"#;
/// let m = AuthorizationServerMetadata::from_json(json.as_bytes())?;
/// assert_eq!(m.endpoint("token_endpoint", true), Some("https://mtls.example.com/token"));
/// assert_eq!(m.endpoint("token_endpoint", false), Some("https://server.example.com/token"));
/// assert_eq!(m.other["grant_types_supported"][0], "authorization_code");
/// # Ok::<(), rfc8705::metadata::MetadataError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct AuthorizationServerMetadata {
    /// `issuer` (RFC 8414 section 2, REQUIRED). A client compares it with the issuer it
    /// fetched the document for, code point by code point: RFC 8414 section 3.3, "If these
    /// values are not identical, the data contained in the response MUST NOT be used."
    pub issuer: String,
    /// `authorization_endpoint`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_endpoint: Option<String>,
    /// `token_endpoint`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_endpoint: Option<String>,
    /// `jwks_uri`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_uri: Option<String>,
    /// `registration_endpoint`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_endpoint: Option<String>,
    /// `revocation_endpoint` (RFC 8414 section 2, from RFC 7009).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation_endpoint: Option<String>,
    /// `introspection_endpoint` (RFC 8414 section 2, from RFC 7662).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introspection_endpoint: Option<String>,
    /// `token_endpoint_auth_methods_supported` (RFC 8414 section 2): "If omitted, the default
    /// is "client_secret_basic"".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_endpoint_auth_methods_supported: Option<alloc::vec::Vec<TokenEndpointAuthMethod>>,
    /// `tls_client_certificate_bound_access_tokens` (RFC 8705 section 3.3): "Boolean value
    /// indicating server support for mutual-TLS client certificate-bound access tokens. If
    /// omitted, the default value is false."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_client_certificate_bound_access_tokens: Option<bool>,
    /// `dpop_signing_alg_values_supported` (RFC 9449 section 5.1): "A JSON array containing a
    /// list of the JWS alg values (from the \[IANA.JOSE.ALGS\] registry) supported by the
    /// authorization server for DPoP proof JWTs."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpop_signing_alg_values_supported: Option<alloc::vec::Vec<String>>,
    /// `mtls_endpoint_aliases` (RFC 8705 section 5), every member kept as received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mtls_endpoint_aliases: Option<Map<String, Value>>,
    /// Every other member, preserved.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl AuthorizationServerMetadata {
    /// Metadata with only `issuer` set.
    pub fn new(issuer: impl Into<String>) -> Self {
        Self {
            issuer: issuer.into(),
            ..Self::default()
        }
    }

    /// Reads a document of at most 256 KiB.
    pub fn from_json(json: &[u8]) -> Result<Self, MetadataError> {
        from_json_limited(json)
    }

    /// The top-level URL of an endpoint member (`token_endpoint`, or any other `*_endpoint`
    /// member kept in `other`), if present and a string.
    fn top_level_endpoint(&self, name: &str) -> Option<&str> {
        // Only endpoint members: `issuer` or `jwks_uri` are not endpoints a client calls.
        if !name.ends_with("_endpoint") {
            return None;
        }
        let typed = match name {
            "authorization_endpoint" => Some(&self.authorization_endpoint),
            "token_endpoint" => Some(&self.token_endpoint),
            "registration_endpoint" => Some(&self.registration_endpoint),
            "revocation_endpoint" => Some(&self.revocation_endpoint),
            "introspection_endpoint" => Some(&self.introspection_endpoint),
            _ => None,
        };
        match typed {
            Some(field) => field.as_deref(),
            None => self.other.get(name).and_then(Value::as_str),
        }
    }

    /// The `mtls_endpoint_aliases` URL of a direct endpoint, if present and a string. Aliases
    /// of front-channel or non-endpoint members are ignored.
    fn mtls_alias(&self, name: &str) -> Option<&str> {
        if !is_direct_endpoint(name) {
            return None;
        }
        self.mtls_endpoint_aliases
            .as_ref()
            .and_then(|a| a.get(name))
            .and_then(Value::as_str)
    }

    /// The URL a client uses for the endpoint `name`.
    ///
    /// RFC 8705 section 5: "An OAuth client intending to do mutual TLS (for OAuth client
    /// authentication and/or to acquire or use certificate-bound tokens) when making a request
    /// directly to the authorization server MUST use the alias URL of the endpoint within the
    /// `mtls_endpoint_aliases`, when present, in preference to the endpoint URL of the same name
    /// at the top level of metadata." and "When an endpoint is not present in
    /// `mtls_endpoint_aliases`, then the client uses the conventional endpoint URL defined at
    /// the top level of the authorization server metadata." A client that does not do mutual
    /// TLS (`mtls == false`) always uses the top level.
    ///
    /// ```
    /// # use rfc8705::metadata::AuthorizationServerMetadata;
    /// let m = AuthorizationServerMetadata::from_json(br#"{"issuer":"i",
    ///   "token_endpoint":"https://as/token","userinfo_endpoint":"https://as/me",
    ///   "mtls_endpoint_aliases":{"token_endpoint":"https://mtls/token"}}"#)?;
    /// assert_eq!(m.endpoint("token_endpoint", true), Some("https://mtls/token"));
    /// assert_eq!(m.endpoint("userinfo_endpoint", true), Some("https://as/me"));
    /// assert_eq!(m.endpoint("revocation_endpoint", true), None);
    /// # Ok::<(), rfc8705::metadata::MetadataError>(())
    /// ```
    pub fn endpoint(&self, name: &str, mtls: bool) -> Option<&str> {
        let alias = if mtls { self.mtls_alias(name) } else { None };
        alias.or_else(|| self.top_level_endpoint(name))
    }

    /// Checks the URLs a client will call, and `mtls_endpoint_aliases`.
    ///
    /// * `issuer`: RFC 8414 section 2, "a URL that uses the "https" scheme and has no query or
    ///   fragment components".
    /// * every endpoint (`*_endpoint`, typed or kept in `other`) and `jwks_uri`, and every
    ///   `mtls_endpoint_aliases` entry of a direct endpoint (not a front-channel one): a string
    ///   holding an absolute `https` URL with a host and no fragment (RFC 6749 sections 3.1 and
    ///   3.2: "The endpoint URI MUST NOT include a fragment component", and the authorization
    ///   server "MUST require the use of TLS"; mutual TLS needs TLS by definition). An alias
    ///   that is not a string would make a client fall back to the conventional endpoint
    ///   without a word ([`endpoint`](Self::endpoint)).
    /// * `mtls_endpoint_aliases`, when present, is not empty (RFC 8705 section 5: "The
    ///   parameter value itself consists of one or more endpoint parameters").
    ///
    /// Aliases of members that are not direct endpoints are not checked: RFC 8705 section 5
    /// says they "have no meaning and SHOULD be ignored". Nothing else is checked (which
    /// members are present, the `*_supported` lists). Use it on the metadata an authorization
    /// server is about to publish, or on a document a client fetched.
    ///
    /// ```
    /// use rfc8705::metadata::{AuthorizationServerMetadata, MetadataError, UrlProblem};
    ///
    /// let m = AuthorizationServerMetadata::from_json(br#"{
    ///   "issuer": "https://as.example",
    ///   "token_endpoint": "https://as.example/token",
    ///   "mtls_endpoint_aliases": {"token_endpoint": "https://mtls.as.example/token"}
    /// }"#)?;
    /// assert_eq!(m.validate(), Ok(()));
    ///
    /// let m = AuthorizationServerMetadata::from_json(br#"{
    ///   "issuer": "https://as.example",
    ///   "mtls_endpoint_aliases": {"token_endpoint": "http://mtls.as.example/token"}
    /// }"#)?;
    /// assert_eq!(
    ///     m.validate(),
    ///     Err(MetadataError::Url {
    ///         member: "mtls_endpoint_aliases.token_endpoint".into(),
    ///         problem: UrlProblem::NotHttps,
    ///     })
    /// );
    /// # Ok::<(), rfc8705::metadata::MetadataError>(())
    /// ```
    pub fn validate(&self) -> Result<(), MetadataError> {
        check_issuer_identifier("issuer", &self.issuer)?;
        let typed = [
            ("authorization_endpoint", &self.authorization_endpoint),
            ("token_endpoint", &self.token_endpoint),
            ("jwks_uri", &self.jwks_uri),
            ("registration_endpoint", &self.registration_endpoint),
            ("revocation_endpoint", &self.revocation_endpoint),
            ("introspection_endpoint", &self.introspection_endpoint),
        ];
        for (member, url) in typed {
            if let Some(url) = url {
                check_endpoint_url(member, url)?;
            }
        }
        for (name, value) in &self.other {
            if name.ends_with("_endpoint") {
                check_endpoint_value(name, value)?;
            }
        }
        if let Some(aliases) = &self.mtls_endpoint_aliases {
            // RFC 8705 section 5: "The parameter value itself consists of one or more
            // endpoint parameters".
            if aliases.is_empty() {
                return Err(MetadataError::EmptyAliases);
            }
            for (name, value) in aliases {
                // Only aliases a client would call are checked: the rest "SHOULD be ignored".
                if is_direct_endpoint(name) {
                    check_endpoint_value(&alloc::format!("mtls_endpoint_aliases.{name}"), value)?;
                }
            }
        }
        Ok(())
    }
}
