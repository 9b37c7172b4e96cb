//! OpenSSL's own verdict on a client certificate chain, to cross-check the crate's.

use std::path::Path;
use std::process::Command;

use rustls::pki_types::CertificateDer;

use super::encode::pem;

/// `openssl verify -purpose sslclient` of `chain` (leaf first, then intermediates) against
/// `anchors` at `time` (seconds since the Unix epoch), with its PEM files written in `dir`;
/// `None` without `openssl`.
pub fn verify_client_chain(
    dir: &Path,
    chain: &[CertificateDer<'_>],
    anchors: &[&[u8]],
    time: u64,
) -> Option<bool> {
    let write = |name: &str, certs: &[&[u8]]| {
        let path = dir.join(name);
        let text: String = certs.iter().map(|c| pem(c)).collect();
        std::fs::write(&path, text).unwrap();
        path
    };
    let (leaf, intermediates) = chain.split_first().unwrap();
    let leaf = write("leaf.pem", &[leaf.as_ref()]);
    let ca_file = write("anchors.pem", anchors);
    let mut cmd = Command::new("openssl");
    cmd.args([
        "verify",
        "-purpose",
        "sslclient",
        "-attime",
        &time.to_string(),
    ])
    .arg("-CAfile")
    .arg(&ca_file);
    if !intermediates.is_empty() {
        let list: Vec<&[u8]> = intermediates.iter().map(|c| c.as_ref()).collect();
        cmd.arg("-untrusted").arg(write("untrusted.pem", &list));
    }
    let out = cmd.arg(&leaf).output().ok()?;
    Some(out.status.success())
}
