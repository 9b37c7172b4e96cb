//! Metadata documents: RFC 8414 authorization server metadata, RFC 7591 client metadata and
//! RFC 9728 protected resource metadata, with the RFC 8705 members.
//!
//! Every document type keeps the members it does not know in an `other` map, so a document
//! read and written again loses nothing.

use alloc::string::String;
use core::fmt;
use core::str::FromStr;

use serde_json::{Map, Value};

use crate::error::{OAuthError, OAuthErrorCode};

/// A `token_endpoint_auth_method` value (RFC 7591 section 2; RFC 8705 sections 2.1.1 and
/// 2.2.1).
///
/// ```
/// use rfc8705::metadata::TokenEndpointAuthMethod;
///
/// let m: TokenEndpointAuthMethod = "tls_client_auth".parse().unwrap();
/// assert_eq!(m, TokenEndpointAuthMethod::TlsClientAuth);
/// assert_eq!(TokenEndpointAuthMethod::SelfSignedTlsClientAuth.as_str(), "self_signed_tls_client_auth");
/// assert_eq!("client_secret_basic".parse::<TokenEndpointAuthMethod>().unwrap().as_str(), "client_secret_basic");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenEndpointAuthMethod {
    /// `tls_client_auth`: RFC 8705 section 2.1.1, "Indicates that client authentication to
    /// the authorization server will occur with mutual TLS utilizing the PKI method of
    /// associating a certificate to a client."
    TlsClientAuth,
    /// `self_signed_tls_client_auth`: RFC 8705 section 2.2.1, "Indicates that client
    /// authentication to the authorization server will occur using mutual TLS with the client
    /// utilizing a self-signed certificate."
    SelfSignedTlsClientAuth,
    /// Any other method (`client_secret_basic`, `private_key_jwt`, `none`, ...), kept verbatim.
    Other(String),
}

impl TokenEndpointAuthMethod {
    /// The registered name.
    pub fn as_str(&self) -> &str {
        match self {
            Self::TlsClientAuth => "tls_client_auth",
            Self::SelfSignedTlsClientAuth => "self_signed_tls_client_auth",
            Self::Other(s) => s,
        }
    }
}

impl FromStr for TokenEndpointAuthMethod {
    type Err = core::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "tls_client_auth" => Self::TlsClientAuth,
            "self_signed_tls_client_auth" => Self::SelfSignedTlsClientAuth,
            other => Self::Other(other.into()),
        })
    }
}

impl fmt::Display for TokenEndpointAuthMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for TokenEndpointAuthMethod {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for TokenEndpointAuthMethod {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <alloc::borrow::Cow<'de, str>>::deserialize(d)?;
        let Ok(m) = s.parse();
        Ok(m)
    }
}

/// RFC 7591 client metadata with the RFC 8705 members.
///
/// ```
/// use rfc8705::metadata::{ClientMetadata, TokenEndpointAuthMethod};
///
/// let json = r#"{
///     "client_id": "s6BhdRkqt3",
///     "token_endpoint_auth_method": "tls_client_auth",
///     "tls_client_auth_subject_dn": "CN=client-123,O=Example\\, Inc.,C=US",
///     "tls_client_certificate_bound_access_tokens": true,
///     "client_name": "Example"
/// }"#;
/// let m: ClientMetadata = serde_json::from_str(json).unwrap();
/// assert_eq!(m.token_endpoint_auth_method, Some(TokenEndpointAuthMethod::TlsClientAuth));
/// assert_eq!(m.other["client_name"], "Example");
/// ```
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ClientMetadata {
    /// `client_id` (RFC 7591 section 3.2.1), when the document is a registration response or
    /// a stored registration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// `token_endpoint_auth_method` (RFC 7591 section 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_endpoint_auth_method: Option<TokenEndpointAuthMethod>,
    /// `tls_client_certificate_bound_access_tokens` (RFC 8705 section 3.4): "Boolean value used
    /// to indicate the client's intention to use mutual-TLS client certificate-bound access
    /// tokens. If omitted, the default value is false."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_client_certificate_bound_access_tokens: Option<bool>,
    /// `tls_client_auth_subject_dn` (RFC 8705 section 2.1.2): an RFC 4514 string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_client_auth_subject_dn: Option<String>,
    /// `tls_client_auth_san_dns` (RFC 8705 section 2.1.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_client_auth_san_dns: Option<String>,
    /// `tls_client_auth_san_uri` (RFC 8705 section 2.1.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_client_auth_san_uri: Option<String>,
    /// `tls_client_auth_san_ip` (RFC 8705 section 2.1.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_client_auth_san_ip: Option<String>,
    /// `tls_client_auth_san_email` (RFC 8705 section 2.1.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_client_auth_san_email: Option<String>,
    /// `jwks` (RFC 7591 section 2): the client's JWK Set, kept as JSON so that it can be read
    /// key by key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks: Option<Value>,
    /// `jwks_uri` (RFC 7591 section 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_uri: Option<String>,
    /// Every other member, preserved.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl ClientMetadata {
    /// Whether the client asked for certificate-bound access tokens (absent means `false`).
    ///
    /// ```
    /// # use rfc8705::metadata::ClientMetadata;
    /// assert!(!ClientMetadata::default().wants_bound_tokens());
    /// ```
    pub fn wants_bound_tokens(&self) -> bool {
        self.tls_client_certificate_bound_access_tokens
            .unwrap_or(false)
    }
}

