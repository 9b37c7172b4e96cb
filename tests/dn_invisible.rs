//! Fail closed on invisible characters: a certificate whose subject differs from the
//! registered DN only in characters RFC 4518 maps to nothing (NUL, controls, ZERO WIDTH SPACE,
//! SOFT HYPHEN), in a PrintableString outside its repertoire, or in a non-ASCII `DC` or
//! `emailAddress` that NFKC would fold to ASCII, never matches: not through the DN match API,
//! not through `tls_client_auth`, not through `inspect match --subject-dn`.
mod common;

use std::sync::OnceLock;

use common::Expected as ExpectedSubject;
use rcgen::string::{Ia5String, PrintableString};
use rcgen::{CertificateParams, DnType, DnValue, KeyPair};
use rfc8705::ClientCertificate;
use rfc8705::client_auth::TlsClientAuthError;
use rfc8705::dn::{DistinguishedName, DnMismatch, DnParseError};

fn key() -> &'static KeyPair {
    static KEY: OnceLock<KeyPair> = OnceLock::new();
    KEY.get_or_init(|| KeyPair::generate().unwrap())
}

/// A self-signed certificate whose subject has `dn` in DER order.
fn cert(dn: &[(DnType, DnValue)]) -> Vec<u8> {
    let mut p = CertificateParams::default();
    p.distinguished_name = rcgen::DistinguishedName::new();
    for (t, v) in dn {
        p.distinguished_name.push(t.clone(), v.clone());
    }
    p.self_signed(key()).unwrap().der().to_vec()
}

fn utf8(s: &str) -> DnValue {
    DnValue::Utf8String(s.into())
}

fn cn(v: DnValue) -> Vec<u8> {
    cert(&[
        (DnType::OrganizationName, utf8("Example")),
        (DnType::CommonName, v),
    ])
}

/// rcgen refuses a PrintableString outside its repertoire: write `value` as an IA5String and
/// retag it as a PrintableString, in the subject and in the issuer. Signatures are not checked
/// here.
fn printable_cn(value: &str) -> Vec<u8> {
    let mut der = cn(DnValue::Ia5String(Ia5String::try_from(value).unwrap()));
    let mut tlv = vec![0x16, u8::try_from(value.len()).unwrap()];
    tlv.extend_from_slice(value.as_bytes());
    let at: Vec<usize> = (0..der.len())
        .filter(|&i| der[i..].starts_with(&tlv))
        .collect();
    assert_eq!(at.len(), 2, "issuer and subject");
    for i in at {
        der[i] = 0x13;
    }
    der
}

const DC: &[u64] = &[0, 9, 2342, 19200300, 100, 1, 25];
const EMAIL: &[u64] = &[1, 2, 840, 113549, 1, 9, 1];

fn custom(oid: &[u64], v: DnValue) -> (DnType, DnValue) {
    (DnType::CustomDnType(oid.to_vec()), v)
}

