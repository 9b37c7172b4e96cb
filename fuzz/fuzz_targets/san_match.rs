//! Registered SAN values (`tls_client_auth_san_*`) parsed and matched against presented SAN
//! strings. Input: the registered value, optionally followed by a NUL byte and the presented
//! value (without one, the value is matched against itself). `name_match` covers SANs read
//! from arbitrary certificate DER against fixed registered values; this target fuzzes the
//! registered side and the comparison rules.
//!
//! Asserts, for each kind that parses:
//! - a registered value matches its own text, and formats back to the text it was parsed
//!   from (the IP address to a text that parses back to the same address);
//! - matching is symmetric when the presented value also parses as a registered one;
//! - dNSName: ASCII case never changes the outcome, and a match has the registered length;
//! - rfc822Name: the domain's ASCII case never changes the outcome; the local part is exact;
//! - iPAddress: a registered value is accepted exactly when it is an address's text (binary
//!   equality of addresses is `IpAddr`'s `==`; `name_match` covers it through certificates);
//! - `ExpectedSubject::from_member` accepts exactly what the kind's parser accepts, and its
//!   `member()` is the member it was built from.
#![no_main]

use libfuzzer_sys::fuzz_target;
#[path = "shared/expected.rs"]
mod expected;
use expected::Expected as ExpectedSubject;
use rfc8705::san::{DnsName, EmailAddress, UriName};

/// `presented` with the part after its last `@` (an email domain) ASCII-uppercased.
fn upper_domain(presented: &str) -> String {
    match presented.rfind('@') {
        Some(at) => {
            let (local, domain) = presented.split_at(at);
            format!("{local}{}", domain.to_ascii_uppercase())
        }
        None => presented.to_owned(),
    }
}

/// The part before the last `@`.
fn local_part(s: &str) -> Option<&str> {
    s.rfind('@').map(|at| &s[..at])
}

fuzz_target!(|data: &[u8]| {
    let (reg, presented) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, data),
    };
    let (Ok(reg), Ok(presented)) = (std::str::from_utf8(reg), std::str::from_utf8(presented))
    else {
        return;
    };

    let dns = reg.parse::<DnsName>();
    if let Ok(name) = &dns {
        assert_eq!(name.to_string(), reg);
        assert!(name.matches(reg));
        let m = name.matches(presented);
        assert_eq!(m, name.matches(&presented.to_ascii_uppercase()));
        assert_eq!(m, name.matches(&presented.to_ascii_lowercase()));
        if m {
            assert_eq!(presented.len(), reg.len());
        }
        if let Ok(other) = presented.parse::<DnsName>() {
            assert_eq!(m, other.matches(reg));
        }
    }

    let uri = reg.parse::<UriName>();
    if let Ok(name) = &uri {
        assert_eq!(name.to_string(), reg);
        assert!(name.matches(reg));
        assert_eq!(reg.parse::<UriName>().ok().as_ref(), Some(name));
        if let Ok(other) = presented.parse::<UriName>() {
            assert_eq!(name.matches(presented), other.matches(reg));
        }
    }

    let email = reg.parse::<EmailAddress>();
    if let Ok(addr) = &email {
        assert_eq!(addr.to_string(), reg);
        assert!(addr.matches(reg));
        let m = addr.matches(presented);
        assert_eq!(m, addr.matches(&upper_domain(presented)));
        if m {
            // The local part (before the last `@`) is compared exactly.
            assert_eq!(local_part(presented), local_part(reg));
        }
        if let Ok(other) = presented.parse::<EmailAddress>() {
            assert_eq!(m, other.matches(reg));
        }
    }

    let ip_ok = !reg.is_empty() && reg.len() <= 2048 && reg.parse::<std::net::IpAddr>().is_ok();

    for (member, accepted) in [
        ("tls_client_auth_san_dns", dns.is_ok()),
        ("tls_client_auth_san_uri", uri.is_ok()),
        ("tls_client_auth_san_ip", ip_ok),
        ("tls_client_auth_san_email", email.is_ok()),
    ] {
        let expected = ExpectedSubject::from_member(member, reg);
        assert_eq!(expected.is_ok(), accepted, "{member}");
        if let Ok(e) = expected {
            assert!(e.to_string().starts_with(&format!("{member}=")));
        }
    }
});
