//! The crate's certificate reader against x509-parser and x509-cert, on the same bytes.
//!
//! Asserts:
//! - where the crate and another parser both accept, they locate the same subject and issuer
//!   (the other parser's `Name` DER reads, with the crate's name reader, as the crate's view)
//!   and the same dNSName, URI, rfc822Name and iPAddress SANs, in order;
//! - the crate accepts nothing that both others reject for its DER framing (non-minimal or
//!   indefinite lengths, truncation, trailing bytes, multi-octet tags).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rfc8705::ClientCertificate;
use rfc8705::dn::NameRef;
use rfc8705::san::PresentedSan;
use x509_cert::der::{Decode, Encode, ErrorKind};

/// A SAN of a kind RFC 8705 matches: (GeneralName tag number, value octets).
type San = (u8, Vec<u8>);

fn ours(cert: &ClientCertificate<'_>) -> Vec<Option<San>> {
    cert.sans()
        .map(|san| match san {
            PresentedSan::Email(s) => Some((1, s.as_bytes().to_vec())),
            PresentedSan::Dns(s) => Some((2, s.as_bytes().to_vec())),
            PresentedSan::Uri(s) => Some((6, s.as_bytes().to_vec())),
            PresentedSan::Ip(std::net::IpAddr::V4(ip)) => Some((7, ip.octets().to_vec())),
            PresentedSan::Ip(std::net::IpAddr::V6(ip)) => Some((7, ip.octets().to_vec())),
            _ => None,
        })
        .collect()
}

/// Same number of SANs; where both read a matched kind, the same kind and value.
fn assert_same_sans(ours: &[Option<San>], theirs: &[Option<San>], who: &str) {
    assert_eq!(ours.len(), theirs.len(), "{who}: SAN count");
    for (a, b) in ours.iter().zip(theirs) {
        if let (Some(a), Some(b)) = (a, b) {
            assert_eq!(a, b, "{who}: SAN");
        }
    }
}

fn same_name(ours: NameRef<'_>, their_der: &[u8], who: &str) {
    let theirs = NameRef::from_der(their_der).expect("the other parser's Name is DER");
    assert_eq!(ours.to_string(), theirs.to_string(), "{who}: name");
}

fn x509_parser_view(data: &[u8]) -> Option<x509_parser::certificate::X509Certificate<'_>> {
    match x509_parser::parse_x509_certificate(data) {
        Ok((rest, cert)) if rest.is_empty() => Some(cert),
        _ => None,
    }
}

fn is_framing(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::Incomplete { .. }
            | ErrorKind::IndefiniteLength
            | ErrorKind::Length { .. }
            | ErrorKind::Overlength
            | ErrorKind::TrailingData { .. }
            | ErrorKind::TagNumberInvalid
    ) || matches!(kind, ErrorKind::Noncanonical { tag } if tag == x509_cert::der::Tag::Sequence)
}

fuzz_target!(|data: &[u8]| {
    let ours_cert = ClientCertificate::from_der(data);
    let parsed = x509_parser_view(data);
    let rc = x509_cert::Certificate::from_der(data);

    let Ok(cert) = ours_cert else {
        return;
    };
    if let Err(e) = &rc {
        assert!(
            parsed.is_some() || !is_framing(e.kind()),
            "accepted what both reject as malformed DER: {e}"
        );
    }

    if let Some(p) = &parsed {
        same_name(cert.subject(), p.subject().as_raw(), "x509-parser subject");
        same_name(cert.issuer(), p.issuer().as_raw(), "x509-parser issuer");
        if let Ok(san) = p.subject_alternative_name() {
            use x509_parser::extensions::GeneralName as G;
            let theirs: Vec<Option<San>> = san
                .map(|ext| ext.value.general_names.clone())
                .unwrap_or_default()
                .iter()
                .map(|g| match g {
                    G::RFC822Name(s) => Some((1, s.as_bytes().to_vec())),
                    G::DNSName(s) => Some((2, s.as_bytes().to_vec())),
                    G::URI(s) => Some((6, s.as_bytes().to_vec())),
                    G::IPAddress(b) if b.len() == 4 || b.len() == 16 => Some((7, b.to_vec())),
                    _ => None,
                })
                .collect();
            assert_same_sans(&ours(&cert), &theirs, "x509-parser");
        }
    }

    if let Ok(c) = &rc {
        let tbs = c.tbs_certificate();
        if let (Ok(s), Ok(i)) = (tbs.subject().to_der(), tbs.issuer().to_der()) {
            same_name(cert.subject(), &s, "x509-cert subject");
            same_name(cert.issuer(), &i, "x509-cert issuer");
        }
        if let Ok(san) = tbs.get_extension::<x509_cert::ext::pkix::SubjectAltName>() {
            use x509_cert::ext::pkix::name::GeneralName as G;
            let theirs: Vec<Option<San>> = san
                .map(|(_, s)| s.0)
                .unwrap_or_default()
                .iter()
                .map(|g| match g {
                    G::Rfc822Name(s) => Some((1, s.as_bytes().to_vec())),
                    G::DnsName(s) => Some((2, s.as_bytes().to_vec())),
                    G::UniformResourceIdentifier(s) => Some((6, s.as_bytes().to_vec())),
                    G::IpAddress(b) if matches!(b.as_bytes().len(), 4 | 16) => {
                        Some((7, b.as_bytes().to_vec()))
                    }
                    _ => None,
                })
                .collect();
            assert_same_sans(&ours(&cert), &theirs, "x509-cert");
        }
    }
});
