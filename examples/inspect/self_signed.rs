//! `match <cert> --client metadata.json` with `self_signed_tls_client_auth`.

use rfc8705::ClientCertificate;

use crate::{BadInput, CmdResult};

/// `match <cert> --client metadata.json` with `self_signed_tls_client_auth`.
pub fn match_client(_cert: &ClientCertificate<'_>, _metadata_json: &[u8]) -> CmdResult {
    Err(BadInput::new(
        "match --client (self_signed_tls_client_auth): not yet implemented",
    ))
}
