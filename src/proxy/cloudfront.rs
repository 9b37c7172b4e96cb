//! Amazon CloudFront viewer mTLS: `CloudFront-Viewer-Cert-Pem`.
//!
//! The CloudFront Developer Guide ("Viewer mTLS headers for cache policies and forwarded to
//! origin") lists `CloudFront-Viewer-Cert-Pem` as the "URL-encoded PEM format of the leaf
//! certificate", with the example
//! `-----BEGIN%20CERTIFICATE-----%0AMIIG<...reduced...>NmrUlw%0A-----END%20CERTIFICATE-----%0A`,
//! and `CloudFront-Viewer-Cert-Sha256` as "The SHA256 hash of the client certificate" in hex
//! (`01fbf94f…`). The PEM header is sent only on origin requests (not to edge functions), and
//! only when the origin request policy forwards it. In *passthrough* mode CloudFront sends
//! RFC 9440 `Client-Cert` / `Client-Cert-Chain` instead: read those as `client-cert`.
//!
//! The value is escaped PEM as [`escaped_pem`] reads it (whether `+`, `/`
//! and `=` are escaped is not documented; both forms decode), holding exactly one
//! certificate: the leaf. With the `http` feature, reading the headers also checks
//! `CloudFront-Viewer-Cert-Sha256`, when present, against the decoded certificate.

use alloc::vec::Vec;

use super::error::Reason;
use super::escaped_pem;

/// Decodes a `CloudFront-Viewer-Cert-Pem` value to the leaf's DER. The value must hold
/// exactly one PEM `CERTIFICATE` block.
pub(crate) fn decode(value: &[u8]) -> Result<Vec<u8>, Reason> {
    let (leaf, chain) = escaped_pem::decode(value)?;
    // "the leaf certificate": a second block is not what CloudFront sends.
    if !chain.is_empty() {
        return Err(Reason::NotOneCertificate {
            count: chain.len() + 1,
        });
    }
    Ok(leaf)
}

/// Parses a `CloudFront-Viewer-Cert-Sha256` value: 64 hex digits (either case), surrounding
/// whitespace ignored. `None` if it is anything else.
#[cfg_attr(not(feature = "http"), allow(dead_code))]
pub(crate) fn parse_sha256(value: &[u8]) -> Option<[u8; 32]> {
    super::fingerprint::hex_sha256(value.trim_ascii())
}

#[cfg(test)]
mod tests {
    use super::super::testing::escaped_pem as encode;
    use super::*;
    use crate::__doc_support::{rfc8705_appendix_a_der, rfc8705_appendix_a_pem};
    use crate::thumbprint::Thumbprint;
    use alloc::format;
    use alloc::string::String;

    #[test]
    fn documented_shape() {
        let value = encode(rfc8705_appendix_a_pem().as_bytes());
        // The documented example's frame.
        assert!(value.starts_with("-----BEGIN%20CERTIFICATE-----%0A"));
        assert!(value.ends_with("%0A-----END%20CERTIFICATE-----%0A"));
        assert_eq!(decode(value.as_bytes()).unwrap(), rfc8705_appendix_a_der());
        // `+`, `/`, `=` left raw decode the same.
        let raw = value
            .replace("%2B", "+")
            .replace("%2F", "/")
            .replace("%3D", "=");
        assert_eq!(decode(raw.as_bytes()).unwrap(), rfc8705_appendix_a_der());
    }

    #[test]
    fn rejections() {
        use Reason::*;
        let value = encode(rfc8705_appendix_a_pem().as_bytes());
        assert_eq!(decode(b""), Err(Empty));
        assert_eq!(decode(b"%zz"), Err(BadPercentEscape { position: 0 }));
        // Bare base64 (Traefik's form) is not CloudFront's.
        assert_eq!(decode(b"MIIBBjCB"), Err(NoCertificateBlock));
        let two = format!("{value}{value}");
        assert_eq!(decode(two.as_bytes()), Err(NotOneCertificate { count: 2 }));
    }

    #[test]
    fn sha256_header() {
        let der = rfc8705_appendix_a_der();
        let digest = Thumbprint::digest_of(&der);
        let hex: String = digest
            .as_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(parse_sha256(hex.as_bytes()), Some(*digest.as_bytes()));
        let upper = format!(" {} ", hex.to_uppercase());
        assert_eq!(parse_sha256(upper.as_bytes()), Some(*digest.as_bytes()));
        assert_eq!(parse_sha256(&hex.as_bytes()[..62]), None);
        let bad = hex.replacen('0', "g", 1);
        assert_eq!(parse_sha256(bad.as_bytes()), None);
        let colons = hex.replacen("a", ":", 1);
        assert_eq!(parse_sha256(colons.as_bytes()), None);
    }
}
