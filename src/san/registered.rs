//! Registered SAN values, validated once at registration, and their equality rules.

use alloc::string::String;
use core::fmt;
use core::net::IpAddr;
use core::str::FromStr;

/// The longest registered SAN value accepted, in bytes.
const MAX_SAN_VALUE_LEN: usize = 2048;

/// Why a registered SAN value is invalid: `invalid_client_metadata`.
///
/// ```
/// use rfc8705::san::{DnsName, SanValueError};
/// let err = "bad..example".parse::<DnsName>().unwrap_err();
/// assert!(matches!(err, SanValueError::Dns { .. }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SanValueError {
    /// The value is empty.
    #[error("the value is empty")]
    Empty,
    /// The value is longer than the limit (2048 bytes).
    #[error("the value is {len} bytes long; the limit is {max}")]
    TooLong {
        /// Length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Not a DNS name in the preferred name syntax.
    #[error("not a DNS name in preferred name syntax (RFC 1034 section 3.5): {reason}")]
    Dns {
        /// What is wrong.
        reason: &'static str,
    },
    /// Not an absolute URI.
    #[error("not an absolute URI (RFC 3986 section 4.3): {reason}")]
    Uri {
        /// What is wrong.
        reason: &'static str,
    },
    /// Not an IPv4 or IPv6 address in text form.
    #[error("not an IPv4 or IPv6 address (e.g. 192.0.2.1 or 2001:db8::1)")]
    Ip,
    /// Not an email address `local@domain`.
    #[error("not an email address local-part@domain (RFC 5280 section 4.2.1.6): {reason}")]
    Email {
        /// What is wrong.
        reason: &'static str,
    },
}

fn check_len(s: &str) -> Result<(), SanValueError> {
    if s.is_empty() {
        return Err(SanValueError::Empty);
    }
    if s.len() > MAX_SAN_VALUE_LEN {
        return Err(SanValueError::TooLong {
            len: s.len(),
            max: MAX_SAN_VALUE_LEN,
        });
    }
    Ok(())
}

/// RFC 1034 section 3.5 preferred name syntax, as RFC 1123 section 2.1 relaxed it (labels may
/// start with a digit). A leftmost `*` label is allowed: it then matches only the same
/// literal wildcard SAN, never a name it would expand to.
fn check_dns(s: &str, allow_wildcard: bool) -> Result<(), &'static str> {
    if s.len() > 253 {
        return Err("longer than 253 characters");
    }
    if s.ends_with('.') {
        return Err("a trailing dot is not used in certificates");
    }
    for (i, label) in s.split('.').enumerate() {
        if label.is_empty() {
            return Err("empty label");
        }
        if label == "*" && i == 0 && allow_wildcard {
            continue;
        }
        if label.len() > 63 {
            return Err("a label is longer than 63 characters");
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err("labels hold only letters, digits and hyphens (IDNs as xn-- labels)");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err("a label starts or ends with a hyphen");
        }
    }
    Ok(())
}

/// A registered `tls_client_auth_san_dns` value.
///
/// RFC 5280 section 7.2: "conforming implementations MUST perform a case-insensitive exact
/// match on the entire DNS name." Wildcards are never expanded (RFC 8705 section 7.5).
///
/// ```
/// use rfc8705::san::DnsName;
/// let n: DnsName = "api.example.com".parse()?;
/// assert!(n.matches("API.Example.com"));
/// assert!(!n.matches("*.example.com"));
/// assert!(!n.matches("api.example.com.evil"));
/// # Ok::<(), rfc8705::san::SanValueError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DnsName(String);

impl DnsName {
    /// Whether a presented dNSName matches: ASCII case-insensitive, whole name.
    pub fn matches(&self, presented: &str) -> bool {
        self.0.eq_ignore_ascii_case(presented)
    }
}

impl FromStr for DnsName {
    type Err = SanValueError;
    fn from_str(s: &str) -> Result<Self, SanValueError> {
        check_len(s)?;
        check_dns(s, true).map_err(|reason| SanValueError::Dns { reason })?;
        Ok(Self(s.into()))
    }
}

impl fmt::Display for DnsName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Byte ranges of a URI's case-insensitive parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct UriParts {
    scheme_end: usize,
    host: Option<(usize, usize)>,
}

