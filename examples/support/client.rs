//! The OAuth client side: a reqwest client holding its certificate and key, endpoint discovery
//! from AS metadata (taking the mutual-TLS alias), the client_credentials request and the API
//! call.

use base64ct::{Base64UrlUnpadded, Encoding};
use serde_json::Value;

use rfc8705::metadata::AuthorizationServerMetadata;

/// An HTTPS client that trusts only `ca_pem` and, with `identity` = (certificate PEM, key
/// PEM), presents that certificate when a server asks for one.
pub fn https_client(
    ca_pem: &str,
    identity: Option<(&str, &str)>,
) -> Result<reqwest::Client, String> {
    let ca = reqwest::Certificate::from_pem(ca_pem.as_bytes()).map_err(|e| format!("CA: {e}"))?;
    let mut builder = reqwest::Client::builder()
        .tls_certs_only([ca])
        .https_only(true)
        .timeout(std::time::Duration::from_secs(20));
    if let Some((cert, key)) = identity {
        let identity = reqwest::Identity::from_pem(format!("{cert}\n{key}").as_bytes())
            .map_err(|e| format!("client certificate and key: {e}"))?;
        builder = builder.identity(identity);
    }
    builder.build().map_err(|e| e.to_string())
}

/// Fetches the issuer's RFC 8414 metadata and checks its `issuer` (RFC 8414 section 3.3).
pub async fn discover(
    http: &reqwest::Client,
    issuer: &str,
) -> Result<AuthorizationServerMetadata, String> {
    let url = format!("{issuer}/.well-known/oauth-authorization-server");
    let body = http
        .get(&url)
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .map_err(|e| format!("{url}: {e}"))?
        .bytes()
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    let metadata =
        AuthorizationServerMetadata::from_json(&body).map_err(|e| format!("{url}: {e}"))?;
    // RFC 8414 section 3.3: "If these values are not identical, the data contained in the
    // response MUST NOT be used."
    if metadata.issuer != issuer {
        return Err(format!("{url}: the issuer in the metadata is not {issuer}"));
    }
    // Every endpoint and mTLS alias the client may call is an https URL, and an alias that is
    // not a string does not silently send the client to the conventional endpoint.
    metadata.validate().map_err(|e| format!("{url}: {e}"))?;
    Ok(metadata)
}

/// The token endpoint a mutual-TLS client uses: the `mtls_endpoint_aliases` entry when there
/// is one, else the top-level `token_endpoint` (RFC 8705 section 5).
pub fn mtls_token_endpoint(metadata: &AuthorizationServerMetadata) -> Result<String, String> {
    metadata
        .endpoint("token_endpoint", true)
        .map(str::to_owned)
        .ok_or_else(|| "no token_endpoint".into())
}

/// An HTTP status and a JSON body.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The `WWW-Authenticate` header, if any.
    pub www_authenticate: Option<String>,
    /// The body (JSON, or `Value::Null`).
    pub body: Value,
}

async fn reply(response: reqwest::Response) -> Reply {
    let status = response.status().as_u16();
    let www_authenticate = response
        .headers()
        .get(reqwest::header::WWW_AUTHENTICATE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.json().await.unwrap_or(Value::Null);
    Reply {
        status,
        www_authenticate,
        body,
    }
}

/// POSTs a form to the token endpoint (or any form endpoint).
pub async fn post_form(
    http: &reqwest::Client,
    endpoint: &str,
    form: &[(&str, &str)],
) -> Result<Reply, String> {
    let response = http
        .post(endpoint)
        .form(form)
        .send()
        .await
        .map_err(|e| format!("{endpoint}: {e}"))?;
    Ok(reply(response).await)
}

/// The client_credentials grant (RFC 6749 section 4.4) with `client_id` (RFC 8705 section 2).
pub async fn request_token(
    http: &reqwest::Client,
    token_endpoint: &str,
    client_id: &str,
) -> Result<Reply, String> {
    post_form(
        http,
        token_endpoint,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
        ],
    )
    .await
}

/// Calls the API with a bearer token.
pub async fn call_api(http: &reqwest::Client, url: &str, token: &str) -> Result<Reply, String> {
    let response = http
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    Ok(reply(response).await)
}

/// The claims of a JWT, decoded without verifying it: for display only.
pub fn unverified_claims(jwt: &str) -> Option<Value> {
    let payload = jwt.split('.').nth(1)?;
    serde_json::from_slice(&Base64UrlUnpadded::decode_vec(payload).ok()?).ok()
}
