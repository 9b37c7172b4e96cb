//! `match <cert> --client metadata.json` with `self_signed_tls_client_auth`.
//!
//! The registered certificates come from the metadata's `jwks`. A `jwks_uri` is not fetched:
//! the tool does no network I/O, so it asks for the set to be pasted in as `jwks`.

use rfc8705::ClientCertificate;
use rfc8705::MtlsClientAuth;
use rfc8705::client_auth::self_signed::{RenewedCertificatePolicy, authenticate};
use rfc8705::metadata::ClientMetadata;

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
    let set = match MtlsClientAuth::from_metadata(&metadata) {
        Ok(Some(MtlsClientAuth::SelfSigned(set))) => set,
        Ok(_) => return Err(BadInput::new(NO_FETCH)),
        Err(e) => return Err(BadInput(format!("invalid registration: {e}"))),
    };
    match authenticate(cert, &set, RenewedCertificatePolicy::Reject) {
        Ok(hit) => Ok(Outcome::Yes(format!(
            "self_signed_tls_client_auth: {hit} ({})",
            hit.key().certificate().thumbprint()
        ))),
        Err(miss) => Ok(Outcome::No(miss.to_string())),
    }
}
