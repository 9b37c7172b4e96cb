//! SAN rules against rcgen certificates: every kind, order kept, x400Address tolerated.
mod common;

use std::net::IpAddr;
use std::sync::OnceLock;

use common::Expected as ExpectedSubject;
use rcgen::{CertificateParams, CustomExtension, KeyPair, SanType};
use rfc8705::ClientCertificate;
use rfc8705::client_auth::TlsClientAuthError;
use rfc8705::san::{PresentedSan, SanError, SanKind};

fn key() -> &'static KeyPair {
    static KEY: OnceLock<KeyPair> = OnceLock::new();
    KEY.get_or_init(|| KeyPair::generate().unwrap())
}

fn cert_with(sans: Vec<SanType>) -> Vec<u8> {
    let mut p = CertificateParams::default();
    p.subject_alt_names = sans;
    p.self_signed(key()).unwrap().der().to_vec()
}

fn ia5(s: &str) -> rcgen::string::Ia5String {
    s.try_into().unwrap()
}

fn all_kinds() -> Vec<u8> {
    cert_with(vec![
        SanType::DnsName(ia5("Client.Example.com")),
        SanType::URI(ia5("spiffe://Example.org/ns/Prod/sa/client")),
        SanType::IpAddress("192.0.2.7".parse().unwrap()),
        SanType::IpAddress("2001:db8::0:1".parse().unwrap()),
        SanType::IpAddress("::ffff:198.51.100.1".parse().unwrap()),
        SanType::Rfc822Name(ia5("First.Last@Example.COM")),
        SanType::DnsName(ia5("*.wild.example")),
    ])
}

fn ok(e: &ExpectedSubject, der: &[u8]) -> bool {
    e.authenticate_der(der).is_ok()
}

#[test]
fn presented_sans_in_certificate_order() {
    let der = all_kinds();
    let sans: Vec<String> = ClientCertificate::from_der(&der)
        .unwrap()
        .sans()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(
        sans,
        [
            "dns:Client.Example.com",
            "uri:spiffe://Example.org/ns/Prod/sa/client",
            "ip:192.0.2.7",
            "ip:2001:db8::1",
            "ip:::ffff:198.51.100.1",
            "email:First.Last@Example.COM",
            "dns:*.wild.example",
        ]
    );
}

#[test]
fn dns_is_case_insensitive_whole_name_without_wildcards() {
    let der = all_kinds();
    assert!(ok(
        &ExpectedSubject::from_member("tls_client_auth_san_dns", "client.example.COM").unwrap(),
        &der
    ));
    assert!(!ok(
        &ExpectedSubject::from_member("tls_client_auth_san_dns", "example.com").unwrap(),
        &der
    ));
    assert!(!ok(
        &ExpectedSubject::from_member("tls_client_auth_san_dns", "client.example.com.au").unwrap(),
        &der
    ));
    // A wildcard SAN is never expanded ...
    assert!(!ok(
        &ExpectedSubject::from_member("tls_client_auth_san_dns", "a.wild.example").unwrap(),
        &der
    ));
    // ... but the same literal wildcard matches itself.
    assert!(ok(
        &ExpectedSubject::from_member("tls_client_auth_san_dns", "*.WILD.example").unwrap(),
        &der
    ));
}

#[test]
fn uri_scheme_and_host_case_insensitive_rest_exact() {
    let der = all_kinds();
    assert!(ok(
        &ExpectedSubject::from_member(
            "tls_client_auth_san_uri",
            "SPIFFE://example.ORG/ns/Prod/sa/client"
        )
        .unwrap(),
        &der
    ));
    assert!(!ok(
        &ExpectedSubject::from_member(
            "tls_client_auth_san_uri",
            "spiffe://example.org/ns/prod/sa/client"
        )
        .unwrap(),
        &der
    ));
    assert!(!ok(
        &ExpectedSubject::from_member("tls_client_auth_san_uri", "spiffe://example.org/ns/Prod/sa")
            .unwrap(),
        &der
    ));
}

#[test]
fn ip_binary_with_any_text_form_and_no_v4_mapping() {
    let der = all_kinds();
    for ok_ip in [
        "192.0.2.7",
        "2001:DB8:0:0:0:0:0:1",
        "2001:0db8::0001",
        "::ffff:198.51.100.1",
        "::FFFF:C633:6401",
    ] {
        assert!(
            ok(
                &ExpectedSubject::from_member("tls_client_auth_san_ip", ok_ip).unwrap(),
                &der
            ),
            "{ok_ip}"
        );
    }
    // An IPv4-mapped IPv6 address is not the IPv4 address, and vice versa.
    assert!(!ok(
        &ExpectedSubject::from_member("tls_client_auth_san_ip", "198.51.100.1").unwrap(),
        &der
    ));
    assert!(!ok(
        &ExpectedSubject::from_member("tls_client_auth_san_ip", "::ffff:192.0.2.7").unwrap(),
        &der
    ));
    assert!(!ok(
        &ExpectedSubject::from_member("tls_client_auth_san_ip", "192.0.2.8").unwrap(),
        &der
    ));
}

