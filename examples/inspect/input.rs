//! Reading `<cert>`: a path or `-`, PEM or DER, or a proxy header value with `--from`.

use rfc8705::proxy::{ProxyFormat, TrustedProxy};
use rfc8705::{ClientCertificate, Thumbprint};

use crate::{BadInput, read_input};

/// The largest `<cert>` input read.
const CERT_LIMIT: u64 = 256 * 1024;

/// What `<cert>` presented: the certificate, or (hash-only `--from` formats) its thumbprint.
pub enum Presented {
    /// The certificate itself.
    Certificate(Box<ClientCertificate<'static>>),
    /// `--from xfcc-hash|fingerprint`: the certificate's SHA-256 alone.
    Thumbprint(Thumbprint),
}

impl Presented {
    /// The x5t#S256 of what was presented.
    pub fn thumbprint(&self) -> Thumbprint {
        match self {
            Self::Certificate(cert) => cert.thumbprint(),
            Self::Thumbprint(t) => *t,
        }
    }
}

/// Reads the certificate named by `path`, in the format `from` names (PEM or DER when `None`).
///
/// With `--from FORMAT` the input is that header's value (one trailing newline, as `echo` and
/// editors leave it, is removed) and the answer is its leaf. A proxy's "no client certificate"
/// (`(null)`, `::`, an empty value) is bad input: there is no certificate to inspect. A
/// hash-only format is bad input here: subject, SANs and client authentication need the
/// certificate itself.
pub fn read_cert(path: &str, from: Option<&str>) -> Result<ClientCertificate<'static>, BadInput> {
    match read_presented(path, from)? {
        Presented::Certificate(cert) => Ok(*cert),
        Presented::Thumbprint(_) => Err(BadInput(format!(
            "--from {}: a hash-only format gives the certificate's thumbprint, for thumbprint, cnf and verify; this command needs the certificate",
            from.unwrap_or_default()
        ))),
    }
}

/// Reads `<cert>` as [`read_cert`] does, and the hash-only formats as a thumbprint.
pub fn read_presented(path: &str, from: Option<&str>) -> Result<Presented, BadInput> {
    let bytes = read_input(path, CERT_LIMIT)?;
    let Some(from) = from else {
        // DER starts with a SEQUENCE tag; anything else is read as PEM.
        let cert = if bytes.first() == Some(&0x30) {
            ClientCertificate::from_der(&bytes).map(ClientCertificate::into_owned)
        } else {
            ClientCertificate::from_pem(&bytes)
        };
        return cert
            .map(|cert| Presented::Certificate(Box::new(cert)))
            .map_err(|e| BadInput(format!("{path}: {e}")));
    };
    let format: ProxyFormat = from
        .parse()
        .map_err(|e| BadInput(format!("--from {from:?}: {e}")))?;
    let value = bytes
        .strip_suffix(b"\r\n")
        .or_else(|| bytes.strip_suffix(b"\n"))
        .unwrap_or(&bytes);
    // inspect is run by the operator on a value they captured: that is the trust decision.
    let proxy = TrustedProxy::the_peer_is_my_proxy();
    let bad = |e: rfc8705::proxy::ForwardedCertificateError| BadInput(format!("{path}: {e}"));
    if matches!(format, ProxyFormat::XfccHash | ProxyFormat::Fingerprint) {
        return proxy
            .thumbprint(format, value, &[])
            .map(Presented::Thumbprint)
            .map_err(bad);
    }
    let forwarded = proxy.decode(format, value, &[]).map_err(bad)?;
    ClientCertificate::from_der(forwarded.der())
        .map(|c| Presented::Certificate(Box::new(c.into_owned())))
        .map_err(|e| BadInput(format!("{path}: {format} value: {e}")))
}