/// Certificates whose subject must not match its registered DN.
fn attacks() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let reg = "CN=admin,O=Example";
    vec![
        ("ad<NUL>min", reg, cn(utf8("ad\0min"))),
        ("admin<NUL>", reg, cn(utf8("admin\0"))),
        ("<NUL>admin", reg, cn(utf8("\0admin"))),
        ("ad<ZWSP>min", reg, cn(utf8("ad\u{200B}min"))),
        ("ad<SHY>min", reg, cn(utf8("ad\u{00AD}min"))),
        ("ad<ZWJ>min", reg, cn(utf8("ad\u{200D}min"))),
        ("admin<VS16>", reg, cn(utf8("admin\u{FE0F}"))),
        ("ad<C1>min", reg, cn(utf8("ad\u{0090}min"))),
        // Controls RFC 4518 maps to SPACE: at the edges they would vanish.
        ("admin<LF>", reg, cn(utf8("admin\n"))),
        ("<TAB>admin", reg, cn(utf8("\tadmin"))),
        ("admin<CR><LF>", reg, cn(utf8("admin\r\n"))),
        ("admin<NEL>", reg, cn(utf8("admin\u{0085}"))),
        ("ad<TAB>min", "CN=ad min,O=Example", cn(utf8("ad\tmin"))),
        (
            "IA5 ad<NUL>min",
            reg,
            cn(DnValue::Ia5String(Ia5String::try_from("ad\0min").unwrap())),
        ),
        (
            "Printable ad<01 02 7F>min",
            reg,
            printable_cn("ad\x01\x02\x7fmin"),
        ),
        (
            "Printable admin*",
            "CN=admin*,O=Example",
            printable_cn("admin*"),
        ),
        (
            "Printable admin@",
            "CN=admin@,O=Example",
            printable_cn("admin@"),
        ),
        (
            "Printable ad&min",
            "CN=ad&min,O=Example",
            printable_cn("ad&min"),
        ),
        (
            "UTF8 DC=ｃｏｍ",
            "CN=admin,DC=com",
            cert(&[
                custom(DC, utf8("ｃｏｍ")),
                (DnType::CommonName, utf8("admin")),
            ]),
        ),
        (
            "UTF8 emailAddress=admin@ｅｘａｍｐｌｅ.com",
            "E=admin@example.com,O=Example",
            cert(&[
                (DnType::OrganizationName, utf8("Example")),
                custom(EMAIL, utf8("admin@ｅｘａｍｐｌｅ.com")),
            ]),
        ),
        (
            "UTF8 emailAddress=ädmin@example.com",
            "E=admin@example.com,O=Example",
            cert(&[
                (DnType::OrganizationName, utf8("Example")),
                custom(EMAIL, utf8("ädmin@example.com")),
            ]),
        ),
    ]
}

/// Certificates whose subject must match its registered DN.
fn legitimate() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("CN=admin,O=Example", cn(utf8("  admin  "))),
        ("cn=ADMIN,o=example", cn(utf8("admin"))),
        ("CN=ad min,O=Example", cn(utf8("ad \u{3000} min"))),
        (
            "CN=Admin,O=Example",
            cn(DnValue::PrintableString(
                PrintableString::try_from("admin").unwrap(),
            )),
        ),
        ("CN=STRASSE,O=Example", cn(utf8("straße"))),
        ("CN=ＡＤＭＩＮ,O=Example", cn(utf8("admin"))),
        (
            "CN=admin,DC=COM",
            cert(&[
                custom(DC, DnValue::Ia5String(Ia5String::try_from("com").unwrap())),
                (DnType::CommonName, utf8("admin")),
            ]),
        ),
        (
            "CN=admin,DC=com",
            cert(&[custom(DC, utf8("Com")), (DnType::CommonName, utf8("admin"))]),
        ),
        (
            "E=Admin@Example.com,O=Example",
            cert(&[
                (DnType::OrganizationName, utf8("Example")),
                custom(EMAIL, utf8("admin@example.COM")),
            ]),
        ),
    ]
}

#[test]
fn the_dn_match_api_refuses_invisible_differences() {
    for (what, registered, der) in attacks() {
        let dn: DistinguishedName = registered.parse().unwrap();
        let subject_cert = ClientCertificate::from_der(&der).unwrap();
        let subject = subject_cert.subject();
        assert!(!dn.matches(&subject), "{what}: {subject}");
        let why = dn.explain_mismatch(&subject, None).unwrap();
        assert!(
            matches!(why, DnMismatch::Undefined { .. }),
            "{what}: {why:?}"
        );
        // The explanation never carries the raw characters.
        let shown = why.to_string();
        assert!(
            !shown.chars().any(|c| c.is_control()
                || matches!(c, '\u{200B}' | '\u{200D}' | '\u{00AD}' | '\u{FE0F}')),
            "{what}: {shown:?}"
        );
        // The subject as printed cannot be registered to match it either.
        if let Ok(again) = subject.to_string().parse::<DistinguishedName>() {
            assert!(again.matches(&subject), "{what}: {subject}");
        }
    }
    for (registered, der) in legitimate() {
        let dn: DistinguishedName = registered.parse().unwrap();
        let subject_cert = ClientCertificate::from_der(&der).unwrap();
        let subject = subject_cert.subject();
        assert!(dn.matches(&subject), "{registered} vs {subject}");
    }
}

