//! `thumbprint`, `cnf`, `verify` and `endpoint`.

use rfc8705::ClientCertificate;

use crate::{BadInput, CmdResult, Outcome};

/// `thumbprint <cert>`.
pub fn thumbprint(cert: &ClientCertificate<'_>) -> CmdResult {
    Ok(Outcome::Yes(cert.thumbprint().to_string()))
}

/// `cnf <cert>`.
pub fn cnf(cert: &ClientCertificate<'_>) -> CmdResult {
    Ok(Outcome::Yes(format!(
        "{{\"x5t#S256\":\"{}\"}}",
        cert.thumbprint()
    )))
}

/// `verify <cert> --claims FILE`.
pub fn verify(_cert: &ClientCertificate<'_>, _claims_path: &str) -> CmdResult {
    Err(BadInput::new("verify: not yet implemented"))
}

/// `endpoint FILE NAME [--mtls]`.
pub fn endpoint(_path: &str, _name: &str, _mtls: bool) -> CmdResult {
    Err(BadInput::new("endpoint: not yet implemented"))
}
