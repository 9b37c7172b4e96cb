//! `subject`, `sans`, `match --subject-dn/--san-*` and `match --client` for `tls_client_auth`.

use rfc8705::ClientCertificate;

use crate::{BadInput, CmdResult};

/// `subject <cert>`.
pub fn subject(_cert: &ClientCertificate<'_>) -> CmdResult {
    Err(BadInput::new("subject: not yet implemented"))
}

/// `sans <cert>`.
pub fn sans(_cert: &ClientCertificate<'_>) -> CmdResult {
    Err(BadInput::new("sans: not yet implemented"))
}

/// `match <cert> --subject-dn S` and the `--san-*` forms.
pub fn match_subject(_cert: &ClientCertificate<'_>, _flag: &str, _value: &str) -> CmdResult {
    Err(BadInput::new("match: not yet implemented"))
}

/// `match <cert> --client metadata.json` with `tls_client_auth`.
pub fn match_client(_cert: &ClientCertificate<'_>, _metadata_json: &[u8]) -> CmdResult {
    Err(BadInput::new(
        "match --client (tls_client_auth): not yet implemented",
    ))
}
