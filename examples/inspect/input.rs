//! Reading `<cert>`: a path or `-`, PEM or DER, or a proxy header value with `--from`.

use rfc8705::ClientCertificate;
use rfc8705::proxy::{ProxyFormat, TrustedProxy};

use crate::{BadInput, read_input};

/// The largest `<cert>` input read.
const CERT_LIMIT: u64 = 256 * 1024;

/// Reads the certificate named by `path`, in the format `from` names (PEM or DER when `None`).
///
/// With `--from client-cert|xfcc|xfcc-json|escaped-pem|alb|bare-der|apache|cloudfront|azure`
/// the input is that header's value (one trailing newline, as `echo` and editors leave it, is
/// removed) and the answer is its leaf. An Apache `(null)` (no client certificate) is bad input: there is no
/// certificate to inspect.
pub fn read_cert(path: &str, from: Option<&str>) -> Result<ClientCertificate<'static>, BadInput> {
    let bytes = read_input(path, CERT_LIMIT)?;
    let Some(from) = from else {
        // DER starts with a SEQUENCE tag; anything else is read as PEM.
        let cert = if bytes.first() == Some(&0x30) {
            ClientCertificate::from_der(&bytes).map(ClientCertificate::into_owned)
        } else {
            ClientCertificate::from_pem(&bytes)
        };
        return cert.map_err(|e| BadInput(format!("{path}: {e}")));
    };
    let format: ProxyFormat = from
        .parse()
        .map_err(|e| BadInput(format!("--from {from:?}: {e}")))?;
    let value = bytes
        .strip_suffix(b"\r\n")
        .or_else(|| bytes.strip_suffix(b"\n"))
        .unwrap_or(&bytes);
    // inspect is run by the operator on a value they captured: that is the trust decision.
    let forwarded = TrustedProxy::the_peer_is_my_proxy()
        .decode(format, value, &[])
        .map_err(|e| BadInput(format!("{path}: {e}")))?;
    ClientCertificate::from_der(forwarded.der())
        .map(ClientCertificate::into_owned)
        .map_err(|e| BadInput(format!("{path}: {format} value: {e}")))
}
