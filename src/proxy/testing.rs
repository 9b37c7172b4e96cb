//! Encoders for the unit tests: each writes a value the way its proxy does.

use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64, Encoding};

/// RFC 9440 `Client-Cert`: `:` base64 with padding `:` (RFC 8941 section 4.1.8).
pub(crate) fn client_cert(der: &[u8]) -> String {
    alloc::format!(":{}:", Base64::encode_string(der))
}

/// HAProxy `%[ssl_c_der,base64]` (one certificate), Traefik v2.10+ (several, `,`-joined).
pub(crate) fn bare_der<I: IntoIterator<Item = D>, D: AsRef<[u8]>>(ders: I) -> String {
    let members: Vec<String> = ders
        .into_iter()
        .map(|d| Base64::encode_string(d.as_ref()))
        .collect();
    members.join(",")
}

/// Traefik up to v2.9: each member through Go's `url.QueryEscape`.
pub(crate) fn bare_der_query_escaped<I: IntoIterator<Item = D>, D: AsRef<[u8]>>(ders: I) -> String {
    let members: Vec<String> = ders
        .into_iter()
        .map(|d| escape(Base64::encode_string(d.as_ref()).as_bytes(), b""))
        .collect();
    members.join(",")
}

/// nginx `$ssl_client_escaped_cert`: every byte but `A-Z a-z 0-9 - . _ ~` as `%XX`.
pub(crate) fn escaped_pem(pem: &[u8]) -> String {
    escape(pem, b"")
}

/// AWS ALB: as nginx, but `+`, `=` and `/` stay raw.
pub(crate) fn alb(pem: &[u8]) -> String {
    escape(pem, b"+=/")
}

/// Apache `mod_headers`: every CR and every LF becomes a space.
pub(crate) fn apache(pem: &[u8]) -> String {
    pem.iter()
        .map(|&b| match b {
            b'\r' | b'\n' => ' ',
            b => char::from(b),
        })
        .collect()
}

fn escape(bytes: &[u8], keep: &[u8]) -> String {
    let mut out = String::new();
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&alloc::format!("%{b:02X}"));
        }
    }
    out
}

/// The PEM text of `der`: 64-character lines and a final line feed, as OpenSSL writes it.
pub(crate) fn pem_of(der: &[u8]) -> String {
    let b64 = Base64::encode_string(der);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .filter_map(|c| core::str::from_utf8(c).ok())
        .collect();
    alloc::format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}
