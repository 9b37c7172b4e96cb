//! Forwarded-certificate header values, written the way each proxy writes them.

use base64ct::{Base64, Encoding};

/// RFC 9440 `Client-Cert`: `:` base64 with padding `:` (RFC 8941 section 4.1.8).
pub fn client_cert(der: &[u8]) -> String {
    format!(":{}:", Base64::encode_string(der))
}

/// HAProxy `%[ssl_c_der,base64]` (one certificate), Traefik v2.10+ (several, `,`-joined).
pub fn bare_der<I: IntoIterator<Item = D>, D: AsRef<[u8]>>(ders: I) -> String {
    let members: Vec<String> = ders
        .into_iter()
        .map(|d| Base64::encode_string(d.as_ref()))
        .collect();
    members.join(",")
}

/// Traefik up to v2.9: each member through Go's `url.QueryEscape` (`+` `%2B`, `/` `%2F`,
/// `=` `%3D`).
pub fn bare_der_query_escaped<I: IntoIterator<Item = D>, D: AsRef<[u8]>>(ders: I) -> String {
    let members: Vec<String> = ders
        .into_iter()
        .map(|d| escape(Base64::encode_string(d.as_ref()).as_bytes(), b""))
        .collect();
    members.join(",")
}

/// nginx `$ssl_client_escaped_cert` (also CloudFront's documented example): every byte but
/// `A-Z a-z 0-9 - . _ ~` as `%XX`, uppercase hex.
pub fn escaped_pem(pem: &[u8]) -> String {
    escape(pem, b"")
}

/// AWS ALB: as nginx, but `+`, `=` and `/` stay raw.
pub fn alb(pem: &[u8]) -> String {
    escape(pem, b"+=/")
}

/// Apache `mod_headers`: every CR and every LF becomes a space.
pub fn apache(pem: &[u8]) -> String {
    pem.iter()
        .map(|&b| match b {
            b'\r' | b'\n' => ' ',
            b => char::from(b),
        })
        .collect()
}

/// PEM of `der`: 64-character lines, as OpenSSL writes it.
pub fn pem(der: &[u8]) -> String {
    let b64 = Base64::encode_string(der);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .map(|l| std::str::from_utf8(l).unwrap())
        .collect();
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}

/// The certificate `der` as `format`'s proxy writes it in the certificate header: the leaf
/// alone, nothing around it.
pub fn value(format: rfc8705::proxy::ProxyFormat, der: &[u8]) -> String {
    use rfc8705::proxy::ProxyFormat::*;
    let pem = pem(der);
    match format {
        ClientCert => client_cert(der),
        Xfcc => format!("Cert=\"{}\"", escaped_pem(pem.as_bytes())),
        // Envoy's JSON: lower-case keys, plain PEM in a JSON string.
        XfccJson => format!(r#"[{{"cert":{}}}]"#, serde_json::to_string(&pem).unwrap()),
        EscapedPem | CloudFront => escaped_pem(pem.as_bytes()),
        Alb => alb(pem.as_bytes()),
        BareDer | Traefik | Azure => bare_der([der]),
        Apache => apache(pem.as_bytes()),
        XfccHash => format!("By=spiffe://p;Hash={}", super::envoy::hex(der)),
        Fingerprint => super::envoy::hex(der),
        other => panic!("no encoder for {other}"),
    }
}

fn escape(bytes: &[u8], keep: &[u8]) -> String {
    let mut out = String::new();
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
