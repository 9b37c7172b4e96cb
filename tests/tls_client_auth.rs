//! `tls_client_auth`: the expected subject from client metadata (exactly one member,
//! validated at registration) and authentication of a presented certificate.

mod common;

use common::Expected as ExpectedSubject;
use rcgen::{CertificateParams, DnType, KeyPair, SanType};
use rfc8705::ClientCertificate;
use rfc8705::client_auth::{ExpectedSubject as Subject, TlsClientAuthError};
use rfc8705::client_auth::{MtlsClientAuth, RegistrationError as E};
use rfc8705::dn::DnParseError;
use rfc8705::metadata::ClientMetadata;
use rfc8705::san::SanValueError;

fn meta(json: &str) -> ClientMetadata {
    serde_json::from_str(json).unwrap()
}

/// The expected subject `MtlsClientAuth::from_metadata` reads, or its error.
fn from(json: &str) -> Result<Subject, E> {
    match MtlsClientAuth::from_metadata(&meta(json)) {
        Ok(Some(MtlsClientAuth::TlsClientAuth { subject, .. })) => Ok(subject),
        Err(e) => Err(e),
        other => panic!("not a tls_client_auth outcome: {other:?}"),
    }
}

fn client_cert() -> ClientCertificate<'static> {
    let mut p = CertificateParams::new(vec!["client.example.com".into()]).unwrap();
    p.distinguished_name = rcgen::DistinguishedName::new();
    p.distinguished_name
        .push(DnType::OrganizationName, "Example");
    p.distinguished_name.push(DnType::CommonName, "client-123");
    p.subject_alt_names.push(SanType::Rfc822Name(
        "client@example.com".try_into().unwrap(),
    ));
    let der = p
        .self_signed(&KeyPair::generate().unwrap())
        .unwrap()
        .der()
        .to_vec();
    ClientCertificate::from_der(&der).unwrap().into_owned()
}

#[test]
fn exactly_one_subject_member() {
    assert_eq!(
        from(r#"{"token_endpoint_auth_method":"tls_client_auth"}"#).unwrap_err(),
        E::NoSubject
    );
    assert_eq!(
        from(r#"{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_subject_dn":"CN=a","tls_client_auth_san_dns":"a.example"}"#)
            .unwrap_err(),
        E::SeveralSubjects { members: vec!["tls_client_auth_subject_dn", "tls_client_auth_san_dns"] }
    );
    for (member, value) in [
        ("tls_client_auth_subject_dn", "CN=a"),
        ("tls_client_auth_san_dns", "a.example"),
        ("tls_client_auth_san_uri", "https://a.example/"),
        ("tls_client_auth_san_ip", "192.0.2.1"),
        ("tls_client_auth_san_email", "a@example.com"),
    ] {
        let e = from(&format!(
            r#"{{"token_endpoint_auth_method":"tls_client_auth","{member}":"{value}"}}"#
        ))
        .unwrap();
        assert!(e.to_string().starts_with(&format!("{member}=")));
        assert_eq!(e.to_string(), format!("{member}={value}"));
    }
}

#[test]
fn a_subject_needs_the_tls_client_auth_method() {
    for json in [
        r#"{"token_endpoint_auth_method":"self_signed_tls_client_auth","jwks_uri":"https://c.example/jwks","tls_client_auth_san_dns":"a.example"}"#,
        r#"{"tls_client_auth_san_dns":"a.example"}"#,
    ] {
        assert_eq!(
            MtlsClientAuth::from_metadata(&meta(json)).unwrap_err(),
            E::SubjectWithoutTlsClientAuth {
                member: "tls_client_auth_san_dns"
            },
            "{json}"
        );
    }
}

#[test]
fn values_are_validated_at_registration() {
    let bad = |member: &str, value: &str| {
        from(&format!(
            r#"{{"token_endpoint_auth_method":"tls_client_auth","{member}":{value:?}}}"#
        ))
        .unwrap_err()
    };
    assert_eq!(
        bad("tls_client_auth_subject_dn", ""),
        E::SubjectDn(DnParseError::Empty)
    );
    assert!(matches!(
        bad("tls_client_auth_subject_dn", "/CN=a/O=b"),
        E::SubjectDn(DnParseError::SlashForm {
            suggestion: Some(_)
        })
    ));
    assert!(matches!(
        bad("tls_client_auth_subject_dn", "CN=a;O=b"),
        E::SubjectDn(DnParseError::UnescapedSpecial { .. })
    ));
    assert!(matches!(
        bad("tls_client_auth_san_dns", "a..example"),
        E::San {
            member: "tls_client_auth_san_dns",
            error: SanValueError::Dns { .. }
        }
    ));
    assert!(matches!(
        bad("tls_client_auth_san_uri", "a.example/path"),
        E::San {
            member: "tls_client_auth_san_uri",
            error: SanValueError::Uri { .. }
        }
    ));
    assert_eq!(
        bad("tls_client_auth_san_ip", "192.0.2.1/32"),
        E::San {
            member: "tls_client_auth_san_ip",
            error: SanValueError::Ip
        }
    );
    assert!(matches!(
        bad("tls_client_auth_san_email", "Client <a@example.com>"),
        E::San {
            member: "tls_client_auth_san_email",
            error: SanValueError::Email { .. }
        }
    ));
    let err = bad("tls_client_auth_subject_dn", "/C=US/CN=a");
    assert_eq!(
        err.to_string(),
        "tls_client_auth_subject_dn: the DN is in OpenSSL's slash form, not RFC 4514; write it as \"CN=a,C=US\"; `openssl x509 -noout -subject -nameopt RFC2253` prints a certificate's subject as RFC 4514"
    );
}

#[test]
fn authenticates_by_dn_or_any_san_kind() {
    let cert = client_cert();
    for (member, value, matched) in [
        (
            "tls_client_auth_subject_dn",
            "cn=Client-123, o=example",
            "subject CN=client-123,O=Example",
        ),
        (
            "tls_client_auth_san_dns",
            "CLIENT.example.com",
            "dns:client.example.com",
        ),
        (
            "tls_client_auth_san_email",
            "client@EXAMPLE.com",
            "email:client@example.com",
        ),
    ] {
        let e = ExpectedSubject::from_member(member, value).unwrap();
        assert_eq!(e.authenticate(&cert).unwrap().to_string(), matched);
    }
    for (member, value) in [
        ("tls_client_auth_subject_dn", "CN=client-123,O=Other"),
        ("tls_client_auth_san_dns", "other.example.com"),
        ("tls_client_auth_san_email", "Client@example.com"),
        ("tls_client_auth_san_uri", "https://client.example.com"),
        ("tls_client_auth_san_ip", "192.0.2.1"),
    ] {
        let subject = ExpectedSubject::from_member(member, value).unwrap();
        assert!(subject.authenticate(&cert).is_err(), "{member}");
    }
    let err = ExpectedSubject::from_member("tls_client_auth_san_ip", "192.0.2.1")
        .unwrap()
        .authenticate(&cert)
        .unwrap_err();
    assert!(matches!(err, TlsClientAuthError::NoSanOfKind { .. }));
    assert_eq!(
        err.to_string(),
        "no ip SAN; the certificate has dns:client.example.com, email:client@example.com"
    );
}

#[test]
fn a_subject_dn_mismatch_explains_itself() {
    let cert = client_cert();
    let err = ExpectedSubject::from_member("tls_client_auth_subject_dn", "O=Example,CN=client-123")
        .unwrap()
        .authenticate(&cert)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "subject DN mismatch: same RDNs in reverse order: RFC 4514 lists the most specific RDN first; register \"CN=client-123,O=Example\""
    );
}
