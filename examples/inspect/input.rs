//! Reading `<cert>`: a path or `-`, PEM or DER, or a proxy header value with `--from`.

use rfc8705::ClientCertificate;

use crate::{BadInput, read_input};

/// The largest `<cert>` input read.
const CERT_LIMIT: u64 = 256 * 1024;

/// Reads the certificate named by `path`, in the format `from` names (PEM or DER when `None`).
pub fn read_cert(path: &str, from: Option<&str>) -> Result<ClientCertificate<'static>, BadInput> {
    let bytes = read_input(path, CERT_LIMIT)?;
    match from {
        None => {
            ClientCertificate::from_pem_or_der(&bytes).map_err(|e| BadInput(format!("{path}: {e}")))
        }
        Some(other) => Err(BadInput(format!(
            "--from {other:?}: unknown format; use client-cert, xfcc, escaped-pem or alb"
        ))),
    }
}