/// RFC 3986 section 3: `URI = scheme ":" hier-part [ "?" query ] [ "#" fragment ]`,
/// `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`, `authority = [ userinfo "@" ]
/// host [ ":" port ]`.
fn uri_parts(s: &str) -> Result<UriParts, &'static str> {
    let scheme_end = s.find(':').ok_or("no scheme (scheme:…)")?;
    let scheme = s.get(..scheme_end).unwrap_or_default();
    let mut scheme_bytes = scheme.bytes();
    if !scheme_bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        || !scheme_bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    {
        return Err("the scheme must start with a letter and hold letters, digits, '+', '-', '.'");
    }
    let rest = s.get(scheme_end + 1..).unwrap_or_default();
    if rest.is_empty() {
        // RFC 5280 section 4.2.1.6: "The name MUST include both a scheme ... and a
        // scheme-specific-part."
        return Err("nothing after the scheme");
    }
    let host = match rest.strip_prefix("//") {
        None => None,
        Some(after) => {
            let auth_start = scheme_end + 3;
            let auth_len = after.find(['/', '?', '#']).unwrap_or(after.len());
            let authority = after.get(..auth_len).unwrap_or_default();
            let host_start = authority.rfind('@').map_or(0, |i| i + 1);
            let host_and_port = authority.get(host_start..).unwrap_or_default();
            let host_len = if host_and_port.starts_with('[') {
                host_and_port
                    .find(']')
                    .map(|i| i + 1)
                    .ok_or("an IPv6 host literal is missing its ']'")?
            } else {
                host_and_port.find(':').unwrap_or(host_and_port.len())
            };
            Some((auth_start + host_start, auth_start + host_start + host_len))
        }
    };
    Ok(UriParts { scheme_end, host })
}

type UriSplit<'a> = (
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    bool,
);

fn split<'a>(s: &'a str, parts: UriParts) -> UriSplit<'a> {
    let (hs, he) = parts.host.unwrap_or((parts.scheme_end, parts.scheme_end));
    (
        s.get(..parts.scheme_end),
        s.get(parts.scheme_end..hs),
        s.get(hs..he),
        s.get(he..),
        parts.host.is_some(),
    )
}

/// RFC 5280 section 4.2.1.6: "the scheme name is not case-sensitive ... The host part, if
/// present, is also not case-sensitive, but other components of the scheme-specific-part may
/// be case-sensitive." We compare scheme and host ASCII case-insensitively, the rest exactly.
fn uri_eq(reg: &str, reg_parts: UriParts, presented: &str) -> bool {
    let Ok(p) = uri_parts(presented) else {
        return false;
    };
    let (a0, a1, a2, a3, ah) = split(reg, reg_parts);
    let (b0, b1, b2, b3, bh) = split(presented, p);
    let ci = |x: Option<&str>, y: Option<&str>| matches!((x, y), (Some(x), Some(y)) if x.eq_ignore_ascii_case(y));
    let ex = |x: Option<&str>, y: Option<&str>| matches!((x, y), (Some(x), Some(y)) if x == y);
    ah == bh && ci(a0, b0) && ex(a1, b1) && ci(a2, b2) && ex(a3, b3)
}

/// A registered `tls_client_auth_san_uri` value: an absolute URI.
///
/// ```
/// use rfc8705::san::UriName;
/// let u: UriName = "https://Client.Example.com/Path?q=1".parse()?;
/// assert!(u.matches("HTTPS://client.example.COM/Path?q=1"));
/// assert!(!u.matches("https://client.example.com/path?q=1"));
/// assert!(!u.matches("https://client.example.com/Path?q=1/extra"));
/// # Ok::<(), rfc8705::san::SanValueError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UriName {
    text: String,
    parts: UriParts,
}

impl UriName {
    /// Whether a presented URI SAN matches: scheme and host case-insensitive, the rest exact.
    pub fn matches(&self, presented: &str) -> bool {
        uri_eq(&self.text, self.parts, presented)
    }
}

impl FromStr for UriName {
    type Err = SanValueError;
    fn from_str(s: &str) -> Result<Self, SanValueError> {
        check_len(s)?;
        if !s.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(SanValueError::Uri {
                reason: "only printable ASCII without spaces (percent-encode the rest)",
            });
        }
        let parts = uri_parts(s).map_err(|reason| SanValueError::Uri { reason })?;
        Ok(Self {
            text: s.into(),
            parts,
        })
    }
}

impl fmt::Display for UriName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Parses a registered `tls_client_auth_san_ip` value: IPv4 dotted quad or IPv6 text (any
/// RFC 4291 form; `Display` of the result is the RFC 5952 form).
///
/// RFC 8705 section 2.1.2: the iPAddress is compared in binary, so the registered address is
/// kept as an [`IpAddr`], whose `==` is that comparison: an IPv4 address equals exactly 4
/// equal octets, an IPv6 address exactly 16, and an IPv4-mapped IPv6 address is not the IPv4
/// address.
pub(crate) fn parse_ip(s: &str) -> Result<IpAddr, SanValueError> {
    check_len(s)?;
    s.parse().map_err(|_| SanValueError::Ip)
}

/// A registered `tls_client_auth_san_email` value.
///
/// RFC 5280 section 7.5: "Two email addresses are considered to match if: 1) the local-part
/// of each name is an exact match, AND 2) the host-part of each name matches using a
/// case-insensitive ASCII comparison."
///
/// ```
/// use rfc8705::san::EmailAddress;
/// let e: EmailAddress = "Client@Example.com".parse()?;
/// assert!(e.matches("Client@EXAMPLE.COM"));
/// assert!(!e.matches("client@example.com"));
/// # Ok::<(), rfc8705::san::SanValueError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress {
    text: String,
    at: usize,
}

