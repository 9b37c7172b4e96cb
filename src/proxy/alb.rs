//! AWS Application Load Balancer mutual TLS headers.
//!
//! In *verify* mode the load balancer validates the client certificate against its trust
//! store and sends the leaf in `X-Amzn-Mtls-Clientcert-Leaf`; in *passthrough* mode it sends
//! the whole chain the client presented, **unverified**, in `X-Amzn-Mtls-Clientcert`. Both
//! hold URL-encoded PEM in which `+`, `=` and `/` are left raw (peers that form-decode the
//! value turn `+` into a space and lose the certificate). The leaf comes first.
//!
//! In passthrough mode nothing has checked the chain: an authorization server using
//! `tls_client_auth` must validate it itself before trusting the subject. A thumbprint
//! binding check (RFC 8705 section 3) needs no validation, but still needs proof that the
//! client holds the key, which only a TLS handshake with that certificate gives: prefer
//! verify mode.

use alloc::vec::Vec;

use super::error::Reason;
use super::escaped_pem;

/// Decodes an `X-Amzn-Mtls-Clientcert-Leaf` or `X-Amzn-Mtls-Clientcert` value to the leaf's
/// DER and the DER of the certificates after it. The value must hold PEM blocks.
pub(crate) fn decode(value: &[u8]) -> Result<(Vec<u8>, Vec<Vec<u8>>), Reason> {
    escaped_pem::decode(value)
}

#[cfg(test)]
mod tests {
    use super::super::testing::alb as encode;
    use super::*;
    use crate::__doc_support::{rfc8705_appendix_a_der, rfc8705_appendix_a_pem};

    #[test]
    fn raw_plus_equals_slash() {
        let pem = rfc8705_appendix_a_pem();
        let value = encode(pem.as_bytes());
        assert!(!value.contains("%2B") && !value.contains("%2F") && !value.contains("%3D"));
        assert!(value.contains("E+vwJD/D1AGHGzuri+hlV/"));
        assert_eq!(
            decode(value.as_bytes()).unwrap(),
            (rfc8705_appendix_a_der(), Vec::new())
        );
        // A form decoder's `+` -> space would corrupt the base64; the PEM parser would then
        // see different bytes. This decoder does not.
        let spaced = value.replace('+', " ");
        assert_ne!(
            decode(spaced.as_bytes()).ok().map(|v| v.0),
            Some(rfc8705_appendix_a_der())
        );
        // Bare base64 (Traefik's form) is not the load balancer's.
        assert_eq!(decode(b"MIIB"), Err(Reason::NoCertificateBlock));
    }
}