#[test]
fn email_local_part_exact_domain_case_insensitive() {
    let der = all_kinds();
    assert!(ok(
        &ExpectedSubject::from_member("tls_client_auth_san_email", "First.Last@example.com")
            .unwrap(),
        &der
    ));
    assert!(!ok(
        &ExpectedSubject::from_member("tls_client_auth_san_email", "first.last@Example.COM")
            .unwrap(),
        &der
    ));
}

#[test]
fn any_san_of_the_kind_may_match() {
    let der = cert_with(vec![
        SanType::DnsName(ia5("a.example")),
        SanType::DnsName(ia5("b.example")),
    ]);
    let m = ExpectedSubject::from_member("tls_client_auth_san_dns", "B.example")
        .unwrap()
        .authenticate_der(&der)
        .unwrap();
    assert_eq!(m.to_string(), "dns:b.example");
}

#[test]
fn mismatch_explanations_list_what_the_certificate_has() {
    let der = cert_with(vec![
        SanType::DnsName(ia5("a.example")),
        SanType::IpAddress("192.0.2.1".parse().unwrap()),
    ]);
    let err = ExpectedSubject::from_member("tls_client_auth_san_uri", "https://a.example/")
        .unwrap()
        .authenticate_der(&der)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "no uri SAN; the certificate has dns:a.example, ip:192.0.2.1"
    );
    let err = ExpectedSubject::from_member("tls_client_auth_san_dns", "b.example")
        .unwrap()
        .authenticate_der(&der)
        .unwrap_err();
    assert!(matches!(
        err,
        TlsClientAuthError::SanMismatch {
            kind: SanKind::Dns,
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        "no dns SAN equals the registered \"b.example\"; the certificate has dns:a.example, ip:192.0.2.1"
    );
}

/// GeneralNames holding an x400Address ([3], which x509-cert cannot decode), a dNSName, an
/// iPAddress of 5 octets and a registeredID.
fn x400_cert() -> Vec<u8> {
    let mut names = vec![0xa3, 0x02, 0x30, 0x00];
    names.extend([0x82, 0x09]);
    names.extend(b"a.example");
    names.extend([0x87, 0x05, 1, 2, 3, 4, 5]);
    names.extend([0x88, 0x03, 0x2a, 0x03, 0x04]);
    let mut seq = vec![0x30, names.len() as u8];
    seq.extend(names);
    let mut p = CertificateParams::default();
    p.custom_extensions
        .push(CustomExtension::from_oid_content(&[2, 5, 29, 17], seq));
    p.self_signed(key()).unwrap().der().to_vec()
}

#[test]
fn x400_address_does_not_break_matching_of_known_kinds() {
    let der = x400_cert();
    let cert = ClientCertificate::from_der(&der).unwrap();
    // x509-cert's GeneralName has no x400Address: its SAN decoder fails on this extension.
    {
        use x509_cert::der::Decode;
        let x509 = x509_cert::Certificate::from_der(&der).unwrap();
        assert!(
            x509.tbs_certificate()
                .get_extension::<x509_cert::ext::pkix::SubjectAltName>()
                .is_err()
        );
    }
    assert_eq!(
        cert.sans().collect::<Vec<_>>(),
        ClientCertificate::from_der(&der)
            .unwrap()
            .sans()
            .collect::<Vec<_>>()
    );
    let sans: Vec<String> = ClientCertificate::from_der(&der)
        .unwrap()
        .sans()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(
        sans,
        [
            "other:x400Address",
            "dns:a.example",
            "other:invalid-ip",
            "other:registeredID"
        ]
    );
    assert!(
        ExpectedSubject::from_member("tls_client_auth_san_dns", "a.example")
            .unwrap()
            .authenticate(&cert)
            .is_ok()
    );
    assert!(
        ExpectedSubject::from_member("tls_client_auth_san_ip", "1.2.3.4")
            .unwrap()
            .authenticate(&cert)
            .is_err()
    );
}

#[test]
fn a_duplicated_san_extension_is_malformed() {
    let mut p = CertificateParams::default();
    let one = vec![0x30, 0x03, 0x82, 0x01, b'a'];
    p.custom_extensions.push(CustomExtension::from_oid_content(
        &[2, 5, 29, 17],
        one.clone(),
    ));
    p.custom_extensions
        .push(CustomExtension::from_oid_content(&[2, 5, 29, 17], one));
    let der = p.self_signed(key()).unwrap().der().to_vec();
    assert_eq!(
        ClientCertificate::from_der(&der).unwrap_err(),
        rfc8705::CertificateError::Malformed(rfc8705::CertificateField::SubjectAltName)
    );
    let err = ExpectedSubject::from_member("tls_client_auth_san_dns", "a")
        .unwrap()
        .authenticate_der(&der)
        .unwrap_err();
    assert_eq!(err, TlsClientAuthError::San(SanError::Malformed));
}

#[test]
fn presented_ip_display_is_rfc5952() {
    let ip: IpAddr = "2001:0DB8:0000:0000:0001:0000:0000:0001".parse().unwrap();
    assert_eq!(PresentedSan::Ip(ip).to_string(), "ip:2001:db8::1:0:0:1");
}