/// The largest metadata document the `from_json` constructors read: 256 KiB.
pub const MAX_METADATA_LEN: usize = 256 * 1024;

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
    /// The document is larger than [`MAX_METADATA_LEN`].
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

/// The RFC 7591 default when `token_endpoint_auth_method` is omitted (RFC 7591 section 2:
/// "If unspecified or omitted, the default is "client_secret_basic"").
const DEFAULT_AUTH_METHOD: &str = "client_secret_basic";

/// The `tls_client_auth_*` members that name the expected subject (RFC 8705 section 2.1.2), in
/// the order of [`ClientMetadata::subject_members`].
///
/// ```
/// assert_eq!(rfc8705::metadata::SUBJECT_MEMBERS[0], "tls_client_auth_subject_dn");
/// ```
pub const SUBJECT_MEMBERS: [&str; 5] = [
    "tls_client_auth_subject_dn",
    "tls_client_auth_san_dns",
    "tls_client_auth_san_uri",
    "tls_client_auth_san_ip",
    "tls_client_auth_san_email",
];

/// Why a client registration is invalid (`invalid_client_metadata`, RFC 7591 section 3.2.2).
///
/// ```
/// use rfc8705::metadata::{ClientMetadata, ClientMetadataError};
/// use rfc8705::{OAuthError, OAuthErrorCode};
/// let m: ClientMetadata = serde_json::from_str(
///     r#"{"token_endpoint_auth_method":"self_signed_tls_client_auth"}"#,
/// ).unwrap();
/// let err = m.validate().unwrap_err();
/// assert_eq!(err, ClientMetadataError::SelfSignedWithoutKeys);
/// assert_eq!(err.oauth_error_code(), OAuthErrorCode::InvalidClientMetadata);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientMetadataError {
    /// Both `jwks` and `jwks_uri` are present.
    #[error(
        "jwks and jwks_uri are both present; RFC 7591 section 2 allows only one: register the keys by value or by reference"
    )]
    JwksAndJwksUri,
    /// `jwks` is not a JSON object with a `keys` array (RFC 7517 section 5).
    #[error(
        "jwks is not a JWK Set: it must be a JSON object with a \"keys\" array (RFC 7517 section 5)"
    )]
    JwksNotAKeySet,
    /// `self_signed_tls_client_auth` without `jwks` or `jwks_uri`: no certificate could ever
    /// authenticate the client.
    #[error(
        "self_signed_tls_client_auth needs the client's certificates in jwks or jwks_uri (RFC 8705 section 2.2.2)"
    )]
    SelfSignedWithoutKeys,
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
    Subject(#[from] crate::client_auth::tls::TlsClientAuthMetadataError),
    /// A key of the `self_signed_tls_client_auth` JWK Set is inconsistent (RFC 7517 section
    /// 4.7) or the set registers no usable certificate.
    #[error(transparent)]
    Keys(#[from] crate::jwk::JwkRegistrationError),
}

impl OAuthError for ClientMetadataError {
    fn oauth_error_code(&self) -> OAuthErrorCode {
        OAuthErrorCode::InvalidClientMetadata
    }
}

impl ClientMetadata {
    /// Reads a client metadata document, with the [`MAX_METADATA_LEN`] limit. Does not
    /// validate it: call [`ClientMetadata::validate`].
    ///
    /// ```
    /// use rfc8705::metadata::ClientMetadata;
    /// let m = ClientMetadata::from_json(br#"{"jwks_uri":"https://client.example/jwks"}"#)?;
    /// assert_eq!(m.jwks_uri.as_deref(), Some("https://client.example/jwks"));
    /// # Ok::<(), rfc8705::metadata::MetadataError>(())
    /// ```
    pub fn from_json(json: &[u8]) -> Result<Self, MetadataError> {
        from_json_limited(json)
    }

    /// The `token_endpoint_auth_method` in effect: the registered one, or `client_secret_basic`
    /// when omitted (RFC 7591 section 2).
    ///
    /// ```
    /// use rfc8705::metadata::{ClientMetadata, TokenEndpointAuthMethod};
    /// assert_eq!(ClientMetadata::default().auth_method().as_str(), "client_secret_basic");
    /// ```
    pub fn auth_method(&self) -> TokenEndpointAuthMethod {
        match &self.token_endpoint_auth_method {
            Some(m) => m.clone(),
            None => TokenEndpointAuthMethod::Other(DEFAULT_AUTH_METHOD.into()),
        }
    }

    /// The `tls_client_auth_*` members that are present, as (name, value), in
    /// [`SUBJECT_MEMBERS`] order.
    ///
    /// ```
    /// use rfc8705::metadata::ClientMetadata;
    /// let m = ClientMetadata::from_json(br#"{"tls_client_auth_san_dns":"c.example"}"#)?;
    /// assert_eq!(m.subject_members().collect::<Vec<_>>(), [("tls_client_auth_san_dns", "c.example")]);
    /// # Ok::<(), rfc8705::metadata::MetadataError>(())
    /// ```
    pub fn subject_members(&self) -> impl Iterator<Item = (&'static str, &str)> + '_ {
        let values = [
            &self.tls_client_auth_subject_dn,
            &self.tls_client_auth_san_dns,
            &self.tls_client_auth_san_uri,
            &self.tls_client_auth_san_ip,
            &self.tls_client_auth_san_email,
        ];
        SUBJECT_MEMBERS
            .into_iter()
            .zip(values)
            .filter_map(|(name, v)| Some((name, v.as_deref()?)))
    }

    /// Validates the registration: the general rules, then the subject rules of
    /// `tls_client_auth` (exactly one subject member, each value well-formed; see
    /// [`ExpectedSubject::from_metadata`](crate::client_auth::tls::ExpectedSubject::from_metadata))
    /// and the per-key checks of a `self_signed_tls_client_auth` client's `jwks` (see
    /// [`JwkSet::validate_registration`](crate::jwk::JwkSet::validate_registration)). A
    /// `jwks_uri` is not fetched: validate the set when you fetch it.
    ///
    /// ```
    /// use rfc8705::metadata::{ClientMetadata, ClientMetadataError};
    /// let ok: ClientMetadata = serde_json::from_str(r#"{
    ///     "token_endpoint_auth_method": "tls_client_auth",
    ///     "tls_client_auth_san_dns": "client.example.com"
    /// }"#).unwrap();
    /// assert_eq!(ok.validate(), Ok(()));
    ///
    /// let both: ClientMetadata = serde_json::from_str(r#"{
    ///     "jwks": {"keys": []}, "jwks_uri": "https://client.example/jwks"
    /// }"#).unwrap();
    /// assert_eq!(both.validate(), Err(ClientMetadataError::JwksAndJwksUri));
    /// ```
    pub fn validate(&self) -> Result<(), ClientMetadataError> {
        // RFC 7591 section 2: "The "jwks_uri" and "jwks" parameters MUST NOT both be present
        // in the same request or response."
        if self.jwks.is_some() && self.jwks_uri.is_some() {
            return Err(ClientMetadataError::JwksAndJwksUri);
        }
        // RFC 7591 section 2: jwks is the client's "JSON Web Key Set [RFC7517] document
        // value"; RFC 7517 section 5: a JWK Set "MUST have a "keys" member" whose value is an
        // array.
        if let Some(jwks) = &self.jwks {
            let keys = jwks.as_object().and_then(|o| o.get("keys"));
            if !matches!(keys, Some(Value::Array(_))) {
                return Err(ClientMetadataError::JwksNotAKeySet);
            }
        }
        let method = self.auth_method();
        // RFC 8705 section 2.2.2: the client registers its certificates "using the "jwks_uri" or
        // "jwks" parameter"; without either, nothing can authenticate the client.
        if method == TokenEndpointAuthMethod::SelfSignedTlsClientAuth
            && self.jwks.is_none()
            && self.jwks_uri.is_none()
        {
            return Err(ClientMetadataError::SelfSignedWithoutKeys);
        }
        // RFC 8705 section 2.1.2 defines the tls_client_auth_* members for the PKI method only.
        // With another method the subject is never checked; a client that registers one most
        // likely believes it authenticates by certificate when it does not.
        if method != TokenEndpointAuthMethod::TlsClientAuth
            && let Some((member, _)) = self.subject_members().next()
        {
            return Err(ClientMetadataError::SubjectWithoutTlsClientAuth { member });
        }
        match method {
            TokenEndpointAuthMethod::TlsClientAuth => {
                crate::client_auth::tls::ExpectedSubject::from_metadata(self)?;
            }
            TokenEndpointAuthMethod::SelfSignedTlsClientAuth if self.jwks.is_some() => {
                crate::client_auth::self_signed::registered_keys(self)?;
            }
            _ => {}
        }
        Ok(())
    }
}

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
///
/// ```
/// use rfc8705::metadata::is_direct_endpoint;
/// assert!(is_direct_endpoint("token_endpoint"));
/// assert!(is_direct_endpoint("pushed_authorization_request_endpoint"));
/// assert!(!is_direct_endpoint("authorization_endpoint"));
/// assert!(!is_direct_endpoint("jwks_uri"));
/// ```
pub fn is_direct_endpoint(name: &str) -> bool {
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
    /// `issuer` (RFC 8414 section 2, REQUIRED).
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
    /// `mtls_endpoint_aliases` (RFC 8705 section 5), every member kept as received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mtls_endpoint_aliases: Option<Map<String, Value>>,
    /// Every other member, preserved.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl AuthorizationServerMetadata {
    /// Metadata with only `issuer` set.
    ///
    /// ```
    /// # use rfc8705::metadata::AuthorizationServerMetadata;
    /// assert_eq!(AuthorizationServerMetadata::new("https://as.example").issuer, "https://as.example");
    /// ```
    pub fn new(issuer: impl Into<String>) -> Self {
        Self {
            issuer: issuer.into(),
            ..Self::default()
        }
    }

    /// Reads a document, with the [`MAX_METADATA_LEN`] limit.
    ///
    /// ```
    /// # use rfc8705::metadata::AuthorizationServerMetadata;
    /// let m = AuthorizationServerMetadata::from_json(br#"{"issuer":"https://as.example"}"#)?;
    /// assert_eq!(m.issuer, "https://as.example");
    /// # Ok::<(), rfc8705::metadata::MetadataError>(())
    /// ```
    pub fn from_json(json: &[u8]) -> Result<Self, MetadataError> {
        from_json_limited(json)
    }

    /// Whether the server supports certificate-bound access tokens (absent means `false`).
    ///
    /// ```
    /// # use rfc8705::metadata::AuthorizationServerMetadata;
    /// assert!(!AuthorizationServerMetadata::new("https://as.example").supports_bound_tokens());
    /// ```
    pub fn supports_bound_tokens(&self) -> bool {
        self.tls_client_certificate_bound_access_tokens
            .unwrap_or(false)
    }

    /// Whether `issuer` is exactly the issuer the document was fetched for. RFC 8414 section
    /// 3.3: "The "issuer" value returned MUST be identical to the authorization server's issuer
    /// identifier value into which the well-known URI string was inserted to create the URL
    /// used to retrieve the metadata. If these values are not identical, the data contained in
    /// the response MUST NOT be used."
    ///
    /// ```
    /// # use rfc8705::metadata::AuthorizationServerMetadata;
    /// let m = AuthorizationServerMetadata::new("https://as.example");
    /// assert!(m.issuer_is("https://as.example"));
    /// assert!(!m.issuer_is("https://as.example/"));
    /// ```
    pub fn issuer_is(&self, expected: &str) -> bool {
        // Code point comparison, no normalization (RFC 8414 section 4).
        self.issuer == expected
    }

    /// The top-level URL of an endpoint member (`token_endpoint`, or any other `*_endpoint`
    /// member kept in `other`), if present and a string.
    ///
    /// ```
    /// # use rfc8705::metadata::AuthorizationServerMetadata;
    /// let m = AuthorizationServerMetadata::from_json(br#"{"issuer":"i","device_authorization_endpoint":"https://as/d"}"#)?;
    /// assert_eq!(m.top_level_endpoint("device_authorization_endpoint"), Some("https://as/d"));
    /// assert_eq!(m.top_level_endpoint("issuer"), None);
    /// # Ok::<(), rfc8705::metadata::MetadataError>(())
    /// ```
    pub fn top_level_endpoint(&self, name: &str) -> Option<&str> {
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
    /// of front-channel or non-endpoint members are ignored ([`is_direct_endpoint`]).
    ///
    /// ```
    /// # use rfc8705::metadata::AuthorizationServerMetadata;
    /// let m = AuthorizationServerMetadata::from_json(br#"{"issuer":"i",
    ///   "mtls_endpoint_aliases":{"authorization_endpoint":"https://mtls/authz","token_endpoint":"https://mtls/token"}}"#)?;
    /// assert_eq!(m.mtls_alias("token_endpoint"), Some("https://mtls/token"));
    /// assert_eq!(m.mtls_alias("authorization_endpoint"), None);
    /// # Ok::<(), rfc8705::metadata::MetadataError>(())
    /// ```
    pub fn mtls_alias(&self, name: &str) -> Option<&str> {
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
    ///   `mtls_endpoint_aliases` entry of a direct endpoint ([`is_direct_endpoint`]): a string
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
    /// use rfc8705::metadata::{AuthorizationServerMetadata, ServerMetadataError, UrlProblem};
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
    ///     Err(ServerMetadataError::Url {
    ///         member: "mtls_endpoint_aliases.token_endpoint".into(),
    ///         problem: UrlProblem::NotHttps,
    ///     })
    /// );
    /// # Ok::<(), rfc8705::metadata::MetadataError>(())
    /// ```
    pub fn validate(&self) -> Result<(), ServerMetadataError> {
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
                return Err(ServerMetadataError::EmptyAliases);
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

/// The well-known path suffix of RFC 9728 section 3.
pub const PROTECTED_RESOURCE_WELL_KNOWN: &str = "/.well-known/oauth-protected-resource";

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
/// assert!(m.supports_bound_tokens());
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
    ///
    /// ```
    /// # use rfc8705::metadata::ProtectedResourceMetadata;
    /// assert_eq!(ProtectedResourceMetadata::new("https://rs.example").resource, "https://rs.example");
    /// ```
    pub fn new(resource: impl Into<String>) -> Self {
        Self {
            resource: resource.into(),
            ..Self::default()
        }
    }

    /// Reads a document, with the [`MAX_METADATA_LEN`] limit.
    ///
    /// ```
    /// # use rfc8705::metadata::ProtectedResourceMetadata;
    /// assert!(ProtectedResourceMetadata::from_json(br#"{"resource":"https://rs.example"}"#).is_ok());
    /// ```
    pub fn from_json(json: &[u8]) -> Result<Self, MetadataError> {
        from_json_limited(json)
    }

    /// Whether the resource supports certificate-bound access tokens (absent means `false`).
    ///
    /// ```
    /// # use rfc8705::metadata::ProtectedResourceMetadata;
    /// assert!(!ProtectedResourceMetadata::new("https://rs.example").supports_bound_tokens());
    /// ```
    pub fn supports_bound_tokens(&self) -> bool {
        self.tls_client_certificate_bound_access_tokens
            .unwrap_or(false)
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
    /// use rfc8705::metadata::{ProtectedResourceMetadata, ServerMetadataError, UrlProblem};
    ///
    /// let m = ProtectedResourceMetadata::from_json(br#"{
    ///   "resource": "https://rs.example/api",
    ///   "authorization_servers": ["https://as.example", "https://as.example/?tenant=1"]
    /// }"#)?;
    /// assert_eq!(
    ///     m.validate(),
    ///     Err(ServerMetadataError::Url {
    ///         member: "authorization_servers[1]".into(),
    ///         problem: UrlProblem::Query,
    ///     })
    /// );
    /// # Ok::<(), rfc8705::metadata::MetadataError>(())
    /// ```
    pub fn validate(&self) -> Result<(), ServerMetadataError> {
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

/// What is wrong with a URL in a metadata document.
///
/// ```
/// use rfc8705::metadata::UrlProblem;
/// assert_eq!(UrlProblem::NotHttps.to_string(), "it is not an https URL");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UrlProblem {
    /// The member is not a JSON string.
    #[error("it is not a string")]
    NotAString,
    /// Whitespace or a control character (a URL has none, RFC 3986 section 2).
    #[error("it contains whitespace or a control character")]
    InvalidCharacter,
    /// The scheme is not `https` (or there is no `scheme://`).
    #[error("it is not an https URL")]
    NotHttps,
    /// No host after `https://`.
    #[error("it has no host")]
    NoHost,
    /// A `?query` where none is allowed (an issuer identifier).
    #[error("it has a query component, which an issuer identifier must not have")]
    Query,
    /// A `#fragment`.
    #[error("it has a fragment component")]
    Fragment,
    /// Longer than [`MAX_METADATA_LEN`].
    #[error("it is too long")]
    TooLong,
}

/// Why authorization server or protected resource metadata is not valid
/// ([`AuthorizationServerMetadata::validate`], [`ProtectedResourceMetadata::validate`]).
///
/// It is not mapped to an OAuth error code: it describes a server's own configuration, or a
/// document a client fetched, and neither is answered with an OAuth error response.
///
/// ```
/// use rfc8705::metadata::{AuthorizationServerMetadata, ServerMetadataError};
/// let err = AuthorizationServerMetadata::new("https://as.example/#x").validate().unwrap_err();
/// assert_eq!(err.to_string(), "`issuer` is not a valid URL: it has a fragment component");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ServerMetadataError {
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
}

/// An absolute `https` URL, split where the metadata rules look.
struct HttpsUrl<'a> {
    /// `[userinfo@]host[:port]`, as written.
    authority: &'a str,
    /// Everything after the authority: path, query and fragment.
    rest: &'a str,
}

/// Splits an absolute `https` URL, rejecting whitespace and control characters, other
/// schemes and a missing host. Scheme comparison is case-insensitive (RFC 3986 section 3.1:
/// "schemes are case-insensitive").
fn parse_https_url(url: &str) -> Result<HttpsUrl<'_>, UrlProblem> {
    if url.len() > MAX_METADATA_LEN {
        return Err(UrlProblem::TooLong);
    }
    // A URL never contains a space or a control character (RFC 3986 section 2).
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(UrlProblem::InvalidCharacter);
    }
    const SCHEME: &str = "https://";
    let after_scheme = match url.get(..SCHEME.len()) {
        Some(scheme) if scheme.eq_ignore_ascii_case(SCHEME) => {
            url.get(SCHEME.len()..).unwrap_or_default()
        }
        _ => return Err(UrlProblem::NotHttps),
    };
    let authority_end = after_scheme
        .find(['/', '?', '#'])
        .unwrap_or(after_scheme.len());
    let (authority, rest) = after_scheme.split_at(authority_end);
    // RFC 3986 section 3.2: authority = [ userinfo "@" ] host [ ":" port ].
    let host_and_port = authority.rsplit('@').next().unwrap_or_default();
    let host = if host_and_port.starts_with('[') {
        // An IP literal: up to and including its closing bracket.
        host_and_port
            .find(']')
            .map_or("", |end| host_and_port.get(1..end).unwrap_or_default())
    } else {
        host_and_port.split(':').next().unwrap_or_default()
    };
    if host.is_empty() {
        return Err(UrlProblem::NoHost);
    }
    Ok(HttpsUrl { authority, rest })
}

/// The member name as shown in an error: printable ASCII as is, the rest escaped.
fn member_name(member: &str) -> String {
    member.escape_debug().collect()
}

/// RFC 8414 section 2: the issuer identifier is "a URL that uses the "https" scheme and has no
/// query or fragment components".
fn check_issuer_identifier(member: &str, url: &str) -> Result<(), ServerMetadataError> {
    check_url(member, url, false)
}

/// An endpoint URL: absolute `https`, a host, no fragment (RFC 6749 sections 3.1 and 3.2:
/// "The endpoint URI MUST NOT include a fragment component").
fn check_endpoint_url(member: &str, url: &str) -> Result<(), ServerMetadataError> {
    check_url(member, url, true)
}

/// An absolute `https` URL with a host and no fragment, and no query unless `query_allowed`.
fn check_url(member: &str, url: &str, query_allowed: bool) -> Result<(), ServerMetadataError> {
    let problem = match parse_https_url(url) {
        Ok(u) if u.rest.contains('#') => UrlProblem::Fragment,
        Ok(u) if !query_allowed && u.rest.contains('?') => UrlProblem::Query,
        Ok(_) => return Ok(()),
        Err(problem) => problem,
    };
    Err(ServerMetadataError::Url {
        member: member_name(member),
        problem,
    })
}

/// [`check_endpoint_url`] for a member of an untyped map: it must be a string first.
fn check_endpoint_value(member: &str, value: &Value) -> Result<(), ServerMetadataError> {
    match value.as_str() {
        Some(url) => check_endpoint_url(member, url),
        None => Err(ServerMetadataError::Url {
            member: member_name(member),
            problem: UrlProblem::NotAString,
        }),
    }
}

/// Why a resource identifier has no RFC 9728 metadata URL.
///
/// ```
/// use rfc8705::metadata::{protected_resource_metadata_url, ResourceIdentifierError};
/// assert_eq!(protected_resource_metadata_url("http://rs.example"), Err(ResourceIdentifierError::NotHttps));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResourceIdentifierError {
    /// The identifier does not use the `https` scheme.
    #[error("a resource identifier must be an https URL (RFC 9728 section 1.2)")]
    NotHttps,
    /// The identifier has no host.
    #[error("the resource identifier has no host")]
    NoHost,
    /// The identifier has a fragment.
    #[error("a resource identifier must not have a fragment (RFC 9728 section 1.2)")]
    Fragment,
    /// The identifier is longer than [`MAX_METADATA_LEN`].
    #[error("the resource identifier is too long")]
    TooLong,
    /// The identifier contains whitespace or a control character.
    #[error("the resource identifier contains whitespace or a control character")]
    InvalidCharacter,
}

/// The URL of a resource's metadata: RFC 9728 section 3.1, "formed by inserting a well-known URI
/// string into the protected resource's resource identifier between the host component and the
/// path and/or query components, if any", with "any terminating slash (/) following the host
/// component" removed first. Also the `resource_metadata` value of a challenge
/// ([`BearerChallenge::resource_metadata`](crate::challenge::BearerChallenge::resource_metadata)).
///
/// ```
/// use rfc8705::metadata::protected_resource_metadata_url;
/// assert_eq!(
///     protected_resource_metadata_url("https://resource.example.com/resource1")?,
///     "https://resource.example.com/.well-known/oauth-protected-resource/resource1"
/// );
/// assert_eq!(
///     protected_resource_metadata_url("https://resource.example.com/")?,
///     "https://resource.example.com/.well-known/oauth-protected-resource"
/// );
/// # Ok::<(), rfc8705::metadata::ResourceIdentifierError>(())
/// ```
pub fn protected_resource_metadata_url(resource: &str) -> Result<String, ResourceIdentifierError> {
    // RFC 9728 section 1.2: "a URL that uses the https scheme and has no fragment component".
    let url = parse_https_url(resource).map_err(|problem| match problem {
        UrlProblem::NoHost => ResourceIdentifierError::NoHost,
        UrlProblem::InvalidCharacter => ResourceIdentifierError::InvalidCharacter,
        UrlProblem::TooLong => ResourceIdentifierError::TooLong,
        _ => ResourceIdentifierError::NotHttps,
    })?;
    if url.rest.contains('#') {
        return Err(ResourceIdentifierError::Fragment);
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
