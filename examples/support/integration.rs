//! The capabilities the examples need from modules of the crate that are being written in
//! parallel. Each is one small function with a minimal implementation that is correct for
//! what the demo registers and sends; the lead replaces each body with the crate's API.

use base64ct::{Base64, Encoding};
use rfc8705::metadata::{ClientMetadata, TokenEndpointAuthMethod};
use rfc8705::{ClientCertificate, OAuthErrorCode, Thumbprint};
use serde_json::{Value, json};
use x509_cert::ext::pkix::SubjectAltName;
use x509_cert::ext::pkix::name::GeneralName;

/// Authenticates a client by the certificate it presented over mutual TLS, against its
/// registration (RFC 8705 sections 2.1 and 2.2). The PKI method's chain validation is done by
/// the caller (rustls `WebPkiClientVerifier`); this is the subject / registered-certificate
/// match.
// INTEGRATION POINT (lead): replace with rfc8705::client_auth::{tls, self_signed} (subject DN
// with distinguishedNameMatch, SAN kinds, JWK set x5c matching).
pub fn authenticate_client(meta: &ClientMetadata, cert: &ClientCertificate) -> Result<(), String> {
    match meta.token_endpoint_auth_method {
        Some(TokenEndpointAuthMethod::TlsClientAuth) => {
            if let Some(dn) = &meta.tls_client_auth_subject_dn {
                // Exact string comparison of x509-cert's RFC 4514 rendering: correct only for
                // the plain ASCII DNs the demo registers.
                let subject = cert.x509().tbs_certificate().subject().to_string();
                return (subject == *dn)
                    .then_some(())
                    .ok_or_else(|| "the certificate subject is not the registered DN".into());
            }
            if let Some(dns) = &meta.tls_client_auth_san_dns {
                let sans = cert
                    .x509()
                    .tbs_certificate()
                    .get_extension::<SubjectAltName>()
                    .map_err(|_| "the subjectAltName extension is malformed".to_string())?;
                let found = sans.into_iter().flat_map(|(_, san)| san.0).any(|name| {
                    matches!(name, GeneralName::DnsName(n) if n.as_str().eq_ignore_ascii_case(dns))
                });
                return found.then_some(()).ok_or_else(|| {
                    "no dNSName SAN of the certificate is the registered one".into()
                });
            }
            Err("the registration names no expected subject".into())
        }
        Some(TokenEndpointAuthMethod::SelfSignedTlsClientAuth) => {
            let keys = meta
                .jwks
                .as_ref()
                .and_then(|j| j.get("keys"))
                .and_then(Value::as_array)
                .ok_or("the registration has no jwks")?;
            let registered = keys
                .iter()
                .filter_map(|k| k.get("x5c")?.get(0)?.as_str())
                .filter_map(|b64| Base64::decode_vec(b64).ok());
            let presented = Thumbprint::from_der(cert.der()).map_err(|e| e.to_string())?;
            registered
                .into_iter()
                .any(|der| presented.matches_der(&der))
                .then_some(())
                .ok_or_else(|| "the certificate is not one of the registered certificates".into())
        }
        _ => Err("the client is not registered for mutual-TLS client authentication".into()),
    }
}

/// The `cnf` member of a certificate-bound token (RFC 8705 section 3.1).
// INTEGRATION POINT (lead): replace with rfc8705::cnf (Confirmation claim type).
pub fn cnf_claim(thumbprint: &Thumbprint) -> Value {
    json!({ "x5t#S256": thumbprint.to_string() })
}

/// Why a resource request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The OAuth error code to send.
    pub code: OAuthErrorCode,
    /// A description safe to send (it never echoes the token or the expected thumbprint).
    pub description: &'static str,
}

/// Checks that a token is bound to the presented certificate (RFC 8705 section 3: "MUST
/// verify that the certificate matches the certificate associated with the access token").
/// The policy is "required": an unbound token is refused too.
// INTEGRATION POINT (lead): replace with rfc8705::cnf binding check with policy `Required`.
pub fn check_binding(cnf: Option<&Value>, cert_der: Option<&[u8]>) -> Result<(), Rejection> {
    let reject = |description| Rejection {
        code: OAuthErrorCode::InvalidToken,
        description,
    };
    let bound_to: Thumbprint = cnf
        .and_then(|c| c.get("x5t#S256"))
        .and_then(Value::as_str)
        .ok_or(reject("the access token is not certificate-bound"))?
        .parse()
        .map_err(|_| reject("the access token's x5t#S256 is malformed"))?;
    let der = cert_der.ok_or(reject("no client certificate was presented"))?;
    bound_to
        .matches_der(der)
        .then_some(())
        .ok_or(reject("the access token is bound to another certificate"))
}

/// An RFC 6750 section 3 `WWW-Authenticate` challenge, with the RFC 9728 `resource_metadata`
/// parameter. Values are quoted; the descriptions passed here are fixed ASCII strings.
// INTEGRATION POINT (lead): replace with rfc8705::challenge.
pub fn www_authenticate(rejection: Option<&Rejection>, resource_metadata: &str) -> String {
    let quote = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    match rejection {
        None => format!("Bearer resource_metadata=\"{}\"", quote(resource_metadata)),
        Some(r) => format!(
            "Bearer error=\"{}\", error_description=\"{}\", resource_metadata=\"{}\"",
            r.code,
            quote(r.description),
            quote(resource_metadata)
        ),
    }
}

/// The URL a client uses for an endpoint: the `mtls_endpoint_aliases` entry when it intends
/// to do mutual TLS and there is one, else the top-level member (RFC 8705 section 5).
// INTEGRATION POINT (lead): replace with rfc8705::metadata AS metadata alias resolution.
pub fn resolve_endpoint(as_metadata: &Value, name: &str, mtls: bool) -> Option<String> {
    let alias = as_metadata
        .get("mtls_endpoint_aliases")
        .and_then(|a| a.get(name))
        .filter(|_| mtls);
    alias
        .or_else(|| as_metadata.get(name))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The DER certificate of an RFC 9440 `Client-Cert` header: an RFC 8941 Byte Sequence,
/// `:` base64 `:`. Call it only for requests from a trusted proxy.
// INTEGRATION POINT (lead): replace with rfc8705::proxy (Client-Cert decoding behind an
// explicit trusted-proxy decision).
pub fn decode_client_cert_header(value: &str) -> Result<Vec<u8>, String> {
    let b64 = value
        .trim_matches(' ')
        .strip_prefix(':')
        .and_then(|v| v.strip_suffix(':'))
        .ok_or("Client-Cert is not an RFC 8941 Byte Sequence (:base64:)")?;
    let der = Base64::decode_vec(b64).map_err(|_| "Client-Cert is not valid base64")?;
    ClientCertificate::from_der(&der).map_err(|e| format!("Client-Cert: {e}"))?;
    Ok(der)
}
