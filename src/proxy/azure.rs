//! Azure App Service `X-ARR-ClientCert`: the leaf's DER in standard base64.
//!
//! App Service terminates TLS and, with client certificates enabled, forwards the one the
//! client presented in `X-ARR-ClientCert` as base64 (ASP.NET Core reads it with
//! `services.AddCertificateForwarding(o => o.CertificateHeader = "X-ARR-ClientCert")`, whose
//! default converter is `new X509Certificate2(Convert.FromBase64String(headerValue))`). YARP's
//! `ClientCert` transform (`RequestHeaderClientCertTransform`: "Base64 encodes the client
//! certificate (if any) and sets it as the header value") writes the same form into the header
//! it is given.
//!
//! One certificate, no chain, no armour, no `,`: [`base64`](super::base64) decodes it.

use alloc::vec::Vec;

use super::base64;
use super::error::Reason;

/// Decodes an `X-ARR-ClientCert` value to the leaf's DER.
///
/// Accepts: whitespace around the value, `=` padding or none. Rejects: PEM armour, anything
/// outside the base64 alphabet inside.
pub(crate) fn decode(value: &[u8]) -> Result<Vec<u8>, Reason> {
    let value = value.trim_ascii();
    if value.is_empty() {
        return Err(Reason::Empty);
    }
    base64::decode(value).map_err(|e| {
        if value.windows(5).any(|w| w == b"-----") {
            Reason::LooksLikePem
        } else {
            base64::reason(e, 0)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::__doc_support::rfc8705_appendix_a_der;
    use alloc::string::ToString;
    use base64ct::{Base64, Encoding};

    #[test]
    fn app_service_vector() {
        // `Convert.ToBase64String(cert.RawData)`: standard alphabet, padded, one line.
        let der = rfc8705_appendix_a_der();
        let value = Base64::encode_string(&der);
        assert_eq!(decode(value.as_bytes()).unwrap(), der);
        assert_eq!(decode(value.trim_end_matches('=').as_bytes()).unwrap(), der);
    }

    #[test]
    fn rejections() {
        use Reason::*;
        assert_eq!(decode(b" "), Err(Empty));
        assert_eq!(
            decode(b"AQ ID"),
            Err(InvalidCharacter {
                position: 2,
                found: " ".to_string()
            })
        );
        assert_eq!(
            decode(b"-----BEGIN CERTIFICATE----- AQID"),
            Err(LooksLikePem)
        );
        assert_eq!(decode(b"AQIDB"), Err(Length));
    }
}