impl EmailAddress {
    /// Whether a presented rfc822Name matches: local part exact, domain case-insensitive.
    pub fn matches(&self, presented: &str) -> bool {
        let Some(at) = presented.rfind('@') else {
            return false;
        };
        let (local, domain) = self.text.split_at(self.at);
        let (p_local, p_domain) = presented.split_at(at);
        local == p_local && domain.eq_ignore_ascii_case(p_domain)
    }
}

impl FromStr for EmailAddress {
    type Err = SanValueError;
    fn from_str(s: &str) -> Result<Self, SanValueError> {
        check_len(s)?;
        let at = s
            .rfind('@')
            .ok_or(SanValueError::Email { reason: "no '@'" })?;
        let local = s.get(..at).unwrap_or_default();
        let domain = s.get(at + 1..).unwrap_or_default();
        // RFC 5280 section 4.2.1.6: a Mailbox "has no phrase (such as a common name) before
        // it, has no comment (text surrounded in parentheses) after it, and is not surrounded
        // by "<" and ">"".
        if local.is_empty()
            || !local.bytes().all(|b| b.is_ascii_graphic())
            || local.contains(['<', '>', '(', ')'])
        {
            return Err(SanValueError::Email {
                reason: "the local part must be non-empty printable ASCII, without <>()",
            });
        }
        check_dns(domain, false).map_err(|reason| SanValueError::Email { reason })?;
        Ok(Self { text: s.into(), at })
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn dns_validation() {
        for ok in [
            "a",
            "a.example",
            "xn--bcher-kva.example",
            "1a.example",
            "*.example.com",
        ] {
            assert!(ok.parse::<DnsName>().is_ok(), "{ok}");
        }
        for bad in [
            "",
            "a..b",
            "a.",
            "-a.example",
            "a-.example",
            "a b",
            "a_b.example",
            "a.*.example",
            "é.example",
        ] {
            assert!(bad.parse::<DnsName>().is_err(), "{bad}");
        }
        assert!("a".repeat(64).parse::<DnsName>().is_err());
    }

    #[test]
    fn uri_rules() {
        let u: UriName = "spiffe://Example.org/ns/Prod".parse().unwrap();
        assert!(u.matches("SPIFFE://example.ORG/ns/Prod"));
        assert!(!u.matches("spiffe://example.org/ns/prod"));
        assert!(!u.matches("spiffe://example.org/ns/Prod/"));
        assert!(!u.matches("spiffe:/example.org/ns/Prod"));
        let u: UriName = "https://User@Host.example:8443/p".parse().unwrap();
        assert!(u.matches("https://User@HOST.example:8443/p"));
        assert!(
            !u.matches("https://user@host.example:8443/p"),
            "userinfo is exact"
        );
        let u: UriName = "https://[2001:DB8::1]/".parse().unwrap();
        assert!(u.matches("https://[2001:db8::1]/"));
        let u: UriName = "urn:uuid:ABC".parse().unwrap();
        assert!(u.matches("URN:uuid:ABC"));
        assert!(!u.matches("urn:uuid:abc"));
        for bad in [
            "",
            "noscheme",
            "1http://x",
            "http:",
            "http://a b",
            "http://[::1/",
        ] {
            assert!(bad.parse::<UriName>().is_err(), "{bad}");
        }
    }

    #[test]
    fn email_rules() {
        let e: EmailAddress = "First.Last@Example.COM".parse().unwrap();
        assert!(e.matches("First.Last@example.com"));
        assert!(!e.matches("first.last@example.com"));
        assert!(!e.matches("First.Last"));
        for bad in [
            "",
            "a",
            "@example.com",
            "a@",
            "a@b..c",
            "<a@b.c>",
            "a b@c.d",
        ] {
            assert!(bad.parse::<EmailAddress>().is_err(), "{bad}");
        }
    }

    #[test]
    fn ip_rules() {
        let v6 = parse_ip("2001:0db8:0000:0000:0000:0000:0000:0001").unwrap();
        assert_eq!(v6, "2001:db8::1".parse::<IpAddr>().unwrap());
        assert_eq!(v6.to_string(), "2001:db8::1");
        assert_ne!(v6, "2001:db8::2".parse::<IpAddr>().unwrap());
        let v4 = parse_ip("192.0.2.1").unwrap();
        assert_ne!(v4, "::ffff:192.0.2.1".parse::<IpAddr>().unwrap());
        assert_ne!(v4, "::192.0.2.1".parse::<IpAddr>().unwrap());
        assert!(parse_ip("192.0.2.1/32").is_err());
        assert!(parse_ip("192.0.2.256").is_err());
        assert!(parse_ip(" 192.0.2.1").is_err());
    }
}
