//! Envoy `x-forwarded-client-cert` in its JSON format, read by `serde_json`.
//!
//! Envoy's HTTP connection manager option `set_client_cert_format` (added in 2026, "The
//! existing text format requires a non-standard parser to decode. Using JSON allows standard
//! parsing tools to be used.") selects the JSON format. Its API documentation: the field "is
//! used only when `forward_client_cert_details` is APPEND_FORWARD or SANITIZE_SET. When the
//! mode is APPEND_FORWARD and an existing XFCC header is present, the format of the existing
//! header is used. The configured format is used when there is no existing header value
//! (APPEND_FORWARD with no prior XFCC header, or SANITIZE_SET which always replaces the
//! value)."
//!
//! This reader takes the value to be a JSON array with one object per hop, in the order the
//! hops appended them, each holding the text format's keys (`By`, `Hash`, `Cert`, `Chain`,
//! `Subject`, `URI`, `DNS`) with the same values. The rules are the text format's: the
//! certificate is the `Cert` of the **last** object, the one the nearest Envoy appended;
//! `Hash`, when present, must be its SHA-256; `Chain`, when present, must start with it.
//! Because JSON quotes every string, no value can forge another object or key; a key twice in
//! the last object is refused all the same. A value that is not a JSON array of objects
//! (for instance a text-format value a client sent, which Envoy in APPEND_FORWARD mode keeps
//! appending to in text) is refused.

use alloc::borrow::Cow;
use alloc::vec::Vec;

use serde::Deserialize;

use super::super::MAX_FIELD_VALUE_LEN;
use super::super::error::{Reason, escape_for_display};
use super::{MAX_ELEMENTS, certificate};

/// One hop's object: the keys the certificate depends on. Others (`By`, `Subject`, `URI`,
/// `DNS`) are informational and skipped; keys are matched as Envoy spells them or in lower
/// case, and either spelling twice is a duplicate.
#[derive(Deserialize)]
struct Element<'a> {
    #[serde(rename = "Hash", alias = "hash", borrow, default)]
    hash: Option<Cow<'a, str>>,
    #[serde(rename = "Cert", alias = "cert", borrow, default)]
    cert: Option<Cow<'a, str>>,
    #[serde(rename = "Chain", alias = "chain", borrow, default)]
    chain: Option<Cow<'a, str>>,
}

/// Decodes the certificate of the last object of a JSON XFCC value.
pub(crate) fn decode_last(value: &[u8]) -> Result<(Vec<u8>, Vec<Vec<u8>>), Reason> {
    if value.len() > MAX_FIELD_VALUE_LEN {
        return Err(Reason::TooLarge { len: value.len() });
    }
    if value.trim_ascii().is_empty() {
        return Err(Reason::Empty);
    }
    let elements: Vec<Element<'_>> =
        serde_json::from_slice(value).map_err(|e| Reason::NotXfccJson {
            detail: escape_for_display(alloc::format!("{e}").as_bytes(), 120),
        })?;
    if elements.len() > MAX_ELEMENTS {
        return Err(Reason::TooManyElements);
    }
    let last = elements.last().ok_or(Reason::Empty)?;
    certificate(
        last.cert.as_deref(),
        last.hash.as_deref(),
        last.chain.as_deref(),
    )
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{escaped_pem, pem_of};
    use super::*;
    use crate::__doc_support::rfc8705_appendix_a_der;
    use crate::thumbprint::Thumbprint;
    use alloc::format;
    use alloc::string::String;
    use alloc::vec;

    fn hex(der: &[u8]) -> String {
        Thumbprint::digest_of(der)
            .as_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// What Envoy appends for one hop: its own URI SAN, the client certificate's hash and
    /// URL-encoded PEM (`urlEncodedPemEncodedPeerCertificate`), the details asked for.
    fn element(der: &[u8]) -> String {
        format!(
            r#"{{"By":"spiffe://cluster.local/ns/edge/sa/envoy","Hash":"{}","Cert":"{}","Subject":"CN=mtls","URI":["spiffe://client"],"DNS":["client.example"]}}"#,
            hex(der),
            escaped_pem(pem_of(der).as_bytes())
        )
    }

    #[test]
    fn sanitize_set_value() {
        let der = rfc8705_appendix_a_der();
        let value = format!("[{}]", element(&der));
        assert_eq!(decode_last(value.as_bytes()).unwrap(), (der, vec![]));
    }

    #[test]
    fn append_forward_takes_the_last_object() {
        let der = rfc8705_appendix_a_der();
        let other = vec![0x30, 0x03, 0x02, 0x01, 0x07];
        // A client-written first object, with keys and values of its choosing.
        let value = format!(
            r#"[{{"Cert":"{}","URI":"x\"}},{{\"Cert\":\"y","Extra":1}}, {}]"#,
            escaped_pem(pem_of(&other).as_bytes()),
            element(&der)
        );
        assert_eq!(decode_last(value.as_bytes()).unwrap().0, der);
    }

    #[test]
    fn chain_and_hash_are_checked() {
        let der = rfc8705_appendix_a_der();
        let other = vec![0x30, 0x03, 0x02, 0x01, 0x07];
        let cert = escaped_pem(pem_of(&der).as_bytes());
        let chain = escaped_pem(format!("{}{}", pem_of(&der), pem_of(&other)).as_bytes());
        let value = format!(
            r#"[{{"Hash":"{}","Cert":"{cert}","Chain":"{chain}"}}]"#,
            hex(&der)
        );
        assert_eq!(
            decode_last(value.as_bytes()).unwrap(),
            (der.clone(), vec![other.clone()])
        );
        let wrong = format!(r#"[{{"Hash":"{}","Cert":"{cert}"}}]"#, hex(&other));
        assert_eq!(decode_last(wrong.as_bytes()), Err(Reason::HashMismatch));
        let bad = format!(r#"[{{"Hash":"xyz","Cert":"{cert}"}}]"#);
        assert_eq!(decode_last(bad.as_bytes()), Err(Reason::MalformedHash));
    }

    #[test]
    fn rejections() {
        let der = rfc8705_appendix_a_der();
        let cert = escaped_pem(pem_of(&der).as_bytes());
        assert_eq!(decode_last(b" "), Err(Reason::Empty));
        assert_eq!(decode_last(b"[]"), Err(Reason::Empty));
        assert_eq!(decode_last(b"[{}]"), Err(Reason::NoCert));
        let not_json = [
            format!(r#"Hash=00;Cert="{cert}""#),
            format!(r#"{{"Cert":"{cert}"}}"#),
            format!(r#"[{{"Cert":"{cert}"}}],[{{"Cert":"{cert}"}}]"#),
            format!(r#"[{{"Cert":"{cert}","cert":"{cert}"}}]"#),
            format!(r#"[{{"Cert":"{cert}","Cert":"{cert}"}}]"#),
            format!(r#"["{cert}"]"#),
            r#"[{"Cert":5}]"#.into(),
        ];
        for value in not_json {
            assert!(
                matches!(
                    decode_last(value.as_bytes()),
                    Err(Reason::NotXfccJson { .. })
                ),
                "{value}"
            );
        }
        let many = format!("[{}{{\"Cert\":\"{cert}\"}}]", "{},".repeat(MAX_ELEMENTS));
        assert_eq!(decode_last(many.as_bytes()), Err(Reason::TooManyElements));
    }
}