#[test]
fn the_escaped_subject_is_shown() {
    let der = cn(utf8("ad\0min"));
    let subject_cert = ClientCertificate::from_der(&der).unwrap();
    let subject = subject_cert.subject();
    assert_eq!(subject.to_string(), "CN=ad\\00min,O=Example");
    let der = cn(utf8("ad\u{200B}min"));
    let subject_cert = ClientCertificate::from_der(&der).unwrap();
    let subject = subject_cert.subject();
    assert_eq!(subject.to_string(), "CN=ad\\E2\\80\\8Bmin,O=Example");
    // Neither rendering can be registered: NUL and ZERO WIDTH SPACE are refused.
    assert_eq!(
        "CN=ad\\00min".parse::<DistinguishedName>().unwrap_err(),
        DnParseError::Nul
    );
    assert!(matches!(
        "CN=ad\\E2\\80\\8Bmin"
            .parse::<DistinguishedName>()
            .unwrap_err(),
        DnParseError::InvisibleCharacter {
            code_point: 0x200B,
            ..
        }
    ));
    // A PrintableString outside its repertoire is shown as its BER.
    let der = printable_cn("admin*");
    let subject_cert = ClientCertificate::from_der(&der).unwrap();
    let subject = subject_cert.subject();
    assert_eq!(subject.to_string(), "CN=#130661646d696e2a,O=Example");
}

#[test]
fn tls_client_auth_refuses_invisible_differences() {
    for (what, registered, der) in attacks() {
        let expected = ExpectedSubject::from_member("tls_client_auth_subject_dn", registered)
            .unwrap_or_else(|e| panic!("{what}: not a tls_client_auth registration: {e}"));
        let err = expected.authenticate_der(&der).unwrap_err();
        assert!(
            matches!(
                err,
                TlsClientAuthError::SubjectDn(DnMismatch::Undefined { .. })
            ),
            "{what}: {err:?}"
        );
        if let Ok(c) = ClientCertificate::from_der(&der) {
            assert!(expected.authenticate(&c).is_err(), "{what}");
        }
    }
    for (registered, der) in legitimate() {
        let expected =
            ExpectedSubject::from_member("tls_client_auth_subject_dn", registered).unwrap();
        assert!(expected.authenticate_der(&der).is_ok(), "{registered}");
        let c = ClientCertificate::from_der(&der).unwrap();
        assert!(expected.authenticate(&c).is_ok(), "{registered}");
    }
}

#[test]
fn registering_an_invisible_character_is_refused() {
    for registered in [
        "CN=ad\\01min",
        "CN=ad\\E2\\80\\8Bmin",
        "CN=ad\u{200B}min",
        "CN=ad\u{00AD}min",
        "CN=admin\\7F",
    ] {
        let err =
            ExpectedSubject::from_member("tls_client_auth_subject_dn", registered).unwrap_err();
        assert!(err.to_string().contains("invisible"), "{registered}: {err}");
    }
}

#[test]
fn inspect_match_subject_dn_says_no() {
    for (what, registered, der) in attacks() {
        let run = common::inspect(&["match", "-", "--subject-dn", registered], &der);
        assert_eq!(run.code, 1, "{what}: {run:?}");
        assert!(run.stderr.contains("cannot be compared"), "{what}: {run:?}");
        assert!(
            !run.stderr.contains('\0') && !run.stderr.contains('\u{200B}'),
            "{what}: {run:?}"
        );
    }
    for (registered, der) in legitimate().into_iter().take(3) {
        let run = common::inspect(&["match", "-", "--subject-dn", registered], &der);
        assert_eq!(run.code, 0, "{registered}: {run:?}");
    }
}
