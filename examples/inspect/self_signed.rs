//! `match <cert> --client metadata.json` with `self_signed_tls_client_auth`, and `jwk <cert>`,
//! the JWK Set that registers a certificate for it.
//!
//! The registered certificates come from the metadata's `jwks`. A `jwks_uri` is not fetched:
//! the tool does no network I/O, so it asks for the set to be pasted in as `jwks`.

use rfc8705::client_auth::MtlsClientAuth;
use rfc8705::metadata::ClientMetadata;
use rfc8705::{ClientCertificate, RenewedCertificatePolicy};
use rustls::pki_types::{CertificateDer, UnixTime};

use crate::{BadInput, CmdResult, Outcome};

const NO_FETCH: &str = "the client registers its certificates by jwks_uri; inspect does not fetch it: \
     download the JWK Set and put it in the metadata as \"jwks\" (without jwks_uri)";

/// `match <cert> --client metadata.json` with `self_signed_tls_client_auth`: exit 0 naming the
/// JWK that matched, 1 with the reason, 2 for an invalid registration or a `jwks_uri`.
pub fn match_client(cert: &ClientCertificate<'_>, metadata_json: &[u8]) -> CmdResult {
    let metadata: ClientMetadata = serde_json::from_slice(metadata_json).map_err(|e| {
        // The position only: serde's message can quote values from the file.
        BadInput(format!(
            "the client metadata is not valid RFC 7591 client metadata ({:?} error at line {}, column {})",
            e.classify(),
            e.line(),
            e.column()
        ))
    })?;
    if metadata.jwks.is_none() && metadata.jwks_uri.is_some() {
        return Err(BadInput::new(NO_FETCH));
    }
    let auth = match MtlsClientAuth::from_metadata(&metadata) {
        Ok(Some(auth @ MtlsClientAuth::SelfSigned(_))) => auth,
        Ok(_) => return Err(BadInput::new(NO_FETCH)),
        Err(e) => return Err(BadInput(format!("invalid registration: {e}"))),
    };
    // The self-signed method validates no chain (RFC 8705 section 2.2): the presented
    // certificate itself is compared with the registered ones.
    let leaf = [CertificateDer::from(cert.der())];
    let presented = auth
        .validate_chain(Some(&leaf), None, UnixTime::now(), &[])
        .map_err(BadInput::new)?;
    match auth.authenticate(&presented, RenewedCertificatePolicy::Reject) {
        Ok(hit) => Ok(Outcome::Yes(format!(
            "self_signed_tls_client_auth: {hit} ({})",
            hit.thumbprint()
        ))),
        Err(rfc8705::ClientAuthError::SelfSigned(miss)) => Ok(Outcome::No(miss.to_string())),
        Err(other) => Ok(Outcome::No(other.to_string())),
    }
}

/// `jwk <cert>`: the JWK Set (public key members and `x5c`) that registers `cert` as the
/// client's `jwks` for `self_signed_tls_client_auth`.
pub fn jwk(cert: &ClientCertificate<'_>) -> CmdResult {
    let set = rfc8705::jwk::registration_jwks(cert).map_err(|e| {
        BadInput(format!(
            "cannot write this certificate as a JWK (as x5c[0]): {e}"
        ))
    })?;
    serde_json::to_string_pretty(&set)
        .map(Outcome::Yes)
        .map_err(BadInput::new)
}
