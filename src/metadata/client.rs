//! RFC 7591 client metadata with the RFC 8705 and RFC 9449 members.

use alloc::string::String;
use core::fmt;
use core::str::FromStr;

use serde_json::{Map, Value};

use super::{MetadataError, from_json_limited, no_repeated_member};

/// A `token_endpoint_auth_method` value (RFC 7591 section 2; RFC 8705 sections 2.1.1 and
/// 2.2.1).
///
/// ```
/// use rfc8705::metadata::TokenEndpointAuthMethod;
///
/// let m: TokenEndpointAuthMethod = "tls_client_auth".parse().unwrap();
/// assert_eq!(m, TokenEndpointAuthMethod::TlsClientAuth);
/// assert_eq!(TokenEndpointAuthMethod::SelfSignedTlsClientAuth.to_string(), "self_signed_tls_client_auth");
/// assert_eq!("client_secret_basic".parse::<TokenEndpointAuthMethod>().unwrap().to_string(), "client_secret_basic");
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
    pub(crate) fn as_str(&self) -> &str {
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

/// RFC 7591 client metadata with the RFC 8705 members and RFC 9449's `dpop_bound_access_tokens`.
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
    /// `dpop_bound_access_tokens` (RFC 9449 section 5.2): "A boolean value specifying whether
    /// the client always uses DPoP for token requests. If omitted, the default value is false."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpop_bound_access_tokens: Option<bool>,
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
    pub(crate) fn wants_bound_tokens(&self) -> bool {
        self.tls_client_certificate_bound_access_tokens
            .unwrap_or(false)
    }
}

/// The RFC 7591 default when `token_endpoint_auth_method` is omitted (RFC 7591 section 2:
/// "If unspecified or omitted, the default is "client_secret_basic"").
const DEFAULT_AUTH_METHOD: &str = "client_secret_basic";

impl ClientMetadata {
    /// Reads a client metadata document, of at most 256 KiB. Does not validate it, but
    /// refuses a document that repeats a member in any object
    /// ([`MetadataError::Malformed`]): readers that keep the first and readers that keep the
    /// last would see two registrations.
    ///
    /// ```
    /// use rfc8705::metadata::{ClientMetadata, MetadataError};
    /// let twice = br#"{"tls_client_auth_issuer_spki_s256":["a"],"tls_client_auth_issuer_spki_s256":["b"]}"#;
    /// assert!(matches!(ClientMetadata::from_json(twice), Err(MetadataError::Malformed { .. })));
    /// ```
    ///
    /// ```
    /// use rfc8705::metadata::ClientMetadata;
    /// let m = ClientMetadata::from_json(br#"{"jwks_uri":"https://client.example/jwks"}"#)?;
    /// assert_eq!(m.jwks_uri.as_deref(), Some("https://client.example/jwks"));
    /// # Ok::<(), rfc8705::metadata::MetadataError>(())
    /// ```
    pub fn from_json(json: &[u8]) -> Result<Self, MetadataError> {
        let metadata = from_json_limited(json)?;
        no_repeated_member(json)?;
        Ok(metadata)
    }

    /// The `token_endpoint_auth_method` in effect: the registered one, or `client_secret_basic`
    /// when omitted (RFC 7591 section 2).
    ///
    /// ```
    /// use rfc8705::metadata::{ClientMetadata, TokenEndpointAuthMethod};
    /// assert_eq!(ClientMetadata::default().auth_method().to_string(), "client_secret_basic");
    /// ```
    pub fn auth_method(&self) -> TokenEndpointAuthMethod {
        match &self.token_endpoint_auth_method {
            Some(m) => m.clone(),
            None => TokenEndpointAuthMethod::Other(DEFAULT_AUTH_METHOD.into()),
        }
    }

    /// Checks the RFC 7591 rules of the document itself: `jwks` and `jwks_uri` are not both
    /// present, and `jwks` is a JWK Set. Called by
    /// [`MtlsClientAuth::from_metadata`](crate::client_auth::MtlsClientAuth::from_metadata)
    /// first.
    pub(crate) fn validate(&self) -> Result<(), MetadataError> {
        // RFC 7591 section 2: "The "jwks_uri" and "jwks" parameters MUST NOT both be present
        // in the same request or response."
        if self.jwks.is_some() && self.jwks_uri.is_some() {
            return Err(MetadataError::JwksAndJwksUri);
        }
        // RFC 7591 section 2: jwks is the client's "JSON Web Key Set [RFC7517] document
        // value"; RFC 7517 section 5: a JWK Set "MUST have a "keys" member" whose value is an
        // array.
        if let Some(jwks) = &self.jwks {
            let keys = jwks.as_object().and_then(|o| o.get("keys"));
            if !matches!(keys, Some(Value::Array(_))) {
                return Err(MetadataError::JwksNotAKeySet);
            }
        }
        Ok(())
    }
}
